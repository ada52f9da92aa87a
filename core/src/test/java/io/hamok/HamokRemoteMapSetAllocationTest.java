// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.remotemap.MemoryRemoteMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a loop thread allocates per {@code HamokRemoteMap.set} in steady state (1,000 keys overwritten
 * with 64-byte values, 64 sets in flight, the client on a follower), measured as
 * {@link HamokMapSetAllocationTest} measures a map's (a {@link LoopAllocationCluster}): on a follower
 * at most {@value #FOLLOWER_BUDGET_BYTES_PER_SET} bytes (about 300 to 400 measured: the pending
 * mutation, its key and value arrays and its holder, then the old value out of the outcome entry: the
 * items themselves), on the leader at most {@value #LEADER_BUDGET_BYTES_PER_SET} bytes (about 1,100:
 * the same, plus the store call: the {@link RemoteMap}'s future and result, the answer handed back to
 * the loop, the outcome entry's lists). The store is a {@link MemoryRemoteMap}, which completes at
 * once; a real store's client allocates more, on its own threads.
 */
@Timeout(300)
class HamokRemoteMapSetAllocationTest {
    private static final long FOLLOWER_BUDGET_BYTES_PER_SET = 512;
    private static final long LEADER_BUDGET_BYTES_PER_SET = 2_000;
    private static final int WARMUP_SETS = 30_000;
    private static final int MEASURED_SETS = 20_000;

    private final MemoryRemoteMap store = new MemoryRemoteMap();
    private final List<HamokRemoteMap<String, byte[]>> maps = new ArrayList<>();
    private LoopAllocationCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAllocateOnlyTheItemsOnFollowersAndABoundedAmountOnTheLeader() throws Exception {
        assumeTrue(LoopAllocationCluster.supported());
        cluster = new LoopAllocationCluster(hamok -> maps.add(hamok.createRemoteMap(HamokRemoteMapConfig
                .<String, byte[]>builder().mapId("bench").keyCodec(Codecs.string()).valueCodec(Codecs.bytes())
                .remoteMap(store).requestTimeoutMs(60_000).build())));
        final int leader = cluster.leaderIndex();
        final HamokRemoteMap<String, byte[]> map = maps.get((leader + 1) % 3);

        final long[] perSet = cluster.measure(map::set, WARMUP_SETS, MEASURED_SETS);

        System.out.println(cluster.report("remoteMap.set, client on a follower", perSet));
        assertArrayEquals(cluster.lastValue(), map.get(LoopAllocationCluster.lastKey(MEASURED_SETS)).get(),
                "the store has the last value");
        for (int n = 0; n < perSet.length; n++) {
            final long budget = n == leader ? LEADER_BUDGET_BYTES_PER_SET : FOLLOWER_BUDGET_BYTES_PER_SET;
            assertTrue(perSet[n] <= budget, "loop of node-" + n + (n == leader ? " (leader)" : "") + ": " + perSet[n]
                    + " bytes per set, budget " + budget);
        }
    }
}
