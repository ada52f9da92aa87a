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
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loop threads allocate nothing per emitter message beyond the item itself, in steady state: three
 * {@link Hamok} instances on a {@link LocalNetwork} driven by their {@link AgentInvoker}s on the test
 * thread, with virtual clocks; node-0 publishes (or notifies) 64-byte payloads to node-1 and node-2,
 * which subscribe; the bytes are read with {@code ThreadMXBean.getCurrentThreadAllocatedBytes} around
 * each node's duty cycles only (the caller's encoding and futures are not counted).
 *
 * <p>The budgets: the sending loop {@value #SENDER_BUDGET} bytes per message (encoding into a reused
 * buffer, sending, the answers of a publish and completing its future allocate nothing; what is left
 * is the periodic work, heartbeats, spread over the messages); a receiving loop
 * {@value #RECEIVER_BUDGET} bytes per message: the item, that is the payload's bytes copied out of the
 * frame (80 bytes for 64) and the codec's decoded value ({@code Codecs.bytes()} copies: 80 more), and
 * nothing else (finding the emitter and the event, deduplication and the answer allocate nothing).
 */
@Timeout(300)
class HamokEmitterAllocationTest {
    private static final long SENDER_BUDGET = 16;
    private static final long RECEIVER_BUDGET = 176;
    private static final int PAYLOAD_BYTES = 64;
    private static final int IN_FLIGHT = 64;
    private static final int WARMUP = 40_000;
    private static final int MEASURED = 40_000;
    private static final long STEP_NS = 20_000;
    private static final EmitterEvent<byte[]> EVENT = EmitterEvent.of("bench", Codecs.bytes());

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final LocalNetwork network = new LocalNetwork();
    private final List<Hamok> nodes = new ArrayList<>();
    private final List<AgentInvoker> invokers = new ArrayList<>();
    private final List<HamokEmitter<Void>> emitters = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private long[] allocated;
    private long nowNs = 1_000_000_000L;

    @AfterEach
    void tearDown() {
        nodes.forEach(Hamok::close);
    }

    @Test
    void shouldAllocateOnlyThePayloadOnTheLoopsPerNotify() {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        startCluster();
        final byte[] payload = new byte[PAYLOAD_BYTES];
        runNotifies(payload, WARMUP);
        Arrays.fill(allocated, 0);
        final long before = received.get();
        runNotifies(payload, MEASURED);
        assertEquals(2L * MEASURED, received.get() - before, "every notify reached both subscribers");
        check("notify", perMessage(MEASURED));
    }

    @Test
    void shouldAllocateOnlyThePayloadOnTheLoopsPerPublish() {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        startCluster();
        final byte[] payload = new byte[PAYLOAD_BYTES];
        runPublishes(payload, WARMUP);
        Arrays.fill(allocated, 0);
        runPublishes(payload, MEASURED);
        check("publish", perMessage(MEASURED));
    }

    private void check(String what, long[] perMessage) {
        System.out.println("emitter " + what + ", 64-byte payload, loop bytes per message: sender node-0 "
                + perMessage[0] + ", subscribers node-1 " + perMessage[1] + ", node-2 " + perMessage[2]);
        assertTrue(perMessage[0] <= SENDER_BUDGET, "sender loop: " + perMessage[0] + " bytes per " + what);
        for (int n = 1; n < perMessage.length; n++) {
            assertTrue(perMessage[n] <= RECEIVER_BUDGET, "subscriber loop node-" + n + ": " + perMessage[n]
                    + " bytes per " + what);
        }
    }

    private long[] perMessage(int count) {
        final long[] out = new long[allocated.length];
        for (int n = 0; n < out.length; n++) {
            out[n] = allocated[n] / count;
        }
        return out;
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
            emitters.add(hamok.createEmitter(HamokEmitterConfig.<Void>builder().emitterId("bench")
                    .publishTimeoutMs(60_000).build()));
            nodes.add(hamok);
            invokers.add(hamok.startInvoker());
        }
        allocated = new long[nodes.size()];
        for (int i = 0; i < 5_000 && nodes.stream().noneMatch(Hamok::isLeader); i++) {
            step(1_000_000);
        }
        assertTrue(nodes.stream().anyMatch(Hamok::isLeader), "no leader elected");
        final List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int n = 1; n < nodes.size(); n++) {
            subscribed.add(emitters.get(n).subscribe(EVENT, (payload, from) -> received.incrementAndGet()));
        }
        for (int i = 0; i < 2_000 && !(subscribed.stream().allMatch(CompletableFuture::isDone)
                && emitters.get(0).subscribers("bench").size() == 2); i++) {
            step(1_000_000);
        }
        assertEquals(java.util.Set.of("node-1", "node-2"), emitters.get(0).subscribers("bench"));
    }

    private void runNotifies(byte[] payload, int count) {
        final HamokEmitter<Void> sender = emitters.get(0);
        final long target = received.get() + 2L * count;
        for (int sent = 0; sent < count; ) {
            for (int i = 0; i < IN_FLIGHT && sent < count; i++, sent++) {
                sender.notify(EVENT, payload);
            }
            step(STEP_NS);
        }
        for (int i = 0; i < 1_000 && received.get() < target; i++) {
            step(STEP_NS);
        }
    }

    private void runPublishes(byte[] payload, int count) {
        final HamokEmitter<Void> sender = emitters.get(0);
        final ArrayDeque<CompletableFuture<PublishResult>> inFlight = new ArrayDeque<>();
        int issued = 0;
        while (issued < count || !inFlight.isEmpty()) {
            while (issued < count && inFlight.size() < IN_FLIGHT) {
                inFlight.add(sender.publish(EVENT, payload));
                issued++;
            }
            step(STEP_NS);
            while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                assertTrue(inFlight.poll().join().allDelivered());
            }
        }
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
}
