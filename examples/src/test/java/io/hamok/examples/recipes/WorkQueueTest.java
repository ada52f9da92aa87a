// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Codecs;
import io.hamok.HamokException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.hamok.examples.recipes.InJvmCluster.WAIT;
import static io.hamok.examples.recipes.InJvmCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The work-queue recipe on three in-JVM instances: at most one worker per item, and what can be lost. */
@Timeout(120)
class WorkQueueTest {
    private static final List<String> IDS = List.of("a", "b", "c");

    private final Map<String, WorkQueue<String>> queues = new LinkedHashMap<>();
    private final CompletableFuture<Void> unstick = new CompletableFuture<>();
    private InJvmCluster cluster;

    @AfterEach
    void tearDown() {
        unstick.complete(null);
        queues.values().forEach(WorkQueue::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private void openOnEveryInstance() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        for (String id : IDS) {
            queues.put(id, WorkQueue.open(cluster.get(id), "jobs", Codecs.string()));
        }
    }

    /** What the workers' handlers saw: items started (handed) and finished, per instance, and any item seen twice. */
    private static final class Ledger {
        final ConcurrentMap<String, String> handedTo = new ConcurrentHashMap<>();
        final ConcurrentMap<String, String> doneBy = new ConcurrentHashMap<>();
        final Set<String> twice = ConcurrentHashMap.newKeySet();

        void handed(String instance, String item) {
            final String earlier = handedTo.putIfAbsent(item, instance);
            if (earlier != null) {
                twice.add(item + " to " + earlier + " and " + instance);
            }
        }

        void done(String instance, String item) {
            doneBy.put(item, instance);
        }

        Set<String> handedTo(String instance) {
            return handedTo.entrySet().stream().filter(e -> e.getValue().equals(instance)).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }
    }

    private long unknownOutcomes() {
        return queues.values().stream().mapToLong(WorkQueue::unknownOutcomes).sum();
    }

    /**
     * Submits {@code items} from {@code producer} one entry each, 100 at a time in flight; returns those whose
     * submit completed (acknowledged). A submit that failed is left out (its item may or may not be there).
     */
    private static List<String> submit(WorkQueue<String> producer, List<String> items) throws Exception {
        final List<String> acknowledged = new ArrayList<>();
        for (int from = 0; from < items.size(); from += 100) {
            final List<String> window = items.subList(from, Math.min(items.size(), from + 100));
            final List<CompletableFuture<Void>> submits = window.stream().map(producer::submit).toList();
            for (int i = 0; i < window.size(); i++) {
                try {
                    submits.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    acknowledged.add(window.get(i));
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof HamokException, e.toString());
                }
            }
        }
        return acknowledged;
    }

    private static List<String> items(String prefix, int count) {
        final List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(prefix + i);
        }
        return items;
    }

    @Test
    void shouldHandEachOfAThousandItemsToAtMostOneWorkerWithWorkersOnThreeInstances() throws Exception {
        openOnEveryInstance();
        final Ledger ledger = new Ledger();
        final List<WorkQueue<String>.Worker> workers = new ArrayList<>();
        for (String id : IDS) {
            for (int w = 0; w < 2; w++) {
                workers.add(queues.get(id).startWorker(item -> {
                    ledger.handed(id, item);
                    ledger.done(id, item);
                }));
            }
        }

        final CompletableFuture<List<String>> fromA = CompletableFuture.supplyAsync(() -> submitQuietly("a", "a-"));
        final List<String> acknowledged = new ArrayList<>(submit(queues.get("b"), items("b-", 500)));
        acknowledged.addAll(await(fromA));
        await(queues.get("c").drained());
        workers.forEach(WorkQueue.Worker::close); // each finishes its item and its pop: the ledger is final

        assertEquals(Set.of(), ledger.twice, "items handed out twice");
        assertEquals(ledger.handedTo.size(), workers.stream().mapToLong(WorkQueue.Worker::handled).sum());
        final Set<String> submitted = new HashSet<>(items("a-", 500));
        submitted.addAll(items("b-", 500));
        assertTrue(submitted.containsAll(ledger.handedTo.keySet()), "handed out an item nobody submitted");
        final Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(ledger.handedTo.keySet());
        assertTrue(lost.size() <= unknownOutcomes(), lost.size() + " acknowledged items reached no worker, but only "
                + unknownOutcomes() + " pops had an unknown outcome: " + lost);
        for (String id : IDS) {
            assertTrue(!ledger.handedTo(id).isEmpty(), "the workers on " + id + " got nothing");
        }
    }

    private List<String> submitQuietly(String id, String prefix) {
        try {
            return submit(queues.get(id), items(prefix, 500));
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    @Test
    void shouldLoseAtMostTheItemsItWasHandedWhenAWorkerInstanceIsClosedMidRun() throws Exception {
        openOnEveryInstance();
        final Ledger ledger = new Ledger();
        final List<WorkQueue<String>.Worker> survivors = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            survivors.add(queues.get(id).startWorker(item -> {
                ledger.handed(id, item);
                ledger.done(id, item);
            }));
        }
        final AtomicInteger takenByStuckWorker = new AtomicInteger();
        final CompletableFuture<String> stuck = new CompletableFuture<>();
        queues.get("c").startWorker(item -> { // gets stuck on its 10th item: c dies in the middle of it
            ledger.handed("c", item);
            if (takenByStuckWorker.incrementAndGet() == 10) {
                stuck.complete(item);
                unstick.join();
                return;
            }
            ledger.done("c", item);
        });
        queues.get("c").startWorker(item -> { // keeps taking until c closes: a pop may be under way then
            ledger.handed("c", item);
            ledger.done("c", item);
        });

        final List<String> acknowledged = new ArrayList<>();
        final List<String> items = items("item-", 600);
        for (int from = 0; from < items.size(); from += 100) { // one entry per 100 items
            await(queues.get("a").submitAll(items.subList(from, from + 100)));
            acknowledged.addAll(items.subList(from, from + 100));
        }
        final String stuckItem = await(stuck);
        cluster.get("c").close();
        await(queues.get("a").drained());
        survivors.forEach(WorkQueue.Worker::close);

        assertEquals(Set.of(), ledger.twice, "items handed out twice");
        final Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(ledger.doneBy.keySet());
        assertTrue(lost.contains(stuckItem), stuckItem + " was done after c closed, by " + ledger.doneBy.get(stuckItem));
        final Set<String> lostOtherwise = new HashSet<>(lost);
        lostOtherwise.removeAll(ledger.handedTo("c"));
        assertTrue(lostOtherwise.size() <= unknownOutcomes(), "lost " + lostOtherwise + " that c was never handed, "
                + "with only " + unknownOutcomes() + " unknown-outcome pops");
        assertTrue(ledger.handedTo("c").size() >= 10, "c was handed " + ledger.handedTo("c"));
        assertTrue(!ledger.handedTo("a").isEmpty() || !ledger.handedTo("b").isEmpty(), "the survivors did nothing");
    }

    @Test
    void shouldWaitForAnItemSubmittedOnAnotherInstanceAndGiveUpWhenNoneComesInTime() throws Exception {
        openOnEveryInstance();
        assertNull(queues.get("a").take(Duration.ofMillis(200)), "the queue is empty");

        final CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queues.get("a").take(WAIT);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        await(queues.get("b").submit("job"));

        assertEquals("job", await(taken));
        await(queues.get("c").drained());
        assertEquals(0, queues.get("c").pending());
    }
}
