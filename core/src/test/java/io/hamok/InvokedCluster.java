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
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness of the allocation tests: {@link Hamok} instances on a {@link LocalNetwork}, each driven
 * by its {@link AgentInvoker} on the test thread with shared virtual clocks, and the bytes each loop
 * allocates, read with {@code ThreadMXBean.getCurrentThreadAllocatedBytes} around its duty cycles only
 * (the test's own work, such as encoding on the caller's side, is not counted).
 */
final class InvokedCluster implements AutoCloseable {
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final LocalNetwork network = new LocalNetwork();
    final List<Hamok> nodes = new ArrayList<>();
    private final List<AgentInvoker> invokers = new ArrayList<>();
    final long[] allocated;
    private long nowNs = 1_000_000_000L;

    /**
     * Builds and starts {@code size} instances {@code node-0 ...} (heartbeat 50 ms, long request
     * timeouts), calling {@code open} on each before it starts (to open storages), and steps until a
     * leader is elected.
     */
    InvokedCluster(int size, Consumer<Hamok> open) {
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L);
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add("node-" + i);
        }
        final RaftConfig raft = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .build();
        for (int i = 0; i < size; i++) {
            final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(ids.get(i)).peers(ids)
                    .transport(network.transport(ids.get(i))).raftConfig(raft).clocks(nanoClock, epochClock)
                    .random(new SplittableRandom(42 + i)).requestTimeoutMs(60_000).build());
            open.accept(hamok);
            nodes.add(hamok);
            invokers.add(hamok.startInvoker());
        }
        allocated = new long[size];
        for (int i = 0; i < 5_000 && nodes.stream().noneMatch(Hamok::isLeader); i++) {
            step(1_000_000);
        }
        assertTrue(nodes.stream().anyMatch(Hamok::isLeader), "no leader elected");
    }

    /** Whether this JVM can count a thread's allocated bytes. */
    static boolean measurable() {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled();
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

    void resetAllocated() {
        Arrays.fill(allocated, 0);
    }

    /** Each node's allocated bytes divided by {@code operations}. */
    long[] perOperation(int operations) {
        final long[] out = new long[allocated.length];
        for (int n = 0; n < out.length; n++) {
            out[n] = allocated[n] / operations;
        }
        return out;
    }

    @Override
    public void close() {
        nodes.forEach(Hamok::close);
    }
}
