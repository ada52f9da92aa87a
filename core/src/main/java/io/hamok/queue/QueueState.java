// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.queue;

import io.hamok.state.ByteKey;
import io.hamok.state.Emitter;
import io.hamok.state.RequestCheck;
import io.hamok.state.RequestType;
import io.hamok.state.RequestView;
import io.hamok.state.ResultView;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageState;
import io.hamok.state.StoredEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;

/**
 * The replicated state of a queue ({@link StorageKind#QUEUE}): encoded items in log order, and the
 * deterministic rules that change them.
 *
 * <p><b>Requests</b> (the wire keeps the original's message types; a queue request has no keys and
 * no condition, anything else is refused with a reason and changes nothing):
 * <ul>
 *   <li>{@link RequestType#INSERT} (push): appends its values, in order, as one atomic step. Events:
 *       INSERTED (no key, {@code newValue} = the item) per item, then NOT_EMPTY if the queue was
 *       empty. Result: empty.</li>
 *   <li>{@link RequestType#REMOVE} with no values (pop): takes the head <em>as it is when the request
 *       is applied</em>, so two pops never take the same item and a pop finds the queue empty only
 *       when the replicated queue is empty at its log position. Events: REMOVED ({@code oldValue} =
 *       the item), then EMPTY if it was the last. Result: the item as the one value (no key), or
 *       nothing when the queue was empty.</li>
 *   <li>{@link RequestType#CLEAR}: drops every item (events CLEARED, then EMPTY if it had items),
 *       then appends its values if it has any, as a push does: an import is one atomic request.
 *       Result: empty.</li>
 * </ul>
 *
 * <p><b>Sequence numbers.</b> Every item gets the next number ({@code tail}) when pushed; {@code head}
 * is the number of the next item to pop; {@code tail - head} is the size. A clear sets {@code head =
 * tail}; numbers are never reused, so they name the same item on every replica. They are not part of
 * the API; they make snapshots exact: {@link #snapshotEntries} writes one entry with an empty key whose
 * value is {@code head} and {@code tail} (8 bytes each, big-endian), then every item under its 8-byte
 * big-endian sequence number, in queue order. A restore rebuilds exactly that queue, one item or none
 * included (the original lost a one-element queue on import, reference §12.3 item 24), and
 * {@link #contentRefusal} refuses anything else.
 *
 * <p><b>Memory.</b> Items live in a ring of arrays whose capacity is a power of two; an item's slot
 * is its sequence number modulo the capacity. A push or pop stores or clears one reference: in steady
 * state nothing is allocated beyond the item's own array (a copy out of the log entry, or the
 * submitter's array, as for the map). The ring doubles when full (amortized, not per operation) and
 * goes back to {@value #KEPT_CAPACITY} slots when the queue empties, so a burst does not keep its
 * memory.
 *
 * <p><b>Threads.</b> One writer: the loop thread applies requests, snapshots and restores. Readers
 * ({@link #size}, {@link #peek}, {@link #items}) may run on any thread, never block the writer and see
 * the queue as it was between two requests: the writer changes the ring under the write stamp of a
 * {@link StampedLock} that nobody else ever locks (a sequence lock), and readers take optimistic reads
 * and retry when a change overlapped. Events are emitted after the change is published, so a listener
 * on the loop thread may read the queue.
 */
public final class QueueState implements StorageState {
    /** Slots of a ring that an emptied queue keeps (and the most it shrinks to). */
    public static final int KEPT_CAPACITY = 1024;
    /** The most items a queue holds: a push beyond it is refused. */
    static final long MAX_ITEMS = 1L << 30;
    private static final int MIN_CAPACITY = 16;
    private static final byte[] BOUNDS_KEY = new byte[0];
    private static final int SPINS_BEFORE_YIELD = 64;

    private final String storageId;
    private final StampedLock changes = new StampedLock();
    // Written by the loop thread under the write stamp only; read by other threads optimistically.
    private byte[][] ring = new byte[MIN_CAPACITY][];
    private long head;
    private long tail;

    public QueueState(String storageId) {
        this.storageId = storageId;
    }

    @Override
    public String storageId() {
        return storageId;
    }

    @Override
    public StorageKind kind() {
        return StorageKind.QUEUE;
    }

    // ------------------------------------------------------------------ readers (any thread)

    /** The number of items. Any thread; never blocks the writer. */
    public int size() {
        for (int attempt = 0; ; attempt++) {
            final long stamp = changes.tryOptimisticRead();
            final long h = head;
            final long t = tail;
            if (stamp != 0 && changes.validate(stamp)) {
                return (int) (t - h);
            }
            backOff(attempt);
        }
    }

    /** The head item (not removed), or {@code null} when empty. Any thread; do not modify the array. */
    public byte[] peek() {
        for (int attempt = 0; ; attempt++) {
            final long stamp = changes.tryOptimisticRead();
            final byte[][] r = ring;
            final long h = head;
            final byte[] item = h == tail ? null : r[slot(h, r)];
            if (stamp != 0 && changes.validate(stamp)) {
                return item;
            }
            backOff(attempt);
        }
    }

    /** The items from head to tail, as one state of the queue (an immutable list). Any thread. */
    public List<byte[]> items() {
        for (int attempt = 0; ; attempt++) {
            final long stamp = changes.tryOptimisticRead();
            final byte[][] r = ring;
            final long h = head;
            final long n = tail - h;
            if (stamp != 0 && n >= 0 && n <= r.length) {
                final byte[][] copy = new byte[(int) n][];
                for (int i = 0; i < n; i++) {
                    copy[i] = r[slot(h + i, r)];
                }
                if (changes.validate(stamp)) {
                    return List.of(copy);
                }
            }
            backOff(attempt);
        }
    }

    private static void backOff(int attempt) {
        if (attempt < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield(); // a long change (the ring growing) or a busy writer: let it run
        }
    }

    /** The sequence number of the head item (the next to pop). Loop thread. */
    public long headSequence() {
        return head;
    }

    /** The sequence number the next pushed item gets. Loop thread. */
    public long tailSequence() {
        return tail;
    }

    // ------------------------------------------------------------------ the writer (loop thread)

    /** Applies one committed request (see the class comment); a malformed one is refused. Loop thread. */
    @Override
    public void apply(RequestView request, ResultView result, Emitter events) {
        result.reset();
        final String refusal = refusal(request);
        if (refusal != null) {
            result.refuse(refusal);
            return;
        }
        switch (request.type()) {
            case INSERT -> push(request, events);
            case REMOVE -> pop(result, events);
            case CLEAR -> {
                clear(events);
                push(request, events);
            }
            default -> {
                // refused above
            }
        }
    }

    private String refusal(RequestView request) {
        if (request.kind() != StorageKind.QUEUE) {
            return RequestCheck.kindMismatch(storageId, StorageKind.QUEUE, request.kind());
        }
        final RequestType type = request.type();
        if (type != RequestType.INSERT && type != RequestType.REMOVE && type != RequestType.CLEAR) {
            return "a QUEUE takes INSERT (push), REMOVE (pop) and CLEAR, not " + type;
        }
        if (request.conditional()) {
            return "a QUEUE " + type + " takes no prevValue (condition)";
        }
        if (request.keyCount() != 0) {
            return "a QUEUE " + type + " takes no keys, got " + request.keyCount();
        }
        if (type == RequestType.REMOVE && request.valueCount() != 0) {
            return "a QUEUE REMOVE (pop) takes no values, got " + request.valueCount();
        }
        final long after = (type == RequestType.CLEAR ? 0 : tail - head) + request.valueCount();
        if (after > MAX_ITEMS) {
            return "queue '" + storageId + "' would hold " + after + " items, more than " + MAX_ITEMS;
        }
        return null;
    }

    private void push(RequestView request, Emitter events) {
        final int count = request.valueCount();
        if (count == 0) {
            return;
        }
        final long first = tail;
        final long stamp = writeStamp();
        try {
            ensureCapacity(count);
            final byte[][] r = ring;
            for (int i = 0; i < count; i++) {
                r[slot(first + i, r)] = request.valueArray(i);
            }
            tail = first + count;
        } finally {
            changes.unlockWrite(stamp);
        }
        for (long s = first; s < first + count; s++) {
            events.emit(StorageEvent.Type.INSERTED, storageId, null, null, ring[slot(s, ring)]);
        }
        if (head == first) {
            events.emit(StorageEvent.Type.NOT_EMPTY, storageId, null, null, null);
        }
    }

    private void pop(ResultView result, Emitter events) {
        final long h = head;
        if (h == tail) {
            return;
        }
        final byte[] item;
        final long stamp = writeStamp();
        try {
            final int slot = slot(h, ring);
            item = ring[slot];
            ring[slot] = null;
            head = h + 1;
            shrinkIfEmpty();
        } finally {
            changes.unlockWrite(stamp);
        }
        result.addValue(item);
        events.emit(StorageEvent.Type.REMOVED, storageId, null, item, null);
        if (head == tail) {
            events.emit(StorageEvent.Type.EMPTY, storageId, null, null, null);
        }
    }

    /** Drops every item: one CLEARED event (also when already empty), then EMPTY if it had items. Loop thread. */
    @Override
    public void clear(Emitter events) {
        final boolean hadItems = head != tail;
        final long stamp = writeStamp();
        try {
            for (long s = head; s < tail; s++) {
                ring[slot(s, ring)] = null;
            }
            head = tail;
            shrinkIfEmpty();
        } finally {
            changes.unlockWrite(stamp);
        }
        events.emit(StorageEvent.Type.CLEARED, storageId, null, null, null);
        if (hadItems) {
            events.emit(StorageEvent.Type.EMPTY, storageId, null, null, null);
        }
    }

    /** Room for {@code more} items: doubles the ring as often as needed (under the write stamp). */
    private void ensureCapacity(int more) {
        final long needed = tail - head + more;
        if (needed <= ring.length) {
            return;
        }
        int capacity = ring.length;
        while (capacity < needed) {
            capacity <<= 1;
        }
        ring = copyOf(ring, head, tail, capacity);
    }

    private void shrinkIfEmpty() {
        if (head == tail && ring.length > KEPT_CAPACITY) {
            ring = new byte[KEPT_CAPACITY][];
        }
    }

    private long writeStamp() {
        final long stamp = changes.tryWriteLock();
        if (stamp == 0) {
            // nobody but the loop thread ever locks: another writer is a bug, not contention
            throw new IllegalStateException("queue '" + storageId + "' is being changed by two threads");
        }
        return stamp;
    }

    // ------------------------------------------------------------------ snapshots (loop thread)

    /** The head/tail entry, then every item under its sequence number, in queue order (a new list). */
    @Override
    public List<StoredEntry> snapshotEntries() {
        final List<StoredEntry> out = new ArrayList<>((int) (tail - head) + 1);
        final byte[] bounds = new byte[2 * Long.BYTES];
        writeLong(bounds, 0, head);
        writeLong(bounds, Long.BYTES, tail);
        out.add(new StoredEntry(BOUNDS_KEY, bounds));
        for (long s = head; s < tail; s++) {
            out.add(new StoredEntry(sequenceKey(s), ring[slot(s, ring)]));
        }
        return out;
    }

    @Override
    public String contentRefusal(Map<ByteKey, byte[]> content) {
        final byte[] bounds = content.get(new ByteKey(BOUNDS_KEY));
        if (bounds == null || bounds.length != 2 * Long.BYTES) {
            return "no head/tail entry (an empty key with a 16-byte value)";
        }
        final long h = readLong(bounds, 0);
        final long t = readLong(bounds, Long.BYTES);
        if (h < 0 || t < h || t - h > MAX_ITEMS) {
            return "head " + h + " and tail " + t + " are not a queue";
        }
        if (content.size() - 1 != t - h) {
            return (content.size() - 1) + " items, but head " + h + " and tail " + t + " make " + (t - h);
        }
        for (ByteKey key : content.keySet()) {
            final byte[] k = key.bytes();
            if (k.length == 0) {
                continue;
            }
            if (k.length != Long.BYTES) {
                return "an item key of " + k.length + " bytes (sequence numbers have " + Long.BYTES + ")";
            }
            final long s = readLong(k, 0);
            if (s < h || s >= t) {
                return "item " + s + " is outside [" + h + ", " + t + ")";
            }
        }
        return null;
    }

    /**
     * Becomes exactly the queue {@code content} describes (accepted by {@link #contentRefusal}), head
     * and tail included, reporting the difference: REMOVED for the items that left (in queue order),
     * INSERTED for those that came, then EMPTY or NOT_EMPTY if that changed. An item is the same when
     * its sequence number and bytes are.
     */
    @Override
    public void replaceWith(Map<ByteKey, byte[]> content, Emitter events) {
        final byte[] bounds = content.get(new ByteKey(BOUNDS_KEY));
        final long newHead = readLong(bounds, 0);
        final long newTail = readLong(bounds, Long.BYTES);
        int capacity = MIN_CAPACITY;
        while (capacity < newTail - newHead) {
            capacity <<= 1;
        }
        final byte[][] fresh = new byte[capacity][];
        for (long s = newHead; s < newTail; s++) {
            fresh[slot(s, fresh)] = content.get(new ByteKey(sequenceKey(s)));
        }
        final byte[][] old = ring;
        final long oldHead = head;
        final long oldTail = tail;
        final long stamp = writeStamp();
        try {
            ring = fresh;
            head = newHead;
            tail = newTail;
        } finally {
            changes.unlockWrite(stamp);
        }
        for (long s = oldHead; s < oldTail; s++) {
            if (!holds(fresh, newHead, newTail, s, old[slot(s, old)])) {
                events.emit(StorageEvent.Type.REMOVED, storageId, null, old[slot(s, old)], null);
            }
        }
        for (long s = newHead; s < newTail; s++) {
            if (!holds(old, oldHead, oldTail, s, fresh[slot(s, fresh)])) {
                events.emit(StorageEvent.Type.INSERTED, storageId, null, null, fresh[slot(s, fresh)]);
            }
        }
        if (oldHead != oldTail && newHead == newTail) {
            events.emit(StorageEvent.Type.EMPTY, storageId, null, null, null);
        } else if (oldHead == oldTail && newHead != newTail) {
            events.emit(StorageEvent.Type.NOT_EMPTY, storageId, null, null, null);
        }
    }

    /** Whether the ring holding {@code [h, t)} has {@code item} at sequence {@code s}. */
    private static boolean holds(byte[][] r, long h, long t, long s, byte[] item) {
        return s >= h && s < t && Arrays.equals(r[slot(s, r)], item);
    }

    // ------------------------------------------------------------------ helpers

    private static int slot(long sequence, byte[][] r) {
        return (int) (sequence & (r.length - 1));
    }

    private static byte[][] copyOf(byte[][] r, long h, long t, int capacity) {
        final byte[][] grown = new byte[capacity][];
        for (long s = h; s < t; s++) {
            grown[slot(s, grown)] = r[slot(s, r)];
        }
        return grown;
    }

    /** The snapshot key of the item with sequence number {@code s}: 8 bytes, big-endian. */
    public static byte[] sequenceKey(long s) {
        final byte[] key = new byte[Long.BYTES];
        writeLong(key, 0, s);
        return key;
    }

    private static void writeLong(byte[] bytes, int offset, long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }

    private static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    @Override
    public String toString() {
        return "QueueState{" + storageId + ", head " + head + ", tail " + tail + "}";
    }
}
