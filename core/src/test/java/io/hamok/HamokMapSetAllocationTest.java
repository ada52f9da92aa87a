package io.hamok;

import io.hamok.raft.RaftConfig;
import io.hamok.transport.LocalNetwork;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
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
 * <p>Three whole {@link Hamok} instances on a {@link LocalNetwork}, each driven by its
 * {@link AgentInvoker} on the test thread with virtual clocks; the bytes are read with
 * {@code ThreadMXBean.getCurrentThreadAllocatedBytes} around each node's duty cycles only, so the
 * test's own work (calling {@code map.set}, which encodes on the caller's thread) is not counted.
 * The count covers everything a loop does per set: Raft, the grid, applying, completing the future
 * and the map's decoding of the previous value in that future (its codec's copy: 80 bytes for a
 * 64-byte {@code byte[]} value), and the periodic work (heartbeats, snapshots every 10,000 entries).
 *
 * <p>{@code HamokMetricsAllocationTest} drives the same rig with the metrics binder bound.
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

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final LocalNetwork network = new LocalNetwork();
    final List<Hamok> nodes = new ArrayList<>();
    private final List<AgentInvoker> invokers = new ArrayList<>();
    private final List<HamokMap<String, byte[]>> maps = new ArrayList<>();
    private long[] allocated;
    private long nowNs = 1_000_000_000L;

    @AfterEach
    void tearDown() {
        nodes.forEach(Hamok::close);
    }

    @Test
    void shouldAllocateAtMostTheBudgetPerSetOnTheLoopsWhenTheClientIsOnTheLeader() {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        startCluster();
        final int leader = leaderIndex();

        final long[] perSet = measure(leader);

        report("client on the leader", leader, perSet);
        assertTrue(perSet[leader] <= BUDGET_BYTES_PER_SET, "leader loop: " + perSet[leader] + " bytes per set");
        for (int n = 0; n < nodes.size(); n++) {
            assertTrue(perSet[n] <= BUDGET_BYTES_PER_SET, "loop of node-" + n + ": " + perSet[n] + " bytes per set");
        }
    }

    @Test
    void shouldAllocateAtMostTheBudgetPerSetOnTheLoopsWhenTheClientIsOnAFollower() {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        startCluster();
        final int leader = leaderIndex();
        final int client = (leader + 1) % nodes.size();

        final long[] perSet = measure(client);

        report("client on a follower", leader, perSet);
        assertTrue(perSet[leader] <= BUDGET_BYTES_PER_SET, "leader loop: " + perSet[leader] + " bytes per set");
        for (int n = 0; n < nodes.size(); n++) {
            assertTrue(perSet[n] <= BUDGET_BYTES_PER_SET, "loop of node-" + n + ": " + perSet[n] + " bytes per set");
        }
    }

    // ------------------------------------------------------------------ harness

    void startCluster() {
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L);
        final List<String> ids = List.of("node-0", "node-1", "node-2");
        final RaftConfig raft = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .build();
        for (int i = 0; i < ids.size(); i++) {
            final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(ids.get(i)).peers(ids)
                    .transport(network.transport(ids.get(i))).raftConfig(raft).clocks(nanoClock, epochClock)
                    .random(new SplittableRandom(42 + i)).requestTimeoutMs(60_000).build());
            maps.add(hamok.createMap(HamokMapConfig.<String, byte[]>builder().mapId("bench")
                    .keyCodec(Codecs.string()).valueCodec(Codecs.bytes()).build()));
            nodes.add(hamok);
            invokers.add(hamok.startInvoker());
        }
        allocated = new long[nodes.size()];
        for (int i = 0; i < 5_000 && leaderIndexOrMinusOne() < 0; i++) {
            step(1_000_000);
        }
        assertTrue(leaderIndexOrMinusOne() >= 0, "no leader elected");
        for (int i = 0; i < 1_000; i++) {
            step(1_000_000); // let every node learn the leader
        }
    }

    /** Runs the warm-up, then the measured sets from node {@code client}; returns loop bytes per set, per node. */
    long[] measure(int client) {
        final HamokMap<String, byte[]> map = maps.get(client);
        run(map, WARMUP_SETS);
        Arrays.fill(allocated, 0);
        final byte[] last = run(map, MEASURED_SETS);
        final long[] perSet = new long[nodes.size()];
        for (int n = 0; n < perSet.length; n++) {
            perSet[n] = allocated[n] / MEASURED_SETS;
        }
        for (int i = 0; i < 100; i++) {
            step(STEP_NS); // every replica applies the last sets
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
            step(STEP_NS);
            while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                inFlight.poll().join();
            }
        }
        return value;
    }

    /** Advances the clocks and runs one duty cycle of every node, counting each node's allocation. */
    private void step(long ns) {
        nowNs += ns;
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L + nowNs / 1_000_000);
        for (int n = 0; n < invokers.size(); n++) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            invokers.get(n).invoke();
            allocated[n] += threads.getCurrentThreadAllocatedBytes() - before;
        }
    }

    int leaderIndex() {
        final int leader = leaderIndexOrMinusOne();
        assertTrue(leader >= 0, "no leader");
        return leader;
    }

    private int leaderIndexOrMinusOne() {
        int leader = -1;
        for (int n = 0; n < nodes.size(); n++) {
            if (nodes.get(n).isLeader()) {
                leader = n;
            }
        }
        if (leader < 0) {
            return -1;
        }
        for (Hamok node : nodes) {
            if (!nodes.get(leader).localPeerId().equals(node.leaderId())) {
                return -1;
            }
        }
        return leader;
    }

    void report(String scenario, int leader, long[] perSet) {
        final StringBuilder line = new StringBuilder("map.set, " + scenario + ": loop bytes per set");
        for (int n = 0; n < perSet.length; n++) {
            line.append(n == leader ? ", leader " : ", follower ").append("node-").append(n).append(' ')
                    .append(perSet[n]);
        }
        System.out.println(line);
    }
}
