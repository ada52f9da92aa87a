// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftMessageHandler;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;

/**
 * A handler that copies everything it receives (entries and snapshot data included) so a test can
 * compare it with the generated parser's view of the same bytes. Allocates freely: not for the
 * allocation test.
 */
final class RecordingHandler implements RaftMessageHandler {
    enum Kind {
        NONE, VOTE_REQUEST, VOTE_RESPONSE, APPEND_ENTRIES, APPEND_ENTRIES_RESPONSE, INSTALL_SNAPSHOT,
        INSTALL_SNAPSHOT_RESPONSE, TIMEOUT_NOW
    }

    /** One decoded entry, copied out of the frame. */
    record Entry(long term, long timestampMs, byte type, byte[] payload) {
    }

    private final LogEntryView view = new LogEntryView();

    Kind kind = Kind.NONE;
    int calls;
    String from;
    long term;
    long lastLogIndex;
    long lastLogTerm;
    boolean preVote;
    boolean leadershipTransfer;
    boolean success;
    long prevLogIndex;
    long prevLogTerm;
    long leaderCommit;
    long matchIndex;
    long conflictTerm;
    long conflictIndex;
    long snapshotIndex;
    long snapshotTerm;
    long chunkOffset;
    byte[] data;
    boolean done;
    long snapshotLength;
    int checksum;
    long readRound;
    long requestTerm;
    long appendId;
    final List<Entry> entries = new ArrayList<>();

    void reset() {
        kind = Kind.NONE;
        calls = 0;
        entries.clear();
    }

    @Override
    public void onVoteRequest(String from, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                              boolean leadershipTransfer) {
        record(Kind.VOTE_REQUEST, from, term);
        this.lastLogIndex = lastLogIndex;
        this.lastLogTerm = lastLogTerm;
        this.preVote = preVote;
        this.leadershipTransfer = leadershipTransfer;
    }

    @Override
    public void onVoteResponse(String from, long term, boolean granted, boolean preVote) {
        record(Kind.VOTE_RESPONSE, from, term);
        this.success = granted;
        this.preVote = preVote;
    }

    @Override
    public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                EntryBatch batch) {
        throw new AssertionError("the decoder must call the overload with the read round");
    }

    @Override
    public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                EntryBatch batch, long readRound) {
        throw new AssertionError("the decoder must call the overload with the append id");
    }

    @Override
    public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                EntryBatch batch, long readRound, long appendId) {
        record(Kind.APPEND_ENTRIES, from, term);
        this.readRound = readRound;
        this.appendId = appendId;
        this.prevLogIndex = prevLogIndex;
        this.prevLogTerm = prevLogTerm;
        this.leaderCommit = leaderCommit;
        for (int i = 0; i < batch.count(); i++) {
            final LogEntryView entry = batch.read(i, view);
            final byte[] payload = new byte[entry.payloadLength()];
            entry.payload().getBytes(0, payload);
            entries.add(new Entry(entry.term(), entry.timestampMs(), entry.type(), payload));
        }
    }

    @Override
    public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                        long conflictTerm, long conflictIndex) {
        throw new AssertionError("the decoder must call the overload with the read round");
    }

    @Override
    public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                        long conflictTerm, long conflictIndex, long readRound) {
        throw new AssertionError("the decoder must call the overload with the request term and append id");
    }

    @Override
    public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                        long conflictTerm, long conflictIndex, long readRound, long requestTerm,
                                        long appendId) {
        record(Kind.APPEND_ENTRIES_RESPONSE, from, term);
        this.readRound = readRound;
        this.requestTerm = requestTerm;
        this.appendId = appendId;
        this.success = success;
        this.prevLogIndex = prevLogIndex;
        this.matchIndex = matchIndex;
        this.conflictTerm = conflictTerm;
        this.conflictIndex = conflictIndex;
    }

    @Override
    public void onInstallSnapshot(String from, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                  DirectBuffer data, int dataOffset, int dataLength, boolean done,
                                  long snapshotLength, int checksum) {
        record(Kind.INSTALL_SNAPSHOT, from, term);
        this.snapshotIndex = snapshotIndex;
        this.snapshotTerm = snapshotTerm;
        this.chunkOffset = chunkOffset;
        this.data = new byte[dataLength];
        data.getBytes(dataOffset, this.data);
        this.done = done;
        this.snapshotLength = snapshotLength;
        this.checksum = checksum;
    }

    @Override
    public void onInstallSnapshotResponse(String from, long term, boolean success, long snapshotIndex,
                                          long nextOffset) {
        record(Kind.INSTALL_SNAPSHOT_RESPONSE, from, term);
        this.success = success;
        this.snapshotIndex = snapshotIndex;
        this.chunkOffset = nextOffset;
    }

    @Override
    public void onTimeoutNow(String from, long term) {
        record(Kind.TIMEOUT_NOW, from, term);
    }

    private void record(Kind kind, String from, long term) {
        this.kind = kind;
        this.calls++;
        this.from = from;
        this.term = term;
    }

    /** Asserts that the one recorded call carries exactly what the generated parser read in {@code m}. */
    void assertMatches(HamokMessage m) {
        assertEquals(1, calls, "handler calls");
        assertEquals(kindOf(m.getTypeValue()), kind, "kind");
        assertEquals(m.getTerm(), term, "term");
        switch (kind) {
            case VOTE_REQUEST -> {
                assertEquals(m.getTypeValue() == MessageType.RAFT_PRE_VOTE_REQUEST_VALUE, preVote, "preVote");
                assertEquals(m.getLastLogIndex(), lastLogIndex, "lastLogIndex");
                assertEquals(m.getLastLogTerm(), lastLogTerm, "lastLogTerm");
                assertEquals(m.getLeadershipTransfer(), leadershipTransfer, "leadershipTransfer");
            }
            case VOTE_RESPONSE -> {
                assertEquals(m.getTypeValue() == MessageType.RAFT_PRE_VOTE_RESPONSE_VALUE, preVote, "preVote");
                assertEquals(m.getSuccess(), success, "granted");
            }
            case APPEND_ENTRIES -> assertAppendEntriesMatches(m);
            case APPEND_ENTRIES_RESPONSE -> {
                assertEquals(m.getSuccess(), success, "success");
                assertEquals(m.getPrevLogIndex(), prevLogIndex, "prevLogIndex");
                assertEquals(m.getMatchIndex(), matchIndex, "matchIndex");
                assertEquals(m.getConflictTerm(), conflictTerm, "conflictTerm");
                assertEquals(m.getConflictIndex(), conflictIndex, "conflictIndex");
                assertEquals(m.getReadRound(), readRound, "readRound");
                assertEquals(m.getRequestTerm(), requestTerm, "requestTerm");
                assertEquals(m.getRequestId(), appendId, "appendId");
            }
            case INSTALL_SNAPSHOT -> {
                assertEquals(m.getSnapshotIndex(), snapshotIndex, "snapshotIndex");
                assertEquals(m.getSnapshotTerm(), snapshotTerm, "snapshotTerm");
                assertEquals(m.getChunkOffset(), chunkOffset, "chunkOffset");
                assertArrayEquals(m.getData().toByteArray(), data, "data");
                assertEquals(m.getDone(), done, "done");
                assertEquals(m.getSnapshotLength(), snapshotLength, "snapshotLength");
                assertEquals(m.getChecksum(), checksum, "checksum");
            }
            case INSTALL_SNAPSHOT_RESPONSE -> {
                assertEquals(m.getSuccess(), success, "success");
                assertEquals(m.getSnapshotIndex(), snapshotIndex, "snapshotIndex");
                assertEquals(m.getChunkOffset(), chunkOffset, "nextOffset");
            }
            default -> {
                // TIMEOUT_NOW: term only
            }
        }
    }

    private void assertAppendEntriesMatches(HamokMessage m) {
        assertEquals(m.getPrevLogIndex(), prevLogIndex, "prevLogIndex");
        assertEquals(m.getPrevLogTerm(), prevLogTerm, "prevLogTerm");
        assertEquals(m.getLeaderCommit(), leaderCommit, "leaderCommit");
        assertEquals(m.getReadRound(), readRound, "readRound");
        assertEquals(m.getRequestId(), appendId, "appendId");
        assertEquals(m.getEntriesCount(), entries.size(), "entry count");
        for (int i = 0; i < entries.size(); i++) {
            final LogEntry expected = m.getEntries(i);
            final Entry actual = entries.get(i);
            assertEquals(expected.getTerm(), actual.term(), "entry term " + i);
            assertEquals(expected.getTimestampMs(), actual.timestampMs(), "entry timestampMs " + i);
            assertEquals(expected.getTypeValue(), actual.type(), "entry type " + i);
            assertArrayEquals(expected.getPayload().toByteArray(), actual.payload(), "entry payload " + i);
        }
    }

    static Kind kindOf(int typeValue) {
        return switch (typeValue) {
            case MessageType.RAFT_VOTE_REQUEST_VALUE, MessageType.RAFT_PRE_VOTE_REQUEST_VALUE -> Kind.VOTE_REQUEST;
            case MessageType.RAFT_VOTE_RESPONSE_VALUE, MessageType.RAFT_PRE_VOTE_RESPONSE_VALUE -> Kind.VOTE_RESPONSE;
            case MessageType.RAFT_APPEND_ENTRIES_REQUEST_VALUE -> Kind.APPEND_ENTRIES;
            case MessageType.RAFT_APPEND_ENTRIES_RESPONSE_VALUE -> Kind.APPEND_ENTRIES_RESPONSE;
            case MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST_VALUE -> Kind.INSTALL_SNAPSHOT;
            case MessageType.RAFT_INSTALL_SNAPSHOT_RESPONSE_VALUE -> Kind.INSTALL_SNAPSHOT_RESPONSE;
            case MessageType.RAFT_TIMEOUT_NOW_VALUE -> Kind.TIMEOUT_NOW;
            default -> Kind.NONE;
        };
    }
}
