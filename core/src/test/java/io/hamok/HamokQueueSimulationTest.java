// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.HamokSimOp.Status;
import io.hamok.HamokSimQueueOps.Kind;
import io.hamok.HamokSimQueueOps.Op;
import io.hamok.sim.SimulationSeedExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue under the whole-instance simulation ({@link HamokSimulationTest}'s cluster, faults and
 * checks, with queue operations mixed in, {@link HamokSimQueueOps}): every acknowledged push popped
 * exactly once, no item popped twice, pops in log order, linearizable peeks and sizes
 * ({@link HamokSimQueueChecker}). {@code -Dhamok.sim.queueSeeds=N} sets how many seeds the random test
 * runs (default 200); {@code -Dhamok.sim.seed=S} replays seed S alone.
 */
@Tag("simulation")
class HamokQueueSimulationTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    /** Virtual milliseconds of operations and faults per random seed. */
    private static final long WORKLOAD_MS = 3_000;
    /** Operations issued per random seed (about), two thirds of them on the queue. */
    private static final int OPS_PER_SEED = 240;
    private static final int QUEUE_SHARE_PERCENT = 65;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldPopEveryAcknowledgedPushExactlyOnceUnderRandomFaults() {
        final Long replay = SimulationSeedExtension.replaySeed();
        if (replay != null) {
            final Run run = runSeed(replay);
            System.out.println(run.result() + "\n" + run.queue().report());
            return;
        }
        final int seeds = Integer.getInteger("hamok.sim.queueSeeds", 200);
        final long startNs = System.nanoTime();
        long ops = 0;
        long acknowledgedPushes = 0;
        long acknowledgedPops = 0;
        long items = 0;
        long byAcknowledged = 0;
        long byUnacknowledged = 0;
        long cleared = 0;
        long emptyPops = 0;
        long crashes = 0;
        long snapshots = 0;
        long virtualMs = 0;
        final TreeMap<String, Integer> failures = new TreeMap<>();
        for (long seed = 1; seed <= seeds; seed++) {
            final Run run = runSeed(seed);
            final HamokSimQueueChecker.Report r = run.queue().report();
            for (Op op : run.queue().ops()) {
                ops++;
                acknowledgedPushes += op.kind == Kind.PUSH && op.status == Status.ACKNOWLEDGED ? 1 : 0;
                acknowledgedPops += op.kind == Kind.POP && op.status == Status.ACKNOWLEDGED ? 1 : 0;
                if (op.status == Status.FAILED) {
                    failures.merge(op.failure.getClass().getSimpleName(), 1, Integer::sum);
                }
            }
            items += r.pushedItems();
            byAcknowledged += r.poppedByAcknowledged();
            byUnacknowledged += r.poppedByUnacknowledged();
            cleared += r.cleared();
            emptyPops += r.emptyPops();
            crashes += run.result().crashes();
            snapshots += run.result().snapshots();
            virtualMs += run.result().virtualMs();
        }
        SEEDS.clear();
        System.out.printf("%d queue seeds: %d queue ops (%d pushes and %d pops acknowledged; failed %s), %d items"
                        + " pushed: %d popped by acknowledged pops, %d by pops whose caller got no answer, %d cleared;"
                        + " %d pops found the queue empty; %d crashes, %d snapshots installed, %d virtual s,"
                        + " %d ms real time%n", seeds, ops, acknowledgedPushes, acknowledgedPops, failures, items,
                byAcknowledged, byUnacknowledged, cleared, emptyPops, crashes, snapshots, virtualMs / 1000,
                (System.nanoTime() - startNs) / 1_000_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReplayTheSameQueueRunForTheSameSeed() {
        final Run first = runSeed(7);
        final Run second = runSeed(7);
        assertEquals(first.queue().report(), second.queue().report(), "a seed names exactly one history");
        assertEquals(first.result().fingerprint(), second.result().fingerprint());
        assertTrue(first.queue().report().poppedByAcknowledged() > 0, "popped: " + first.queue().report());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCatchATamperedQueueHistory() {
        final HamokSimQueueOps queue = new HamokSimQueueOps(QUEUE_SHARE_PERCENT);
        final HamokSimWorkload w = HamokSimWorkload.randomRun(11, 3, 2_000, 200, queue);
        w.finish();
        final List<Op> pops = queue.ops().stream().filter(op -> op.kind == Kind.POP && op.status == Status.ACKNOWLEDGED
                && op.result != null).toList();
        final Op pop = pops.get(0);
        final Op other = pops.get(1);
        final Object popped = pop.result;
        final Object otherPopped = other.result;

        assertCaught(w, queue, "(q-b)", () -> pop.result = -1L, () -> pop.result = popped);
        assertCaught(w, queue, "(q-c)", () -> other.result = popped, () -> other.result = otherPopped);
        final Op read = queue.ops().stream().filter(op -> op.kind == Kind.SIZE && op.status == Status.ACKNOWLEDGED)
                .findFirst().orElseThrow();
        final Object size = read.result;
        assertCaught(w, queue, "(q-f)", () -> read.result = 1_000, () -> read.result = size);
        final List<String> stream = queue.replicas().get(0).events;
        final String added = stream.stream().filter(e -> e.startsWith("added")).findFirst().orElseThrow();
        assertCaught(w, queue, "(q-g)", () -> stream.add(added), () -> stream.remove(stream.size() - 1));
    }

    /** Pops from every instance at once while leadership moves: every item to exactly one pop. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldGiveEveryItemToExactlyOneOfManyPopsAcrossLeaderChanges() {
        for (long seed = 601; seed <= 610; seed++) {
            SEEDS.register(seed);
            final HamokSimQueueOps queue = new HamokSimQueueOps(0);
            final HamokSimWorkload w = new HamokSimWorkload(new HamokSimCluster(seed, seed % 2 == 0 ? 5 : 3));
            w.withQueue(queue);
            final HamokSimCluster cluster = w.cluster();
            cluster.start();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            final List<HamokSimCluster.Node> nodes = cluster.liveNodes();
            for (int i = 0; i < 30; i++) {
                queue.issue(queue.replicas().get(i % nodes.size()), Kind.PUSH, 1 + i % 3);
                w.runFor(1);
            }
            assertTrue(w.awaitOps(3_000), cluster.describe());
            final List<Op> pops = new ArrayList<>();
            for (int round = 0; round < 25; round++) {
                for (int n = 0; n < nodes.size(); n++) {
                    pops.add(queue.issue(queue.replicas().get(n), Kind.POP, 0));
                }
                if (round % 8 == 3) {
                    cluster.leader().hamok().loop().transferLeadership(nodes.get(round % nodes.size()).id);
                }
                w.runFor(2);
            }
            assertTrue(w.awaitOps(5_000), cluster.describe());
            final List<Long> taken = new ArrayList<>();
            pops.stream().filter(p -> p.status == Status.ACKNOWLEDGED && p.result != null)
                    .sorted((a, b) -> Long.compare((Long) a.result, (Long) b.result))
                    .forEach(p -> taken.add((Long) p.result));
            final List<Long> pushed = new ArrayList<>();
            queue.ops().stream().filter(op -> op.kind == Kind.PUSH).forEach(op -> pushed.addAll(op.items));
            assertEquals(pushed, taken, "every item exactly once (all pops were acknowledged here)");
            w.finish();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A checked random run and its queue ops. */
    private record Run(HamokSimWorkload.Result result, HamokSimQueueOps queue) {
    }

    /** One random run with queue ops; odd seeds run 3 peers, even 5. */
    private static Run runSeed(long seed) {
        SEEDS.register(seed);
        final HamokSimQueueOps queue = new HamokSimQueueOps(QUEUE_SHARE_PERCENT);
        final HamokSimWorkload w = HamokSimWorkload.randomRun(seed, seed % 2 == 1 ? 3 : 5, WORKLOAD_MS, OPS_PER_SEED,
                queue);
        return new Run(w.finish(), queue);
    }

    /** The checker, run again on the tampered history, reports a violation of {@code check}. */
    private static void assertCaught(HamokSimWorkload w, HamokSimQueueOps queue, String check, Runnable tamper,
                                     Runnable undo) {
        tamper.run();
        try {
            final List<String> violations = new ArrayList<>();
            new HamokSimQueueChecker(w.cluster(), w.ops(), queue.ops(), queue.replicas()).check(violations);
            assertTrue(violations.stream().anyMatch(v -> v.startsWith(check + " ")),
                    "expected a " + check + " violation: " + violations);
        } finally {
            undo.run();
        }
        final List<String> none = new ArrayList<>();
        new HamokSimQueueChecker(w.cluster(), w.ops(), queue.ops(), queue.replicas()).check(none);
        assertEquals(List.of(), none);
    }
}
