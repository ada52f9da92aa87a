// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.Membership;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The Raft safety properties (paper Figure 3), checked incrementally after every step of a
 * simulation (and, for the log, at every change of a log):
 * <ol type="a">
 *   <li>at most one leader per term (every leader ever seen is remembered with its term), and a
 *       leader of term T holds durable votes of term T from a quorum of its configuration's
 *       voters (every vote that ever became durable is remembered; with a write-behind
 *       {@link SimDisk} a vote counts from its sync on, so a grant sent before its vote was durable
 *       shows here);</li>
 *   <li>log matching: every entry any log ever stored is remembered by (index, term) with its
 *       content hash and the term of the entry before it; another entry with the same index and
 *       term must have the same content and the same predecessor term, which by induction makes
 *       the logs identical up to that index; a node never truncates at or below its commit index;</li>
 *   <li>leader completeness: a new leader of term T holds every entry known to be committed in a
 *       term before T, unless it is compacted into its snapshot;</li>
 *   <li>state machine safety: no two nodes commit or apply different entries at one index, the
 *       applied histories (hashes) agree, and a proposal id is applied at one index only (so at
 *       most once per node);</li>
 *   <li>the commit index of a node never decreases (per incarnation), nor passes the applied index;</li>
 *   <li>durability: when a leader's commit index moves to c, the entry it holds at c is durable on
 *       a quorum of the voters of the configuration in force at that moment (in their durable logs,
 *       or covered by their durable snapshots), so that no crash, not even of every node at once, can
 *       lose a committed entry;</li>
 *   <li>addresses (only when the cluster gives its members addresses): every configuration a node
 *       uses carries each of its members' addresses and no other;</li>
 *   <li>configuration changes one at a time (thesis §4.1): a configuration a leader appends in its
 *       term differs from the one before by one member at most (added as learner, promoted, or
 *       removed), the one before was committed on that leader, and so was an entry of its term.</li>
 * </ol>
 * A crash with a write-behind {@link SimDisk} rolls a node's log back to its durable prefix. That is
 * allowed: the log matching facts are about entries ever stored (an entry index and term still
 * names one content), commits and applies are checked per incarnation, and leader completeness is
 * checked on the logs as the new leaders hold them. Losing a committed entry from every node that
 * could be elected shows as a leader completeness violation, and (f) shows the cause earlier: the
 * entry was counted as committed before a quorum held it durably.
 * A broken property throws an {@link InvariantViolation} naming nodes, indexes, terms and time.
 * Each check costs O(1) per entry stored, committed or applied; only a new leader's completeness
 * check walks the committed entries its log holds.
 */
public final class Invariants {
    /** Returned by the queries for an index or proposal nothing is known about. */
    public static final long NONE = Long.MIN_VALUE;

    private record IndexTerm(long index, long term) {
    }

    private record EntryFacts(long prevTerm, long contentHash, String node) {
    }

    private record Ballot(long term, String voter) {
    }

    /** What is known about one incarnation of a node. */
    private static final class Watch {
        /** The configuration last checked for addresses (by identity: configurations are immutable). */
        Membership lastMembership;
        long lastCommit;
        long recordedUpTo;
        long leaderTerm = -1;
        /** (h): the term this node led at its last step (-1: it did not lead), and its configuration then. */
        long configTerm = -1;
        long configIndex;
        Membership config;
        /** (h): the latest term in which this node, leading, had committed an entry of that term. */
        long committedOwnTerm = -1;
        /** The configuration the node used at the end of its previous step, and that configuration's index. */
        Membership stepConfig;
        long stepConfigIndex;
    }

    private final SimClock clock;
    private final Long2ObjectHashMap<String> leaderOfTerm = new Long2ObjectHashMap<>();
    private final Map<Ballot, String> votes = new HashMap<>();
    private final Map<IndexTerm, EntryFacts> entries = new HashMap<>();
    private final Long2LongHashMap committedTerm = new Long2LongHashMap(NONE);
    private final Long2LongHashMap commitSeenInTerm = new Long2LongHashMap(NONE);
    private final Long2ObjectHashMap<String> committedBy = new Long2ObjectHashMap<>();
    private final Long2LongHashMap appliedProposalAt = new Long2LongHashMap(NONE);
    private final Long2LongHashMap appliedHashAt = new Long2LongHashMap(NONE);
    private final Long2ObjectHashMap<String> appliedBy = new Long2ObjectHashMap<>();
    private final Long2LongHashMap indexOfProposal = new Long2LongHashMap(NONE);
    private final Map<String, Watch> watches = new HashMap<>();
    private final Map<String, RaftLogs> durableLogs = new HashMap<>();
    private long maxCommitted;
    private boolean expectAddresses;

    public Invariants(SimClock clock) {
        this.clock = clock;
    }

    // ------------------------------------------------------------------ wiring

    /**
     * Every member has an address ({@link SimCluster#addressOf}), so every configuration a node uses
     * must carry each member's: through the log, truncations, snapshots and restarts.
     */
    public void expectAddresses(boolean expect) {
        this.expectAddresses = expect;
    }

    /** A node starts (first boot or restart): its commit index may start lower than before. */
    public void nodeStarted(String nodeId) {
        watches.put(nodeId, new Watch());
    }

    /**
     * What of {@code nodeId}'s log survives a crash (read only): the log itself when it is durable
     * when its methods return, else {@link SimDisk#durable()}.
     */
    public void durableLogs(String nodeId, RaftLogs durable) {
        durableLogs.put(nodeId, durable);
    }

    /** The observer of one node's log; {@code commitIndex} reads the node's current commit index. */
    public CheckedRaftLogs.Observer logObserver(String nodeId, LongSupplier commitIndex) {
        return new CheckedRaftLogs.Observer() {
            @Override
            public void onAppended(long index, long term, long prevTerm, long contentHash) {
                entryStored(nodeId, index, term, prevTerm, contentHash);
            }

            @Override
            public void onTruncating(long index) {
                final long commit = commitIndex.getAsLong();
                if (index <= commit) {
                    throw violation("(b) log matching", nodeId + " truncates its log from index " + index
                            + " although it committed up to " + commit);
                }
            }

            @Override
            public void onVoted(long term, String candidate) {
                votes.put(new Ballot(term, nodeId), candidate);
            }

            @Override
            public void onSnapshotInstalled(long index, long term) {
                final long known = committedTerm.get(index);
                if (known != NONE && known != term) {
                    throw violation("(d) state machine safety", nodeId + " installs a snapshot at index " + index
                            + " term " + term + " but " + committedBy.get(index) + " committed term " + known
                            + " there");
                }
            }
        };
    }

    /** The observer of one node's {@link RegisterStateMachine}. */
    public RegisterStateMachine.Observer stateMachineObserver(String nodeId) {
        return new RegisterStateMachine.Observer() {
            @Override
            public void onApplied(long index, long term, long proposalId, long historyHash) {
                applied(nodeId, index, term, proposalId, historyHash);
            }

            @Override
            public void onRestored(long snapshotIndex, long lastIndex, long historyCount, long historyHash) {
                restored(nodeId, snapshotIndex, lastIndex, historyHash);
            }
        };
    }

    // ------------------------------------------------------------------ (b) log matching

    private void entryStored(String node, long index, long term, long prevTerm, long contentHash) {
        if (prevTerm != RaftLogs.UNKNOWN_TERM && term < prevTerm) {
            throw violation("(b) log matching", node + " stored index " + index + " with term " + term
                    + " after an entry of the later term " + prevTerm);
        }
        final IndexTerm key = new IndexTerm(index, term);
        final EntryFacts known = entries.get(key);
        if (known == null) {
            entries.put(key, new EntryFacts(prevTerm, contentHash, node));
            return;
        }
        if (known.contentHash() != contentHash) {
            throw violation("(b) log matching", "index " + index + " term " + term + " holds different entries on "
                    + node + " and " + known.node());
        }
        if (known.prevTerm() != prevTerm && known.prevTerm() != RaftLogs.UNKNOWN_TERM
                && prevTerm != RaftLogs.UNKNOWN_TERM) {
            throw violation("(b) log matching", "index " + index + " term " + term + " follows term " + prevTerm
                    + " at index " + (index - 1) + " on " + node + " but term " + known.prevTerm() + " on "
                    + known.node());
        }
    }

    // ------------------------------------------------------------------ (d) state machine safety

    private void applied(String node, long index, long term, long proposalId, long historyHash) {
        final long known = appliedProposalAt.get(index);
        if (known == NONE) {
            appliedProposalAt.put(index, proposalId);
            appliedHashAt.put(index, historyHash);
            appliedBy.put(index, node);
        } else if (known != proposalId) {
            throw violation("(d) state machine safety", "index " + index + ": " + node + " applied proposal "
                    + proposalId + " (term " + term + ") but " + appliedBy.get(index) + " applied proposal " + known);
        } else if (appliedHashAt.get(index) != historyHash) {
            throw violation("(d) state machine safety", "the applied histories of " + node + " and "
                    + appliedBy.get(index) + " differ before index " + index);
        }
        final long committed = committedTerm.get(index);
        if (committed != NONE && committed != term) {
            throw violation("(d) state machine safety", node + " applied index " + index + " of term " + term
                    + " but " + committedBy.get(index) + " committed term " + committed + " there");
        }
        final long firstIndex = indexOfProposal.get(proposalId);
        if (firstIndex == NONE) {
            indexOfProposal.put(proposalId, index);
        } else if (firstIndex != index) {
            throw violation("(d) state machine safety", node + " applied proposal " + proposalId + " at index "
                    + index + " but it was applied at index " + firstIndex + " before (applied twice)");
        }
    }

    private void restored(String node, long snapshotIndex, long lastIndex, long historyHash) {
        if (lastIndex > 0) {
            final long known = appliedHashAt.get(lastIndex);
            if (known != NONE && known != historyHash) {
                throw violation("(d) state machine safety", node + " restored a snapshot at index " + snapshotIndex
                        + " whose history up to index " + lastIndex + " differs from the applied one");
            }
        }
        for (long i = lastIndex + 1; i <= snapshotIndex; i++) {
            if (appliedProposalAt.get(i) != NONE) {
                throw violation("(d) state machine safety", node + " restored a snapshot at index " + snapshotIndex
                        + " that lacks the command applied at index " + i + " by " + appliedBy.get(i));
            }
        }
    }

    // ------------------------------------------------------------------ after every step

    /** Checks (a), (c), (e) on {@code node} and records what it newly committed; cheap when nothing changed. */
    public void afterStep(SimNode node) {
        final RaftNode raft = node.raft();
        if (raft == null) {
            return;
        }
        final Watch w = watches.get(node.id());
        if (expectAddresses && raft.membership() != w.lastMembership) {
            w.lastMembership = raft.membership();
            checkAddresses(node.id(), w.lastMembership);
        }
        final long commit = raft.commitIndex();
        if (commit < w.lastCommit) {
            throw violation("(e) commit index never decreases", node.id() + "'s commit index went from "
                    + w.lastCommit + " down to " + commit);
        }
        final boolean advanced = commit > w.lastCommit;
        w.lastCommit = commit;
        if (advanced && raft.role() == RaftRole.LEADER) {
            checkDurableOnQuorum(node.id(), raft, commit, w);
        }
        if (raft.lastApplied() > commit) {
            throw violation("(e) commit index never decreases", node.id() + " applied up to " + raft.lastApplied()
                    + " beyond its commit index " + commit);
        }
        if (commit > w.recordedUpTo) {
            recordCommits(node.id(), raft, w, commit);
        }
        if (raft.role() == RaftRole.LEADER && w.leaderTerm != raft.term()) {
            w.leaderTerm = raft.term();
            newLeader(node.id(), raft, w.leaderTerm);
        }
        if (raft.role() == RaftRole.LEADER) {
            if (raft.logs().termAt(commit) == raft.term()) {
                w.committedOwnTerm = raft.term();
            }
            checkOneChangeAtATime(node.id(), raft, w);
        } else {
            w.configTerm = -1;
        }
        w.stepConfig = raft.membership();
        w.stepConfigIndex = raft.membershipIndex();
    }

    /** (h) A leader appends a configuration only after the one before is committed, and changes one member. */
    private void checkOneChangeAtATime(String node, RaftNode raft, Watch w) {
        final long index = raft.membershipIndex();
        if (w.configTerm == raft.term() && index != w.configIndex) {
            if (w.committedOwnTerm != raft.term()) {
                throw violation("(h) one configuration change at a time", node + " appended " + raft.membership()
                        + " at index " + index + " in term " + raft.term() + " before committing an entry of that"
                        + " term (thesis §4.1, the single-server change bug)");
            }
            if (raft.commitIndex() < w.configIndex) {
                throw violation("(h) one configuration change at a time", node + " appended " + raft.membership()
                        + " at index " + index + " while " + w.config + " at index " + w.configIndex
                        + " was not committed (commit index " + raft.commitIndex() + ")");
            }
            if (changedMembers(w.config.voters(), raft.membership().voters()) > 1
                    || changedMembers(members(w.config), members(raft.membership())) > 1) {
                throw violation("(h) one configuration change at a time", node + " went from " + w.config + " to "
                        + raft.membership() + " in one change at index " + index);
            }
        }
        w.configTerm = raft.term();
        w.configIndex = index;
        w.config = raft.membership();
    }

    private static java.util.Set<String> members(Membership m) {
        final java.util.Set<String> all = new java.util.HashSet<>(m.voters());
        all.addAll(m.learners());
        return all;
    }

    /** How many ids are in one collection and not in the other. */
    private static int changedMembers(java.util.Collection<String> a, java.util.Collection<String> b) {
        int changed = 0;
        for (String id : a) {
            changed += b.contains(id) ? 0 : 1;
        }
        for (String id : b) {
            changed += a.contains(id) ? 0 : 1;
        }
        return changed;
    }

    /** (g) Each member of {@code m} has its address, and nobody else has one. */
    private void checkAddresses(String node, Membership m) {
        int members = 0;
        for (String id : m.voters()) {
            members += checkAddress(node, m, id);
        }
        for (String id : m.learners()) {
            members += checkAddress(node, m, id);
        }
        if (m.addresses().size() != members) {
            throw violation("(g) addresses", node + " uses " + m + ": addresses of non-members");
        }
    }

    private int checkAddress(String node, Membership m, String id) {
        if (!SimCluster.addressOf(id).equals(m.address(id))) {
            throw violation("(g) addresses", node + " uses " + m + ": member " + id + " without its address");
        }
        return 1;
    }

    // ------------------------------------------------------------------ (f) durability

    /**
     * (f) The configuration to count is the one in force when the leader moved its commit index: the
     * one it uses now, or, when it appended a configuration after the committed index in this same
     * step (a commit, then a promotion in the same flush), the one it used before the step.
     */
    private void checkDurableOnQuorum(String node, RaftNode raft, long commit, Watch w) {
        final long term = raft.logs().termAt(commit);
        if (term == RaftLogs.UNKNOWN_TERM) {
            return;
        }
        final Membership m = raft.membership();
        final int durable = durableVoters(m, commit, term);
        final boolean appendedAfterCommitThisStep = w.stepConfig != null && w.stepConfig != m
                && raft.membershipIndex() > commit && w.stepConfigIndex <= commit;
        if (appendedAfterCommitThisStep && durableVoters(w.stepConfig, commit, term) >= w.stepConfig.quorum()) {
            return;
        }
        if (durable < m.quorum()) {
            final StringBuilder missing = new StringBuilder();
            for (String voter : m.voters()) {
                if (!holdsDurably(voter, commit, term)) {
                    final RaftLogs logs = durableLogs.get(voter);
                    missing.append(missing.length() == 0 ? "" : ", ").append(voter).append(logs == null ? ""
                            : " (durable last index " + logs.lastIndex() + ", term " + logs.termAt(commit) + " there)");
                }
            }
            throw violation("(f) durability", node + " commits index " + commit + " term " + term + " in term "
                    + raft.term() + " but only " + durable + " of " + m + " hold it durably, fewer than a quorum of "
                    + m.quorum() + "; not durable on " + missing);
        }
    }

    private int durableVoters(Membership m, long index, long term) {
        int durable = 0;
        for (String voter : m.voters()) {
            if (holdsDurably(voter, index, term)) {
                durable++;
            }
        }
        return durable;
    }

    /** Whether {@code node}'s durable log holds the entry, or its durable snapshot covers it. */
    private boolean holdsDurably(String node, long index, long term) {
        final RaftLogs logs = durableLogs.get(node);
        return logs != null && (logs.snapshotIndex() >= index || logs.termAt(index) == term);
    }

    private void recordCommits(String node, RaftNode raft, Watch w, long commit) {
        final RaftLogs logs = raft.logs();
        final long seenInTerm = raft.term();
        for (long i = Math.max(Math.max(w.recordedUpTo + 1, logs.snapshotIndex()), 1); i <= commit; i++) {
            final long term = logs.termAt(i);
            if (term == RaftLogs.UNKNOWN_TERM) {
                continue;
            }
            final long known = committedTerm.get(i);
            if (known == NONE) {
                committedTerm.put(i, term);
                committedBy.put(i, node);
                maxCommitted = Math.max(maxCommitted, i);
            } else if (known != term) {
                throw violation("(d) state machine safety", "index " + i + " is committed with term " + term
                        + " on " + node + " but with term " + known + " on " + committedBy.get(i));
            }
            final long seen = commitSeenInTerm.get(i);
            if (seen == NONE || seenInTerm < seen) {
                commitSeenInTerm.put(i, seenInTerm);
            }
        }
        w.recordedUpTo = commit;
    }

    private void newLeader(String node, RaftNode raft, long term) {
        final String other = leaderOfTerm.get(term);
        if (other == null) {
            leaderOfTerm.put(term, node);
        } else if (!other.equals(node)) {
            throw violation("(a) at most one leader per term", "term " + term + " has two leaders: " + other
                    + " and " + node);
        }
        final Membership m = raft.membership();
        int granted = 0;
        for (String voter : m.voters()) {
            if (node.equals(votes.get(new Ballot(term, voter)))) {
                granted++;
            }
        }
        if (granted < m.quorum()) {
            throw violation("(a) at most one leader per term", node + " leads term " + term + " with the votes of "
                    + granted + " of " + m + " in that term, fewer than a quorum of " + m.quorum());
        }
        final RaftLogs logs = raft.logs();
        for (long i = Math.max(logs.snapshotIndex(), 1); i <= maxCommitted; i++) {
            final long committed = committedTerm.get(i);
            if (committed == NONE || commitSeenInTerm.get(i) >= term) {
                continue;
            }
            final long mine = logs.termAt(i);
            if (mine != committed) {
                throw violation("(c) leader completeness", node + " leads term " + term + " without the entry at index "
                        + i + " term " + committed + " committed by " + committedBy.get(i) + " (by term "
                        + commitSeenInTerm.get(i) + "); its log has term " + mine + " there (snapshot index "
                        + logs.snapshotIndex() + ", last index " + logs.lastIndex() + ")");
            }
        }
    }

    // ------------------------------------------------------------------ queries for the liveness check

    /** The proposal id applied at {@code index} by any node, or {@link #NONE}. */
    public long appliedProposalAt(long index) {
        return appliedProposalAt.get(index);
    }

    /** The index at which {@code proposalId} was applied by any node, or {@link #NONE}. */
    public long appliedIndexOf(long proposalId) {
        return indexOfProposal.get(proposalId);
    }

    /** The term of the entry committed at {@code index}, or {@link #NONE} when no node was seen committing it. */
    public long committedTermAt(long index) {
        return committedTerm.get(index);
    }

    /** The highest index seen committed. */
    public long maxCommitted() {
        return maxCommitted;
    }

    private InvariantViolation violation(String invariant, String detail) {
        return new InvariantViolation(invariant, detail, clock.nowNs());
    }
}
