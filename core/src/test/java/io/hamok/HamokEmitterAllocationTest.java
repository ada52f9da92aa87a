// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.emitter.EmitterEvent;
import io.hamok.emitter.HamokEmitter;
import io.hamok.emitter.HamokEmitterConfig;
import io.hamok.emitter.PublishResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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

    private final List<HamokEmitter<Void>> emitters = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private LoopAllocationCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAllocateOnlyThePayloadOnTheLoopsPerNotify() {
        assumeTrue(LoopAllocationCluster.supported());
        startCluster();
        final byte[] payload = new byte[PAYLOAD_BYTES];
        runNotifies(payload, WARMUP);
        cluster.resetCounts();
        final long before = received.get();
        runNotifies(payload, MEASURED);
        assertEquals(2L * MEASURED, received.get() - before, "every notify reached both subscribers");
        check("notify", cluster.perOperation(MEASURED));
    }

    @Test
    void shouldAllocateOnlyThePayloadOnTheLoopsPerPublish() {
        assumeTrue(LoopAllocationCluster.supported());
        startCluster();
        final byte[] payload = new byte[PAYLOAD_BYTES];
        runPublishes(payload, WARMUP);
        cluster.resetCounts();
        runPublishes(payload, MEASURED);
        check("publish", cluster.perOperation(MEASURED));
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

    // ------------------------------------------------------------------ harness

    private void startCluster() {
        cluster = new LoopAllocationCluster(hamok -> emitters.add(hamok.createEmitter(HamokEmitterConfig.<Void>builder()
                .emitterId("bench").publishTimeoutMs(60_000).build())));
        final List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int n = 1; n < emitters.size(); n++) {
            subscribed.add(emitters.get(n).subscribe(EVENT, (payload, from) -> received.incrementAndGet()));
        }
        for (int i = 0; i < 2_000 && !(subscribed.stream().allMatch(CompletableFuture::isDone)
                && emitters.get(0).subscribers("bench").size() == 2); i++) {
            cluster.step(1_000_000);
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
            cluster.step(STEP_NS);
        }
        for (int i = 0; i < 1_000 && received.get() < target; i++) {
            cluster.step(STEP_NS);
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
            cluster.step(STEP_NS);
            while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                assertTrue(inFlight.poll().join().allDelivered());
            }
        }
    }
}
