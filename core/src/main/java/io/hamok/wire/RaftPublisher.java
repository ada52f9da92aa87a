// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.RaftOutbox;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Objects;

/**
 * A {@link RaftOutbox} that encodes every message with {@link RaftWireEncoder} into one reusable
 * scratch buffer and hands the bytes to a {@link FrameSink}. No allocation once the scratch buffer
 * has grown to the largest message sent.
 *
 * <p>Not thread-safe: belongs to the loop thread of its node.
 */
public final class RaftPublisher implements RaftOutbox {
    private final RaftWireEncoder encoder = new RaftWireEncoder();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64 * 1024);
    private final FrameSink sink;

    public RaftPublisher(FrameSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public void sendVoteRequest(String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                                boolean leadershipTransfer) {
        emit(to, encoder.encodeVoteRequest(scratch, 0, term, lastLogIndex, lastLogTerm, preVote, leadershipTransfer));
    }

    @Override
    public void sendVoteResponse(String to, long term, boolean granted, boolean preVote) {
        emit(to, encoder.encodeVoteResponse(scratch, 0, term, granted, preVote));
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
        emit(to, encoder.encodeAppendEntries(scratch, 0, term, prevLogIndex, prevLogTerm, leaderCommit, entries,
                readRound, appendId));
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
                0, 0);
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex, long readRound, long requestTerm,
                                          long appendId) {
        emit(to, encoder.encodeAppendEntriesResponse(scratch, 0, term, success, prevLogIndex, matchIndex,
                conflictTerm, conflictIndex, readRound, requestTerm, appendId));
    }

    @Override
    public void sendInstallSnapshot(String to, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                    DirectBuffer data, int dataOffset, int dataLength, boolean done,
                                    long snapshotLength, int checksum) {
        emit(to, encoder.encodeInstallSnapshot(scratch, 0, term, snapshotIndex, snapshotTerm, chunkOffset, data,
                dataOffset, dataLength, done, snapshotLength, checksum));
    }

    @Override
    public void sendInstallSnapshotResponse(String to, long term, boolean success, long snapshotIndex,
                                            long nextOffset) {
        emit(to, encoder.encodeInstallSnapshotResponse(scratch, 0, term, success, snapshotIndex, nextOffset));
    }

    @Override
    public void sendTimeoutNow(String to, long term) {
        emit(to, encoder.encodeTimeoutNow(scratch, 0, term));
    }

    private void emit(String to, int length) {
        sink.onFrame(to, scratch, 0, length);
    }
}
