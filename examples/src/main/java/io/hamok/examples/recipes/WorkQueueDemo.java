// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Codecs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.hamok.examples.recipes.Narrator.check;
import static io.hamok.examples.recipes.RecipeCluster.await;

/**
 * The work queue with at-most-once delivery on three nodes: node-1 submits jobs, two workers on every
 * node take them, and no job is done twice; then a node stops while its worker is in the middle of a
 * job, and that job is lost rather than done again. Run it with
 * {@code mvn -q -B -DskipTests -Precipe -Drecipe=WorkQueue verify}.
 */
public final class WorkQueueDemo {
    private static final int JOBS = 30;
    private static final int WORKERS_PER_NODE = 2;

    private WorkQueueDemo() {
    }

    public static void main(String[] args) {
        Narrator.main("The work queue", WorkQueueDemo::run);
    }

    static void run(RecipeCluster cluster, Narrator n) throws Exception {
        final Map<String, WorkQueue<String>> queues = new LinkedHashMap<>();
        final CompletableFuture<Void> unstick = new CompletableFuture<>();
        try {
            for (String id : cluster.ids()) {
                queues.put(id, WorkQueue.open(cluster.node(id), "jobs", Codecs.string()));
            }
            run(cluster, queues, unstick, n);
        } finally {
            unstick.complete(null);
            queues.values().forEach(WorkQueue::close);
        }
    }

    private static void run(RecipeCluster cluster, Map<String, WorkQueue<String>> queues,
                            CompletableFuture<Void> unstick, Narrator n) throws Exception {
        final WorkQueue<String> producer = queues.get("node-1");
        n.step("Every node opens the work queue 'jobs' and starts " + WORKERS_PER_NODE + " workers; node-1 "
                + "submits " + JOBS + " jobs.");
        final Ledger ledger = new Ledger(n);
        final List<WorkQueue<String>.Worker> workers = new ArrayList<>();
        for (Map.Entry<String, WorkQueue<String>> e : queues.entrySet()) {
            for (int w = 1; w <= WORKERS_PER_NODE; w++) {
                final String worker = e.getKey() + "/w" + w;
                workers.add(e.getValue().startWorker(job -> ledger.done(worker, job)));
            }
        }
        final List<String> jobs = jobs(1, JOBS);
        submit(producer, jobs);

        n.step("node-1 waits until the queue is drained, then every worker stops (each finishes its job).");
        await(producer.drained());
        workers.forEach(WorkQueue.Worker::close);
        check(ledger.twice().isEmpty(), "done twice: " + ledger.twice());
        final Set<String> lost = ledger.notDone(jobs);
        final long unknown = unknownOutcomes(queues);
        check(lost.size() <= unknown, "lost " + lost + " with only " + unknown + " unknown-outcome pops");
        n.say("Jobs done per node: " + ledger.perNode() + ". No job was done twice"
                + (lost.isEmpty() ? ", and none was lost." : "; " + lost + " lost by " + unknown
                + " pops whose outcome was unknown."));

        n.step("node-3 starts a worker that gets stuck on its first job; node-1 submits 10 more jobs.");
        final CompletableFuture<String> stuck = new CompletableFuture<>();
        workers.clear();
        queues.get("node-3").startWorker(job -> { // closed with node-3's queue, once unstuck
            n.event("node-3/w3 takes " + job + " and gets stuck");
            stuck.complete(job);
            unstick.join(); // the node stops meanwhile: as if it crashed in the middle of the job
        });
        final List<String> more = jobs(JOBS + 1, JOBS + 10);
        submit(producer, more);
        final String stuckJob = await(stuck);

        n.step("node-3 stops in the middle of " + stuckJob + "; workers on node-1 and node-2 take the rest.");
        cluster.stop("node-3");
        for (String id : List.of("node-1", "node-2")) {
            final String worker = id + "/w3";
            workers.add(queues.get(id).startWorker(job -> ledger.done(worker, job)));
        }
        await(producer.drained());
        workers.forEach(WorkQueue.Worker::close);
        check(ledger.twice().isEmpty(), "done twice: " + ledger.twice());
        final Set<String> notDone = ledger.notDone(more);
        check(notDone.contains(stuckJob), stuckJob + " was done after node-3 stopped: " + ledger.by(stuckJob));
        final long unknownNow = unknownOutcomes(queues);
        check(notDone.size() - 1 <= unknownNow, "lost " + notDone + " with only " + unknownNow
                + " unknown-outcome pops");
        n.say(stuckJob + " reached node-3 and nobody else: it is lost. That is at most once: no job is ever done "
                + "twice, and a job whose worker dies is not handed out again (see WorkQueue's Javadoc for "
                + "at-least-once). The other " + (more.size() - notDone.size()) + " jobs were done once each.");
    }

    private static List<String> jobs(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> String.format("job-%02d", i)).toList();
    }

    /** Submits each job on its own (one log entry each) and waits until all are committed. */
    private static void submit(WorkQueue<String> producer, List<String> jobs) throws Exception {
        final List<CompletableFuture<Void>> submitted = jobs.stream().map(producer::submit).toList();
        await(CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)));
    }

    private static long unknownOutcomes(Map<String, WorkQueue<String>> queues) {
        return queues.values().stream().mapToLong(WorkQueue::unknownOutcomes).sum();
    }

    /** Who did which job, and which jobs were done more than once (never, if the recipe holds). */
    private static final class Ledger {
        private final ConcurrentMap<String, String> doneBy = new ConcurrentHashMap<>();
        private final Set<String> twice = ConcurrentHashMap.newKeySet();
        private final Narrator n;

        Ledger(Narrator n) {
            this.n = n;
        }

        void done(String worker, String job) {
            final String earlier = doneBy.putIfAbsent(job, worker);
            if (earlier != null) {
                twice.add(job + " by " + earlier + " and " + worker);
            }
            n.event(worker + " does " + job);
        }

        Set<String> twice() {
            return Set.copyOf(twice);
        }

        String by(String job) {
            return doneBy.get(job);
        }

        Set<String> notDone(List<String> jobs) {
            return jobs.stream().filter(job -> !doneBy.containsKey(job)).collect(Collectors.toCollection(TreeSet::new));
        }

        Map<String, Long> perNode() {
            return doneBy.values().stream().collect(Collectors.groupingBy(w -> w.substring(0, w.indexOf('/')),
                    java.util.TreeMap::new, Collectors.counting()));
        }
    }
}
