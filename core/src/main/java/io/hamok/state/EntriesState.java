// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The replicated entries of one storage and the deterministic rules that change them.
 *
 * <p>Threads: one writer (the loop thread applies requests); readers ({@link EntriesView}) on any
 * thread see each key change atomically. Presence is exact: any stored value, including an empty
 * byte array, is a value; only an absent key is absent.
 *
 * <p><b>Applying in place.</b> A request is applied from a {@link RequestView} over the log entry:
 * keys are looked up without copying ({@link KeyProbe}), and the outcome goes into a reused
 * {@link ResultView} (see {@link RequestType} for what it holds) and the changes, one by one after
 * making each, to a reused event ({@link Emitter}). Overwriting an existing key stores the new value
 * array in the key's {@link StoredEntry}: no new key, no new map node. The value itself is a new
 * array (a copy out of the entry, or the submitter's own array on the peer that submitted it):
 * stored arrays are never modified, because readers on other threads, results, events and
 * snapshots may hold them; copying a same-length value into the old array would be a data race.
 * So an overwrite allocates exactly the value's array, and nothing else.
 */
public final class EntriesState implements StorageState, EntriesView {
    private static final Comparator<StoredEntry> BY_KEY = (a, b) -> Arrays.compare(a.key, b.key);

    private final String storageId;
    private final StorageKind kind;
    private final ConcurrentHashMap<ByteKey, StoredEntry> entries = new ConcurrentHashMap<>();

    public EntriesState(String storageId, StorageKind kind) {
        this.storageId = storageId;
        this.kind = kind;
    }

    @Override
    public String storageId() {
        return storageId;
    }

    @Override
    public StorageKind kind() {
        return kind;
    }

    @Override
    public byte[] get(byte[] key) {
        final StoredEntry e = entries.get(new ByteKey(key));
        return e == null ? null : e.value;
    }

    @Override
    public boolean containsKey(byte[] key) {
        return entries.containsKey(new ByteKey(key));
    }

    @Override
    public int size() {
        return entries.size();
    }

    /** {@inheritDoc} Taken while the loop thread may be writing: each key is seen before or after a change. */
    @Override
    public Map<ByteKey, byte[]> copy() {
        final Map<ByteKey, byte[]> out = new HashMap<>(entries.size() * 2);
        entries.forEach((key, e) -> out.put(key, e.value));
        return out;
    }

    /**
     * Applies a request in object form (tests and tools; allocates): as the loop's path, but the
     * events given to {@code events} (may be {@code null}) are copies that may be kept, and the result
     * is an immutable {@link StorageResult}.
     */
    public StorageResult apply(StorageRequest request, Consumer<StorageEvent> events) {
        final byte[] bytes = request.toBytes();
        final RequestView view = new RequestView();
        if (!view.wrap(new UnsafeBuffer(bytes), 0, bytes.length)) {
            throw new IllegalArgumentException("not a storage request: " + request);
        }
        final ResultView result = new ResultView();
        apply(view, result, new Emitter(events == null ? null : e -> events.accept(e.copy())));
        return result.toResult();
    }

    /**
     * Applies a request after checking it is well-formed for this storage; a malformed request (wrong
     * kind, values not aligned with keys, a condition on a type that has none, a map condition on
     * other than one key, an undecodable record condition) is refused with a reason and changes nothing.
     * Loop thread.
     */
    @Override
    public void apply(RequestView request, ResultView result, Emitter events) {
        result.reset();
        final String refusal = RequestCheck.refusal(request, kind, storageId);
        if (refusal != null) {
            result.refuse(refusal);
            return;
        }
        if (request.conditional()) {
            if (kind == StorageKind.MAP) {
                if (request.type() == RequestType.SET) {
                    updateIf(request, result, events);
                } else {
                    removeIf(request, result, events);
                }
                return;
            }
            if (!RecordCondition.fromBytes(request.prevValueCopy()).holds(this)) {
                result.notApplied();
                return;
            }
        }
        switch (request.type()) {
            case SET -> setAll(request, result, events);
            case INSERT -> insertAll(request, result, events);
            case DELETE -> deleteAll(request, result, events);
            case REMOVE -> removeAll(request, result, events);
            case CLEAR -> clear(events);
        }
    }

    /** SET: every key gets its value (INSERTED or UPDATED); result: old values of keys that existed. */
    private void setAll(RequestView request, ResultView result, Emitter events) {
        for (int i = 0; i < request.keyCount(); i++) {
            final byte[] value = request.valueArray(i);
            final StoredEntry e = entries.get(request.probeKey(i));
            if (e == null) {
                insert(request.keyArray(i), value, events);
            } else {
                final byte[] old = e.value;
                e.value = value;
                result.add(e.key, old);
                events.emit(StorageEvent.Type.UPDATED, storageId, e.key, old, value);
            }
        }
    }

    /** INSERT: only absent keys get their value (INSERTED); result: the existing entries, unchanged. */
    private void insertAll(RequestView request, ResultView result, Emitter events) {
        for (int i = 0; i < request.keyCount(); i++) {
            final StoredEntry e = entries.get(request.probeKey(i));
            if (e == null) {
                insert(request.keyArray(i), request.valueArray(i), events);
            } else {
                result.add(e.key, e.value);
            }
        }
    }

    private void insert(byte[] key, byte[] value, Emitter events) {
        entries.put(new ByteKey(key), new StoredEntry(key, value));
        events.emit(StorageEvent.Type.INSERTED, storageId, key, null, value);
    }

    /** DELETE: removes the keys (REMOVED); result: the keys that existed, no values. */
    private void deleteAll(RequestView request, ResultView result, Emitter events) {
        for (int i = 0; i < request.keyCount(); i++) {
            final StoredEntry e = entries.remove(request.probeKey(i));
            if (e != null) {
                result.addKey(e.key);
                events.emit(StorageEvent.Type.REMOVED, storageId, e.key, e.value, null);
            }
        }
    }

    /** REMOVE: removes the keys (REMOVED); result: the removed entries with their values. */
    private void removeAll(RequestView request, ResultView result, Emitter events) {
        for (int i = 0; i < request.keyCount(); i++) {
            final StoredEntry e = entries.remove(request.probeKey(i));
            if (e != null) {
                result.add(e.key, e.value);
                events.emit(StorageEvent.Type.REMOVED, storageId, e.key, e.value, null);
            }
        }
    }

    /** CLEAR: removes everything; one CLEARED event (also when already empty); result empty. */
    @Override
    public void clear(Emitter events) {
        entries.clear();
        events.emit(StorageEvent.Type.CLEARED, storageId, null, null, null);
    }

    /**
     * Update-if of one key: sets the value only if the key is present with exactly the condition.
     * Result: applied with keys=[key], values=[old], or not applied.
     */
    private void updateIf(RequestView request, ResultView result, Emitter events) {
        final StoredEntry e = entries.get(request.probeKey(0));
        if (e == null || !request.prevValueEquals(e.value)) {
            result.notApplied();
            return;
        }
        final byte[] old = e.value;
        final byte[] value = request.valueArray(0);
        e.value = value;
        result.add(e.key, old);
        events.emit(StorageEvent.Type.UPDATED, storageId, e.key, old, value);
    }

    /** Remove-if of one key: removes it only if present with exactly the condition. Always answers. */
    private void removeIf(RequestView request, ResultView result, Emitter events) {
        final KeyProbe key = request.probeKey(0);
        final StoredEntry e = entries.get(key);
        if (e == null || !request.prevValueEquals(e.value)) {
            result.notApplied();
            return;
        }
        entries.remove(key);
        result.add(e.key, e.value);
        events.emit(StorageEvent.Type.REMOVED, storageId, e.key, e.value, null);
    }

    /** The keys in {@link ByteKey} order (snapshots). Loop thread only. */
    List<ByteKey> sortedKeys() {
        final List<ByteKey> keys = new ArrayList<>(entries.keySet());
        Collections.sort(keys);
        return keys;
    }

    /** The entries in key order ({@link ByteKey} order), a new list (snapshots). Loop thread only. */
    @Override
    public List<StoredEntry> snapshotEntries() {
        final List<StoredEntry> sorted = new ArrayList<>(entries.values());
        sorted.sort(BY_KEY);
        return sorted;
    }

    /** The value of a key (loop thread), or {@code null}. */
    byte[] valueOf(ByteKey key) {
        final StoredEntry e = entries.get(key);
        return e == null ? null : e.value;
    }

    /**
     * Makes the entries equal to {@code target} (a restore), reporting the difference in key order:
     * REMOVED for keys not in {@code target}, UPDATED for changed values, INSERTED for new keys.
     * Readers see each key change atomically, not the replacement as a whole.
     */
    @Override
    public void replaceWith(Map<ByteKey, byte[]> target, Emitter events) {
        for (ByteKey key : sortedKeys()) {
            if (!target.containsKey(key)) {
                final StoredEntry e = entries.remove(key);
                events.emit(StorageEvent.Type.REMOVED, storageId, e.key, e.value, null);
            }
        }
        final List<ByteKey> targetKeys = new ArrayList<>(target.keySet());
        Collections.sort(targetKeys);
        for (ByteKey key : targetKeys) {
            final byte[] value = target.get(key);
            final StoredEntry e = entries.get(key);
            if (e == null) {
                insert(key.bytes(), value, events);
            } else if (!Arrays.equals(e.value, value)) {
                final byte[] old = e.value;
                e.value = value;
                events.emit(StorageEvent.Type.UPDATED, storageId, e.key, old, value);
            }
        }
    }

    @Override
    public String toString() {
        return "EntriesState{" + storageId + ", " + kind + ", " + entries.size() + " entries}";
    }
}
