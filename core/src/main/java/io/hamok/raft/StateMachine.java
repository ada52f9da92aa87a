// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;

/**
 * What the Raft node applies committed entries to. Every replica applies the same entries in the
 * same order, so an implementation must be deterministic: the same commands give the same state,
 * with time taken only from {@code timestampMs} (the leader's clock carried in the entry), never
 * from a local clock.
 *
 * <p>Called on the loop thread only. Methods must not block.
 */
public interface StateMachine {
    /**
     * Applies one committed command. The payload bytes are valid only during the call.
     *
     * @param index       log index of the entry
     * @param term        term in which the entry was created
     * @param timestampMs creating leader's epoch milliseconds
     */
    void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length);

    /**
     * Exports the whole state as of the last applied entry. Called rarely (log compaction), so it
     * may allocate.
     */
    byte[] snapshot();

    /**
     * Replaces the whole state with a snapshot made by {@link #snapshot()} on some replica.
     *
     * <p>All or nothing: an implementation that cannot take the snapshot (it does not parse, it is
     * of another version) throws a {@code RuntimeException} <em>before</em> changing anything, e.g.
     * by building the new state aside and swapping it in last. The node restores before it replaces
     * its log, so after such a throw it goes on with its previous log and state, answers the leader
     * with a failure and counts it ({@link RaftRefusal#SNAPSHOT_RESTORE_FAILED}).
     *
     * @param index the last index the snapshot covers; the next {@link #apply} has {@code index + 1}
     */
    void restore(byte[] snapshot, long index);
}
