// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.remotemap.RemoteMapState;
import io.hamok.emitter.EmitterState;
import io.hamok.queue.QueueState;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.raft.StateMachine;
import io.hamok.wire.proto.StateMachineSnapshot;
import io.hamok.wire.proto.StorageSnapshot;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's state machine: the replicated entries of every storage, changed only by committed
 * {@link StorageRequest}s applied in log order, identically on every replica.
 *
 * <p>Applying an entry: the payload is read in place as a storage request ({@link RequestView}, no
 * generated objects); a payload that is not one (malformed, or another message type) goes to
 * {@link Observer#onRawEntry} and is counted ({@link #nonStorageEntries()}), never thrown. A request
 * whose (sourceId, requestId) was applied before is a duplicate: no state change, no events, only
 * {@link Observer#onDuplicate}. The first request on a storage id fixes its kind; a request of another
 * kind, or a malformed one ({@link StorageState#apply}), is refused with a reason and changes nothing.
 * Every non-duplicate request counts as applied for deduplication, refused or not, so a retry gets
 * the same single answer.
 *
 * <p>Threads: {@link #apply}, {@link #snapshot}, {@link #restore} and the counters on the loop thread
 * only; {@link #view} and {@link #kindOf} from any thread. Observer calls are made on the loop thread
 * during {@code apply}/{@code restore}; an exception thrown by the observer is caught and counted
 * ({@link #observerFailures()}) so that it can never leave a replica half-applied.
 *
 * <p><b>Allocation.</b> Applying a request that overwrites existing keys allocates only the new
 * values' arrays (none on the peer that submitted it, see {@link Observer#heldRequest}): the request
 * is a reused {@link RequestView}, the result a reused {@link ResultView}, every event the one reused
 * {@link StorageEvent}. That is why the observer may keep none of them past a call (it copies what it
 * keeps: {@link RequestView#toRequest()}, {@link ResultView#toResult()}, {@link StorageEvent#copy()}).
 */
public final class ReplicatedStorages implements StateMachine {
    /**
     * Hears what applying committed entries did, on the loop thread, in log order. For one request:
     * its {@link #onEvent}s first (one per change), then {@link #onApplied}. Must not block; objects
     * passed in must not be modified, and are valid only during the call (they are reused for the next
     * request or change): copy what you keep.
     */
    public interface Observer {
        /** A request was applied (or refused: {@link ResultView#isRefused()}); the requester's answer. */
        void onApplied(RequestView request, ResultView result, long index, long timestampMs);

        /** A retried request that was applied before: nothing changed; do not answer the requester again. */
        void onDuplicate(RequestView request, long index);

        /** One change of one storage (the reused event: see {@link StorageEvent}). */
        void onEvent(StorageEvent event);

        /**
         * The object form of the request ({@code sourceId}, {@code requestId}) if this peer submitted it
         * and still holds it, else {@code null}; asked before applying a request that is not a duplicate.
         * Its key and value arrays, where equal byte for byte to the entry's, are stored instead of
         * copies, so the submitter must not modify them (it gave them up when it submitted).
         */
        default StorageRequest heldRequest(String sourceId, long requestId) {
            return null;
        }

        /** An entry that is not a storage request; the payload is valid only during the call. */
        default void onRawEntry(long index, long term, long timestampMs, DirectBuffer payload, int offset,
                                int length) {
        }
    }

    /** A view of a storage that does not exist (yet). */
    public static final EntriesView EMPTY_VIEW = new EmptyView();

    private static final Observer NO_OBSERVER = new Observer() {
        @Override
        public void onApplied(RequestView request, ResultView result, long index, long timestampMs) {
        }

        @Override
        public void onDuplicate(RequestView request, long index) {
        }

        @Override
        public void onEvent(StorageEvent event) {
        }
    };

    private final ConcurrentHashMap<String, StorageState> storages = new ConcurrentHashMap<>();
    private final DedupTable dedup;
    private final Observer observer;
    private final Emitter events = new Emitter(this::emit);
    private final RequestView request = new RequestView();
    private final ResultView result = new ResultView();
    private long appliedIndex;
    private volatile long appliedTimestampMs;
    private long nonStorageEntries;
    private long duplicates;
    private long observerFailures;
    private RuntimeException lastObserverFailure;

    /** A state machine nobody observes (tests, replicas that only hold state). */
    public ReplicatedStorages() {
        this(null);
    }

    /** @param observer what hears applied requests and events, or {@code null} */
    public ReplicatedStorages(Observer observer) {
        this(observer, DedupTable.DEFAULT_WINDOW);
    }

    /**
     * @param dedupWindow request ids remembered per source (see {@link DedupTable}); every replica
     *                    must use the same value (a restore adopts the snapshot's)
     */
    public ReplicatedStorages(Observer observer, int dedupWindow) {
        this.observer = observer == null ? NO_OBSERVER : observer;
        this.dedup = new DedupTable(dedupWindow);
    }

    @Override
    public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
        appliedIndex = index;
        appliedTimestampMs = timestampMs; // before the observer hears of the entry: its events see this entry's time
        try {
            if (request.wrap(payload, offset, length)) {
                applyRequest(index, timestampMs);
            } else {
                applyRaw(index, term, timestampMs, payload, offset, length);
            }
        } finally {
            request.clear(); // the payload is valid only during this call
        }
    }

    private void applyRaw(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
        nonStorageEntries++;
        try {
            observer.onRawEntry(index, term, timestampMs, payload, offset, length);
        } catch (RuntimeException e) {
            observerFailed(e);
        }
    }

    private void applyRequest(long index, long timestampMs) {
        if (!dedup.markApplied(request.sourceId(), request.requestId())) {
            duplicates++;
            try {
                observer.onDuplicate(request, index);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
            return;
        }
        try {
            request.hold(observer.heldRequest(request.sourceId(), request.requestId()));
        } catch (RuntimeException e) {
            observerFailed(e);
        }
        storageFor(request).apply(request, result, events);
        try {
            observer.onApplied(request, result, index, timestampMs);
        } catch (RuntimeException e) {
            observerFailed(e);
        }
    }

    /** Whether the request (sourceId, requestId) was applied here (or falls below the dedup window); loop thread. */
    public boolean isApplied(String sourceId, long requestId) {
        return dedup.isApplied(sourceId, requestId);
    }

    /** The highest request id applied here from {@code sourceId}, or 0; loop thread. */
    public long highestRequestId(String sourceId) {
        return dedup.highest(sourceId);
    }

    /** The live entries of {@code storageId}, or {@link #EMPTY_VIEW} if it does not exist. Any thread. */
    public EntriesView view(String storageId) {
        return storages.get(storageId) instanceof EntriesView view ? view : EMPTY_VIEW;
    }

    /**
     * The state of {@code storageId}, or {@code null} if it does not exist (yet). Any thread; what a
     * reader on another thread may call on it is up to its kind (a map's {@link EntriesView} is safe).
     */
    public StorageState state(String storageId) {
        return storages.get(storageId);
    }

    /** The kind fixed by the first request on {@code storageId}, or {@code null} if none was applied. Any thread. */
    public StorageKind kindOf(String storageId) {
        final StorageState state = storages.get(storageId);
        return state == null ? null : state.kind();
    }

    /** The ids of the existing storages, sorted (a copy). Any thread. */
    public List<String> storageIds() {
        final List<String> ids = new ArrayList<>(storages.keySet());
        Collections.sort(ids);
        return ids;
    }

    /** Index of the last entry applied or restored (0 before any). Loop thread. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /**
     * Replicated time: the leader's clock (epoch ms) stamped on the last entry applied here, storage
     * request or not; 0 before the first (a {@link #restore} leaves it as it was). The leader's loop reads
     * its wall clock once per duty cycle, so a stamp is the time at the start of the cycle that appended
     * the entry or of the one before: it may precede the entry's arrival by that much (normally well
     * under a millisecond, longer if the leader's loop thread was paused), never follow it. Every replica sees
     * the same value at the same entry, so a state machine or a listener may measure time with it
     * where a local clock would differ between replicas. It is set before the observer hears of the
     * entry: during {@link Observer#onEvent} and {@link Observer#onApplied} it is that entry's time.
     * It comes from whichever peer led when the entry was appended, so it may step back (or forward)
     * at a leader change by as much as the two leaders' clocks differ. Any thread.
     */
    public long appliedTimestampMs() {
        return appliedTimestampMs;
    }

    /** Entries that were not storage requests (malformed or another message type). Loop thread. */
    public long nonStorageEntries() {
        return nonStorageEntries;
    }

    /** Requests skipped because they were applied before. Loop thread. */
    public long duplicates() {
        return duplicates;
    }

    /** Exceptions thrown by the observer (caught). Loop thread. */
    public long observerFailures() {
        return observerFailures;
    }

    /** The last exception thrown by the observer, or {@code null}. Loop thread. */
    public RuntimeException lastObserverFailure() {
        return lastObserverFailure;
    }

    /**
     * All storages (ids, kinds, entries) and the dedup table as a {@code StateMachineSnapshot};
     * storages, keys and sources are sorted, so equal states give equal bytes on every replica.
     */
    @Override
    public byte[] snapshot() {
        final List<String> ids = storageIds();
        final List<StorageState> sorted = new ArrayList<>(ids.size());
        for (String id : ids) {
            sorted.add(storages.get(id));
        }
        return SnapshotWriter.write(sorted, dedup.window(), dedup.toSnapshot());
    }

    /**
     * Replaces the whole state with {@code snapshot} (never merges): storages absent from it disappear,
     * entries absent from it are removed, the dedup table is replaced. Subscribers see the change as
     * events, reported after each change in storage-id then key order: CLEARED for a storage that
     * disappears (or changes kind); REMOVED, UPDATED and INSERTED for the keys that differ in a
     * storage that stays; INSERTED for every entry of a new storage. Unchanged entries report nothing.
     * A view obtained before stays live while its storage exists.
     *
     * @throws IllegalArgumentException when the bytes are not a valid snapshot; nothing changed then
     */
    @Override
    public void restore(byte[] snapshot, long index) {
        final StateMachineSnapshot s;
        try {
            s = StateMachineSnapshot.parseFrom(snapshot);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a StateMachineSnapshot: " + e.getMessage(), e);
        }
        final Map<String, StorageKind> kinds = new HashMap<>();
        final Map<String, Map<ByteKey, byte[]>> contents = new HashMap<>();
        for (StorageSnapshot storage : s.getStoragesList()) {
            readStorage(storage, kinds, contents);
        }
        kinds.forEach((id, kind) -> {
            final String refusal = newState(id, kind).contentRefusal(contents.get(id));
            if (refusal != null) {
                throw new IllegalArgumentException("invalid " + kind + " '" + id + "' in snapshot: " + refusal);
            }
        });
        dedup.restore(s.getDedupWindow(), s.getDedupSourcesList()); // the last step that may throw
        final TreeSet<String> ids = new TreeSet<>(storages.keySet());
        ids.addAll(kinds.keySet());
        for (String id : ids) {
            restoreStorage(id, kinds.get(id), contents.get(id));
        }
        appliedIndex = index;
    }

    private void restoreStorage(String id, StorageKind kind, Map<ByteKey, byte[]> content) {
        StorageState state = storages.get(id);
        if (state != null && state.kind() != kind) {
            storages.remove(id);
            state.clear(events);
            state = null;
        }
        if (kind == null) {
            return;
        }
        if (state == null) {
            state = newState(id, kind);
            storages.put(id, state);
        }
        state.replaceWith(content, events);
    }

    private static void readStorage(StorageSnapshot storage, Map<String, StorageKind> kinds,
                                    Map<String, Map<ByteKey, byte[]>> contents) {
        final String id = storage.getStorageId();
        final StorageKind kind = StorageKind.ofWire(storage.getKindValue());
        if (id.isEmpty() || kind == null
                || storage.getKeysCount() != storage.getValuesCount() || kinds.containsKey(id)) {
            throw new IllegalArgumentException("invalid storage '" + id + "' in snapshot: kind "
                    + storage.getKindValue() + ", " + storage.getKeysCount() + " keys, "
                    + storage.getValuesCount() + " values (or a repeated id)");
        }
        final Map<ByteKey, byte[]> content = new HashMap<>(storage.getKeysCount() * 2);
        for (int i = 0; i < storage.getKeysCount(); i++) {
            content.put(new ByteKey(storage.getKeys(i).toByteArray()), storage.getValues(i).toByteArray());
        }
        kinds.put(id, kind);
        contents.put(id, content);
    }

    private StorageState storageFor(RequestView request) {
        final StorageState existing = storages.get(request.storageId());
        if (existing != null) {
            return existing;
        }
        final StorageState created = newState(request.storageId(), request.kind());
        storages.put(request.storageId(), created);
        return created;
    }

    /** The empty state of a new storage: the one place that knows which class holds which kind. */
    private static StorageState newState(String storageId, StorageKind kind) {
        return switch (kind) {
            case MAP, RECORD -> new EntriesState(storageId, kind);
            case QUEUE -> new QueueState(storageId);
            case EMITTER -> new EmitterState(storageId);
            case REMOTE_MAP -> new RemoteMapState(storageId);
        };
    }

    private void emit(StorageEvent event) {
        try {
            observer.onEvent(event);
        } catch (RuntimeException e) {
            observerFailed(e);
        }
    }

    private void observerFailed(RuntimeException e) {
        observerFailures++;
        lastObserverFailure = e;
    }

    private static final class EmptyView implements EntriesView {
        @Override
        public byte[] get(byte[] key) {
            return null;
        }

        @Override
        public boolean containsKey(byte[] key) {
            return false;
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public Map<ByteKey, byte[]> copy() {
            return new HashMap<>();
        }
    }
}
