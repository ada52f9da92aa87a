// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9's allocation budget for the storage path: at most {@value #BUDGET_BYTES_PER_SET} bytes
 * allocated on a loop thread per {@code map.set} in steady state (MapSetRig's workload: 1,000 keys
 * overwritten with 64-byte values, 64 sets in flight), both for a client on the leader and for a
 * client on a follower, whose sets reach the leader as SUBMIT_MESSAGE_REQUESTs.
 *
 * <p>Three whole {@link Hamok} instances driven on the test thread ({@link LoopAllocationCluster}),
 * counting each node's duty cycles only, so the test's own work (calling {@code map.set}, which
 * encodes on the caller's thread) is not counted.
 * The count covers everything a loop does per set: Raft, the grid, applying, completing the future
 * and the map's decoding of the previous value in that future (its codec's copy: 80 bytes for a
 * 64-byte {@code byte[]} value), and the periodic work (heartbeats, snapshots every 10,000 entries).
 */
@Timeout(300)
class HamokMapSetAllocationTest {
    private static final long BUDGET_BYTES_PER_SET = 100;
    private static final int KEYS = 1_000;
    private static final int VALUE_BYTES = 64;
    private static final int IN_FLIGHT = 64;
    private static final int WARMUP_SETS = 60_000;
    private static final int MEASURED_SETS = 40_000;
    private static final long STEP_NS = 20_000;

    private final List<HamokMap<String, byte[]>> maps = new ArrayList<>();
    LoopAllocationCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAllocateAtMostTheBudgetPerSetOnTheLoopsWhenTheClientIsOnTheLeader() {
        assumeTrue(LoopAllocationCluster.supported());
        startCluster();
        final int leader = cluster.leaderIndex();

        final long[] perSet = measure(leader);

        System.out.println(cluster.report("map.set, client on the leader: loop bytes per set", perSet));
        assertTrue(perSet[leader] <= BUDGET_BYTES_PER_SET, "leader loop: " + perSet[leader] + " bytes per set");
        for (int n = 0; n < perSet.length; n++) {
            assertTrue(perSet[n] <= BUDGET_BYTES_PER_SET, "loop of node-" + n + ": " + perSet[n] + " bytes per set");
        }
    }

    @Test
    void shouldAllocateAtMostTheBudgetPerSetOnTheLoopsWhenTheClientIsOnAFollower() {
        assumeTrue(LoopAllocationCluster.supported());
        startCluster();
        final int leader = cluster.leaderIndex();
        final int client = (leader + 1) % maps.size();

        final long[] perSet = measure(client);

        System.out.println(cluster.report("map.set, client on a follower: loop bytes per set", perSet));
        assertTrue(perSet[leader] <= BUDGET_BYTES_PER_SET, "leader loop: " + perSet[leader] + " bytes per set");
        for (int n = 0; n < perSet.length; n++) {
            assertTrue(perSet[n] <= BUDGET_BYTES_PER_SET, "loop of node-" + n + ": " + perSet[n] + " bytes per set");
        }
    }

    // ------------------------------------------------------------------ harness

    void startCluster() {
        cluster = new LoopAllocationCluster();
        for (Hamok hamok : cluster.nodes()) {
            maps.add(hamok.createMap(HamokMapConfig.<String, byte[]>builder().mapId("bench")
                    .keyCodec(Codecs.string()).valueCodec(Codecs.bytes()).build()));
        }
    }

    /** Runs the warm-up, then the measured sets from node {@code client}; returns loop bytes per set, per node. */
    long[] measure(int client) {
        final HamokMap<String, byte[]> map = maps.get(client);
        run(map, WARMUP_SETS);
        cluster.resetCounts();
        final byte[] last = run(map, MEASURED_SETS);
        final long[] perSet = cluster.perOperation(MEASURED_SETS);
        for (int i = 0; i < 100; i++) {
            cluster.step(STEP_NS); // every replica applies the last sets
        }
        for (HamokMap<String, byte[]> m : maps) {
            assertArrayEquals(last, m.get("key-" + ((MEASURED_SETS - 1) % KEYS)), "replicas agree");
        }
        return perSet;
    }

    /** {@code count} sets of 1,000 keys, {@value #IN_FLIGHT} in flight; returns the last value set. */
    private byte[] run(HamokMap<String, byte[]> map, int count) {
        final ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
        byte[] value = null;
        int issued = 0;
        while (issued < count || !inFlight.isEmpty()) {
            while (issued < count && inFlight.size() < IN_FLIGHT) {
                value = new byte[VALUE_BYTES];
                value[0] = (byte) issued;
                inFlight.add(map.set("key-" + (issued % KEYS), value));
                issued++;
            }
            cluster.step(STEP_NS);
            while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                inFlight.poll().join();
            }
        }
        return value;
    }
}
