// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Codec;
import io.hamok.Hamok;
import io.hamok.HamokClosedException;
import io.hamok.HamokException;
import io.hamok.StorageClosedException;
import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
import io.hamok.queue.QueueListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A work queue shared by every instance of a cluster, with <b>at-most-once delivery per item</b>:
 * producers {@link #submit} items on any instance, workers on any instance {@link #take} them one at a
 * time or run a {@link Worker} loop with a {@link Handler}. It is a {@link HamokQueue} with the id
 * {@value #QUEUE_PREFIX}{@code <name>}.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li><b>Each item is handed to at most one worker</b>, cluster-wide: a take is a
 *       {@link HamokQueue#pop() pop}, one log entry that removes the head of the queue as it is when the
 *       entry is applied, so two takes, on any instances, never get the same item, and a retried pop is
 *       deduplicated like any write. This holds whatever fails.</li>
 *   <li>Items are handed out in log order, the order in which their submits were committed; the items of one
 *       {@link #submitAll} stay together. With several workers they are <em>processed</em> in no
 *       particular order.</li>
 *   <li>A submit completes once the item is committed: from then on it is handed to a worker, or lost
 *       in one of the two ways below. It is never lost otherwise while a majority of the cluster can
 *       commit entries.</li>
 * </ul>
 *
 * <p><b>How an item is lost.</b> At most once means an item can reach <em>no</em> worker:
 * <ol>
 *   <li>A take whose pop fails with {@link HamokException#mayHaveBeenApplied()} true (a timeout, a leader
 *       change at the wrong moment, the instance closing, or a {@code ResultUnknownException} after a
 *       catch-up by snapshot) may have removed the head item, which then reaches nobody. This object
 *       counts such pops ({@link #unknownOutcomes()}): each lost at most one item.</li>
 *   <li>A worker that dies, or whose instance stops, after it was handed an item and before it finished
 *       loses that item: nothing brings it back. A {@link Handler} that throws loses its item too (it is
 *       logged and counted, not retried).</li>
 * </ol>
 *
 * <p><b>If you need at-least-once</b>, do not remove an item when you hand it out: keep the items in a
 * replicated map, claim one with a compare-and-set that writes the worker and a lease (as
 * {@link DistributedLock} does for its key), remove it when the work is done, and let another worker
 * take over a claim whose lease ran out. An item may then be done twice (a worker paused past its lease,
 * an unknown outcome of the removal), so make the work idempotent or fence it with a token
 * ({@link FencedResource}).
 *
 * <p><b>Threads.</b> {@link #submit} and {@link #submitAll} return futures completed on the instance's
 * loop thread (do not block in their continuations). {@link #take} blocks its caller until an item came
 * or the timeout passed, so never call it on a Hamok loop thread. Each {@link Worker} has one daemon
 * thread that calls its handler, one item at a time. One object may be used by many threads; objects on
 * several instances with the same name share the queue.
 *
 * @param <T> item type
 */
public final class WorkQueue<T> implements AutoCloseable {
    /** The prefix of the underlying queue's id. */
    public static final String QUEUE_PREFIX = "recipes.workqueue.";

    /** Does the work of one item, on a worker's thread. */
    public interface Handler<T> {
        /**
         * Does the work of {@code item}. An exception is logged and counted ({@link Worker#failed()}); the
         * item is not handed out again.
         */
        void handle(T item) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    /** How long a take waits before it tries again after a pop that failed (no leader, back pressure). */
    private static final long RETRY_PAUSE_NS = 100_000_000L;

    private final Hamok hamok;
    private final String name;
    private final HamokQueue<T> queue;
    private final Object signal = new Object();
    private long notEmpty; // guarded by signal: how often this replica went from empty to not empty
    private final List<CompletableFuture<Void>> drainWaiters = new ArrayList<>(); // guarded by signal
    private final AtomicLong unknownOutcomes = new AtomicLong();
    private final AtomicInteger workerCount = new AtomicInteger();
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final QueueListener<T> wakeUp = new QueueListener<>() {
        @Override
        public void onNotEmpty() {
            synchronized (signal) {
                notEmpty++;
                signal.notifyAll();
            }
        }

        @Override
        public void onEmpty() {
            final List<CompletableFuture<Void>> drained;
            synchronized (signal) {
                drained = List.copyOf(drainWaiters);
                drainWaiters.clear();
            }
            drained.forEach(f -> f.complete(null));
        }

        @Override
        public void onClosed() {
            wake();
        }
    };

    private WorkQueue(Hamok hamok, String name, Codec<T> codec) {
        this.hamok = hamok;
        this.name = name;
        this.queue = hamok.getOrCreateQueue(HamokQueueConfig.<T>builder().queueId(QUEUE_PREFIX + name)
                .codec(Objects.requireNonNull(codec, "codec")).build());
        queue.addListener(wakeUp);
    }

    /** The work queue {@code name} of the cluster {@code hamok} belongs to; every instance must use the same codec. */
    public static <T> WorkQueue<T> open(Hamok hamok, String name, Codec<T> codec) {
        return new WorkQueue<>(Objects.requireNonNull(hamok, "hamok"), Objects.requireNonNull(name, "name"), codec);
    }

    public String name() {
        return name;
    }

    /** Adds {@code item} at the end; completes once it is committed and applied on this instance. */
    public CompletableFuture<Void> submit(T item) {
        return queue.push(item);
    }

    /** Adds the items in iteration order as one log entry; completes once they are committed and applied here. */
    public CompletableFuture<Void> submitAll(Collection<? extends T> items) {
        return queue.pushAll(items);
    }

    /** How many items wait, as this instance's replica last applied it (possibly a little behind); a hint. */
    public int pending() {
        return queue.size();
    }

    /**
     * Completes once the queue is empty as of a point after the call: every item submitted (and completed)
     * before the call has been taken, or lost by an unknown-outcome pop. Its workers may still be working
     * on what they took.
     */
    public CompletableFuture<Void> drained() {
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        queue.sizeLinearizable().whenComplete((size, failure) -> {
            if (failure != null) {
                drained.completeExceptionally(failure);
                return;
            }
            synchronized (signal) {
                drainWaiters.add(drained);
            }
            if (queue.size() == 0) { // else an onEmpty comes after the registration
                drained.complete(null);
            }
        });
        return drained;
    }

    /**
     * Takes the head item, waiting up to {@code timeout} for one; {@code null} when none came in time.
     * The item is this caller's alone (see the class comment). A pop that failed is tried again, after a
     * short pause; one whose outcome is unknown is counted in {@link #unknownOutcomes()} first. An
     * interrupt that arrives while a pop is under way waits for that pop, so an item it took is returned
     * (with the interrupt flag set) rather than lost.
     *
     * @throws InterruptedException   when interrupted while waiting for an item
     * @throws StorageClosedException when this object or its instance closed
     * @throws HamokClosedException   when the instance closed while a pop was under way (counted in
     *                                {@link #unknownOutcomes()} when it may have taken an item)
     */
    public T take(Duration timeout) throws InterruptedException {
        final long deadlineNs = Waits.deadlineNs(timeout.toNanos());
        return take(deadlineNs, () -> false);
    }

    /** How many of this object's pops failed with an unknown outcome: each may have lost one item. */
    public long unknownOutcomes() {
        return unknownOutcomes.get();
    }

    /**
     * Starts a worker on this instance: a daemon thread that takes items one at a time and hands each to
     * {@code handler}, until the worker or this object is closed or the instance stops.
     */
    public Worker startWorker(Handler<? super T> handler) {
        ensureOpen();
        final Worker worker = new Worker(Objects.requireNonNull(handler, "handler"),
                "work-queue-" + name + "-" + hamok.localPeerId() + "-" + workerCount.incrementAndGet());
        workers.add(worker);
        worker.thread.start();
        return worker;
    }

    /** Stops this object's workers (each finishes the item it is on) and its events; the queue and its items stay. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Worker::close);
        try {
            queue.removeListener(wakeUp);
        } catch (StorageClosedException instanceClosed) {
            // the instance closed its storages, listeners included
        }
        wake();
    }

    /** A worker loop on its own thread. */
    public final class Worker implements AutoCloseable {
        private final Handler<? super T> handler;
        private final Thread thread;
        private final AtomicLong handled = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private volatile boolean stopping;

        private Worker(Handler<? super T> handler, String threadName) {
            this.handler = handler;
            this.thread = new Thread(this::run, threadName);
            this.thread.setDaemon(true);
        }

        /** How many items this worker's handler finished, failed ones included. */
        public long handled() {
            return handled.get();
        }

        /** How many of them its handler failed on (threw). */
        public long failed() {
            return failed.get();
        }

        /** Whether the worker's thread still runs. */
        public boolean isRunning() {
            return thread.isAlive();
        }

        /**
         * Stops taking items and waits until the thread ended: the item being handled is finished first, and
         * a pop under way is waited for (an item it took is handled). An interrupt of the caller stops the
         * wait, not the worker.
         */
        @Override
        public void close() {
            stopping = true;
            wake();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void run() {
            try {
                while (!stopping && !closed) {
                    final T item = take(Long.MAX_VALUE, () -> stopping);
                    if (item == null) {
                        continue;
                    }
                    try {
                        handler.handle(item);
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        LOG.warn("work queue '{}': the handler failed on an item; it is not handed out again", name, e);
                    }
                    handled.incrementAndGet();
                }
            } catch (StorageClosedException | HamokClosedException instanceClosed) {
                // the instance stopped: nothing left to take
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Pops until an item comes, the deadline passes ({@code null}) or {@code stop} says so ({@code null});
     * {@code deadlineNs == Long.MAX_VALUE}: no deadline.
     */
    private T take(long deadlineNs, BooleanSupplier stop) throws InterruptedException {
        while (true) {
            ensureOpen();
            if (stop.getAsBoolean()) {
                return null;
            }
            final long seen;
            synchronized (signal) {
                seen = notEmpty;
            }
            long waitUntilNs = deadlineNs;
            try {
                final T item = popUninterruptibly();
                if (item != null) {
                    return item;
                }
            } catch (HamokException failed) {
                if (failed.mayHaveBeenApplied()) { // a pop under way when the instance closed, too
                    unknownOutcomes.incrementAndGet();
                    LOG.debug("work queue '{}': a pop's outcome is unknown; it may have lost an item", name, failed);
                }
                if (failed instanceof StorageClosedException || failed instanceof HamokClosedException) {
                    throw failed;
                }
                final long pauseUntilNs = System.nanoTime() + RETRY_PAUSE_NS;
                waitUntilNs = deadlineNs == Long.MAX_VALUE || pauseUntilNs - deadlineNs < 0 ? pauseUntilNs : deadlineNs;
            }
            synchronized (signal) {
                while (notEmpty == seen && !closed && !stop.getAsBoolean() && !queue.isClosed()) {
                    final long leftNs = waitUntilNs == Long.MAX_VALUE ? Long.MAX_VALUE : waitUntilNs - System.nanoTime();
                    if (leftNs <= 0) {
                        break;
                    }
                    if (leftNs == Long.MAX_VALUE) {
                        signal.wait();
                    } else {
                        signal.wait(leftNs / 1_000_000, (int) (leftNs % 1_000_000));
                    }
                }
            }
            if (deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs >= 0) {
                return null;
            }
        }
    }

    /**
     * One pop, waited for even through an interrupt (it ends within the queue's request timeout; this
     * waits twice that at most): an item it took must reach the caller. The interrupt flag is set again
     * afterwards.
     */
    private T popUninterruptibly() {
        final CompletableFuture<T> pop = queue.pop();
        final long deadlineNs = Waits.deadlineNs(2 * queue.config().requestTimeoutMs() * 1_000_000L);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return Waits.result(pop, deadlineNs);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageClosedException("work queue '" + name + "' is closed");
        }
    }
}
