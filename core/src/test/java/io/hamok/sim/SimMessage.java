// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.RaftMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An immutable Raft message on the simulated network: one record per message type, holding copies
 * of everything the sender passed (views included). {@link #deliverTo} calls the matching
 * {@code on*} method of the receiver, so a duplicated message can be delivered again.
 */
public sealed interface SimMessage {
    /** The sender's term, for filters and failure messages. */
    long term();

    /** Calls the receiver's handler for this message. */
    void deliverTo(String from, RaftMessageHandler to);

    /** RequestVote or pre-vote. */
    record VoteRequest(long term, long lastLogIndex, long lastLogTerm, boolean preVote, boolean leadershipTransfer)
            implements SimMessage {
        @Override
        public void deliverTo(String from, RaftMessageHandler to) {
            to.onVoteRequest(from, term, lastLogIndex, lastLogTerm, preVote, leadershipTransfer);
        }
    }

    /** The answer to a (pre-)vote request. */
    record VoteResponse(long term, boolean granted, boolean preVote) implements SimMessage {
        @Override
        public void deliverTo(String from, RaftMessageHandler to) {
            to.onVoteResponse(from, term, granted, preVote);
        }
    }

    /** AppendEntries with the leader's read round and append id; {@code entries} is a copy. */
    record AppendEntries(long term, long prevLogIndex, long prevLogTerm, long leaderCommit, CopiedEntryBatch entries,
                         long readRound, long appendId) implements SimMessage {
        @Override
        public void deliverTo(String from, RaftMessageHandler to) {
            to.onAppendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound, appendId);
        }
    }

    /** The answer to AppendEntries, echoing the request's read round, term and append id. */
    record AppendEntriesResponse(long term, boolean success, long prevLogIndex, long matchIndex, long conflictTerm,
                                 long conflictIndex, long readRound, long requestTerm, long appendId)
            implements SimMessage {
        @Override
        public void deliverTo(String from, RaftMessageHandler to) {
            to.onAppendEntriesResponse(from, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex,
                    readRound, requestTerm, appendId);
        }
    }

    /** One snapshot chunk; {@code data} is a copy of the chunk's bytes and is never modified. */
    record InstallSnapshot(long term, long snapshotIndex, long snapshotTerm, long chunkOffset, byte[] data,
                           boolean done, long snapshotLength, int checksum) implements SimMessage {
        @Override
        public void deliverTo(String from, RaftMessageHandler to) {
            to.onInstallSnapshot(from, term, snapshotIndex, snapshotTerm, chunkOffset, new UnsafeBuffer(data), 0,
                    data.length, done, snapshotLength, checksum);
        }
    }

    /** The answer to a snapshot chunk. */
    record InstallSnapshotResponse(long term, boolean success, long snapshotIndex, long nextOffset)
            implements SimMessage {
        @Override
        public void deliverTo(String from, RaftMessageHandler to) {
            to.onInstallSnapshotResponse(from, term, success, snapshotIndex, nextOffset);
        }
    }

    /** The leader's request to campaign at once (leadership transfer). */
    record TimeoutNow(long term) implements SimMessage {
        @Override
        public void deliverTo(String from, RaftMessageHandler to) {
            to.onTimeoutNow(from, term);
        }
    }
}
