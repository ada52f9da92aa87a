// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Delivery;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.TimeoutNow;
import io.hamok.raft.RecordingOutbox.VoteRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.entryAt;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static io.hamok.raft.RecordingOutbox.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Membership changes (thesis §4.1, §4.2) and leadership transfer (thesis §3.10). */
@Timeout(30)
class RaftRuleMembershipTest {
    private static final Membership ABC = voters("a", "b", "c");
    private static final Membership NONE = Membership.of(List.of(), List.of());

    private static Cluster abcPlusJoiningD() {
        return abcPlusJoiningD(config().build());
    }

    private static Cluster abcPlusJoiningD(RaftConfig cfg) {
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        cluster.add(new Peer("d", cfg, NONE));
        return cluster;
    }

    @Test
    @DisplayName("thesis §4.1 the first configuration comes from the peer list; a joining node starts with none")
    void shouldBootstrapConfigurationFromPeerList_4_1() {
        final Peer a = new Peer("a", config().build(), ABC);
        assertEquals(List.of("a", "b", "c"), a.node.membership().voters());
        assertEquals(List.of(), a.node.membership().learners());
        a.electByHand();
        assertEquals(List.of("b", "c"), a.out.all().stream().map(RecordingOutbox.Sent::to).toList());

        final Peer d = new Peer("d", config().build(), NONE);
        d.elapseMs(30_000);
        assertTrue(d.out.isEmpty(), "a node outside the configuration never campaigns");

        final Membership withD = Membership.of(List.of("a", "b", "c"), List.of("d"));
        d.node.onAppendEntries("a", 1, 0, 0, 0, batch(Entry.noop(1), Entry.config(1, withD)));
        assertEquals(withD, d.node.membership(), "it learns its configuration from the log");
        d.restart(NONE, 7);
        assertEquals(withD, d.node.membership(), "after a restart the log's configuration wins over the bootstrap");
    }

    @Test
    @DisplayName("thesis §4.1 addPeer adds a learner through a CONFIG entry that takes effect when appended, before commit")
    void shouldAddLearnerEffectiveOnAppend_4_1() {
        final Cluster cluster = abcPlusJoiningD();
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        assertEquals(1, a.node.commitIndex());

        // Acknowledgements get lost: nothing new commits.
        cluster.drop = (from, s) -> s instanceof AppendEntriesResponse;
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("d"));
        final Membership withD = Membership.of(List.of("a", "b", "c"), List.of("d"));
        assertEquals(withD, a.node.membership(), "in force on the leader as soon as it is in its log");
        assertEquals(LogEntryView.CONFIG, entryAt(a.logs, 2).type());
        assertEquals(withD, Membership.fromBytes(entryAt(a.logs, 2).payload()));

        cluster.deliverAll();
        assertEquals(1, a.node.commitIndex());
        assertEquals(2, b.logs.lastIndex());
        assertEquals(withD, b.node.membership(), "in force on a follower as soon as it is in its log");
        assertTrue(cluster.deliveredOfKind(AppendEntries.class).stream().anyMatch(d -> d.message().to().equals("d")),
                "the leader replicates to the learner at once");
    }

    @Test
    @DisplayName("thesis §4.1 one membership change at a time, and only once the leader committed an entry of its term")
    void shouldAllowOnlyOneChangeAtATime_4_1() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        cluster.drop = (from, s) -> s instanceof AppendEntriesResponse;
        final Peer a = cluster.get("a");
        a.node.campaign(true);
        cluster.deliverAll();
        assertEquals(RaftRole.LEADER, a.node.role());
        assertEquals(MembershipChange.IN_PROGRESS, a.node.addPeer("d"), "its NOOP is not committed yet");

        cluster.drop = (from, s) -> s.to().equals("d");
        cluster.elapseMs(200);
        assertEquals(1, a.node.commitIndex());
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("d"));
        assertEquals(MembershipChange.IN_PROGRESS, a.node.addPeer("e"));
        assertEquals(MembershipChange.IN_PROGRESS, a.node.removePeer("c"));
        assertEquals(MembershipChange.IN_PROGRESS, a.node.addPeer("d"));

        cluster.elapseMs(200);
        assertEquals(2, a.node.commitIndex());
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("e"), "free again once the change committed");
        assertEquals(MembershipChange.NOT_LEADER, cluster.get("b").node.addPeer("f"));
    }

    @Test
    @DisplayName("thesis §4.2.1 a learner is promoted to voter automatically once it has caught up")
    void shouldPromoteLearnerOnceCaughtUp_4_2_1() {
        final Cluster cluster = abcPlusJoiningD(config().stabilizationMs(0).build()); // the catch-up round alone
        final Peer a = cluster.elect("a");
        final Peer d = cluster.get("d");
        cluster.drop = (from, s) -> s.to().equals("d");
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("d"));
        cluster.elapseMs(1000);
        assertEquals(2, a.node.commitIndex());
        assertTrue(a.node.membership().isLearner("d"), "not promoted while it lags");

        cluster.drop = (from, s) -> false;
        cluster.runUntil(() -> a.node.membership().isVoter("d"), 1000);
        assertEquals(LogEntryView.CONFIG, entryAt(a.logs, 3).type());
        assertEquals(voters("a", "b", "c", "d"), a.node.membership());
        assertEquals(3, a.node.membership().quorum());

        cluster.elapseMs(500);
        assertEquals(3, a.node.commitIndex());
        assertEquals(voters("a", "b", "c", "d"), d.node.membership());
        assertEquals(3, d.logs.lastIndex());
    }

    @Test
    @DisplayName("thesis §4.2.2 a leader that removes itself keeps leading until the change commits, then steps down and never campaigns")
    void shouldStepDownWhenRemovedLeaderConfigCommits_4_2_2() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        cluster.drop = (from, s) -> s instanceof AppendEntriesResponse;

        assertEquals(MembershipChange.ACCEPTED, a.node.removePeer("a"));
        assertEquals(voters("b", "c"), a.node.membership());
        cluster.elapseMs(500);
        assertEquals(RaftRole.LEADER, a.node.role(), "it replicates the change that removes it");
        assertEquals(1, a.node.commitIndex());

        cluster.drop = (from, s) -> false;
        cluster.runUntil(() -> a.node.role() != RaftRole.LEADER, 500);
        assertEquals(2, a.node.commitIndex());
        assertEquals(RaftRole.FOLLOWER, a.node.role());

        final int deliveredBefore = cluster.delivered.size();
        cluster.runUntil(() -> cluster.leader() != null && cluster.leader() != a, 10_000);
        cluster.elapseMs(10_000);
        assertTrue(cluster.delivered.subList(deliveredBefore, cluster.delivered.size()).stream()
                .noneMatch(d -> d.from().equals("a") && d.message() instanceof VoteRequest), "a never campaigns");
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertEquals(voters("b", "c"), cluster.leader().node.membership());
    }

    @Test
    @DisplayName("thesis §4.2.2 a node whose log removes it does not campaign")
    void shouldNotCampaignOnceRemoved_4_2_2() {
        final Peer c = new Peer("c", config().build(), ABC);
        c.node.onAppendEntries("a", 1, 0, 0, 2, batch(Entry.noop(1), Entry.config(1, voters("a", "b"))));
        assertEquals(voters("a", "b"), c.node.membership());
        c.out.clear();

        c.elapseMs(60_000);
        assertEquals(RaftRole.FOLLOWER, c.node.role());
        assertTrue(c.out.isEmpty(), c.out.toString());
    }

    @Test
    @DisplayName("thesis §4.1 a configuration whose CONFIG entry is truncated away stops being in force")
    void shouldRevertConfigWhenConfigEntryTruncated_4_1() {
        final Peer b = new Peer("b", config().build(), ABC);
        final Membership withD = Membership.of(List.of("a", "b", "c"), List.of("d"));
        b.node.onAppendEntries("a", 1, 0, 0, 1, batch(Entry.noop(1), Entry.config(1, withD)));
        assertEquals(withD, b.node.membership());

        // c won term 2 without the uncommitted CONFIG entry; its NOOP replaces it.
        b.node.onAppendEntries("c", 2, 1, 1, 1, batch(Entry.noop(2)));

        assertEquals(ABC, b.node.membership());
        assertEquals(2, b.logs.lastIndex());
        assertEquals(LogEntryView.NOOP, entryAt(b.logs, 2).type());
    }

    @Test
    @DisplayName("thesis §3.10 leadership transfer: proposals stop, TimeoutNow goes to the caught-up target, which campaigns at once")
    void shouldTransferLeadershipToCaughtUpTarget_3_10() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");
        cluster.elapseMs(10); // c has just heard from a: it would refuse an ordinary candidate

        assertEquals(MembershipChange.ACCEPTED, a.node.transferLeadership("b"));
        assertEquals(RaftNode.NOT_LEADER, a.node.propose(text("x"), 0, 1), "no proposals during a transfer");
        final TimeoutNow timeoutNow = a.out.single(TimeoutNow.class, "b");
        assertEquals(1, timeoutNow.term());

        a.out.clear();
        b.node.onTimeoutNow("a", 1);
        assertEquals(RaftRole.CANDIDATE, b.node.role(), "no pre-vote, no waiting");
        assertEquals(2, b.node.term());
        for (VoteRequest r : b.out.ofKind(VoteRequest.class)) {
            assertFalse(r.preVote());
            assertTrue(r.leadershipTransfer());
            assertEquals(2, r.term());
        }

        cluster.deliverAll();
        assertEquals(RaftRole.LEADER, b.node.role());
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertEquals("b", c.node.leaderId());
        assertEquals(2, c.logs.currentTerm());
    }

    @Test
    @DisplayName("thesis §3.10 a leader sends TimeoutNow only once the transfer target has caught up")
    void shouldSendTimeoutNowOnlyAfterTargetCaughtUp_3_10() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        cluster.drop = (from, s) -> s.to().equals("b");
        assertEquals(2, a.node.propose(text("x"), 0, 1));
        cluster.elapseMs(10);

        assertEquals(MembershipChange.ACCEPTED, a.node.transferLeadership("b"));
        assertTrue(a.out.ofKind(TimeoutNow.class).isEmpty(), "b lacks entry 2");

        cluster.drop = (from, s) -> false;
        final int before = cluster.delivered.size();
        cluster.runUntil(() -> b.node.role() == RaftRole.LEADER, 1000);

        final List<Delivery> since = cluster.delivered.subList(before, cluster.delivered.size());
        int caughtUpAt = -1;
        int timeoutNowAt = -1;
        for (int i = 0; i < since.size(); i++) {
            if (caughtUpAt < 0 && since.get(i).message() instanceof AppendEntriesResponse r && r.success()
                    && since.get(i).from().equals("b") && r.matchIndex() == 2) {
                caughtUpAt = i;
            }
            if (timeoutNowAt < 0 && since.get(i).message() instanceof TimeoutNow) {
                timeoutNowAt = i;
            }
        }
        assertTrue(caughtUpAt >= 0 && caughtUpAt < timeoutNowAt, "caught up at " + caughtUpAt + ", TimeoutNow at "
                + timeoutNowAt);
        assertEquals("x", entryAt(b.logs, 2).text());
    }

    @Test
    @DisplayName("thesis §3.10 a transfer that has not finished within electionTimeoutMs is given up")
    void shouldAbortTransferAfterElectionTimeout_3_10() {
        final RaftConfig cfg = config().checkQuorum(false).build();
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        a.ackAllFrom("b");
        a.ackAllFrom("c");
        a.node.flush();
        final long startNs = a.nowNs;

        assertEquals(MembershipChange.ACCEPTED, a.node.transferLeadership("b"));
        assertEquals(1, a.out.ofKind(TimeoutNow.class, "b").size());
        assertEquals(MembershipChange.IN_PROGRESS, a.node.addPeer("d"));

        a.tickAt(startNs + cfg.electionTimeoutMs() * MS - 1);
        assertEquals(RaftNode.NOT_LEADER, a.node.propose(text("x"), 0, 1));
        a.tickAt(startNs + cfg.electionTimeoutMs() * MS);
        assertEquals(RaftRole.LEADER, a.node.role());
        assertEquals(2, a.node.propose(text("x"), 0, 1), "proposals are accepted again");
    }
}
