// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * The voter's half of elections in a {@link RaftNode}: answers (pre-)vote requests with leader
 * stickiness (thesis §4.2.3), the up-to-date rule (paper §5.4.1), pre-votes that change nothing
 * (thesis §9.6), a vote made durable before the answer leaves (paper Figure 2, through the node's
 * durability gate), the empty-log guard (issue 8) and whether a TimeoutNow starts an election
 * (thesis §3.10). Lives as long as its node; loop thread only.
 */
final class Voter {
    private final RaftNode node;
    private final RaftLogs logs;
    /** The empty-log guard is on (see {@link #mayVote}); kept in the log so that it survives restarts. */
    private boolean guarded;

    /**
     * A node that boots with no durable state (term 0, no entry, no snapshot) cannot tell a new
     * cluster from a running one whose state it lost, so it is guarded, unless the operator says
     * otherwise ({@link RaftConfig#skipEmptyLogGuard()}). The flag is stored before anything else
     * this node writes, so whatever it makes durable later (a term adopted from a refused pre-vote)
     * is never found on disk without it.
     */
    Voter(RaftNode node) {
        this.node = node;
        this.logs = node.logs;
        final boolean bootedWithoutState = logs.currentTerm() == 0 && logs.lastIndex() == 0 && logs.snapshot() == null;
        this.guarded = !node.config.skipEmptyLogGuard() && (bootedWithoutState || logs.emptyLogGuard());
        if (guarded != logs.emptyLogGuard()) {
            logs.storeEmptyLogGuard(guarded);
        }
    }

    void onVoteRequest(String from, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                       boolean leadershipTransfer) {
        if (!node.checks.voteRequest(from, term, lastLogIndex, lastLogTerm)) {
            return;
        }
        // Leader stickiness (thesis §4.2.3): while a leader is heard from, ignore disruptive votes.
        if (!leadershipTransfer && term > node.term() && inLeaderLease()) {
            node.outbox.sendVoteResponse(from, node.term(), false, preVote);
            return;
        }
        if (term < node.term()) {
            node.outbox.sendVoteResponse(from, node.term(), false, preVote);
            return;
        }
        if (preVote) {
            // Pre-vote (thesis §9.6): answer as if for a real vote, change nothing.
            final boolean grant = isUpToDate(lastLogIndex, lastLogTerm) && mayVote(lastLogIndex, lastLogTerm);
            node.outbox.sendVoteResponse(from, grant ? term : node.term(), grant, true);
            return;
        }
        if (term > node.term()) {
            node.becomeFollower(term, null);
        }
        final String votedFor = logs.votedFor();
        final boolean grant = (votedFor == null || votedFor.equals(from)) && isUpToDate(lastLogIndex, lastLogTerm)
                && mayVote(lastLogIndex, lastLogTerm);
        if (grant) {
            // Paper Figure 2: the vote is durable before the answer leaves.
            logs.storeTermAndVote(node.term(), from);
            node.resetElectionDeadline();
        }
        node.outbox.sendVoteResponse(from, node.term(), grant, false);
    }

    /**
     * Thesis §3.10: the leader tells this caught-up voter to campaign at once. Honoured only by a
     * follower that follows {@code from} in {@code term} and heard from it within
     * {@code followerMaxIdleMs}: a TimeoutNow that arrives late (the transfer was abandoned, the
     * target lost touch with the leader and became a pre-candidate, or restarted) would otherwise
     * start a transfer election, which voters do not refuse for stickiness, and depose a healthy
     * leader. A refused TimeoutNow is counted ({@link RaftRefusal#STALE_TIMEOUT_NOW}).
     */
    void onTimeoutNow(String from, long term) {
        if (!node.checks.term(from, term)) {
            return;
        }
        if (term < node.term()) {
            node.counters.refuse(RaftRefusal.STALE_TIMEOUT_NOW, from, term);
            return;
        }
        if (term > node.term()) {
            node.becomeFollower(term, from); // a leader of a newer term exists; this node never heard it lead
            node.counters.refuse(RaftRefusal.STALE_TIMEOUT_NOW, from, term);
            return;
        }
        final boolean fromCurrentLeader = node.role() == RaftRole.FOLLOWER && from.equals(node.leaderId())
                && node.nowNs - node.lastLeaderContactNs < node.followerMaxIdleNs;
        if (!fromCurrentLeader || !node.canCampaign()) {
            node.counters.refuse(RaftRefusal.STALE_TIMEOUT_NOW, from, term);
            return;
        }
        node.campaign(true);
    }

    /** Stickiness relies on check-quorum to depose a leader that lost its quorum (thesis §4.2.3, §6.2). */
    boolean inLeaderLease() {
        return node.config.checkQuorum()
                && (node.role() == RaftRole.LEADER || (node.leaderId() != null
                && node.nowNs - node.lastLeaderContactNs < node.followerMaxIdleNs));
    }

    /**
     * The empty-log guard (issue 8). A guarded node may have helped commit entries it no longer holds
     * (a wiped disk, an in-memory log restarted under the same id): its vote could elect a candidate
     * that lacks them. So it votes only while its log is empty and only for a candidate whose log is
     * empty too (a new cluster still elects its first leader; a running cluster's candidates all hold
     * entries). With {@link RaftConfig#neverVoteWhileEmpty()} a node with an empty log votes for nobody.
     */
    private boolean mayVote(long candidateLastIndex, long candidateLastTerm) {
        if (node.config.neverVoteWhileEmpty() && (guarded || logEmpty())) {
            return false;
        }
        return !guarded || (logEmpty() && candidateLastIndex == 0 && candidateLastTerm == 0);
    }

    /** A guarded node campaigns only while its log is empty: with a partial log its own vote is unsafe too. */
    boolean mayCampaign() {
        if (node.config.neverVoteWhileEmpty() && (guarded || logEmpty())) {
            return false;
        }
        return !guarded || logEmpty();
    }

    /**
     * Ends the guard once this node holds the log of the leader of its term up to {@code lastMatched}
     * (log matching), that entry is of the leader's own term, and it is at or after the leader's
     * commit index: the node then holds every entry committed before this term (the leader holds them
     * all, before its own entries, paper §5.4) and every entry the leader knew committed in it (see
     * also {@link #onElected}). The clear is a mutation after the entries it relies on, so it is never
     * durable without them; a crash between the two leaves the node guarded with that log until a
     * leader's next append.
     */
    void onLeaderLog(long lastMatched, long leaderCommit) {
        if (guarded && lastMatched >= leaderCommit && lastMatched > 0 && logs.termAt(lastMatched) == node.term()) {
            guarded = false;
            logs.storeEmptyLogGuard(false);
        }
    }

    /**
     * A guarded node that wins an election with an empty log was elected by a majority of voters with
     * empty logs (every other voter refuses an empty candidate): a new cluster, unless that majority
     * lost its state or never received the log (which no local rule can tell apart; see
     * docs/design.md §4.9). The guard ends, and is cleared before the leader's no-op is written, so
     * that no crash can keep the no-op without the clear (the node would then restart guarded with a
     * log, and neither vote nor campaign).
     */
    void onElected() {
        if (guarded && logEmpty()) {
            guarded = false;
            logs.storeEmptyLogGuard(false);
        }
    }

    boolean guarded() {
        return guarded;
    }

    boolean logEmpty() {
        return logs.lastIndex() == 0 && logs.snapshotIndex() == 0;
    }

    /** Paper §5.4.1: the candidate's log ends in a later term, or the same term and at least as far. */
    private boolean isUpToDate(long lastLogIndex, long lastLogTerm) {
        final long myLastIndex = logs.lastIndex();
        final long myLastTerm = logs.termAt(myLastIndex);
        return lastLogTerm > myLastTerm || (lastLogTerm == myLastTerm && lastLogIndex >= myLastIndex);
    }
}
