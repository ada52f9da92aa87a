// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
import io.hamok.HamokSimCluster.Node;
import io.hamok.HamokSimOp.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Queue operations mixed into a {@link HamokSimWorkload}'s random run: every incarnation of every
 * peer opens the queue {@value #QUEUE_ID} ({@code Long} items) and records its events; a share of the
 * random ops are pushes (one item or several), pops, clears and linearizable peeks and sizes, every
 * future tracked. Every pushed item is unique ({@code op id * 10 + position}). At the end
 * {@link #drainAndCheck} pops from every live instance until a pop finds the queue empty, and
 * {@link HamokSimQueueChecker} checks the history against the committed log.
 */
final class HamokSimQueueOps {
    static final String QUEUE_ID = "jobs";

    /** The queue operations. */
    enum Kind {
        PUSH, POP, CLEAR, PEEK, SIZE;

        /** A linearizable read: no request in the log. */
        boolean isRead() {
            return this == PEEK || this == SIZE;
        }
    }

    /** One queue operation and what became of it. */
    static final class Op {
        final int id;
        final Kind kind;
        final QueueReplica on;
        /** Position among its incarnation's writes (map, record, queue): request id minus a base; 0 for reads. */
        final long ordinal;
        final List<Long> items;
        final long submitSeq;
        Status status = Status.PENDING;
        Object result;
        Throwable failure;
        long completeSeq = -1;

        Op(int id, Kind kind, QueueReplica on, long ordinal, List<Long> items, long submitSeq) {
            this.id = id;
            this.kind = kind;
            this.on = on;
            this.ordinal = ordinal;
            this.items = items;
            this.submitSeq = submitSeq;
        }

        String incarnation() {
            return on.replica.toString();
        }

        /** Failed with {@link HamokException#mayHaveBeenApplied()} false: must not be in the committed log. */
        boolean failedWithoutEffect() {
            return status == Status.FAILED && failure instanceof HamokException e && !e.mayHaveBeenApplied();
        }

        @Override
        public String toString() {
            return "q" + id + "{" + kind + (items.isEmpty() ? "" : " " + items) + " on " + on.replica + "/" + ordinal
                    + ": " + status + (status == Status.ACKNOWLEDGED ? " -> " + result : "")
                    + (status == Status.FAILED ? " " + failure.getClass().getSimpleName() : "") + "}";
        }
    }

    /** One incarnation's queue and the events its listener heard, as short strings in log order. */
    static final class QueueReplica {
        final HamokSimReplica replica;
        final HamokQueue<Long> queue;
        final List<String> events = new ArrayList<>();

        QueueReplica(HamokSimReplica replica) {
            this.replica = replica;
            this.queue = replica.node.hamok().createQueue(HamokQueueConfig.<Long>builder().queueId(QUEUE_ID)
                    .codec(Codecs.longs()).requestTimeoutMs(2_000).build());
            queue.addListener(HamokQueueTest.recorder(events)); // "added 7", "removed 7", "empty", ...
        }
    }

    /** Percent of the random ops that are queue ops. */
    private final int sharePercent;
    private final List<Op> ops = new ArrayList<>();
    private final List<QueueReplica> replicas = new ArrayList<>();
    private final Map<String, QueueReplica> current = new HashMap<>();
    private HamokSimWorkload workload;
    private long seq;
    private HamokSimQueueChecker.Report report;

    /** @param sharePercent the percent of the workload's random ops that are queue ops */
    HamokSimQueueOps(int sharePercent) {
        this.sharePercent = sharePercent;
    }

    /** Opens the queue on every incarnation the workload's cluster starts from now on; before it starts. */
    HamokSimQueueOps attach(HamokSimWorkload workload) {
        this.workload = workload;
        workload.cluster().onStart(n -> {
            final QueueReplica q = new QueueReplica(workload.replica(n));
            replicas.add(q);
            current.put(n.id, q);
        });
        return this;
    }

    /** Issues a random queue op on {@code r}'s instance, or nothing; returns whether it issued one. */
    boolean maybeIssue(HamokSimReplica r, SplittableRandom random) {
        if (random.nextInt(100) >= sharePercent) {
            return false;
        }
        final QueueReplica q = current.get(r.node.id);
        final int roll = random.nextInt(100);
        if (roll < 30) {
            issue(q, Kind.PUSH, 1);
        } else if (roll < 38) {
            issue(q, Kind.PUSH, 2 + random.nextInt(2));
        } else if (roll < 88) {
            issue(q, Kind.POP, 0);
        } else if (roll < 89) {
            issue(q, Kind.CLEAR, 0);
        } else if (roll < 95) {
            issue(q, Kind.PEEK, 0);
        } else {
            issue(q, Kind.SIZE, 0);
        }
        return true;
    }

    /** Submits one op (a push of {@code items} unique items) and tracks its future. */
    Op issue(QueueReplica q, Kind kind, int items) {
        final int id = ops.size() + 1;
        final List<Long> values = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            values.add(id * 10L + i);
        }
        final Op op = new Op(id, kind, q, kind.isRead() ? 0 : q.replica.nextOrdinal(), List.copyOf(values), ++seq);
        ops.add(op);
        final CompletableFuture<?> future = switch (kind) {
            case PUSH -> values.size() == 1 ? q.queue.push(values.get(0)) : q.queue.pushAll(values);
            case POP -> q.queue.pop();
            case CLEAR -> q.queue.clear();
            case PEEK -> q.queue.peekLinearizable();
            case SIZE -> q.queue.sizeLinearizable();
        };
        future.whenComplete((value, error) -> {
            op.completeSeq = ++seq;
            op.status = error == null ? Status.ACKNOWLEDGED : Status.FAILED;
            op.result = value;
            op.failure = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        });
        return op;
    }

    int pending() {
        int count = 0;
        for (Op op : ops) {
            count += op.status == Status.PENDING ? 1 : 0;
        }
        return count;
    }

    /**
     * Pops from every live instance, round after round, until a pop finds the replicated queue empty
     * (nothing else is in flight by then), lets every replica apply it, and checks the history; what
     * fails goes to {@code violations}.
     */
    void drainAndCheck(List<String> violations) {
        final HamokSimCluster cluster = workload.cluster();
        boolean empty = false;
        for (int round = 0; round < 2_000 && !empty; round++) {
            final List<Op> pops = new ArrayList<>();
            for (Node n : cluster.liveNodes()) {
                pops.add(issue(current.get(n.id), Kind.POP, 0));
            }
            if (!workload.awaitOps(5_000)) {
                violations.add("liveness: queue pops of the drain still pending after 5 s: " + pops);
                return;
            }
            empty = pops.stream().anyMatch(p -> p.status == Status.ACKNOWLEDGED && p.result == null);
        }
        if (!empty || !cluster.stabilize(100, 5_000)) {
            violations.add("liveness: the queue was not drained and settled");
        }
        report = new HamokSimQueueChecker(cluster, workload.ops(), ops, replicas).check(violations);
    }

    /** The checked run's counts (after {@link #drainAndCheck}). */
    HamokSimQueueChecker.Report report() {
        return report;
    }

    List<Op> ops() {
        return ops;
    }

    List<QueueReplica> replicas() {
        return replicas;
    }
}
