// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;

/**
 * Inbound Raft messages, one method per message type, with primitive arguments. The wire decoder
 * calls these; {@link RaftNode} implements them. Peer ids are the ids the connection or the
 * simulator already knows: implementations compare them with {@code equals}.
 *
 * <p>Called on the loop thread only.
 */
public interface RaftMessageHandler {
    /**
     * A request for a vote (or, with {@code preVote}, for a pre-vote: thesis §9.6).
     *
     * @param leadershipTransfer the candidate was told to campaign by the leader (thesis §3.10),
     *                           so voters skip leader stickiness
     */
    void onVoteRequest(String from, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                       boolean leadershipTransfer);

    /** The answer to a vote or pre-vote request. {@code term} is the voter's term. */
    void onVoteResponse(String from, long term, boolean granted, boolean preVote);

    /** AppendEntries (paper §5.3); no entries = heartbeat. */
    void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                         EntryBatch entries);

    /**
     * The answer to AppendEntries.
     *
     * @param prevLogIndex  the request's prevLogIndex, echoed so stale answers can be told apart
     * @param matchIndex    on success the last index known to match; on failure the follower's last index
     * @param conflictTerm  on failure the term of the follower's entry at prevLogIndex, 0 if it has none
     * @param conflictIndex on failure the first index of {@code conflictTerm} in the follower's log,
     *                      or its last index + 1 when its log is too short
     */
    void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                 long conflictTerm, long conflictIndex);

    /**
     * AppendEntries with the leader's read-confirmation round (thesis §6.4; 0 = none), which the
     * answer echoes. The wire decoder calls this one; the default drops the round.
     */
    default void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                 EntryBatch entries, long readRound) {
        onAppendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries);
    }

    /**
     * The answer to AppendEntries with the read round it echoes (thesis §6.4; 0 = none). The wire
     * decoder calls this one; the default drops the round.
     */
    default void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex,
                                         long matchIndex, long conflictTerm, long conflictIndex, long readRound) {
        onAppendEntriesResponse(from, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex);
    }

    /**
     * AppendEntries with the leader's number for this append ({@code appendId}, 0 = none), which
     * every answer echoes. The wire decoder calls this one; the default drops the number.
     */
    default void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                 EntryBatch entries, long readRound, long appendId) {
        onAppendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound);
    }

    /**
     * The answer to AppendEntries naming the request it answers: {@code requestTerm} is the term of
     * that request (the responder's own is {@code term}) and {@code appendId} its number (0 = not
     * known). The wire decoder calls this one; the default drops both.
     */
    default void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex,
                                         long matchIndex, long conflictTerm, long conflictIndex, long readRound,
                                         long requestTerm, long appendId) {
        onAppendEntriesResponse(from, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex,
                readRound);
    }

    /** One chunk of a snapshot (paper §7). {@code data} is valid only during the call. */
    void onInstallSnapshot(String from, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                           DirectBuffer data, int dataOffset, int dataLength, boolean done, long snapshotLength,
                           int checksum);

    /**
     * The answer to a snapshot chunk.
     *
     * @param nextOffset the next byte offset the follower expects; with {@code success == false} and 0 the
     *                   follower asks for the transfer to start over
     */
    void onInstallSnapshotResponse(String from, long term, boolean success, long snapshotIndex, long nextOffset);

    /** The leader asks this node to campaign now (thesis §3.10). */
    void onTimeoutNow(String from, long term);
}
