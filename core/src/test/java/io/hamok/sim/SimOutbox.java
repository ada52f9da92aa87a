// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.RaftOutbox;
import org.agrona.DirectBuffer;

/**
 * The {@link RaftOutbox} of one simulated node: copies every message into an immutable
 * {@link SimMessage} and hands it to the {@link SimNetwork}, which decides whether, when and how
 * often it arrives.
 */
public final class SimOutbox implements RaftOutbox {
    private final String from;
    private final SimNetwork network;

    public SimOutbox(String from, SimNetwork network) {
        this.from = from;
        this.network = network;
    }

    @Override
    public void sendVoteRequest(String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                                boolean leadershipTransfer) {
        network.send(from, to, new SimMessage.VoteRequest(term, lastLogIndex, lastLogTerm, preVote, leadershipTransfer));
    }

    @Override
    public void sendVoteResponse(String to, long term, boolean granted, boolean preVote) {
        network.send(from, to, new SimMessage.VoteResponse(term, granted, preVote));
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries) {
        sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, 0);
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries, long readRound) {
        sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound, 0);
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries, long readRound, long appendId) {
        network.send(from, to, new SimMessage.AppendEntries(term, prevLogIndex, prevLogTerm, leaderCommit,
                CopiedEntryBatch.copyOf(entries), readRound, appendId));
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex) {
        sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, 0);
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex, long readRound) {
        sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, readRound,
                term, 0);
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex, long readRound, long requestTerm,
                                          long appendId) {
        network.send(from, to, new SimMessage.AppendEntriesResponse(term, success, prevLogIndex, matchIndex,
                conflictTerm, conflictIndex, readRound, requestTerm, appendId));
    }

    @Override
    public void sendInstallSnapshot(String to, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                    DirectBuffer data, int dataOffset, int dataLength, boolean done,
                                    long snapshotLength, int checksum) {
        final byte[] copy = new byte[dataLength];
        data.getBytes(dataOffset, copy);
        network.send(from, to, new SimMessage.InstallSnapshot(term, snapshotIndex, snapshotTerm, chunkOffset, copy,
                done, snapshotLength, checksum));
    }

    @Override
    public void sendInstallSnapshotResponse(String to, long term, boolean success, long snapshotIndex,
                                            long nextOffset) {
        network.send(from, to, new SimMessage.InstallSnapshotResponse(term, success, snapshotIndex, nextOffset));
    }

    @Override
    public void sendTimeoutNow(String to, long term) {
        network.send(from, to, new SimMessage.TimeoutNow(term));
    }
}
