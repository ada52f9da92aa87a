// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;

/**
 * Where a {@link RaftNode} puts every message it sends: the mirror image of
 * {@link RaftMessageHandler}. The implementation encodes each call into its own buffers (for
 * example straight into a claimed ring-buffer slot); arguments that are views ({@link EntryBatch},
 * {@code data}) are valid only during the call.
 *
 * <p>Contract: called on the loop thread; must not block; may drop a message when its budget is
 * full (Raft retransmits). The node has made everything a message depends on durable in its
 * {@link RaftLogs} before it calls a send method.
 */
public interface RaftOutbox {
    void sendVoteRequest(String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                         boolean leadershipTransfer);

    void sendVoteResponse(String to, long term, boolean granted, boolean preVote);

    void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                           EntryBatch entries);

    void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                   long conflictTerm, long conflictIndex);

    /**
     * AppendEntries carrying the leader's read-confirmation round (thesis §6.4, 0 = none): what
     * {@link RaftNode} calls. The default drops the round, so an outbox written before read rounds
     * existed keeps working, but then no linearizable read is ever confirmed through it.
     */
    default void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                   EntryBatch entries, long readRound) {
        sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries);
    }

    /**
     * The answer to AppendEntries, echoing the request's {@code readRound} (thesis §6.4): what
     * {@link RaftNode} calls. The default drops the round, like
     * {@link #sendAppendEntries(String, long, long, long, long, EntryBatch, long)}.
     */
    default void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex,
                                           long matchIndex, long conflictTerm, long conflictIndex, long readRound) {
        sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex);
    }

    /**
     * AppendEntries with the leader's number for this append ({@code appendId}), which the answer
     * echoes: what {@link RaftNode} calls. The default drops the number; then the leader cannot tell
     * which append a rejection answers and never lowers a match index because of one.
     */
    default void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                   EntryBatch entries, long readRound, long appendId) {
        sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound);
    }

    /**
     * The answer to AppendEntries naming the request it answers ({@code requestTerm}, {@code appendId}):
     * what {@link RaftNode} calls. The default drops both.
     */
    default void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex,
                                           long matchIndex, long conflictTerm, long conflictIndex, long readRound,
                                           long requestTerm, long appendId) {
        sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, readRound);
    }

    void sendInstallSnapshot(String to, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                             DirectBuffer data, int dataOffset, int dataLength, boolean done, long snapshotLength,
                             int checksum);

    void sendInstallSnapshotResponse(String to, long term, boolean success, long snapshotIndex, long nextOffset);

    void sendTimeoutNow(String to, long term);
}
