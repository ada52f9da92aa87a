// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.propose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader's autopilot ({@link Autopilot}, Consul's is the model): promotion after a stabilization
 * time and up to {@code maxVoters}; removal of members silent for {@code deadPeerTimeoutMs}, voters
 * only within {@code minQuorumVoters} and when the voters left that answer are a majority; never the
 * leader itself. A killed peer is one taken out of the hand-wired cluster: it neither ticks nor
 * receives, and nothing it would send arrives. One shared virtual clock, 1 ms steps.
 */
@Timeout(60)
class RaftRuleAutopilotTest {
    private static final long ELECTION_MS = 200;
    private static final long STABILIZATION_MS = 1000;
    private static final long DEAD_MS = 1000;
    private static final Membership NONE = Membership.of(List.of(), List.of());

    /** Fast timings: heartbeats every 10 ms, election timeout 200 ms. */
    private static RaftConfig.Builder fast() {
        return RaftConfig.builder().heartbeatMs(10).followerMaxIdleMs(100).electionTimeoutMs(ELECTION_MS)
                .logEntriesExpirationTimeMs(0).stabilizationMs(STABILIZATION_MS).deadPeerTimeoutMs(DEAD_MS)
                .maxVoters(5).minQuorumVoters(3);
    }

    /** Every autopilot decision of every node, as "DECISION peer". */
    private static final class Decisions {
        final List<String> seen = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        void watch(Cluster cluster) {
            for (Peer p : cluster.peers.values()) {
                watch(p);
            }
        }

        void watch(Peer p) {
            p.node.listener(new RaftListener() {
                @Override
                public void onAutopilot(AutopilotDecision decision, String peerId, String reason) {
                    seen.add(decision + " " + peerId);
                    reasons.add(reason);
                }
            });
        }
    }

    private static Cluster cluster(RaftConfig cfg, String... voters) {
        return new Cluster(cfg, Membership.ofVoters(voters), voters);
    }

    /** Adds {@code id} as a learner through {@code leader} and lets it catch up. */
    private static Peer addLearner(Cluster cluster, Peer leader, RaftConfig cfg, String id) {
        final Peer p = new Peer(id, cfg, NONE);
        cluster.add(p);
        assertEquals(MembershipChange.ACCEPTED, leader.node.addPeer(id));
        cluster.runUntil(() -> p.node.commitIndex() == leader.node.commitIndex()
                && leader.node.commitIndex() == leader.logs.lastIndex(), 1000);
        return p;
    }

    private static void kill(Cluster cluster, String id) {
        cluster.peers.remove(id);
    }

    private static long nowMs(Cluster cluster) {
        return cluster.nowNs / MS;
    }

    @Test
    @DisplayName("autopilot promotion: a caught-up learner becomes a voter only after it stayed caught up for stabilizationMs")
    void shouldPromoteOnlyAfterTheStabilizationTime() {
        final RaftConfig cfg = fast().build();
        final Cluster cluster = cluster(cfg, "a", "b", "c");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        final Peer d = addLearner(cluster, a, cfg, "d");
        final long caughtUpMs = nowMs(cluster);

        cluster.elapseMs(STABILIZATION_MS / 2);
        assertTrue(a.node.membership().isLearner("d"), "caught up, but not for stabilizationMs yet");
        assertEquals(List.of(), decisions.seen);

        cluster.runUntil(() -> a.node.membership().isVoter("d"), STABILIZATION_MS);
        assertTrue(nowMs(cluster) - caughtUpMs >= STABILIZATION_MS, "promoted after " + (nowMs(cluster) - caughtUpMs)
                + " ms caught up");
        assertEquals(List.of("PROMOTED d"), decisions.seen);
        cluster.runUntil(() -> d.node.membership().isVoter("d") && a.node.commitIndex() == a.logs.lastIndex(), 1000);
    }

    @Test
    @DisplayName("autopilot promotion: a learner that falls behind starts its stabilization time again")
    void shouldRestartTheStabilizationTimeOfALearnerThatFellBehind() {
        final RaftConfig cfg = fast().build();
        final Cluster cluster = cluster(cfg, "a", "b", "c");
        final Peer a = cluster.elect("a");
        addLearner(cluster, a, cfg, "d");
        cluster.elapseMs(STABILIZATION_MS - 300);
        cluster.drop = (from, s) -> from.equals("d") && s instanceof AppendEntriesResponse; // d's answers are lost
        propose(a, "x");
        cluster.elapseMs(2 * ELECTION_MS);
        cluster.drop = (from, s) -> false;
        final long backMs = nowMs(cluster);

        cluster.elapseMs(STABILIZATION_MS / 2);
        assertTrue(a.node.membership().isLearner("d"), "its earlier time caught up does not count");
        cluster.runUntil(() -> a.node.membership().isVoter("d"), STABILIZATION_MS);
        assertTrue(nowMs(cluster) - backMs >= STABILIZATION_MS, "promoted a full stabilization time after it was back");
    }

    @Test
    @DisplayName("autopilot promotion: no promotion at maxVoters; the learner stays a learner and replicates")
    void shouldKeepALearnerThatReplicatesWhenTheVotersAreAtMaxVoters() {
        final RaftConfig cfg = fast().maxVoters(3).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        final Peer d = addLearner(cluster, a, cfg, "d");
        for (int i = 0; i < 5; i++) {
            propose(a, "w" + i);
            cluster.elapseMs(STABILIZATION_MS);
        }
        assertEquals(Membership.of(List.of("a", "b", "c"), List.of("d")), a.node.membership());
        assertEquals(List.of(), decisions.seen);
        d.node.applyCommitted(100);
        a.node.applyCommitted(100);
        assertEquals(a.node.commitIndex(), d.node.commitIndex(), "the learner has every committed entry");
        assertEquals(a.sm.applied, d.sm.applied, "and applies them");
    }

    @Test
    @DisplayName("autopilot cleanup: a voter silent for deadPeerTimeoutMs is removed and a stable learner promoted in its place")
    void shouldRemoveADeadVoterAndPromoteALearnerInItsPlace() {
        final RaftConfig cfg = fast().maxVoters(3).minQuorumVoters(3).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        addLearner(cluster, a, cfg, "d");
        cluster.elapseMs(STABILIZATION_MS + 100); // d is stable, kept a learner by maxVoters
        kill(cluster, "c");
        final long killedMs = nowMs(cluster);

        cluster.runUntil(() -> !a.node.membership().isMember("c"), 2 * DEAD_MS);
        // its last answer came up to a heartbeat (10 ms) before it was killed
        assertTrue(nowMs(cluster) - killedMs >= DEAD_MS - 10, "removed after " + (nowMs(cluster) - killedMs) + " ms");
        cluster.runUntil(() -> a.node.membership().isVoter("d"), 500);
        assertEquals(Membership.ofVoters("a", "b", "d"), a.node.membership());
        assertEquals(List.of("REMOVED_DEAD_VOTER c", "PROMOTED d"), decisions.seen);
        propose(a, "after");
        cluster.runUntil(() -> a.node.commitIndex() == a.logs.lastIndex(), 500);
        for (String id : List.of("b", "d")) {
            assertEquals(Membership.ofVoters("a", "b", "d"), cluster.get(id).node.membership(), id);
        }
    }

    @Test
    @DisplayName("autopilot cleanup: dead voters go one at a time, down to minQuorumVoters and no further")
    void shouldNotRemoveADeadVoterWhenFewerThanMinQuorumVotersWouldRemain() {
        final RaftConfig cfg = fast().minQuorumVoters(3).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c", "d", "e");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        kill(cluster, "d");
        kill(cluster, "e");
        cluster.runUntil(() -> a.node.membership().voters().size() == 3, 3 * DEAD_MS);
        assertEquals(Set.of("REMOVED_DEAD_VOTER d", "REMOVED_DEAD_VOTER e"), Set.copyOf(decisions.seen));

        kill(cluster, "c");
        cluster.elapseMs(3 * DEAD_MS);
        assertEquals(Membership.ofVoters("a", "b", "c"), a.node.membership(), "2 voters would be fewer than 3");
        assertEquals("REMOVAL_HELD c", decisions.seen.get(2));
        assertEquals(3, decisions.seen.size(), "held, reported once: " + decisions.seen);
        assertTrue(decisions.reasons.get(2).contains("minQuorumVoters"), decisions.reasons.get(2));
    }

    @Test
    @DisplayName("autopilot cleanup: minQuorumVoters counts a stable learner that will take the freed place, not one still catching up")
    void shouldCountOnlyAStableLearnerAsTheReplacement() {
        final RaftConfig cfg = fast().maxVoters(3).minQuorumVoters(3).stabilizationMs(5 * DEAD_MS).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        addLearner(cluster, a, cfg, "d"); // caught up, but stable only after 5 s
        kill(cluster, "c");
        cluster.elapseMs(2 * DEAD_MS);
        assertTrue(a.node.membership().isVoter("c"), "no stable replacement yet");
        assertEquals(List.of("REMOVAL_HELD c"), decisions.seen);
        cluster.runUntil(() -> a.node.membership().isVoter("d"), 5 * DEAD_MS);
        assertEquals(Membership.ofVoters("a", "b", "d"), a.node.membership());
        assertEquals(List.of("REMOVAL_HELD c", "REMOVED_DEAD_VOTER c", "PROMOTED d"), decisions.seen);
    }

    @Test
    @DisplayName("autopilot cleanup: no removal when the voters left that answer would not be a majority (it could cost the quorum)")
    void shouldNotRemoveADeadVoterWhenTheRespondingVotersLeftAreNoMajority() {
        final RaftConfig cfg = fast().checkQuorum(false).minQuorumVoters(1).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c", "d", "e");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        kill(cluster, "d");
        cluster.elapseMs(DEAD_MS / 2);
        // b and c still hear a, but a no longer hears them: not answering, not yet dead
        cluster.drop = (from, s) -> (from.equals("b") || from.equals("c")) && s.to().equals("a");
        cluster.elapseMs(DEAD_MS / 2 + 100);
        assertTrue(a.node.membership().isVoter("d"), "a, e answer: 2 of the 4 left, no majority");
        assertEquals(List.of("REMOVAL_HELD d"), decisions.seen);
        assertTrue(decisions.reasons.get(0).contains("majority"), decisions.reasons.get(0));

        cluster.drop = (from, s) -> false;
        cluster.runUntil(() -> !a.node.membership().isMember("d"), DEAD_MS);
        assertEquals(List.of("REMOVAL_HELD d", "REMOVED_DEAD_VOTER d"), decisions.seen);
        assertEquals(Membership.ofVoters("a", "b", "c", "e"), a.node.membership());
    }

    @Test
    @DisplayName("autopilot cleanup: the leader never removes itself, nor anyone while it hears from nobody")
    void shouldNeverRemoveTheLeaderItself() {
        final RaftConfig cfg = fast().checkQuorum(false).minQuorumVoters(1).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        cluster.elapseMs(5 * DEAD_MS);
        assertEquals(List.of(), decisions.seen, "a healthy cluster: nothing to decide");

        cluster.drop = (from, s) -> s.to().equals("a"); // a hears nobody; it stays leader (no check-quorum)
        cluster.elapseMs(3 * DEAD_MS);
        assertTrue(a.node.membership().isVoter("a"), "the leader stays a voter");
        assertEquals(Membership.ofVoters("a", "b", "c"), a.node.membership(), "and removes nobody alone");
        assertFalse(decisions.seen.stream().anyMatch(d -> d.endsWith(" a")), decisions.seen.toString());
        assertTrue(decisions.seen.stream().allMatch(d -> d.startsWith("REMOVAL_HELD")), decisions.seen.toString());
    }

    @Test
    @DisplayName("autopilot cleanup: a learner silent for deadPeerTimeoutMs is removed (it costs the quorum nothing)")
    void shouldRemoveADeadLearner() {
        final RaftConfig cfg = fast().maxVoters(3).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        addLearner(cluster, a, cfg, "d");
        kill(cluster, "d");
        final long killedMs = nowMs(cluster);
        cluster.runUntil(() -> !a.node.membership().isMember("d"), 2 * DEAD_MS);
        assertTrue(nowMs(cluster) - killedMs >= DEAD_MS - 10, "removed after " + (nowMs(cluster) - killedMs) + " ms");
        assertEquals(List.of("REMOVED_DEAD_LEARNER d"), decisions.seen);
        assertEquals(Membership.ofVoters("a", "b", "c"), a.node.membership());
    }

    @Test
    @DisplayName("autopilot cleanup: deadPeerTimeoutMs 0 removes nobody")
    void shouldRemoveNobodyWithCleanupOff() {
        final RaftConfig cfg = fast().deadPeerTimeoutMs(0).minQuorumVoters(1).build();
        final Cluster cluster = cluster(cfg, "a", "b", "c", "d", "e");
        final Decisions decisions = new Decisions();
        decisions.watch(cluster);
        final Peer a = cluster.elect("a");
        kill(cluster, "e");
        cluster.elapseMs(5 * DEAD_MS);
        assertEquals(Membership.ofVoters("a", "b", "c", "d", "e"), a.node.membership());
        assertEquals(List.of(), decisions.seen);
    }

    @Test
    @DisplayName("RaftConfig checks the autopilot settings, naming the field")
    void shouldRejectBadAutopilotSettingsNamingTheField() {
        assertRejected(fast().maxVoters(0), "maxVoters must be greater than 0, was 0");
        assertRejected(fast().minQuorumVoters(0), "minQuorumVoters must be greater than 0, was 0");
        assertRejected(fast().maxVoters(3).minQuorumVoters(4), "minQuorumVoters must be at most maxVoters (3), was 4");
        assertRejected(fast().stabilizationMs(-1), "stabilizationMs must be 0 or positive, was -1");
        assertRejected(fast().deadPeerTimeoutMs(ELECTION_MS - 1),
                "deadPeerTimeoutMs must be 0 (off) or at least electionTimeoutMs (200), was 199");
        final RaftConfig defaults = RaftConfig.builder().build();
        assertEquals(5, defaults.maxVoters());
        assertEquals(3, defaults.minQuorumVoters());
        assertEquals(10_000, defaults.stabilizationMs());
        assertEquals(30_000, defaults.deadPeerTimeoutMs());
    }

    private static void assertRejected(RaftConfig.Builder b, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, b::build).getMessage());
    }
}
