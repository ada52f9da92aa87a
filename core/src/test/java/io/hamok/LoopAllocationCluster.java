// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.RaftConfig;
import io.hamok.transport.LocalNetwork;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three whole {@link Hamok} instances on a {@link LocalNetwork}, each driven by its {@link AgentInvoker}
 * on the test thread with virtual clocks, counting the bytes each node's duty cycles allocate
 * ({@code ThreadMXBean.getCurrentThreadAllocatedBytes} around {@code invoke()} only, so the test's own
 * work, such as encoding on the caller's thread, is not counted): the fixture of the storages'
 * allocation budgets ({@link HamokMapSetAllocationTest}, {@link HamokQueueAllocationTest}).
 */
final class LoopAllocationCluster implements AutoCloseable {
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final LocalNetwork network = new LocalNetwork();
    private final List<Hamok> nodes = new ArrayList<>();
    private final List<AgentInvoker> invokers = new ArrayList<>();
    private final long[] allocated;
    private long nowNs = 1_000_000_000L;

    /** Whether this JVM can count a thread's allocation (else the tests are skipped). */
    static boolean supported() {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled();
    }

    /** Starts three nodes and steps until every node knows the same leader. */
    LoopAllocationCluster() {
        this(hamok -> {
        });
    }

    /**
     * Starts three nodes, calling {@code open} on each before it starts (to open storages), and steps
     * until every node knows the same leader.
     */
    LoopAllocationCluster(java.util.function.Consumer<Hamok> open) {
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L);
        final List<String> ids = List.of("node-0", "node-1", "node-2");
        final RaftConfig raft = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .build();
        for (int i = 0; i < ids.size(); i++) {
            final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(ids.get(i)).peers(ids)
                    .transport(network.transport(ids.get(i))).raftConfig(raft).clocks(nanoClock, epochClock)
                    .random(new SplittableRandom(42 + i)).requestTimeoutMs(60_000).build());
            open.accept(hamok);
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

    List<Hamok> nodes() {
        return nodes;
    }

    /** Advances the clocks and runs one duty cycle of every node, counting each node's allocation. */
    void step(long ns) {
        nowNs += ns;
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L + nowNs / 1_000_000);
        for (int n = 0; n < invokers.size(); n++) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            invokers.get(n).invoke();
            allocated[n] += threads.getCurrentThreadAllocatedBytes() - before;
        }
    }

    /** Forgets the bytes counted so far. */
    void resetCounts() {
        Arrays.fill(allocated, 0);
    }

    /** The bytes each node's loop allocated since the last {@link #resetCounts()}, divided by {@code operations}. */
    long[] perOperation(int operations) {
        final long[] out = new long[allocated.length];
        for (int n = 0; n < out.length; n++) {
            out[n] = allocated[n] / operations;
        }
        return out;
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

    private static final int KEYS = 1_024;
    private static final int VALUE_BYTES = 64;
    private static final int IN_FLIGHT = 64;
    private static final long STEP_NS = 20_000;
    private byte[] lastValue;

    /**
     * Runs {@code warmup} writes, then {@code measured} ones, each {@code write.apply(key, value)} with a
     * new 64-byte value, at most 64 in flight; returns the loop bytes per measured write, per node. The
     * last value written is {@link #lastValue()} under {@link #lastKey(int)}.
     */
    long[] measure(java.util.function.BiFunction<String, byte[], java.util.concurrent.CompletableFuture<?>> write,
                   int warmup, int measured) {
        run(write, warmup);
        resetCounts();
        run(write, measured);
        final long[] perWrite = perOperation(measured);
        for (int i = 0; i < 100; i++) {
            step(STEP_NS); // every replica applies the last writes
        }
        return perWrite;
    }

    /** The value of the last write {@link #measure} issued. */
    byte[] lastValue() {
        return lastValue;
    }

    /** The key of the last of {@code count} writes. */
    static String lastKey(int count) {
        return "key-" + ((count - 1) % KEYS);
    }

    private void run(java.util.function.BiFunction<String, byte[], java.util.concurrent.CompletableFuture<?>> write,
                     int count) {
        final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<?>> inFlight = new java.util.ArrayDeque<>();
        int issued = 0;
        while (issued < count || !inFlight.isEmpty()) {
            while (issued < count && inFlight.size() < IN_FLIGHT) {
                lastValue = new byte[VALUE_BYTES];
                lastValue[0] = (byte) issued;
                inFlight.add(write.apply("key-" + (issued % KEYS), lastValue));
                issued++;
            }
            step(STEP_NS);
            while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                inFlight.poll().join();
            }
        }
    }

    /** One line naming each node's bytes per operation, the leader marked. */
    String report(String what, long[] perOperation) {
        final int leader = leaderIndex();
        final StringBuilder line = new StringBuilder(what);
        for (int n = 0; n < perOperation.length; n++) {
            line.append(n == leader ? ", leader " : ", follower ").append("node-").append(n).append(' ')
                    .append(perOperation[n]);
        }
        return line.toString();
    }

    @Override
    public void close() {
        nodes.forEach(Hamok::close);
    }
}
