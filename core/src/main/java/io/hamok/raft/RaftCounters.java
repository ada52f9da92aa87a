// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * What a {@link RaftNode} counts instead of logging (the core never logs): refused inbound messages
 * by {@link RaftRefusal cause}, with the peer and the offending value of the latest of each cause,
 * and the elections it took part in as a candidate. The driver (the loop) reads them after its inputs
 * and logs them, rate-limited.
 *
 * <p>Plain fields, read on the thread that drives the node, except the election counts, which any
 * thread may read (volatile, written once per election). No allocation.
 */
public final class RaftCounters {
    private static final RaftRefusal[] CAUSES = RaftRefusal.values();

    private final long[] refused = new long[CAUSES.length];
    private final String[] lastFrom = new String[CAUSES.length];
    private final long[] lastValue = new long[CAUSES.length];
    private long refusedTotal;
    private RuntimeException lastRestoreFailure;
    private volatile long preVotesStarted;
    private volatile long electionsStarted;
    private volatile long electionsWon;

    /** Messages refused for {@code cause} since the node was created. */
    public long refused(RaftRefusal cause) {
        return refused[cause.ordinal()];
    }

    /** Messages refused for any cause since the node was created. */
    public long refusedTotal() {
        return refusedTotal;
    }

    /** The peer that sent the latest message refused for {@code cause}, or {@code null} when none was. */
    public String lastFrom(RaftRefusal cause) {
        return lastFrom[cause.ordinal()];
    }

    /**
     * The offending value of the latest message refused for {@code cause}: the term, index or length
     * out of range, the announced snapshot length, the chunk length, or the snapshot index.
     */
    public long lastValue(RaftRefusal cause) {
        return lastValue[cause.ordinal()];
    }

    /** What the state machine threw at the latest failed snapshot restore, or {@code null}. */
    public RuntimeException lastRestoreFailure() {
        return lastRestoreFailure;
    }

    /** Pre-vote rounds this node started (thesis §9.6): each may lead to an election or not. Any thread. */
    public long preVotesStarted() {
        return preVotesStarted;
    }

    /** Elections this node started as a candidate, each in a new term (paper §5.2). Any thread. */
    public long electionsStarted() {
        return electionsStarted;
    }

    /** Elections this node won: the times it became leader. Any thread. */
    public long electionsWon() {
        return electionsWon;
    }

    void preVoteStarted() {
        preVotesStarted++; // one writer, the driving thread: no lost update
    }

    void electionStarted() {
        electionsStarted++;
    }

    void electionWon() {
        electionsWon++;
    }

    void refuse(RaftRefusal cause, String from, long value) {
        final int i = cause.ordinal();
        refused[i]++;
        lastFrom[i] = from;
        lastValue[i] = value;
        refusedTotal++;
    }

    void restoreFailed(String from, long snapshotIndex, RuntimeException failure) {
        lastRestoreFailure = failure;
        refuse(RaftRefusal.SNAPSHOT_RESTORE_FAILED, from, snapshotIndex);
    }
}
