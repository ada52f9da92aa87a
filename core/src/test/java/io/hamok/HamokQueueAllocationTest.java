// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The queue's allocation budget on the loop threads (issue 12): at most {@value #BUDGET_BYTES_PER_OP}
 * bytes per push or pop in steady state, beyond which only the items themselves may cost: a producer
 * and a consumer on one instance, pushes and pops of 64-byte items alternating, {@value #IN_FLIGHT} in
 * flight, on a queue of about {@value #STEADY_ITEMS} items (so the ring neither grows nor shrinks), for
 * a client on the leader and on a follower ({@link LoopAllocationCluster}: the nodes' duty cycles are
 * counted, not the caller's encoding).
 *
 * <p>What a loop allocates per operation, on purpose: a replica that did not submit a push copies the
 * item out of the log entry (80 bytes for 64 bytes; the submitter stores its own array); the
 * submitter of a pop decodes the item in the pop's future stage ({@code Codecs.bytes()} copies: 80
 * bytes); and the snapshots every 10,000 entries, which write the queue's items. The ring itself
 * allocates nothing.
 */
@Timeout(300)
class HamokQueueAllocationTest {
    private static final long BUDGET_BYTES_PER_OP = 100;
    private static final int ITEM_BYTES = 64;
    private static final int STEADY_ITEMS = 1_000;
    private static final int IN_FLIGHT = 64;
    private static final int WARMUP_OPS = 60_000;
    private static final int MEASURED_OPS = 40_000;
    private static final long STEP_NS = 20_000;

    private final List<HamokQueue<byte[]>> queues = new ArrayList<>();
    private LoopAllocationCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAllocateAtMostTheBudgetPerPushAndPopWhenTheClientIsOnTheLeader() {
        assumeTrue(LoopAllocationCluster.supported());
        start();
        check("client on the leader", measure(cluster.leaderIndex()));
    }

    @Test
    void shouldAllocateAtMostTheBudgetPerPushAndPopWhenTheClientIsOnAFollower() {
        assumeTrue(LoopAllocationCluster.supported());
        start();
        check("client on a follower", measure((cluster.leaderIndex() + 1) % queues.size()));
    }

    private void check(String scenario, long[] perOp) {
        System.out.println(cluster.report("queue push/pop, " + scenario + ": loop bytes per operation", perOp));
        for (int n = 0; n < perOp.length; n++) {
            assertTrue(perOp[n] <= BUDGET_BYTES_PER_OP, "loop of node-" + n + ": " + perOp[n] + " bytes per operation");
        }
    }

    private void start() {
        cluster = new LoopAllocationCluster();
        for (Hamok hamok : cluster.nodes()) {
            queues.add(hamok.createQueue(HamokQueueConfig.<byte[]>builder().queueId("bench").codec(Codecs.bytes())
                    .build()));
        }
    }

    /** Fills the queue, warms up, then measures from node {@code client}; returns loop bytes per operation. */
    private long[] measure(int client) {
        final HamokQueue<byte[]> queue = queues.get(client);
        final List<byte[]> fill = new ArrayList<>();
        for (int i = 0; i < STEADY_ITEMS; i++) {
            fill.add(new byte[ITEM_BYTES]);
        }
        final CompletableFuture<Void> filled = queue.pushAll(fill);
        while (!filled.isDone()) {
            cluster.step(STEP_NS);
        }
        run(queue, WARMUP_OPS);
        cluster.resetCounts();
        run(queue, MEASURED_OPS);
        final long[] perOp = cluster.perOperation(MEASURED_OPS);
        for (int i = 0; i < 100; i++) {
            cluster.step(STEP_NS); // every replica applies the last operations
        }
        for (HamokQueue<byte[]> q : queues) {
            assertEquals(STEADY_ITEMS, q.size(), "replicas agree");
        }
        return perOp;
    }

    /** {@code count} operations, pushes and pops alternating, {@value #IN_FLIGHT} in flight; no pop finds none. */
    private void run(HamokQueue<byte[]> queue, int count) {
        final ArrayDeque<CompletableFuture<byte[]>> pops = new ArrayDeque<>();
        final ArrayDeque<CompletableFuture<?>> inFlight = new ArrayDeque<>();
        int issued = 0;
        while (issued < count || !inFlight.isEmpty()) {
            while (issued < count && inFlight.size() < IN_FLIGHT) {
                if (issued % 2 == 0) {
                    inFlight.add(queue.push(new byte[ITEM_BYTES]));
                } else {
                    final CompletableFuture<byte[]> pop = queue.pop();
                    pops.add(pop);
                    inFlight.add(pop);
                }
                issued++;
            }
            cluster.step(STEP_NS);
            while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                inFlight.poll().join();
            }
            while (!pops.isEmpty() && pops.peek().isDone()) {
                assertNotNull(pops.poll().join(), "a pop found the queue empty");
            }
        }
    }
}
