// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic simulations of Raft clusters (DESIGN §10, layer 2): scripted scenarios, and
 * randomized runs over many seeds with the invariants checked after every step.
 * {@code -Dhamok.sim.seeds=N} sets how many seeds the random test runs (default 500);
 * {@code -Dhamok.sim.seed=S} replays seed S alone.
 */
class RaftSimulationTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    private static final long MS = 1_000_000;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldElectOneLeaderWhenThreeNodesStart() {
        final SimCluster cluster = cluster(1, 3);
        cluster.stabilize();
        assertEquals(1, cluster.leaders().size(), cluster.describe());
        final SimNode leader = cluster.leader();
        for (SimNode n : cluster.nodes()) {
            assertEquals(leader.id(), n.raft().leaderId(), n.id() + " follows the leader");
            assertEquals(leader.raft().term(), n.raft().term(), n.id() + " is in the leader's term");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldElectNewLeaderAfterLeaderCrashes() {
        final SimCluster cluster = cluster(2, 3);
        cluster.stabilize();
        assertEquals(20, proposeAll(cluster, 20));
        cluster.stabilize();
        final SimNode old = cluster.leader();
        final long oldTerm = old.raft().term();

        cluster.crash(old.id());
        assertTrue(cluster.runUntil(() -> cluster.leader() != null, 10 * cluster.config().electionTimeoutMs()),
                cluster.describe());

        final SimNode next = cluster.leader();
        assertNotEquals(old.id(), next.id());
        assertTrue(next.raft().term() > oldTerm, "the new leader leads a later term");
        assertEquals(10, proposeAll(cluster, 10));
        cluster.restart(old.id());
        cluster.stabilize();
        final Liveness.Outcome outcome = Liveness.checkProposals(cluster);
        assertEquals(30, outcome.applied(), "every proposal of a stable leader is applied");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldNotCommitInMinorityPartition() {
        final SimCluster cluster = cluster(3, 5);
        cluster.stabilize();
        final SimNode oldLeader = cluster.leader();
        final Set<String> minority = new HashSet<>(Set.of(oldLeader.id()));
        final Set<String> majority = new HashSet<>();
        for (SimNode n : cluster.nodes()) {
            if (n != oldLeader) {
                (minority.size() < 2 ? minority : majority).add(n.id());
            }
        }
        final long commitBefore = oldLeader.raft().commitIndex();
        cluster.partition(minority, majority);

        assertEquals(20, cluster.client().propose(20), "the old leader accepts while it does not know better");
        cluster.runFor(3 * cluster.config().electionTimeoutMs());

        for (String id : minority) {
            assertEquals(commitBefore, cluster.node(id).raft().commitIndex(), id + " committed in a minority");
        }
        for (SimClient.Accepted a : cluster.client().accepted()) {
            assertEquals(Invariants.NONE, cluster.invariants().appliedProposalAt(a.index()), "applied: " + a);
        }
        assertNotEquals(RaftRole.LEADER, oldLeader.raft().role(), "check-quorum made the old leader step down");
        final SimNode newLeader = cluster.leader();
        assertNotNull(newLeader, "the majority elects a leader");
        assertTrue(majority.contains(newLeader.id()), newLeader + " is in the majority");

        cluster.stabilize();
        assertEquals(20, Liveness.checkProposals(cluster).lost(), "the minority's proposals are lost");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldCatchUpRestartedNodeBySnapshot() {
        final SimCluster cluster = cluster(4, 3);
        cluster.stabilize();
        final String follower = cluster.nodes().stream().filter(n -> n != cluster.leader()).findFirst()
                .orElseThrow().id();
        cluster.crash(follower);
        assertEquals(1000, proposeAll(cluster, 1000));
        cluster.stabilize();
        final SimNode leader = cluster.leader();
        assertTrue(leader.logs().firstIndex() > cluster.node(follower).logs().lastIndex() + 1,
                "the leader compacted the entries the follower lacks: " + cluster.describe());

        final int[] snapshotChunks = new int[1];
        cluster.network().filter(e -> {
            if (e.to().equals(follower) && e.message() instanceof SimMessage.InstallSnapshot) {
                snapshotChunks[0]++;
            }
            return true;
        });
        cluster.restart(follower);
        cluster.stabilize();

        assertTrue(snapshotChunks[0] > 0, "the follower received a snapshot");
        final SimNode caughtUp = cluster.node(follower);
        final SimNode now = cluster.leader();
        assertEquals(now.raft().commitIndex(), caughtUp.raft().lastApplied());
        assertEquals(now.stateMachine().value(), caughtUp.stateMachine().value());
        assertEquals(now.stateMachine().historyHash(), caughtUp.stateMachine().historyHash());
        assertEquals(1000, Liveness.checkProposals(cluster).applied());
    }

    /**
     * Issue 8: with write-behind disks, the whole cluster loses power again and again, a few
     * milliseconds after a burst of proposals: each crash loses the writes not yet synced, yet every
     * proposal applied before a crash is applied after it (at the same index), and the rest are lost
     * for good or applied later.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldKeepEveryCommittedEntryWhenTheWholeClusterLosesPower() {
        SEEDS.register(11);
        final SimCluster cluster = new SimCluster(11, 3, SimCluster.defaultConfig(), node -> {
        }, true);
        cluster.stabilize();
        for (int round = 0; round < 30; round++) {
            cluster.client().propose(5);
            cluster.runFor(round % 5);
            for (SimNode n : cluster.nodes()) {
                cluster.crash(n.id());
            }
            for (SimNode n : cluster.nodes()) {
                cluster.restart(n.id());
            }
            cluster.stabilize();
        }
        long lostWrites = 0;
        for (SimNode n : cluster.nodes()) {
            lostWrites += n.disk().lostWrites();
        }
        assertTrue(lostWrites > 0, "the crashes lost unsynced writes");
        final Liveness.Outcome outcome = Liveness.checkProposals(cluster);
        assertTrue(outcome.applied() > 0, outcome.toString());
        assertTrue(outcome.lost() > 0, "proposals not yet durable on a majority were lost: " + outcome);
    }

    /**
     * Issue 11, the autopilot under the invariants: three voters and a learner kept a learner by
     * {@code maxVoters = 3}; a crashed voter is removed after {@code deadPeerTimeoutMs} (and stopped
     * for good once that commits) and the learner is promoted in its place; proposals go on.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReplaceACrashedVoterByTheLearnerWithTheAutopilot() {
        SEEDS.register(12);
        final SimCluster cluster = new SimCluster(12, 3, SimCluster.autopilotConfigBuilder(3, 500, 1500).build(),
                node -> {
                }, true);
        cluster.stabilize();
        assertEquals(MembershipChange.ACCEPTED, cluster.addNode("n4"));
        assertEquals(50, proposeAll(cluster, 50));
        cluster.stabilize();
        cluster.runFor(1000);
        assertTrue(cluster.leader().raft().membership().isLearner("n4"), "kept a learner at maxVoters: "
                + cluster.leader().raft().membership());
        final String victim = cluster.nodes().stream().filter(n -> n != cluster.leader() && !n.id().equals("n4"))
                .findFirst().orElseThrow().id();
        cluster.crash(victim);

        assertTrue(cluster.runUntil(() -> cluster.node(victim).removed() && cluster.leader() != null
                && cluster.leader().raft().membership().isVoter("n4"), 10_000), cluster.describe());
        assertEquals(3, cluster.leader().raft().membership().voters().size());
        assertEquals(1, cluster.autopilotRemovals());
        assertEquals(1, cluster.promotions());
        assertEquals(20, proposeAll(cluster, 20));
        cluster.stabilize();
        assertEquals(70, Liveness.checkProposals(cluster).applied(), "every proposal applied on every live member");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReplayTheSameRunForTheSameSeed() {
        final RandomScenario.Result first = runRandomScenario(7, 5);
        final RandomScenario.Result second = runRandomScenario(7, 5);
        assertEquals(first, second, "a seed names exactly one run");
    }

    /**
     * Issue 7, finding 2: at the end of this run a transfer was pending whose only TimeoutNow had been
     * lost; the leader refused proposals until the transfer timed out, longer than the liveness probe
     * waits. The leader now sends TimeoutNow again once the target answered a later append.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldStayLiveWhenATransfersTimeoutNowIsLostSeed4438() {
        final RandomScenario.Result r = runRandomScenario(4438, nodesFor(4438));
        assertTrue(r.applied() > 0, r.toString());
    }

    /**
     * Issue 8, the cost of the empty-log guard: two nodes crashed at term 0 before anything of theirs
     * was durable, restarted guarded, and after a removal the configuration needed one of them for
     * every majority, so no leader could be elected. The operator's remedy (docs/design.md §4.9),
     * restarting them with {@code skipEmptyLogGuard}, ends it; the run must then pass.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldElectAgainOnceTheOperatorRestartsGuardedVotersSeed878() {
        final RandomScenario.Result r = runRandomScenario(878, nodesFor(878));
        assertTrue(r.operatorRemedies() > 0, "the operator restarted guarded voters: " + r);
        assertTrue(r.applied() > 0, r.toString());
    }

    /**
     * Issue 11, found by the long run with the autopilot: the leader committed a voter's removal (the
     * scenario's; index 555, under the three voters it left) and, in the same flush, promoted the stable learner
     * that takes the freed place (index 556). The durability invariant counted the commit against the
     * four voters of the promotion, which were not yet in force when the commit moved; it now counts the
     * configuration in force at that moment.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldCountTheConfigurationInForceWhenACommitAndAPromotionShareAStepSeed1146() {
        final RandomScenario.Result r = runRandomScenario(1146, nodesFor(1146));
        assertTrue(r.promotions() > 0 && r.applied() > 0, r.toString());
    }

    @Test
    @Tag("simulation")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldStaySafeAndLiveUnderRandomFaults() {
        final Long replay = SimulationSeedExtension.replaySeed();
        if (replay != null) {
            System.out.println(runRandomScenario(replay, nodesFor(replay)));
            return;
        }
        final int seeds = Integer.getInteger("hamok.sim.seeds", 500);
        final long startNs = System.nanoTime();
        long accepted = 0;
        long lost = 0;
        long steps = 0;
        long lostWrites = 0;
        int remedies = 0;
        long promotions = 0;
        long removals = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            final RandomScenario.Result r = runRandomScenario(seed, nodesFor(seed));
            accepted += r.accepted();
            lost += r.lost();
            steps += r.steps();
            lostWrites += r.lostWrites();
            remedies += r.operatorRemedies();
            promotions += r.promotions();
            removals += r.autopilotRemovals();
        }
        System.out.printf("%d seeds: %d proposals accepted (%d lost), %d steps, %d unsynced writes lost in crashes,"
                        + " %d operator restarts of guarded voters, %d promotions, %d autopilot removals,"
                        + " %d ms real time%n", seeds, accepted, lost, steps, lostWrites, remedies, promotions, removals,
                (System.nanoTime() - startNs) / MS);
        if (seeds >= 50) {
            assertTrue(removals > 0, "the autopilot seeds removed dead members");
        }
    }

    /** One randomized run (see {@link RandomScenario}); registers the seed for the failure report. */
    static RandomScenario.Result runRandomScenario(long seed, int nodes) {
        SEEDS.register(seed);
        return RandomScenario.run(seed, nodes, node -> {
        });
    }

    /** Odd seeds run 3 nodes, even seeds 5. */
    static int nodesFor(long seed) {
        return seed % 2 == 1 ? 3 : 5;
    }

    private static SimCluster cluster(long seed, int nodes) {
        SEEDS.register(seed);
        return new SimCluster(seed, nodes);
    }

    /** Proposes {@code count} commands to whoever leads, running the cluster in between; returns how many were accepted. */
    private static int proposeAll(SimCluster cluster, int count) {
        int accepted = 0;
        for (int i = 0; i < 10_000 && accepted < count; i++) {
            accepted += cluster.client().propose(Math.min(10, count - accepted));
            cluster.runFor(10);
        }
        return accepted;
    }
}
