package io.hamok.state;

import java.util.ArrayList;
import java.util.List;

/**
 * What applying the current request produced (the same content as a {@link StorageResult}), in one
 * reused object: the state machine fills it for every request and hands it to
 * {@link ReplicatedStorages.Observer#onApplied}, so a replica that did not submit the request (and
 * so has nobody to answer) allocates no result at all.
 *
 * <p><b>Validity.</b> Only during the observer call: the next request overwrites it. To keep it, take
 * {@link #toResult()} or copy the arrays' references with {@link #key}/{@link #value}; the arrays
 * themselves are stored or former values, never modified, and may be kept.
 *
 * <p>Loop thread only; not thread-safe. No allocation in steady state (the two lists keep their
 * capacity).
 */
public final class ResultView {
    private final ArrayList<byte[]> keys = new ArrayList<>();
    private final ArrayList<byte[]> values = new ArrayList<>();
    private boolean applied;
    private String error;

    /** Starts a new result: applied, nothing in it. */
    public void reset() {
        applied = true;
        error = null;
        keys.clear();
        values.clear();
    }

    /** The request was refused for {@code reason}; nothing changed. */
    public void refuse(String reason) {
        reset();
        applied = false;
        error = reason;
    }

    /** The request's condition did not hold; nothing changed. */
    public void notApplied() {
        reset();
        applied = false;
    }

    public void add(byte[] key, byte[] value) {
        keys.add(key);
        values.add(value);
    }

    public void addKey(byte[] key) {
        keys.add(key);
    }

    /** A value without a key: the item a queue pop took (see {@link io.hamok.queue.QueueState}). */
    public void addValue(byte[] value) {
        values.add(value);
    }

    /** See {@link StorageResult#applied()}. */
    public boolean applied() {
        return applied;
    }

    /** See {@link StorageResult#error()}. */
    public String error() {
        return error;
    }

    public boolean isRefused() {
        return error != null;
    }

    public int keyCount() {
        return keys.size();
    }

    public byte[] key(int i) {
        return keys.get(i);
    }

    /**
     * Number of values: equal to {@link #keyCount()}, or 0 when the request type returns keys only, or
     * (a queue pop) 1 with no key.
     */
    public int valueCount() {
        return values.size();
    }

    public byte[] value(int i) {
        return values.get(i);
    }

    /** An immutable copy to keep (allocates, except for the shared constants of empty results). */
    public StorageResult toResult() {
        if (error != null) {
            return StorageResult.refused(error);
        }
        if (keys.isEmpty() && values.isEmpty()) {
            return applied ? StorageResult.EMPTY : StorageResult.NOT_APPLIED;
        }
        return new StorageResult(applied, List.copyOf(keys), List.copyOf(values), null);
    }

    @Override
    public String toString() {
        return "ResultView(applied=" + applied + ", " + keys.size() + " keys, error=" + error + ")";
    }
}
