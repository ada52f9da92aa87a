// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.HamokSimCluster.Node;
import io.hamok.sim.SimulationSeedExtension;
import io.hamok.wire.proto.MessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic simulations of whole Hamok instances whose membership changes (issue 11): beside the
 * writes, reads and faults of {@link HamokSimulationTest}, peers join through seeds, members leave,
 * departed ids join again, and departed members are cleaned up, on a network whose links follow
 * what each transport knows, as on TCP ({@link HamokSimNetwork#modelLinks}). Checked: one leader
 * per term, no acknowledged write lost ({@link HamokSimChecker}), one configuration change at a
 * time and the same configurations committed everywhere ({@link HamokSimCluster}), and every join,
 * leave and clean-up that reported success reflected in the final committed configuration
 * ({@link HamokSimMembership}). {@code -Dhamok.sim.memberSeeds=N} sets how many seeds run (default
 * 500); {@code -Dhamok.sim.seed=S} replays seed S alone.
 */
@Tag("simulation")
class HamokMembershipSimulationTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    /** Virtual milliseconds of operations, faults and membership changes per seed. */
    static final long WORKLOAD_MS = 6_000;
    /** Operations issued per seed (about). */
    static final int OPS_PER_SEED = 300;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldKeepEveryAcknowledgedWriteAndEveryMembershipChangeUnderJoinsLeavesAndFaults() {
        final Long replay = SimulationSeedExtension.replaySeed();
        if (replay != null) {
            System.out.println(runSeed(replay));
            return;
        }
        final int seeds = Integer.getInteger("hamok.sim.memberSeeds", 500);
        final HamokSimTotals t = HamokSimTotals.run(seeds, HamokMembershipSimulationTest::runSeed);
        SEEDS.clear();
        System.out.printf("%d membership seeds: %d joins, %d leaves, %d rejoins under an old id, %d clean-ups, %d"
                        + " changes failed; %d ops (%d acknowledged, failed %s), %d crashes, %d virtual s, %d ms real"
                        + " time (%d ms CPU)%n", seeds, t.membership[0], t.membership[1], t.membership[2],
                t.membership[3], t.membership[4], t.ops, t.acknowledged, t.failures, t.crashes, t.virtualMs / 1000,
                t.realMs, t.cpuMs);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReplayTheSameMembershipRunForTheSameSeed() {
        HamokSimTotals.assertReplays(runSeed(17), runSeed(17));
    }

    /**
     * Issue 11, the leave gap: a follower asks for its own removal, the leader appends it and fails
     * before the entry reaches anyone. {@code leave()} used to report success once the entry was in
     * the leader's log, and the removal was lost with it. Now it waits: the next leader (which lacks
     * the entry) is asked again and removes it anew, but cannot commit that without the failed leader
     * (two voters left in the new configuration); the leave reports success only once the restarted
     * leader helps commit it.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportALeaveOnlyOnceItsRemovalIsCommittedWhenTheLeaderFailsRightAfterAppendingIt() {
        for (long seed = 601; seed <= 605; seed++) {
            leaveWhileTheLeaderFails(seed, (leader, other) -> f -> !(f.from().equals(leader.id) // its entries reach nobody
                            && f.type() == MessageType.RAFT_APPEND_ENTRIES_REQUEST && f.message().getEntriesCount() > 0),
                    (leader, other) -> leader);
        }
    }

    /**
     * The other side of the gap: the removal reached the other follower (uncommitted there) and the
     * leader failed before it heard the acknowledgement. The follower cannot be elected without the
     * failed leader (its configuration has two voters), and the leaving peer is no voter there: the leave
     * waits, asking, from outside the configuration, whoever leads next, and hears UNCHANGED once that
     * leader committed the entry.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportALeaveOnceAnUncommittedRemovalIsCommittedByTheNextLeader() {
        for (long seed = 611; seed <= 615; seed++) {
            leaveWhileTheLeaderFails(seed, (leader, other) -> f -> !(f.from().equals(other.id) // acknowledgements lost
                            && f.to().equals(leader.id) && f.type() == MessageType.RAFT_APPEND_ENTRIES_RESPONSE),
                    (leader, other) -> other);
        }
    }

    /**
     * A follower leaves while {@code drop} (given the leader and the other follower) keeps its removal
     * from committing; once the peer {@code holder} names holds the removal, the leader crashes. For
     * 3 s the leave must not complete and every member's committed configuration still names the peer;
     * after the leader restarts, the leave completes and the peer is out of the committed configuration.
     */
    private static void leaveWhileTheLeaderFails(long seed, BiFunction<Node, Node, HamokSimNetwork.Filter> drop,
                                                 BiFunction<Node, Node, Node> holder) {
        SEEDS.register(seed);
        final HamokSimCluster cluster = membershipCluster(seed);
        final Node leader = cluster.leader();
        final Node leaving = followers(cluster).get(0);
        final Node other = followers(cluster).get(1);
        cluster.network().filter(drop.apply(leader, other));
        final CompletableFuture<Void> left = cluster.leave(leaving, 20_000);
        final Node appended = holder.apply(leader, other);
        assertTrue(cluster.runUntil(() -> !appended.hamok().loop().node().membership().isMember(leaving.id), 3_000),
                appended.id + " holds the removal: " + cluster.describe());
        cluster.crash(leader);
        cluster.network().filter(null);

        cluster.runFor(3_000);
        assertFalse(left.isDone(), "no leave reported while the removal cannot commit: " + cluster.describe());
        assertTrue(leaving.alive());
        for (Node n : cluster.liveNodes()) {
            assertTrue(committedConfiguration(n).isMember(leaving.id), n.id + ": the removal is not committed");
        }

        cluster.restart(leader);
        assertTrue(cluster.runUntil(left::isDone, 10_000), "the leave finished: " + cluster.describe());
        left.join(); // success
        assertFalse(leaving.alive(), "closed");
        assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
        assertFalse(committedConfiguration(cluster.leader()).isMember(leaving.id), "out of the committed configuration");
        assertEquals(List.of(), cluster.violations());
    }

    /**
     * Reference §10.3, scenarios 2, 4 and 6 in our terms (common-3-peers, join-leave-rejoin-2, rollout):
     * ten rounds of a blue/green rollout of the leader, from three founders and from two (a two-voter
     * quorum after every leave). Each round a new instance joins through the seeds of the members that
     * run, becomes a voter, and the current leader leaves (handing leadership over). After each round one
     * leader leads a new term, and every member has the same committed configuration: exactly the
     * instances that run. A write in every round is acknowledged and kept.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRollOutTheLeaderTenTimesWithNewInstancesJoiningThroughSeeds() {
        rollOutTheLeader(621, 3);
        rollOutTheLeader(622, 2);
    }

    private static void rollOutTheLeader(long seed, int founders) {
        SEEDS.register(seed);
        final HamokSimCluster cluster = new HamokSimCluster(seed, founders);
        final HamokSimWorkload w = new HamokSimWorkload(cluster); // before the start: it opens the storages
        cluster.withAddresses(true);
        cluster.network().modelLinks(true);
        cluster.start();
        assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
        final List<HamokSimOp> writes = new ArrayList<>();
        long term = cluster.leader().hamok().loop().term();
        for (int round = 0; round < 10; round++) {
            final List<String> seeds = cluster.liveNodes().stream().map(n -> n.id).toList();
            final Node fresh = cluster.addJoiner("peer-" + cluster.nodes().size(), seeds);
            assertTrue(cluster.runUntil(() -> fresh.joined().isDone(), 10_000), "joined: " + cluster.describe());
            fresh.joined().join();
            assertTrue(cluster.runUntil(() -> committedConfiguration(cluster.leader()).isVoter(fresh.id), 5_000),
                    fresh.id + " votes: " + cluster.describe());
            final Node leader = cluster.leader();
            final CompletableFuture<Void> left = cluster.leave(leader, 10_000);
            assertTrue(cluster.runUntil(left::isDone, 10_000), "the leader left: " + cluster.describe());
            left.join();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            final Node next = cluster.leader();
            assertTrue(next.hamok().loop().term() > term, "a new leader of a later term in round " + round);
            term = next.hamok().loop().term();
            final List<String> running = cluster.liveNodes().stream().map(n -> n.id).sorted().toList();
            for (Node n : cluster.liveNodes()) {
                final io.hamok.raft.Membership c = committedConfiguration(n);
                final List<String> members = new ArrayList<>(c.voters());
                members.addAll(c.learners());
                assertEquals(running, members.stream().sorted().toList(), n.id + " in round " + round);
            }
            writes.add(w.issue(w.replica(next), HamokSimOp.Kind.MAP_SET, "round-" + round, null));
            assertTrue(w.awaitOps(3_000), cluster.describe());
        }
        assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
        for (HamokSimOp op : writes) {
            assertEquals(HamokSimOp.Status.ACKNOWLEDGED, op.status, op.toString());
            for (Node n : cluster.liveNodes()) {
                assertEquals(Long.valueOf(op.id), w.replica(n).map.get(op.key), n.id + " has " + op);
            }
        }
        assertEquals(List.of(), cluster.violations());
    }

    /**
     * Reference §10.3, scenario 5 in our terms (common-reelection): ten rounds in which member
     * {@code i mod 3} leaves (the leader among them, handing over), the other two keep a leader, and the
     * same id joins again, a new instance on an empty disk knowing only seeds; it follows that leader.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldLetEachMemberLeaveAndJoinAgainUnderItsIdTenTimes() {
        final long seed = 631;
        SEEDS.register(seed);
        final HamokSimCluster cluster = membershipCluster(seed);
        for (int round = 0; round < 10; round++) {
            final Node leaving = cluster.node(round % 3);
            final CompletableFuture<Void> left = cluster.leave(leaving, 10_000);
            assertTrue(cluster.runUntil(left::isDone, 10_000), "left in round " + round + ": " + cluster.describe());
            left.join();
            assertTrue(cluster.stabilize(50, 5_000), "a leader among the other two: " + cluster.describe());
            final Node leader = cluster.leader();
            final List<String> seeds = cluster.liveNodes().stream().map(n -> n.id).toList();
            cluster.rejoin(leaving, seeds);
            assertTrue(cluster.runUntil(() -> leaving.joined().isDone(), 10_000), cluster.describe());
            leaving.joined().join();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            assertEquals(leader.id, leaving.hamok().leaderId(), "the same id rejoined as a follower in round " + round);
            assertTrue(committedConfiguration(cluster.leader()).isMember(leaving.id));
        }
        assertEquals(List.of(), cluster.violations());
    }

    /**
     * The seeds that found bugs while this simulation was built, replayed with the scenario length they
     * ran with then (3 virtual s, 120 ops; 6 s, 300 ops for seed 405). What they found:
     * <ul>
     *   <li>28: a peer asked to leave before any leader existed, became leader itself and removed itself
     *       without handing over; a voter that never held a log (empty-log guard) could then not elect
     *       anyone. A leader that leaves now hands over whenever it leads; the scenario counts guarded
     *       voters as unavailable.</li>
     *   <li>62: a second leave started while the first was pending left a quorum of dead voters: the
     *       scenario counts leaving voters as gone.</li>
     *   <li>37, 158: a member that missed the joins that brought the current leader could not be
     *       reached by it (it knew only its old configuration): a member without a leader for long asks
     *       the members it knows and its seeds where the cluster is.</li>
     *   <li>450: a late copy of a join request (held in a paused relay) added back a peer that had joined
     *       and left: join requests carry the joiner's incarnation.</li>
     *   <li>1219: a joiner that crashed after a failed leader appended its addition waited for a leader
     *       forever: an instance without a peer list always asks through its seeds.</li>
     *   <li>405: a member stayed without a leader after the heal, before removed peers stayed reachable
     *       for a while after their removal committed and a leaving peer asked every member.</li>
     * </ul>
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldPassTheSeedsThatFoundBugs() {
        for (long seed : new long[]{28, 37, 62, 158, 450, 1219}) {
            SEEDS.register(seed);
            HamokSimWorkload.membershipRun(seed, 3_000, 120).finish();
        }
        SEEDS.register(405);
        HamokSimWorkload.membershipRun(405, 6_000, 300).finish();
    }

    /** Three founders with addresses, links as on TCP, settled with a leader. */
    private static HamokSimCluster membershipCluster(long seed) {
        final HamokSimCluster cluster = new HamokSimCluster(seed, 3);
        cluster.withAddresses(true);
        cluster.network().modelLinks(true);
        cluster.start();
        assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
        return cluster;
    }

    private static List<Node> followers(HamokSimCluster cluster) {
        final List<Node> out = new ArrayList<>(cluster.liveNodes());
        out.remove(cluster.leader());
        return out;
    }

    private static io.hamok.raft.Membership committedConfiguration(Node n) {
        return n.hamok().loop().node().membershipAt(n.hamok().loop().commitIndex());
    }

    /** One membership run; registers the seed for the failure report. */
    static HamokSimWorkload.Result runSeed(long seed) {
        SEEDS.register(seed);
        return HamokSimWorkload.membershipRun(seed, WORKLOAD_MS, OPS_PER_SEED).finish();
    }

}
