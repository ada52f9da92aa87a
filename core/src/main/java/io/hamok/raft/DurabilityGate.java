// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;


/**
 * Persist before send (paper Figure 2; etcd's Ready/Advance): the {@link RaftOutbox} a
 * {@link RaftNode} writes to. What a node says as voter or follower (vote requests and answers,
 * AppendEntries and InstallSnapshot answers) depends on its term, vote and entries being durable,
 * so such a message leaves only once every {@link RaftLogs} mutation made before it is durable
 * ({@link RaftLogs#durableSequence()}); until then it waits here, in order. What a leader sends its
 * followers (AppendEntries, InstallSnapshot, TimeoutNow) goes at once: the followers persist in
 * parallel with the leader, which counts its own log toward a commit only up to
 * {@link RaftLogs#durableIndex()}.
 *
 * <p>A log that is durable when its methods return (the in-memory one) never makes anything wait.
 * The messages that wait carry only numbers, kept in preallocated arrays that grow by doubling when
 * more wait than ever before: no allocation in steady state. Loop thread only.
 */
final class DurabilityGate implements RaftOutbox {
    private static final int VOTE_REQUEST = 0;
    private static final int VOTE_RESPONSE = 1;
    private static final int APPEND_RESPONSE = 2;
    private static final int SNAPSHOT_RESPONSE = 3;
    private static final int FIELDS = 10;

    private final RaftOutbox out;
    private final RaftLogs logs;
    private int[] kinds = new int[16];
    private String[] peers = new String[16];
    private long[] sequences = new long[16];
    private long[] fields = new long[16 * FIELDS];
    private int head;
    private int count;
    /** Test only (RaftNode.Breakage.SEND_BEFORE_DURABLE): nothing waits. */
    boolean broken;

    DurabilityGate(RaftOutbox out, RaftLogs logs) {
        this.out = out;
        this.logs = logs;
    }

    /** Sends every waiting message whose mutations are durable now, in order. */
    void release() {
        if (count == 0) {
            return;
        }
        final long durable = logs.durableSequence();
        while (count > 0 && sequences[head] <= durable) {
            send(head);
            peers[head] = null;
            head = (head + 1) & (kinds.length - 1);
            count--;
        }
    }

    /** Messages waiting for durability now. */
    int waiting() {
        return count;
    }

    // ------------------------------------------------------------------ leader to follower: at once

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries) {
        out.sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries);
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries, long readRound) {
        out.sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound);
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries, long readRound, long appendId) {
        out.sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound, appendId);
    }

    @Override
    public void sendInstallSnapshot(String to, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                    DirectBuffer data, int dataOffset, int dataLength, boolean done,
                                    long snapshotLength, int checksum) {
        out.sendInstallSnapshot(to, term, snapshotIndex, snapshotTerm, chunkOffset, data, dataOffset, dataLength, done,
                snapshotLength, checksum);
    }

    @Override
    public void sendTimeoutNow(String to, long term) {
        out.sendTimeoutNow(to, term);
    }

    // ------------------------------------------------------------------ voter and follower: once durable

    @Override
    public void sendVoteRequest(String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                                boolean leadershipTransfer) {
        if (mustWait()) {
            hold(VOTE_REQUEST, to, term, lastLogIndex, lastLogTerm, bit(preVote), bit(leadershipTransfer), 0, 0, 0, 0, 0);
        } else {
            out.sendVoteRequest(to, term, lastLogIndex, lastLogTerm, preVote, leadershipTransfer);
        }
    }

    @Override
    public void sendVoteResponse(String to, long term, boolean granted, boolean preVote) {
        if (mustWait()) {
            hold(VOTE_RESPONSE, to, term, bit(granted), bit(preVote), 0, 0, 0, 0, 0, 0, 0);
        } else {
            out.sendVoteResponse(to, term, granted, preVote);
        }
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex) {
        sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, 0, term, 0);
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
        if (mustWait()) {
            hold(APPEND_RESPONSE, to, term, bit(success), prevLogIndex, matchIndex, conflictTerm, conflictIndex,
                    readRound, requestTerm, appendId, 0);
        } else {
            out.sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex,
                    readRound, requestTerm, appendId);
        }
    }

    @Override
    public void sendInstallSnapshotResponse(String to, long term, boolean success, long snapshotIndex,
                                            long nextOffset) {
        if (mustWait()) {
            hold(SNAPSHOT_RESPONSE, to, term, bit(success), snapshotIndex, nextOffset, 0, 0, 0, 0, 0, 0);
        } else {
            out.sendInstallSnapshotResponse(to, term, success, snapshotIndex, nextOffset);
        }
    }

    // ------------------------------------------------------------------ the waiting messages

    /** A message waits while anything written before it is not durable, or another waits before it. */
    private boolean mustWait() {
        return !broken && (count > 0 || logs.durableSequence() < logs.writeSequence());
    }

    private void hold(int kind, String to, long term, long f1, long f2, long f3, long f4, long f5, long f6, long f7,
                      long f8, long f9) {
        if (count == kinds.length) {
            grow();
        }
        final int slot = (head + count) & (kinds.length - 1);
        kinds[slot] = kind;
        peers[slot] = to;
        sequences[slot] = logs.writeSequence();
        final int at = slot * FIELDS;
        fields[at] = term;
        fields[at + 1] = f1;
        fields[at + 2] = f2;
        fields[at + 3] = f3;
        fields[at + 4] = f4;
        fields[at + 5] = f5;
        fields[at + 6] = f6;
        fields[at + 7] = f7;
        fields[at + 8] = f8;
        fields[at + 9] = f9;
        count++;
    }

    private void send(int slot) {
        final String to = peers[slot];
        final int at = slot * FIELDS;
        final long term = fields[at];
        switch (kinds[slot]) {
            case VOTE_REQUEST -> out.sendVoteRequest(to, term, fields[at + 1], fields[at + 2], fields[at + 3] != 0,
                    fields[at + 4] != 0);
            case VOTE_RESPONSE -> out.sendVoteResponse(to, term, fields[at + 1] != 0, fields[at + 2] != 0);
            case APPEND_RESPONSE -> out.sendAppendEntriesResponse(to, term, fields[at + 1] != 0, fields[at + 2],
                    fields[at + 3], fields[at + 4], fields[at + 5], fields[at + 6], fields[at + 7], fields[at + 8]);
            default -> out.sendInstallSnapshotResponse(to, term, fields[at + 1] != 0, fields[at + 2], fields[at + 3]);
        }
    }

    /** Deliberate allocation: only when more messages wait than ever before. Keeps the order. */
    private void grow() {
        final int capacity = kinds.length * 2;
        final int[] k = new int[capacity];
        final String[] p = new String[capacity];
        final long[] s = new long[capacity];
        final long[] f = new long[capacity * FIELDS];
        for (int i = 0; i < count; i++) {
            final int from = (head + i) & (kinds.length - 1);
            k[i] = kinds[from];
            p[i] = peers[from];
            s[i] = sequences[from];
            System.arraycopy(fields, from * FIELDS, f, i * FIELDS, FIELDS);
        }
        kinds = k;
        peers = p;
        sequences = s;
        fields = f;
        head = 0;
    }

    private static long bit(boolean b) {
        return b ? 1 : 0;
    }

    @Override
    public String toString() {
        return "DurabilityGate{waiting=" + count + "}";
    }
}
