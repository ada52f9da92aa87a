package io.hamok.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The replicated entries of one storage and the deterministic rules that change them.
 *
 * <p>Threads: one writer (the loop thread calls the apply methods); readers ({@link EntriesView})
 * on any thread see each key change atomically. Presence is exact: any stored value, including an
 * empty byte array, is a value; only an absent key is absent.
 *
 * <p>Every apply method returns the {@link StorageResult} for the requester (see {@link RequestType}
 * for what it holds) and reports each change to {@code events} (may be {@code null}) after making
 * it, in request order. Key and value arrays are stored and returned as given, never copied: nobody
 * may modify them.
 */
public final class EntriesState implements EntriesView {
    private final String storageId;
    private final StorageKind kind;
    private final ConcurrentHashMap<ByteKey, byte[]> entries = new ConcurrentHashMap<>();

    public EntriesState(String storageId, StorageKind kind) {
        this.storageId = storageId;
        this.kind = kind;
    }

    public String storageId() {
        return storageId;
    }

    public StorageKind kind() {
        return kind;
    }

    @Override
    public byte[] get(byte[] key) {
        return entries.get(new ByteKey(key));
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
        return new HashMap<>(entries);
    }

    /**
     * Applies a request after checking it is well-formed for this storage; a malformed request (wrong
     * kind, values not aligned with keys, a condition on a type that has none, a map condition on
     * other than one key, an undecodable record condition) is refused with a reason and changes nothing.
     */
    public StorageResult apply(StorageRequest request, Consumer<StorageEvent> events) {
        final String refusal = RequestCheck.refusal(request, kind, storageId);
        if (refusal != null) {
            return StorageResult.refused(refusal);
        }
        final List<byte[]> keys = request.keys();
        final List<byte[]> values = request.values();
        if (request.conditional()) {
            if (kind == StorageKind.MAP) {
                return request.type() == RequestType.SET
                        ? updateIf(keys.get(0), values.get(0), request.prevValue(), events)
                        : removeIf(keys.get(0), request.prevValue(), events);
            }
            final RecordCondition condition = RecordCondition.fromBytes(request.prevValue());
            return request.type() == RequestType.SET
                    ? setAllIf(keys, values, condition, events)
                    : removeAllIf(keys, condition, events);
        }
        return switch (request.type()) {
            case SET -> setAll(keys, values, events);
            case INSERT -> insertAll(keys, values, events);
            case DELETE -> deleteAll(keys, events);
            case REMOVE -> removeAll(keys, events);
            case CLEAR -> clear(events);
        };
    }

    /** SET: every key gets its value (INSERTED or UPDATED); result: old values of keys that existed. */
    public StorageResult setAll(List<byte[]> keys, List<byte[]> values, Consumer<StorageEvent> events) {
        List<byte[]> oldKeys = null;
        List<byte[]> oldValues = null;
        for (int i = 0; i < keys.size(); i++) {
            final byte[] key = keys.get(i);
            final byte[] value = values.get(i);
            final byte[] old = entries.put(new ByteKey(key), value);
            if (old == null) {
                emit(events, StorageEvent.Type.INSERTED, key, null, value);
            } else {
                if (oldKeys == null) {
                    oldKeys = new ArrayList<>();
                    oldValues = new ArrayList<>();
                }
                oldKeys.add(key);
                oldValues.add(old);
                emit(events, StorageEvent.Type.UPDATED, key, old, value);
            }
        }
        return result(true, oldKeys, oldValues);
    }

    /** INSERT: only absent keys get their value (INSERTED); result: the existing entries, unchanged. */
    public StorageResult insertAll(List<byte[]> keys, List<byte[]> values, Consumer<StorageEvent> events) {
        List<byte[]> existingKeys = null;
        List<byte[]> existingValues = null;
        for (int i = 0; i < keys.size(); i++) {
            final byte[] key = keys.get(i);
            final byte[] value = values.get(i);
            final byte[] existing = entries.putIfAbsent(new ByteKey(key), value);
            if (existing == null) {
                emit(events, StorageEvent.Type.INSERTED, key, null, value);
            } else {
                if (existingKeys == null) {
                    existingKeys = new ArrayList<>();
                    existingValues = new ArrayList<>();
                }
                existingKeys.add(key);
                existingValues.add(existing);
            }
        }
        return result(true, existingKeys, existingValues);
    }

    /** DELETE: removes the keys (REMOVED); result: the keys that existed, no values. */
    public StorageResult deleteAll(List<byte[]> keys, Consumer<StorageEvent> events) {
        List<byte[]> deleted = null;
        for (byte[] key : keys) {
            final byte[] old = entries.remove(new ByteKey(key));
            if (old != null) {
                if (deleted == null) {
                    deleted = new ArrayList<>();
                }
                deleted.add(key);
                emit(events, StorageEvent.Type.REMOVED, key, old, null);
            }
        }
        return deleted == null ? StorageResult.EMPTY
                : new StorageResult(true, Collections.unmodifiableList(deleted), List.of(), null);
    }

    /** REMOVE: removes the keys (REMOVED); result: the removed entries with their values. */
    public StorageResult removeAll(List<byte[]> keys, Consumer<StorageEvent> events) {
        List<byte[]> removedKeys = null;
        List<byte[]> removedValues = null;
        for (byte[] key : keys) {
            final byte[] old = entries.remove(new ByteKey(key));
            if (old != null) {
                if (removedKeys == null) {
                    removedKeys = new ArrayList<>();
                    removedValues = new ArrayList<>();
                }
                removedKeys.add(key);
                removedValues.add(old);
                emit(events, StorageEvent.Type.REMOVED, key, old, null);
            }
        }
        return result(true, removedKeys, removedValues);
    }

    /** CLEAR: removes everything; one CLEARED event (also when already empty); result empty. */
    public StorageResult clear(Consumer<StorageEvent> events) {
        entries.clear();
        emit(events, StorageEvent.Type.CLEARED, null, null, null);
        return StorageResult.EMPTY;
    }

    /**
     * Update-if of one key: sets {@code value} only if the key is present with exactly
     * {@code prevValue}. Result: applied with keys=[key], values=[old], or {@link StorageResult#NOT_APPLIED}.
     */
    public StorageResult updateIf(byte[] key, byte[] value, byte[] prevValue, Consumer<StorageEvent> events) {
        final ByteKey k = new ByteKey(key);
        final byte[] current = entries.get(k);
        if (current == null || !Arrays.equals(current, prevValue)) {
            return StorageResult.NOT_APPLIED;
        }
        entries.put(k, value);
        emit(events, StorageEvent.Type.UPDATED, key, current, value);
        return new StorageResult(true, List.of(key), List.of(current), null);
    }

    /**
     * Remove-if of one key: removes it only if present with exactly {@code prevValue}. Always answers:
     * applied with keys=[key], values=[old], or {@link StorageResult#NOT_APPLIED}.
     */
    public StorageResult removeIf(byte[] key, byte[] prevValue, Consumer<StorageEvent> events) {
        final ByteKey k = new ByteKey(key);
        final byte[] current = entries.get(k);
        if (current == null || !Arrays.equals(current, prevValue)) {
            return StorageResult.NOT_APPLIED;
        }
        entries.remove(k);
        emit(events, StorageEvent.Type.REMOVED, key, current, null);
        return new StorageResult(true, List.of(key), List.of(current), null);
    }

    /**
     * A record's update-if: when every expectation of {@code condition} holds, applies as
     * {@link #setAll} (same events and result); otherwise changes nothing and returns
     * {@link StorageResult#NOT_APPLIED}. All or nothing.
     */
    public StorageResult setAllIf(List<byte[]> keys, List<byte[]> values, RecordCondition condition,
                                  Consumer<StorageEvent> events) {
        return condition.holds(entries) ? setAll(keys, values, events) : StorageResult.NOT_APPLIED;
    }

    /**
     * A record's remove-if: when every expectation of {@code condition} holds, applies as
     * {@link #removeAll} (same events and result); otherwise changes nothing and returns
     * {@link StorageResult#NOT_APPLIED}.
     */
    public StorageResult removeAllIf(List<byte[]> keys, RecordCondition condition, Consumer<StorageEvent> events) {
        return condition.holds(entries) ? removeAll(keys, events) : StorageResult.NOT_APPLIED;
    }

    /** The keys in {@link ByteKey} order (snapshots). Loop thread only. */
    List<ByteKey> sortedKeys() {
        final List<ByteKey> keys = new ArrayList<>(entries.keySet());
        Collections.sort(keys);
        return keys;
    }

    /** The value of a key (loop thread), or {@code null}. */
    byte[] valueOf(ByteKey key) {
        return entries.get(key);
    }

    /**
     * Makes the entries equal to {@code target} (a restore), reporting the difference in key order:
     * REMOVED for keys not in {@code target}, UPDATED for changed values, INSERTED for new keys.
     * Readers see each key change atomically, not the replacement as a whole.
     */
    void replaceWith(Map<ByteKey, byte[]> target, Consumer<StorageEvent> events) {
        for (ByteKey key : sortedKeys()) {
            if (!target.containsKey(key)) {
                emit(events, StorageEvent.Type.REMOVED, key.bytes(), entries.remove(key), null);
            }
        }
        final List<ByteKey> targetKeys = new ArrayList<>(target.keySet());
        Collections.sort(targetKeys);
        for (ByteKey key : targetKeys) {
            final byte[] value = target.get(key);
            final byte[] old = entries.put(key, value);
            if (old == null) {
                emit(events, StorageEvent.Type.INSERTED, key.bytes(), null, value);
            } else if (!Arrays.equals(old, value)) {
                emit(events, StorageEvent.Type.UPDATED, key.bytes(), old, value);
            }
        }
    }

    private void emit(Consumer<StorageEvent> events, StorageEvent.Type type, byte[] key, byte[] oldValue,
                      byte[] newValue) {
        if (events != null) {
            events.accept(new StorageEvent(type, storageId, key, oldValue, newValue));
        }
    }

    private static StorageResult result(boolean applied, List<byte[]> keys, List<byte[]> values) {
        if (keys == null) {
            return applied ? StorageResult.EMPTY : StorageResult.NOT_APPLIED;
        }
        return new StorageResult(applied, Collections.unmodifiableList(keys), Collections.unmodifiableList(values),
                null);
    }

    @Override
    public String toString() {
        return "EntriesState{" + storageId + ", " + kind + ", " + entries.size() + " entries}";
    }
}
