// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * Test-only door into {@link RaftNode}: switches on deliberate safety bugs so that a test can show
 * the simulation's invariants catch them ("test of the test").
 */
public final class RaftTestAccess {
    private RaftTestAccess() {
    }

    /** Followers accept AppendEntries without checking prevLogIndex/prevLogTerm (breaks paper §5.3). */
    public static void skipPrevLogCheck(RaftNode node) {
        node.breakage = RaftNode.Breakage.SKIP_PREV_LOG_CHECK;
    }

    /** Candidates count vote grants that answer an older term (breaks paper §5.2). */
    public static void countStaleVotes(RaftNode node) {
        node.breakage = RaftNode.Breakage.COUNT_STALE_VOTES;
    }

    /** Leaders commit entries of older terms by counting replicas (breaks paper §5.4.2, Figure 8). */
    public static void commitOldTermByCounting(RaftNode node) {
        node.breakage = RaftNode.Breakage.COMMIT_OLD_TERM_BY_COUNTING;
    }

    /**
     * Leaders change the membership before they committed an entry of their own term (the
     * single-server change bug, raft-dev 2015; thesis §4.1 errata).
     */
    public static void changeBeforeTermCommit(RaftNode node) {
        node.breakage = RaftNode.Breakage.CHANGE_BEFORE_TERM_COMMIT;
    }

    /**
     * Nodes send votes and answers before the log mutations they depend on are durable: the
     * {@code DurabilityGate} lets everything through (breaks paper Figure 2, persist before send).
     */
    public static void sendBeforeDurable(RaftNode node) {
        node.breakage = RaftNode.Breakage.SEND_BEFORE_DURABLE;
        node.gate.broken = true;
    }
}
