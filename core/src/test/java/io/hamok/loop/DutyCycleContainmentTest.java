// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.RaftConfig;
import io.hamok.sim.SimulationSeedExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, finding 1 (second half): an exception in one step of a duty cycle used to skip the rest
 * of the cycle (proposal expiry, publishing the state, completing waiters, the transport flush). Now
 * each step is contained and counted.
 */
@Timeout(60)
class DutyCycleContainmentTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    @Test
    void shouldPublishStateAndCompleteWaitersWhenTheSnapshotStepThrowsOnEveryApply() {
        SEEDS.register(72);
        final RaftConfig config = RaftConfig.builder().snapshotThresholdEntries(1).build();
        try (LocalCluster cluster = new LocalCluster(72, config, RaftLoopSettings.defaults(), "a", "b", "c")) {
            final RaftLoop leader = cluster.awaitStableLeader(20_000);
            for (LocalCluster.Member m : cluster.members()) {
                m.stateMachine().failSnapshots = true;
            }
            final List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                writes.add(leader.propose(("w" + i).getBytes(StandardCharsets.UTF_8)));
                for (int ms = 0; ms < 5; ms++) {
                    cluster.step();
                    for (RaftLoop loop : cluster.loops()) {
                        assertEquals(loop.node().lastApplied(), loop.lastApplied(),
                                loop.peerId() + " published what it applied in the same cycle");
                    }
                }
            }
            assertTrue(cluster.runUntil(() -> writes.stream().allMatch(CompletableFuture::isDone), 2_000),
                    cluster::describe);
            final long last = writes.get(writes.size() - 1).join();
            final List<CompletableFuture<Long>> applied = cluster.loops().stream().map(l -> l.awaitApplied(last))
                    .toList();
            assertTrue(cluster.runUntil(() -> applied.stream().allMatch(CompletableFuture::isDone), 2_000),
                    cluster::describe);
            for (RaftLoop loop : cluster.loops()) {
                assertEquals(last, loop.lastApplied(), "published after a failing apply step: " + cluster.describe());
                assertTrue(loop.counters().errors() > 0, loop.peerId() + " counted its failures");
                assertEquals(loop.counters().errors(), loop.faults().failures(DutyCycleFaults.Step.APPLY));
            }
        }
    }
}
