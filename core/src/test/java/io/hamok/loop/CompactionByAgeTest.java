// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLogs;
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
 * Issue 7, finding 1: compaction by age (the original's {@code logEntriesExpirationTimeInMs}) threw on
 * every apply from the second age-triggered snapshot on, skipping the rest of every duty cycle and
 * stopping compaction for good. Three loops, entries expiring after 1 s, one write every 20 ms.
 */
@Timeout(60)
class CompactionByAgeTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    @Test
    void shouldKeepCompactingByAgeWithoutErrorsWhileWritesGoOn() {
        SEEDS.register(71);
        final RaftConfig config = RaftConfig.builder().logEntriesExpirationTimeMs(1_000).build();
        try (LocalCluster cluster = new LocalCluster(71, config, RaftLoopSettings.defaults(), "a", "b", "c")) {
            final RaftLoop leader = cluster.awaitStableLeader(20_000);
            final List<CompletableFuture<Long>> writes = new ArrayList<>();
            final long[] firstIndexAfterEachSecond = new long[10];
            for (int second = 0; second < 10; second++) {
                for (int i = 0; i < 50; i++) {
                    writes.add(leader.propose(("w" + second + "-" + i).getBytes(StandardCharsets.UTF_8)));
                    cluster.runFor(20);
                }
                firstIndexAfterEachSecond[second] = leader.node().logs().firstIndex();
            }
            assertTrue(cluster.runUntil(() -> writes.stream().allMatch(CompletableFuture::isDone), 5_000),
                    cluster::describe);
            assertTrue(writes.stream().noneMatch(CompletableFuture::isCompletedExceptionally), cluster::describe);
            for (RaftLoop loop : cluster.loops()) {
                assertEquals(0, loop.counters().errors(), loop.peerId() + ": " + cluster.describe());
                final RaftLogs logs = loop.node().logs();
                assertTrue(logs.snapshotIndex() > 400, loop.peerId() + " snapshot at " + logs.snapshotIndex());
                final long snapshots = loop.node().snapshotsTaken();
                assertTrue(snapshots >= 5 && snapshots <= 25, loop.peerId() + " snapshots by age at most every"
                        + " half expiration time, took " + snapshots);
                assertTrue(logs.lastIndex() - logs.firstIndex() < 150,
                        loop.peerId() + " keeps about a second of log, holds " + logs.firstIndex() + ".."
                                + logs.lastIndex());
            }
            for (int s = 3; s < 10; s++) {
                assertTrue(firstIndexAfterEachSecond[s] > firstIndexAfterEachSecond[s - 1],
                        "compaction goes on in second " + s + ": " + java.util.Arrays.toString(firstIndexAfterEachSecond));
            }
        }
    }
}
