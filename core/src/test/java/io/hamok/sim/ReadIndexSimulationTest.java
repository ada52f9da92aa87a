// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.Membership;
import io.hamok.raft.RaftListener;
import io.hamok.raft.RaftNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReadIndex (thesis §6.4) under random faults: clients ask every node that believes it leads (stale
 * leaders in minority partitions included) for read indexes while proposals, loss, duplication,
 * delay, reordering, partitions, crashes, restarts and leadership transfers go on. Whenever a read
 * is released with index i, every entry any node committed before the read was requested has an
 * index of at most i: the read point is linearizable. The check is one comparison per read, against
 * the highest committed index the {@link Invariants} had seen when the read was requested.
 * {@code -Dhamok.sim.readSeeds=N} sets the number of seeds (default 200);
 * {@code -Dhamok.sim.seed=S} replays seed S alone.
 */
@DisplayName("Thesis §6.4 ReadIndex stays linearizable under random faults")
class ReadIndexSimulationTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    private static final long MS = 1_000_000;
    /** Virtual time of the faulty part of a run. */
    private static final long RUN_MS = 8_000;

    /** Every read of one run, by context (0, 1, 2, ...): what had committed when it was requested, and its fate. */
    private static final class ReadLog {
        private SimCluster cluster;
        private long[] committedBefore = new long[1024];
        private byte[] fate = new byte[1024];
        private int count;
        long released;
        long failed;

        /** Asks {@code node} for a read; true when it queued it. */
        boolean request(SimNode node) {
            if (count == committedBefore.length) {
                committedBefore = Arrays.copyOf(committedBefore, count * 2);
                fate = Arrays.copyOf(fate, count * 2);
            }
            committedBefore[count] = cluster.invariants().maxCommitted();
            fate[count] = 0;
            if (!node.raft().requestReadIndex(count)) {
                return false;
            }
            count++;
            return true;
        }

        RaftListener listenerFor(String nodeId) {
            return new RaftListener() {
                @Override
                public void onReadIndex(long context, long readIndex) {
                    settle(context, (byte) 1, nodeId);
                    released++;
                    if (readIndex < committedBefore[(int) context]) {
                        throw new AssertionError("linearizability: " + nodeId + " released read " + context
                                + " with read index " + readIndex + ", but index " + committedBefore[(int) context]
                                + " was committed before the read was requested; " + cluster.describe());
                    }
                }

                @Override
                public void onReadIndexFailed(long context) {
                    settle(context, (byte) 2, nodeId);
                    failed++;
                }
            };
        }

        private void settle(long context, byte outcome, String nodeId) {
            if (context < 0 || context >= count || fate[(int) context] != 0) {
                throw new AssertionError(nodeId + " answered read " + context + " twice or unasked; "
                        + cluster.describe());
            }
            fate[(int) context] = outcome;
        }

        boolean releasedRead(int context) {
            return fate[context] == 1;
        }

        boolean settledRead(int context) {
            return fate[context] != 0;
        }
    }

    @Test
    @Tag("simulation")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldReleaseReadsOnlyAtLinearizableIndexWhenFaultsStrike() {
        final Long replay = SimulationSeedExtension.replaySeed();
        final int seeds = Integer.getInteger("hamok.sim.readSeeds", 200);
        long released = 0;
        long failed = 0;
        final long startNs = System.nanoTime();
        for (long seed = 1; seed <= (replay == null ? seeds : 1); seed++) {
            final long s = replay == null ? seed : replay;
            final ReadLog reads = run(s, s % 2 == 1 ? 3 : 5);
            released += reads.released;
            failed += reads.failed;
        }
        System.out.printf("read index: %d reads released, %d failed, %d ms real time%n", released, failed,
                (System.nanoTime() - startNs) / MS);
        assertTrue(released > 0, "reads were released");
    }

    private static ReadLog run(long seed, int nodes) {
        SEEDS.register(seed);
        final ReadLog reads = new ReadLog();
        final SimCluster cluster = new SimCluster(seed, nodes, SimCluster.defaultConfig(),
                node -> node.listener(reads.listenerFor(node.id())));
        reads.cluster = cluster; // no read is asked for before this
        final Faults faults = new Faults(cluster, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 7));
        final SplittableRandom random = new SplittableRandom(seed);
        long nextFaultNs = (200 + random.nextInt(800)) * MS;
        while (cluster.nowNs() < RUN_MS * MS) {
            cluster.runFor(1 + random.nextInt(20));
            cluster.client().propose(random.nextInt(3));
            for (SimNode leader : cluster.leaders()) { // stale leaders too
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    reads.request(leader);
                }
                leader.raft().flush();
                cluster.settle(leader);
            }
            if (cluster.nowNs() >= nextFaultNs) {
                faults.strike();
                nextFaultNs = cluster.nowNs() + (100 + random.nextInt(900)) * MS;
            }
        }
        cluster.heal();
        cluster.calm();
        for (SimNode n : cluster.nodes()) {
            if (!n.alive() && !n.removed()) {
                cluster.restart(n.id());
            }
        }
        // Liveness: a read on the current leader is released. A leader deposed after the faults healed
        // (a late transfer or a delayed vote, seed 668) fails its read, as it must: ask the next leader.
        for (int attempt = 0; attempt < 3; attempt++) {
            cluster.stabilize();
            final SimNode leader = cluster.leader();
            final int last = reads.count;
            if (!reads.request(leader)) {
                throw new AssertionError("the stable leader refused a read; " + cluster.describe());
            }
            leader.raft().flush();
            cluster.settle(leader);
            cluster.runUntil(() -> reads.settledRead(last), 10L * cluster.config().electionTimeoutMs());
            if (reads.releasedRead(last)) {
                return reads;
            }
        }
        throw new AssertionError("liveness: three leaders in a row did not release a read; " + cluster.describe());
    }

    /** The fault vocabulary of {@link RandomScenario}, drawn from its own seeded generator. */
    private static final class Faults {
        private final SimCluster cluster;
        private final SplittableRandom random;

        Faults(SimCluster cluster, SplittableRandom random) {
            this.cluster = cluster;
            this.random = random;
        }

        void strike() {
            final int roll = random.nextInt(100);
            if (roll < 20) {
                cluster.heal();
            } else if (roll < 32) {
                final double[] drops = {0, 0.01, 0.05, 0.15, 0.3};
                final double[] duplicates = {0, 0.01, 0.05, 0.2};
                final long[] jitters = {0, 5, 20, 100};
                cluster.drop(drops[random.nextInt(drops.length)])
                        .duplicate(duplicates[random.nextInt(duplicates.length)])
                        .delay(random.nextInt(6), jitters[random.nextInt(jitters.length)])
                        .reorder(random.nextInt(3) == 0 ? 0.1 : 0, 50);
            } else if (roll < 36) {
                cluster.delay(50 + random.nextInt(300), random.nextInt(900)).reorder(0.2, 500);
            } else if (roll < 42) {
                cluster.slow(randomNode(true), 500 + random.nextInt(2000));
            } else if (roll < 50) {
                partition();
            } else if (roll < 56) {
                cluster.isolate(randomNode(true));
            } else if (roll < 60) {
                cluster.cut(randomNode(true), randomNode(true));
            } else if (roll < 70) {
                crash();
            } else if (roll < 80) {
                restart();
            } else if (roll < 90) {
                transfer();
            } else {
                cluster.calm();
            }
        }

        private void partition() {
            final List<String> ids = new ArrayList<>();
            for (SimNode n : cluster.nodes()) {
                if (!n.removed()) {
                    ids.add(n.id());
                }
            }
            for (int i = ids.size() - 1; i > 0; i--) {
                final int j = random.nextInt(i + 1);
                ids.set(j, ids.set(i, ids.get(j)));
            }
            final int cut = 1 + random.nextInt(Math.max(1, ids.size() - 1));
            cluster.partition(new HashSet<>(ids.subList(0, cut)), new HashSet<>(ids.subList(cut, ids.size())));
        }

        private void crash() {
            final SimNode leader = cluster.leader();
            if (leader == null) {
                return;
            }
            final Membership m = leader.raft().membership();
            int liveVoters = 0;
            for (String v : m.voters()) {
                if (cluster.node(v).alive()) {
                    liveVoters++;
                }
            }
            if (liveVoters - 1 < m.quorum()) {
                return;
            }
            final String victim = random.nextInt(3) == 0 ? leader.id() : randomNode(false);
            if (victim != null) {
                cluster.crash(victim);
            }
        }

        private void restart() {
            final List<String> crashed = new ArrayList<>();
            for (SimNode n : cluster.nodes()) {
                if (!n.alive() && !n.removed()) {
                    crashed.add(n.id());
                }
            }
            if (!crashed.isEmpty()) {
                cluster.restart(crashed.get(random.nextInt(crashed.size())));
            }
        }

        private void transfer() {
            final SimNode leader = cluster.leader();
            if (leader == null) {
                return;
            }
            final List<String> voters = new ArrayList<>(leader.raft().membership().voters());
            voters.remove(leader.id());
            if (!voters.isEmpty()) {
                cluster.transferLeadership(voters.get(random.nextInt(voters.size())));
            }
        }

        private String randomNode(boolean includeCrashed) {
            final List<String> ids = new ArrayList<>();
            for (SimNode n : cluster.nodes()) {
                if (!n.removed() && (includeCrashed || n.alive())) {
                    ids.add(n.id());
                }
            }
            return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
        }
    }
}
