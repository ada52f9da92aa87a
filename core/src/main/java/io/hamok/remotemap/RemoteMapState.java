// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap;

import io.hamok.state.ByteKey;
import io.hamok.state.Emitter;
import io.hamok.state.RequestCheck;
import io.hamok.state.RequestType;
import io.hamok.state.RequestView;
import io.hamok.state.ResultView;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageRequest;
import io.hamok.state.StorageState;
import io.hamok.state.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The replicated state of a remote map (issue 12). The map's entries live in an external store (a
 * {@code RemoteMap}); what every replica keeps is the map's <b>sequence of mutations</b>:
 *
 * <ul>
 *   <li>A committed mutation (SET, INSERT, DELETE, REMOVE, CLEAR, conditional SET and REMOVE) gets the
 *       next number of this map (1, 2, ...) and waits in {@link #pending(long) pending}: its requester is
 *       not answered yet ({@link ResultView#deferred()}).</li>
 *   <li>The leader executes pending mutations against the store, one at a time, in number order, and
 *       appends an {@link RequestType#EXECUTED} entry with the outcome of the oldest one. Applying it
 *       resolves that mutation on every replica: it leaves pending, {@link #executedSequence()} moves
 *       on, the changes are reported as events (in mutation order, so in log order), and the result
 *       answers the mutation's requester ({@link ResultView#answer}).</li>
 * </ul>
 *
 * Because the pending mutations are part of the state (and of every snapshot), log compaction never
 * drops a mutation the store has not executed: a leader that caught up by snapshot has them too.
 *
 * <p><b>The EXECUTED entry</b>: source id {@link #executorSourceId(String)}, request id = the number of
 * the mutation it resolves (so the deduplication table drops a second outcome for the same mutation,
 * from another leader), {@code prev_value} = {@code [outcome code, flags]} followed by a UTF-8 message,
 * keys/values = the store's result in the mutation's key order: for SET the old values of the keys
 * that existed, for INSERT the entries that existed (left unchanged), for DELETE and REMOVE the removed
 * entries, for a conditional SET or REMOVE that applied its one key and old value, nothing otherwise.
 * An outcome for another mutation than the oldest pending one is refused and changes nothing (the
 * executor never writes one; {@link #refusedOutcomes()} counts them).
 *
 * <p><b>The requester's answer</b> (a {@link io.hamok.state.StorageResult} on the requester's node): its first key is
 * the outcome code as one byte and its first value the message; the store's result follows. A
 * conditional mutation whose condition did not hold answers "not applied" (no keys at all).
 *
 * <p>Threads: the loop thread only, like every {@link StorageState}; {@link #executedSequence()} and
 * {@link #lastSequence()} may be read from any thread (published values).
 */
public final class RemoteMapState implements StorageState {
    /** Executed; the result follows. */
    public static final int OUTCOME_OK = 0;
    /** The store failed and did not execute it; it never will be (it is resolved). */
    public static final int OUTCOME_NOT_EXECUTED = 1;
    /** The store failed and may have executed it; it will not be executed again. */
    public static final int OUTCOME_MAYBE_EXECUTED = 2;
    /** Executed (by a leader that lost leadership before it reported the result): the result is unknown. */
    public static final int OUTCOME_RESULT_LOST = 3;
    /** Flag: the condition of a conditional mutation held. */
    public static final int FLAG_APPLIED = 1;
    /** Flag: report no events for this mutation (the executing leader's map has {@code noEvents}). */
    public static final int FLAG_NO_EVENTS = 2;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[][] OUTCOME_KEYS = {{OUTCOME_OK}, {OUTCOME_NOT_EXECUTED}, {OUTCOME_MAYBE_EXECUTED},
        {OUTCOME_RESULT_LOST}};
    private static final byte[] META_KEY = {0};
    private static final byte PENDING_PREFIX = 1;

    private final String storageId;
    private final MutationRing pending = new MutationRing();
    private volatile long lastSequence;
    private volatile long executedSequence;
    private long refusedOutcomes;

    public RemoteMapState(String storageId) {
        this.storageId = storageId;
    }

    /** The source id of the EXECUTED entries of remote map {@code mapId} (not a peer id: it starts with a NUL). */
    public static String executorSourceId(String mapId) {
        return "\u0000remote-map\u0000" + mapId;
    }

    @Override
    public String storageId() {
        return storageId;
    }

    @Override
    public StorageKind kind() {
        return StorageKind.REMOTE_MAP;
    }

    /** The number of the last committed mutation (0 before any). Any thread. */
    public long lastSequence() {
        return lastSequence;
    }

    /** The number of the last resolved mutation: every mutation up to it is resolved. Any thread. */
    public long executedSequence() {
        return executedSequence;
    }

    /** The pending mutation with number {@code sequence}, or {@code null} when it is resolved or not committed yet. Loop thread. */
    public Mutation pending(long sequence) {
        return sequence > executedSequence && sequence <= lastSequence ? pending.get(sequence - executedSequence - 1)
                : null;
    }

    /** Outcomes refused because they named another mutation than the oldest pending one. Loop thread. */
    public long refusedOutcomes() {
        return refusedOutcomes;
    }

    @Override
    public void apply(RequestView request, ResultView result, Emitter events) {
        result.reset();
        if (request.kind() != StorageKind.REMOTE_MAP) {
            result.refuse(RequestCheck.kindMismatch(storageId, StorageKind.REMOTE_MAP, request.kind()));
        } else if (request.type() == RequestType.EXECUTED) {
            resolve(request, result, events);
        } else {
            final String refusal = RequestCheck.refusal(request, StorageKind.REMOTE_MAP, storageId);
            if (refusal != null) {
                result.refuse(refusal);
                return;
            }
            pending.add(Mutation.of(lastSequence + 1, request));
            lastSequence = lastSequence + 1;
            result.defer();
        }
    }

    // ------------------------------------------------------------------ resolving a mutation

    private void resolve(RequestView request, ResultView result, Emitter events) {
        final Mutation m = pending.size() == 0 ? null : pending.get(0);
        if (m == null || request.requestId() != m.sequence) {
            refusedOutcomes++;
            result.refuse("remote map '" + storageId + "': an outcome for mutation " + request.requestId()
                    + ", but the oldest pending one is " + (m == null ? "none" : m.sequence));
            return;
        }
        pending.removeFirst();
        executedSequence = m.sequence;
        int outcome = request.prevValueByte(0);
        final int flags = Math.max(0, request.prevValueByte(1));
        final boolean noEvents = (flags & FLAG_NO_EVENTS) != 0;
        if (outcome == OUTCOME_OK && !resultFits(m, request, (flags & FLAG_APPLIED) != 0)) {
            outcome = -1; // malformed: the mutation was executed, its result cannot be read
        }
        switch (outcome) {
            case OUTCOME_OK -> executed(m, request, (flags & FLAG_APPLIED) != 0, noEvents, result, events);
            case OUTCOME_NOT_EXECUTED -> failed(OUTCOME_NOT_EXECUTED, request.prevValueText(2), result);
            case OUTCOME_MAYBE_EXECUTED -> {
                failed(OUTCOME_MAYBE_EXECUTED, request.prevValueText(2), result);
                unknown(m, false, noEvents, events);
            }
            case OUTCOME_RESULT_LOST -> {
                failed(OUTCOME_RESULT_LOST, request.prevValueText(2), result);
                unknown(m, true, noEvents, events);
            }
            default -> {
                failed(OUTCOME_RESULT_LOST, "the outcome reported for it cannot be read", result);
                unknown(m, true, noEvents, events);
            }
        }
        result.answer(m.sourceId, m.requestId);
    }

    /** Whether the store's result in the entry is one that mutation {@code m} can have (checked before anything is reported). */
    private static boolean resultFits(Mutation m, RequestView request, boolean applied) {
        final int count = request.keyCount();
        if (request.valueCount() != count) {
            return false;
        }
        if (m.type == RequestType.CLEAR) {
            return count == 0;
        }
        if (m.conditional) {
            return count == (applied ? 1 : 0) && (count == 0 || request.keyEquals(0, m.keys[0]));
        }
        int r = 0;
        for (int j = 0; j < m.keys.length && r < count; j++) {
            if (request.keyEquals(r, m.keys[j])) {
                r++;
            }
        }
        return r == count; // the result's keys are the mutation's, in its order
    }

    private void executed(Mutation m, RequestView request, boolean applied, boolean noEvents, ResultView result,
                          Emitter events) {
        if (m.conditional && !applied) {
            result.notApplied();
            return;
        }
        result.add(OUTCOME_KEYS[OUTCOME_OK], EMPTY);
        if (m.type == RequestType.CLEAR) {
            emit(noEvents, events, StorageEvent.Type.CLEARED, null, null, null);
            return;
        }
        int r = 0;
        for (int j = 0; j < m.keys.length; j++) {
            final byte[] key = m.keys[j];
            final boolean inResult = r < request.keyCount() && request.keyEquals(r, key);
            final byte[] old = inResult ? request.valueCopy(r++) : null;
            if (inResult) {
                result.add(key, old);
            }
            switch (m.type) {
                case SET -> emit(noEvents, events, old == null ? StorageEvent.Type.INSERTED : StorageEvent.Type.UPDATED,
                        key, old, m.values[j]);
                case INSERT -> {
                    if (old == null) {
                        emit(noEvents, events, StorageEvent.Type.INSERTED, key, null, m.values[j]);
                    }
                }
                case DELETE, REMOVE -> {
                    if (old != null) {
                        emit(noEvents, events, StorageEvent.Type.REMOVED, key, old, null);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void failed(int outcome, String message, ResultView result) {
        result.add(OUTCOME_KEYS[outcome], message.getBytes(StandardCharsets.UTF_8));
    }

    /** Reports what mutation {@code m} may have changed: each of its keys, or the whole map (null key). */
    private void unknown(Mutation m, boolean executed, boolean noEvents, Emitter events) {
        if (m.type == RequestType.CLEAR) {
            emit(noEvents, events, executed ? StorageEvent.Type.CLEARED : StorageEvent.Type.UNKNOWN, null, null, null);
            return;
        }
        for (byte[] key : m.keys) {
            emit(noEvents, events, StorageEvent.Type.UNKNOWN, key, null, null);
        }
    }

    private void emit(boolean noEvents, Emitter events, StorageEvent.Type type, byte[] key, byte[] oldValue,
                      byte[] newValue) {
        if (!noEvents) {
            events.emit(type, storageId, key, oldValue, newValue);
        }
    }

    // ------------------------------------------------------------------ snapshots

    /** Drops the state: the pending mutations are gone, so what the store did with them is unknown. */
    @Override
    public void clear(Emitter events) {
        final boolean hadPending = pending.size() > 0;
        pending.clear();
        executedSequence = lastSequence;
        if (hadPending) {
            events.emit(StorageEvent.Type.UNKNOWN, storageId, null, null, null);
        }
    }

    /** The numbers first ({@code [0] -> lastSequence, executedSequence}), then each pending mutation by number. */
    @Override
    public List<StoredEntry> snapshotEntries() {
        final List<StoredEntry> out = new ArrayList<>(pending.size() + 1);
        out.add(new StoredEntry(META_KEY, ByteBuffer.allocate(16).putLong(lastSequence).putLong(executedSequence)
                .array()));
        for (int i = 0; i < pending.size(); i++) {
            final Mutation m = pending.get(i);
            out.add(new StoredEntry(pendingKey(m.sequence), m.toBytes(storageId)));
        }
        return out;
    }

    @Override
    public String contentRefusal(Map<ByteKey, byte[]> content) {
        try {
            read(content);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Takes the snapshot's numbers and pending mutations. Mutations this replica held as pending and the
     * snapshot has resolved were resolved without it: what they did is reported as one UNKNOWN event for
     * the whole map.
     */
    @Override
    public void replaceWith(Map<ByteKey, byte[]> content, Emitter events) {
        final Snapshot s = read(content);
        final boolean missedOutcomes = s.executed > executedSequence;
        pending.clear();
        for (Mutation m : s.pending) {
            pending.add(m);
        }
        lastSequence = s.last;
        executedSequence = s.executed;
        if (missedOutcomes) {
            events.emit(StorageEvent.Type.UNKNOWN, storageId, null, null, null);
        }
    }

    private record Snapshot(long last, long executed, List<Mutation> pending) {
    }

    private static Snapshot read(Map<ByteKey, byte[]> content) {
        final byte[] meta = content.get(new ByteKey(META_KEY));
        if (meta == null || meta.length != 16) {
            throw new IllegalArgumentException("no mutation numbers (key [0], 16 bytes)");
        }
        final ByteBuffer numbers = ByteBuffer.wrap(meta);
        final long last = numbers.getLong();
        final long executed = numbers.getLong();
        if (executed < 0 || executed > last || last - executed != content.size() - 1) {
            throw new IllegalArgumentException("numbers " + executed + ".." + last + " do not match "
                    + (content.size() - 1) + " pending mutations");
        }
        // looked up by number: ByteKey order is signed, so it is not the numbers' order past 127
        final List<Mutation> mutations = new ArrayList<>((int) (last - executed));
        for (long sequence = executed + 1; sequence <= last; sequence++) {
            final byte[] bytes = content.get(new ByteKey(pendingKey(sequence)));
            if (bytes == null) {
                throw new IllegalArgumentException("pending mutation " + sequence + " is missing");
            }
            mutations.add(Mutation.fromBytes(sequence, bytes));
        }
        return new Snapshot(last, executed, mutations);
    }

    private static byte[] pendingKey(long sequence) {
        return ByteBuffer.allocate(9).put(PENDING_PREFIX).putLong(sequence).array();
    }

    @Override
    public String toString() {
        return "RemoteMapState{" + storageId + ", executed " + executedSequence + " of " + lastSequence + "}";
    }

    // ------------------------------------------------------------------ mutations

    /**
     * A committed mutation of a remote map, waiting to be executed: its number, who asked (to answer
     * them), what to do. Arrays are never modified (read them, do not change them).
     */
    public static final class Mutation {
        private static final byte[][] NONE = new byte[0][];

        final long sequence;
        final String sourceId;
        final long requestId;
        final RequestType type;
        final boolean conditional;
        final byte[][] keys;
        final byte[][] values;
        final byte[] expected;

        private Mutation(long sequence, String sourceId, long requestId, RequestType type, boolean conditional,
                         byte[][] keys, byte[][] values, byte[] expected) {
            this.sequence = sequence;
            this.sourceId = sourceId;
            this.requestId = requestId;
            this.type = type;
            this.conditional = conditional;
            this.keys = keys;
            this.values = values;
            this.expected = expected;
        }

        /** Copies the request's keys and values out of the entry (or takes the submitter's equal arrays). */
        static Mutation of(long sequence, RequestView request) {
            final byte[][] keys = request.keyCount() == 0 ? NONE : new byte[request.keyCount()][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = request.keyArray(i);
            }
            final byte[][] values = request.valueCount() == 0 ? NONE : new byte[request.valueCount()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = request.valueArray(i);
            }
            return new Mutation(sequence, request.sourceId(), request.requestId(), request.type(),
                    request.conditional(), keys, values, request.prevValueCopy());
        }

        static Mutation fromBytes(long sequence, byte[] bytes) {
            final StorageRequest r = StorageRequest.fromBytes(bytes);
            if (r.kind() != StorageKind.REMOTE_MAP || r.type() == RequestType.EXECUTED) {
                throw new IllegalArgumentException("pending mutation " + sequence + " is a " + r.type() + " of a "
                        + r.kind());
            }
            return new Mutation(sequence, r.sourceId(), r.requestId(), r.type(), r.conditional(),
                    r.keys().toArray(NONE), r.values().toArray(NONE), r.prevValue());
        }

        byte[] toBytes(String storageId) {
            return new StorageRequest(sourceId, requestId, StorageKind.REMOTE_MAP, storageId, type, List.of(keys),
                    List.of(values), expected).toBytes();
        }

        /** The mutation's number in its map (1, 2, ...): what the store records as its applied index. */
        public long sequence() {
            return sequence;
        }

        /** SET (with {@link #conditional()}: replace), INSERT, DELETE, REMOVE (conditional: remove-if) or CLEAR. */
        public RequestType type() {
            return type;
        }

        public boolean conditional() {
            return conditional;
        }

        /** The expected value of a conditional mutation's one key, or {@code null}. */
        public byte[] expected() {
            return expected;
        }

        /** The keys (a fixed-size view; allocates). */
        public List<byte[]> keys() {
            return java.util.Arrays.asList(keys);
        }

        /** The values, aligned with the keys for SET and INSERT, else empty (a fixed-size view; allocates). */
        public List<byte[]> values() {
            return java.util.Arrays.asList(values);
        }

        @Override
        public String toString() {
            return "Mutation#" + sequence + "(" + type + (conditional ? "-if" : "") + ", " + keys.length + " keys, from "
                    + sourceId + "#" + requestId + ")";
        }
    }

    /** The pending mutations in number order, with indexed access; grows by doubling, never shrinks. */
    private static final class MutationRing {
        private Mutation[] items = new Mutation[16];
        private int head;
        private int size;

        int size() {
            return size;
        }

        Mutation get(long i) {
            return i < size ? items[(int) ((head + i) & (items.length - 1))] : null;
        }

        void add(Mutation m) {
            if (size == items.length) {
                final Mutation[] grown = new Mutation[items.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = items[(head + i) & (items.length - 1)];
                }
                items = grown;
                head = 0;
            }
            items[(head + size++) & (items.length - 1)] = m;
        }

        void removeFirst() {
            items[head] = null;
            head = (head + 1) & (items.length - 1);
            size--;
        }

        void clear() {
            for (int i = 0; i < size; i++) {
                items[(head + i) & (items.length - 1)] = null;
            }
            head = 0;
            size = 0;
        }
    }
}
