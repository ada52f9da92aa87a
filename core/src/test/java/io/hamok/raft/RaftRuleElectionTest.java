// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.VoteRequest;
import io.hamok.raft.RecordingOutbox.VoteResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.logOfTerms;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Election rules of the Raft paper (§5.1, §5.2, §5.4) and of Ongaro's thesis (§3.10, §4.2, §6.2, §9.6). */
@Timeout(30)
class RaftRuleElectionTest {
    private static final Membership ABC = voters("a", "b", "c");

    @Test
    @DisplayName("§5.2 a follower that hears nothing for a random time in [followerMaxIdle, 2 x followerMaxIdle) starts a pre-election")
    void shouldStartPreElectionAfterRandomisedFollowerMaxIdle_5_2() {
        final RaftConfig cfg = config().build();
        final long idleNs = cfg.followerMaxIdleMs() * MS;

        // The deadline lies in [T, 2T): just before T nothing happens; just before 2T the election has started.
        for (long seed = 1; seed <= 20; seed++) {
            final Peer early = new Peer("a", cfg, new MemoryRaftLogs(), ABC, seed);
            early.tickAt(idleNs - 1);
            assertEquals(RaftRole.FOLLOWER, early.node.role(), "seed " + seed);
            assertTrue(early.out.isEmpty());

            final Peer late = new Peer("a", cfg, new MemoryRaftLogs(), ABC, seed);
            late.tickAt(2 * idleNs - 1);
            assertEquals(RaftRole.PRE_CANDIDATE, late.node.role(), "seed " + seed);
            assertEquals(0, late.node.term(), "a pre-candidate keeps its term");
            final List<VoteRequest> requests = late.out.ofKind(VoteRequest.class);
            assertEquals(List.of("b", "c"), requests.stream().map(VoteRequest::to).toList());
            requests.forEach(r -> {
                assertTrue(r.preVote());
                assertEquals(1, r.term(), "a pre-vote asks for the next term");
            });
        }

        final Set<Long> deadlines = new HashSet<>();
        for (long seed = 1; seed <= 5; seed++) {
            deadlines.add(electionDeadlineMs(cfg, seed));
        }
        assertTrue(deadlines.size() > 1, "different seeds give different deadlines: " + deadlines);
        assertEquals(electionDeadlineMs(cfg, 42), electionDeadlineMs(cfg, 42), "the same seed gives the same deadline");
    }

    private static long electionDeadlineMs(RaftConfig cfg, long seed) {
        final Peer p = new Peer("a", cfg, new MemoryRaftLogs(), ABC, seed);
        return p.runUntil(() -> p.node.role() != RaftRole.FOLLOWER, 3 * cfg.followerMaxIdleMs());
    }

    @Test
    @DisplayName("§5.2 + Figure 2: a candidate raises its term and votes for itself durably before it asks for votes")
    void shouldPersistTermAndSelfVoteBeforeRequestingVotes_5_2() {
        final Peer a = new Peer("a", config().build(), ABC);
        final List<String> seenAtSend = new ArrayList<>();
        a.out.onSend(s -> {
            if (s instanceof VoteRequest r) {
                seenAtSend.add((r.preVote() ? "pre " : "") + r.to() + " term=" + a.logs.currentTerm()
                        + " votedFor=" + a.logs.votedFor());
            }
        });

        a.runUntil(() -> a.node.role() == RaftRole.PRE_CANDIDATE, 3000);
        assertEquals(List.of("pre b term=0 votedFor=null", "pre c term=0 votedFor=null"), seenAtSend,
                "a pre-vote changes nothing durable");

        seenAtSend.clear();
        a.node.onVoteResponse("b", 1, true, true);

        assertEquals(RaftRole.CANDIDATE, a.node.role());
        assertEquals(1, a.node.term());
        assertEquals(List.of("b term=1 votedFor=a", "c term=1 votedFor=a"), seenAtSend);
        for (VoteRequest r : a.out.ofKind(VoteRequest.class)) {
            if (!r.preVote()) {
                assertEquals(1, r.term());
                assertEquals(0, r.lastLogIndex());
                assertEquals(0, r.lastLogTerm());
                assertFalse(r.leadershipTransfer());
            }
        }
    }

    @Test
    @DisplayName("§5.2 a candidate with votes from a majority becomes leader and (§5.4.2, §8) appends a NOOP of its term")
    void shouldBecomeLeaderWithMajorityAndAppendNoop_5_2_5_4_2() {
        final Peer a = new Peer("a", config().preVote(false).build(),
                voters("a", "b", "c", "d", "e"));
        a.runUntil(() -> a.node.role() == RaftRole.CANDIDATE, 3000);
        assertEquals(4, a.out.ofKind(VoteRequest.class).size());
        a.out.clear();

        a.node.onVoteResponse("b", 1, true, false);
        a.node.onVoteResponse("c", 1, false, false);
        a.node.onVoteResponse("b", 1, true, false); // a duplicate counts once
        assertEquals(RaftRole.CANDIDATE, a.node.role(), "2 of 5 is no majority");

        a.node.onVoteResponse("d", 1, true, false);

        assertEquals(RaftRole.LEADER, a.node.role());
        assertEquals("a", a.node.leaderId());
        assertEquals(1, a.logs.lastIndex());
        assertEquals(LogEntryView.NOOP, RaftRuleFixture.entryAt(a.logs, 1).type());
        assertEquals(1, a.logs.termAt(1));
        for (String peer : List.of("b", "c", "d", "e")) {
            final AppendEntries ae = a.out.single(AppendEntries.class, peer);
            assertEquals(1, ae.term());
            assertEquals(0, ae.prevLogIndex());
            assertEquals(1, ae.entries().size());
            assertEquals(LogEntryView.NOOP, ae.entries().get(0).type());
        }
    }

    @Test
    @DisplayName("§5.2 a candidate counts only votes granted in its current term")
    void shouldIgnoreVotesGrantedInEarlierTerm_5_2() {
        final RaftConfig cfg = config().preVote(false).build();
        final Peer a = new Peer("a", cfg, ABC);
        a.runUntil(() -> a.node.term() == 2, 3 * (cfg.followerMaxIdleMs() + cfg.electionTimeoutMs()));
        assertEquals(RaftRole.CANDIDATE, a.node.role());

        a.node.onVoteResponse("b", 1, true, false);
        a.node.onVoteResponse("c", 1, true, false);
        assertEquals(RaftRole.CANDIDATE, a.node.role(), "grants for term 1 do not elect a term-2 candidate");

        a.node.onVoteResponse("c", 2, true, false);
        assertEquals(RaftRole.LEADER, a.node.role());
    }

    @Test
    @DisplayName("§5.2 a server votes for at most one candidate per term")
    void shouldGrantVoteOnlyOncePerTerm_5_2() {
        final Peer a = new Peer("a", config().build(), ABC);

        a.node.onVoteRequest("b", 1, 0, 0, false, false);
        a.node.onVoteRequest("c", 1, 0, 0, false, false);
        a.node.onVoteRequest("b", 1, 0, 0, false, false); // a retransmission is answered the same

        assertEquals(List.of(new VoteResponse("b", 1, true, false), new VoteResponse("c", 1, false, false),
                new VoteResponse("b", 1, true, false)), a.out.takeAll());
        assertEquals("b", a.logs.votedFor());

        a.node.onVoteRequest("c", 2, 0, 0, false, false);
        assertEquals(List.of(new VoteResponse("c", 2, true, false)), a.out.takeAll(), "a new term, a new vote");
        assertEquals("c", a.logs.votedFor());
    }

    @Test
    @DisplayName("§5.4.1 a vote is denied to a candidate whose log is less up to date (last term first, then length)")
    void shouldDenyVoteToLessUpToDateLog_5_4_1() {
        final Peer a = new Peer("a", config().build(), logOfTerms(1, 1, 2), ABC, 1);

        a.node.onVoteRequest("b", 3, 10, 1, false, false);
        assertEquals(new VoteResponse("b", 3, false, false), a.out.takeAll().get(0), "older last term, longer log");
        a.node.onVoteRequest("b", 3, 2, 2, false, false);
        assertEquals(new VoteResponse("b", 3, false, false), a.out.takeAll().get(0), "same last term, shorter log");
        assertNull(a.logs.votedFor());

        a.node.onVoteRequest("c", 3, 3, 2, false, false);
        assertEquals(new VoteResponse("c", 3, true, false), a.out.takeAll().get(0), "same last term, same length");
        a.node.onVoteRequest("b", 4, 1, 3, false, false);
        assertEquals(new VoteResponse("b", 4, true, false), a.out.takeAll().get(0), "later last term, shorter log");

        a.node.onVoteRequest("c", 5, 1, 1, true, false);
        assertEquals(new VoteResponse("c", 4, false, true), a.out.takeAll().get(0), "pre-votes follow the same rule");
    }

    @Test
    @DisplayName("§5.1 a higher term in any message makes the node a follower of that term, persisted")
    void shouldStepDownAndPersistTermOnHigherTerm_5_1() {
        assertStepsDownFromLeader(n -> n.onAppendEntriesResponse("b", 5, false, 1, 0, 0, 0));
        assertStepsDownFromLeader(n -> n.onInstallSnapshotResponse("b", 5, false, 1, 0));
        assertStepsDownFromLeader(n -> n.onAppendEntries("b", 5, 0, 0, 0, RecordingOutbox.batch()));
        assertStepsDownFromLeader(n -> n.onInstallSnapshot("b", 5, 9, 4, 0, text("x"), 0, 1, false, 10, 0));
        assertStepsDownFromLeader(n -> n.onVoteRequest("b", 5, 9, 4, false, true));

        assertStepsDownFromCandidate(n -> n.onVoteResponse("b", 5, false, false));
        assertStepsDownFromCandidate(n -> n.onVoteRequest("b", 5, 0, 0, false, false));
        assertStepsDownFromCandidate(n -> n.onAppendEntries("b", 5, 0, 0, 0, RecordingOutbox.batch()));
        assertStepsDownFromCandidate(n -> n.onAppendEntriesResponse("b", 5, false, 0, 0, 0, 0));
    }

    private static void assertStepsDownFromLeader(Consumer<RaftNode> message) {
        final Peer a = new Peer("a", config().build(), ABC);
        a.electByHand();
        message.accept(a.node);
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertEquals(5, a.node.term());
        assertEquals(5, a.logs.currentTerm());
        assertFalse("a".equals(a.logs.votedFor()));
    }

    private static void assertStepsDownFromCandidate(Consumer<RaftNode> message) {
        final Peer a = new Peer("a", config().preVote(false).build(), ABC);
        a.runUntil(() -> a.node.role() == RaftRole.CANDIDATE, 3000);
        message.accept(a.node);
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertEquals(5, a.logs.currentTerm());
    }

    @Test
    @DisplayName("thesis §9.6 answering a pre-vote changes neither the voter's term nor its vote")
    void shouldNotChangeTermOrVoteWhenAnsweringPreVote_9_6() {
        final Peer a = new Peer("a", config().build(), logOfTerms(1, 2), ABC, 1);
        assertEquals(2, a.node.term());

        a.node.onVoteRequest("b", 3, 2, 2, true, false);
        assertEquals(new VoteResponse("b", 3, true, true), a.out.takeAll().get(0),
                "a granted pre-vote carries the term it was asked for");
        a.node.onVoteRequest("c", 3, 1, 1, true, false);
        assertEquals(new VoteResponse("c", 2, false, true), a.out.takeAll().get(0),
                "a denied pre-vote carries the voter's term");
        assertEquals(2, a.logs.currentTerm());
        assertNull(a.logs.votedFor());
        assertEquals(RaftRole.FOLLOWER, a.node.role());

        a.node.onVoteRequest("c", 3, 2, 2, false, false);
        assertEquals(new VoteResponse("c", 3, true, false), a.out.takeAll().get(0), "the real vote is still free");
    }

    @Test
    @DisplayName("thesis §9.6 a partitioned node that rejoins with pre-vote does not disrupt the leader")
    void shouldNotDisruptLeaderWhenPartitionedNodeRejoins_9_6() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        cluster.runUntil(() -> cluster.leader() != null, 10_000);
        final Peer leader = cluster.leader();
        final long term = leader.node.term();
        final String isolated = leader.id.equals("c") ? "b" : "c";
        final Peer x = cluster.get(isolated);

        final List<VoteRequest> lostPreVotes = new ArrayList<>();
        cluster.drop = (from, s) -> {
            if (from.equals(isolated) && s instanceof VoteRequest r) {
                lostPreVotes.add(r);
            }
            return from.equals(isolated) || s.to().equals(isolated);
        };
        cluster.elapseMs(20_000);
        assertFalse(lostPreVotes.isEmpty(), "the partitioned node kept trying");
        assertTrue(lostPreVotes.stream().allMatch(r -> r.preVote() && r.term() == term + 1), lostPreVotes.toString());
        assertTrue(x.node.role() == RaftRole.PRE_CANDIDATE || x.node.role() == RaftRole.FOLLOWER);
        assertEquals(term, x.node.term(), "pre-vote keeps the partitioned node's term from climbing");
        assertEquals(term, leader.node.term());

        cluster.drop = (from, s) -> false;
        cluster.elapseMs(5_000);

        assertEquals(RaftRole.LEADER, leader.node.role());
        assertEquals(term, leader.node.term());
        assertEquals(leader.id, x.node.leaderId());
        assertEquals(term, x.node.term());
        for (Peer p : cluster.peers.values()) {
            assertEquals(term, p.logs.currentTerm(), p.id);
        }
    }

    @Test
    @DisplayName("thesis §4.2.3 a follower that heard from a leader within followerMaxIdleMs refuses votes; §3.10 not for a leadership transfer")
    void shouldRejectVotesWhileLeaderIsHeardFromUnlessTransfer_4_2_3() {
        final RaftConfig cfg = config().build();
        final Peer b = new Peer("b", cfg, ABC);
        b.tickAt(10 * MS);
        b.node.onAppendEntries("a", 1, 0, 0, 0, RecordingOutbox.batch());
        assertEquals("a", b.node.leaderId());
        b.out.clear();

        b.tickAt(10 * MS + (cfg.followerMaxIdleMs() - 1) * MS);
        assertEquals(RaftRole.FOLLOWER, b.node.role());
        b.node.onVoteRequest("c", 2, 0, 0, false, false);
        b.node.onVoteRequest("c", 2, 0, 0, true, false);
        assertEquals(List.of(new VoteResponse("c", 1, false, false), new VoteResponse("c", 1, false, true)),
                b.out.takeAll());
        assertEquals(1, b.logs.currentTerm(), "the disruptive term is not adopted");
        assertNull(b.logs.votedFor());

        b.node.onVoteRequest("c", 2, 0, 0, false, true);
        assertEquals(List.of(new VoteResponse("c", 2, true, false)), b.out.takeAll(),
                "a candidate sent by the leader (TimeoutNow) is not refused");
        assertEquals("c", b.logs.votedFor());

        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        a.out.clear();
        a.node.onVoteRequest("c", 5, 9, 4, false, false);
        assertEquals(List.of(new VoteResponse("c", 1, false, false)), a.out.takeAll(), "a leader is sticky too");
        assertEquals(RaftRole.LEADER, a.node.role());
        assertEquals(1, a.logs.currentTerm());
    }

    @Test
    @DisplayName("thesis §4.2.3 leader stickiness ends once followerMaxIdleMs passed without the leader")
    void shouldGrantVoteOnceLeaderLeaseExpired_4_2_3() {
        final RaftConfig cfg = config().build();
        final Peer b = new Peer("b", cfg, ABC);
        b.node.onAppendEntries("a", 1, 0, 0, 0, RecordingOutbox.batch());
        b.out.clear();

        b.tickAt(cfg.followerMaxIdleMs() * MS);
        assertEquals(RaftRole.FOLLOWER, b.node.role(), "seeded deadline lies after followerMaxIdleMs");
        b.node.onVoteRequest("c", 2, 0, 0, false, false);
        assertEquals(List.of(new VoteResponse("c", 2, true, false)), b.out.takeAll());
    }

    @Test
    @DisplayName("thesis §6.2 a leader that has not heard from a quorum for electionTimeoutMs steps down (check-quorum)")
    void shouldStepDownWithoutQuorumContact_6_2() {
        final RaftConfig cfg = config().build();
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        final long electedAtNs = a.nowNs;
        final long term = a.node.term();

        a.tickAt(electedAtNs + cfg.electionTimeoutMs() * MS - 1);
        assertEquals(RaftRole.LEADER, a.node.role());
        a.tickAt(electedAtNs + cfg.electionTimeoutMs() * MS);
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertNull(a.node.leaderId());
        assertEquals(term, a.node.term(), "stepping down does not raise the term");
        assertEquals(RaftNode.NOT_LEADER, a.node.propose(text("x"), 0, 1));
    }

    @Test
    @DisplayName("thesis §6.2 a leader that hears from a quorum every electionTimeoutMs keeps leading")
    void shouldKeepLeadingWithQuorumContact_6_2() {
        final RaftConfig cfg = config().build();
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        for (int ms = 0; ms < 4 * cfg.electionTimeoutMs(); ms++) {
            a.elapseMs(1);
            a.ackAllFrom("b"); // c is silent: a and b are a quorum
            a.out.clear();
        }
        assertEquals(RaftRole.LEADER, a.node.role());

        final Peer quiet = new Peer("a", config().checkQuorum(false).build(), ABC);
        quiet.electByHand();
        quiet.elapseMs(4 * cfg.electionTimeoutMs());
        assertEquals(RaftRole.LEADER, quiet.node.role(), "without check-quorum a silent cluster keeps its leader");
    }

    @Test
    @DisplayName("onlyFollower: a voting member that never campaigns")
    void shouldNeverCampaignWhenOnlyFollower() {
        final Peer a = new Peer("a", config().onlyFollower(true).build(), ABC);
        a.elapseMs(60_000);
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertTrue(a.out.isEmpty(), a.out.toString());
        assertEquals(0, a.node.term());

        a.node.onVoteRequest("b", 1, 0, 0, false, false);
        assertEquals(List.of(new VoteResponse("b", 1, true, false)), a.out.takeAll(), "but it still votes");
    }

    @Test
    @DisplayName("§5.2 a single-node cluster elects itself and commits proposals alone")
    void shouldElectItselfAndCommitAloneInSingleNodeCluster_5_2() {
        final Peer a = new Peer("a", config().build(), voters("a"));
        a.runUntil(() -> a.node.role() == RaftRole.LEADER, 3000);
        assertEquals(1, a.node.term());
        assertEquals(1, a.node.commitIndex(), "its NOOP is committed at once");
        assertTrue(a.out.isEmpty());

        assertEquals(2, a.node.propose(text("x"), 0, 1));
        assertEquals(3, a.node.propose(text("y"), 0, 1));
        a.node.flush();
        assertEquals(3, a.node.commitIndex());
        assertEquals(3, a.node.applyCommitted(100));
        assertEquals(List.of("x", "y"), a.sm.applied);
        assertEquals(List.of(2L, 3L), a.sm.appliedIndexes);
    }

    @Test
    @DisplayName("thesis §4.2.1 learners do not campaign and are not asked for votes")
    void shouldNotCampaignAsLearner_4_2_1() {
        final Membership withLearner = Membership.of(List.of("a", "b"), List.of("c"));
        final Peer c = new Peer("c", config().build(), withLearner);
        c.elapseMs(60_000);
        assertEquals(RaftRole.FOLLOWER, c.node.role());
        assertTrue(c.out.isEmpty(), c.out.toString());

        final Peer a = new Peer("a", config().build(), withLearner);
        a.runUntil(() -> a.node.role() == RaftRole.PRE_CANDIDATE, 3000);
        assertEquals(List.of("b"), a.out.ofKind(VoteRequest.class).stream().map(VoteRequest::to).toList());
        a.node.onVoteResponse("b", 1, true, true);
        assertEquals(RaftRole.CANDIDATE, a.node.role());
        a.node.onVoteResponse("b", 1, true, false);
        assertEquals(RaftRole.LEADER, a.node.role(), "2 of 2 voters; the learner's vote is not needed");
    }
}
