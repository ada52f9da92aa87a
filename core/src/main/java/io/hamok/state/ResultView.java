// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
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
    // Added for the remote map: a mutation is answered by a later entry (its execution's outcome)
    private boolean deferred;
    private String answersSource;
    private long answersRequestId;

    /** Starts a new result: applied, nothing in it. */
    public void reset() {
        applied = true;
        error = null;
        deferred = false;
        answersSource = null;
        answersRequestId = 0;
        keys.clear();
        values.clear();
    }

    /** The request is committed, but its outcome comes with a later entry: its requester keeps waiting. */
    public void defer() {
        reset();
        deferred = true;
    }

    /** This result is the answer to the earlier request ({@code sourceId}, {@code requestId}), not to this entry's. */
    public void answer(String sourceId, long requestId) {
        answersSource = sourceId;
        answersRequestId = requestId;
    }

    /**
     * Whether the request was committed but will be answered by a later entry (a remote map's mutation,
     * answered when the leader's outcome of executing it is applied): not an answer yet.
     */
    public boolean deferred() {
        return deferred;
    }

    /** The source id of the earlier request this result answers, or {@code null} when it answers the applied request itself. */
    public String answersSource() {
        return answersSource;
    }

    /** The request id of the earlier request this result answers (see {@link #answersSource()}). */
    public long answersRequestId() {
        return answersRequestId;
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
        return "ResultView(applied=" + applied + ", " + keys.size() + " keys, error=" + error
                + (deferred ? ", deferred" : "") + (answersSource != null ? ", answers " + answersSource + "#"
                + answersRequestId : "") + ")";
    }
}
