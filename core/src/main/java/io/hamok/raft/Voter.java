package io.hamok.raft;

/**
 * The voter's half of elections in a {@link RaftNode}: answers (pre-)vote requests with leader
 * stickiness (thesis §4.2.3), the up-to-date rule (paper §5.4.1), pre-votes that change nothing
 * (thesis §9.6), a vote made durable before the answer leaves (paper Figure 2, through the node's
 * durability gate) and the empty-log guard (issue 8). Lives as long as its node; loop thread only.
 */
final class Voter {
    private final RaftNode node;
    private final RaftLogs logs;
    /** Booted with term 0 and an empty log: a new cluster, or lost state (see mayVoteWhileEmpty). */
    private final boolean bootedWithoutState;

    Voter(RaftNode node, boolean bootedWithoutState) {
        this.node = node;
        this.logs = node.logs;
        this.bootedWithoutState = bootedWithoutState;
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
            final boolean grant = isUpToDate(lastLogIndex, lastLogTerm) && mayVoteWhileEmpty(lastLogIndex, lastLogTerm);
            node.outbox.sendVoteResponse(from, grant ? term : node.term(), grant, true);
            return;
        }
        if (term > node.term()) {
            node.becomeFollower(term, null);
        }
        final String votedFor = logs.votedFor();
        final boolean grant = (votedFor == null || votedFor.equals(from)) && isUpToDate(lastLogIndex, lastLogTerm)
                && mayVoteWhileEmpty(lastLogIndex, lastLogTerm);
        if (grant) {
            // Paper Figure 2: the vote is durable before the answer leaves.
            logs.storeTermAndVote(node.term(), from);
            node.resetElectionDeadline();
        }
        node.outbox.sendVoteResponse(from, node.term(), grant, false);
    }

    /** Stickiness relies on check-quorum to depose a leader that lost its quorum (thesis §4.2.3, §6.2). */
    boolean inLeaderLease() {
        return node.config.checkQuorum()
                && (node.role() == RaftRole.LEADER || (node.leaderId() != null
                && node.nowNs - node.lastLeaderContactNs < node.followerMaxIdleNs));
    }

    /**
     * The empty-log guard (issue 8). A node that boots with no durable state at all (term 0, no entry,
     * no snapshot) cannot tell a new cluster from a running one whose state it lost (a wiped disk, an
     * in-memory log restarted under the same id): its vote could elect a candidate that lacks entries
     * this node helped commit. So until it holds a log, it votes only for a candidate whose log is
     * empty too (a new cluster still elects its first leader). A node with a durable term but an empty
     * log votes as usual: it never durably held an entry (acknowledgements wait for durability, and
     * only uncommitted entries are ever truncated), so its vote cannot drop a committed one. With
     * {@link RaftConfig#neverVoteWhileEmpty()} an empty node votes for nobody and does not campaign
     * until a leader has given it a log or a snapshot.
     */
    private boolean mayVoteWhileEmpty(long candidateLastIndex, long candidateLastTerm) {
        if (!logEmpty()) {
            return true;
        }
        if (node.config.neverVoteWhileEmpty()) {
            return false;
        }
        return !bootedWithoutState || (candidateLastIndex == 0 && candidateLastTerm == 0);
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
