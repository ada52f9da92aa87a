package io.hamok;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9's allocation budget for the storage path: at most {@value #BUDGET_BYTES_PER_SET} bytes
 * allocated on a loop thread per {@code map.set} in steady state (MapSetRig's workload: 1,000 keys
 * overwritten with 64-byte values, 64 sets in flight), both for a client on the leader and for a
 * client on a follower, whose sets reach the leader as SUBMIT_MESSAGE_REQUESTs.
 *
 * <p>The cluster is a {@link LoopAllocationCluster}. The count covers everything a loop does per set: Raft, the grid, applying, completing the future
 * and the map's decoding of the previous value in that future (its codec's copy: 80 bytes for a
 * 64-byte {@code byte[]} value), and the periodic work (heartbeats, snapshots every 10,000 entries).
 */
@Timeout(300)
class HamokMapSetAllocationTest {
    private static final long BUDGET_BYTES_PER_SET = 100;
    private static final int WARMUP_SETS = 60_000;
    private static final int MEASURED_SETS = 40_000;

    private final List<HamokMap<String, byte[]>> maps = new ArrayList<>();
    private LoopAllocationCluster cluster;

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
        check("client on the leader", cluster.leaderIndex());
    }

    @Test
    void shouldAllocateAtMostTheBudgetPerSetOnTheLoopsWhenTheClientIsOnAFollower() {
        assumeTrue(LoopAllocationCluster.supported());
        startCluster();
        check("client on a follower", (cluster.leaderIndex() + 1) % 3);
    }

    private void startCluster() {
        cluster = new LoopAllocationCluster(hamok -> maps.add(hamok.createMap(HamokMapConfig.<String, byte[]>builder()
                .mapId("bench").keyCodec(Codecs.string()).valueCodec(Codecs.bytes()).build())));
    }

    private void check(String scenario, int client) {
        final HamokMap<String, byte[]> map = maps.get(client);
        final long[] perSet = cluster.measure(map::set, WARMUP_SETS, MEASURED_SETS);
        System.out.println(cluster.report("map.set, " + scenario, perSet));
        for (HamokMap<String, byte[]> m : maps) {
            assertArrayEquals(cluster.lastValue(), m.get(LoopAllocationCluster.lastKey(MEASURED_SETS)), "replicas agree");
        }
        for (int n = 0; n < perSet.length; n++) {
            assertTrue(perSet[n] <= BUDGET_BYTES_PER_SET, "loop of node-" + n + ": " + perSet[n] + " bytes per set");
        }
    }
}
