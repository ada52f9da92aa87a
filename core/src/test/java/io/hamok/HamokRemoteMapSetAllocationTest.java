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
 * What a loop thread allocates per {@code HamokRemoteMap.set} in steady state (1,000 keys overwritten
 * with 64-byte values, 64 sets in flight, the client on a follower), measured as
 * {@link HamokMapSetAllocationTest} measures a map's: on a follower at most
 * {@value #FOLLOWER_BUDGET_BYTES_PER_SET} bytes (the pending mutation, its key and value arrays and its
 * holder, then the old value out of the outcome entry: the items themselves), on the leader at most
 * {@value #LEADER_BUDGET_BYTES_PER_SET} bytes (the same, plus the store call: the {@link RemoteMap}'s
 * future and result, the answer handed back to the loop, the outcome entry's lists). The store is a
 * {@link MemoryRemoteMap}, which completes at once; a real store's client allocates more, on its own
 * threads.
 *
 * <p>Three whole {@link Hamok} instances on a {@link LocalNetwork}, each driven by its
 * {@link AgentInvoker} on the test thread with virtual clocks; the bytes are read with
 * {@code ThreadMXBean.getCurrentThreadAllocatedBytes} around each node's duty cycles only, so the
 * test's own work (calling {@code map.set}, which encodes on the caller's thread) is not counted.
 * The count covers everything a loop does per set: Raft, the grid, applying, completing the future
 * and the map's decoding of the previous value in that future (its codec's copy: 80 bytes for a
 * 64-byte {@code byte[]} value), and the periodic work (heartbeats, snapshots every 10,000 entries).
 */
@Timeout(300)
class HamokRemoteMapSetAllocationTest {
    private static final long FOLLOWER_BUDGET_BYTES_PER_SET = 450;
    private static final long LEADER_BUDGET_BYTES_PER_SET = 2_000;
    private static final int KEYS = 1_000;
    private static final int VALUE_BYTES = 64;
    private static final int IN_FLIGHT = 64;
    private static final int WARMUP_SETS = 30_000;
    private static final int MEASURED_SETS = 20_000;
    private static final long STEP_NS = 20_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final LocalNetwork network = new LocalNetwork();
    private final List<Hamok> nodes = new ArrayList<>();
    private final List<AgentInvoker> invokers = new ArrayList<>();
    private final List<HamokRemoteMap<String, byte[]>> maps = new ArrayList<>();
    private final MemoryRemoteMap store = new MemoryRemoteMap();
    private long[] allocated;
    private long nowNs = 1_000_000_000L;

    @AfterEach
    void tearDown() {
        nodes.forEach(Hamok::close);
    }

    @Test
    void shouldAllocateOnlyTheItemsOnFollowersAndABoundedAmountOnTheLeader() {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        startCluster();
        final int leader = leaderIndex();
        final int client = (leader + 1) % nodes.size();

        final long[] perSet = measure(client);

        report("client on a follower", leader, perSet);
        for (int n = 0; n < nodes.size(); n++) {
            final long budget = n == leader ? LEADER_BUDGET_BYTES_PER_SET : FOLLOWER_BUDGET_BYTES_PER_SET;
            assertTrue(perSet[n] <= budget, "loop of node-" + n + (n == leader ? " (leader)" : "") + ": " + perSet[n]
                    + " bytes per set, budget " + budget);
        }
    }

    // ------------------------------------------------------------------ harness

    private void startCluster() {
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L);
        final List<String> ids = List.of("node-0", "node-1", "node-2");
        final RaftConfig raft = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .build();
        for (int i = 0; i < ids.size(); i++) {
            final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(ids.get(i)).peers(ids)
                    .transport(network.transport(ids.get(i))).raftConfig(raft).clocks(nanoClock, epochClock)
                    .random(new SplittableRandom(42 + i)).requestTimeoutMs(60_000).build());
            maps.add(hamok.createRemoteMap(HamokRemoteMapConfig.<String, byte[]>builder().mapId("bench")
                    .keyCodec(Codecs.string()).valueCodec(Codecs.bytes()).remoteMap(store).requestTimeoutMs(60_000)
                    .build()));
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
    private long[] measure(int client) {
        final HamokRemoteMap<String, byte[]> map = maps.get(client);
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
        assertArrayEquals(last, maps.get(0).get("key-" + ((MEASURED_SETS - 1) % KEYS)).join(), "the store has the last");
        return perSet;
    }

    /** {@code count} sets of 1,000 keys, {@value #IN_FLIGHT} in flight; returns the last value set. */
    private byte[] run(HamokRemoteMap<String, byte[]> map, int count) {
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

    private int leaderIndex() {
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

    private void report(String scenario, int leader, long[] perSet) {
        final StringBuilder line = new StringBuilder("remoteMap.set, " + scenario + ": loop bytes per set");
        for (int n = 0; n < perSet.length; n++) {
            line.append(n == leader ? ", leader " : ", follower ").append("node-").append(n).append(' ')
                    .append(perSet[n]);
        }
        System.out.println(line);
    }
}
