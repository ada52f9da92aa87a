// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A window of at most {@code size} asynchronous operations outstanding: the caller
 * {@link #acquire()}s a slot (blocking while all are taken), starts an operation and
 * {@link #track}s its future, which frees the slot when it completes. Counts the operations that
 * completed normally and keeps the first failure.
 *
 * <p>One caller thread acquires and tracks; the futures may complete on any thread.
 */
final class Window {
    /** How long {@link #acquire()} and {@link #drain()} wait for a slot before giving up. */
    static final long TIMEOUT_SECONDS = 30;

    private final int size;
    private final Semaphore slots;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BiConsumer<Object, Throwable> onDone = this::done; // one instance, not a lambda per operation

    Window(int size) {
        this.size = size;
        this.slots = new Semaphore(size);
    }

    /**
     * Keeps {@code inFlight} operations from {@code operation} outstanding for {@code seconds}, then
     * waits for the last ones; returns {completed normally, elapsed ns} (the elapsed time includes
     * that wait). Throws the first failure.
     */
    static long[] saturate(int inFlight, double seconds, Supplier<? extends CompletableFuture<?>> operation)
            throws Exception {
        final Window window = new Window(inFlight);
        final long start = System.nanoTime();
        final long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            window.acquire();
            window.track(operation.get());
        }
        window.drain();
        window.throwIfFailed();
        return new long[] {window.completed(), System.nanoTime() - start};
    }

    /** Takes a slot, blocking while all are taken. */
    void acquire() throws InterruptedException, TimeoutException {
        if (!slots.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException(size + " operations outstanding for " + TIMEOUT_SECONDS + " s");
        }
    }

    /** Frees the slot taken for {@code future} once it completes. */
    void track(CompletableFuture<?> future) {
        future.whenComplete(onDone);
    }

    private void done(Object result, Throwable error) {
        if (error == null) {
            completed.incrementAndGet();
        } else {
            failure.compareAndSet(null, error);
        }
        slots.release();
    }

    /** Waits until no operation is outstanding. */
    void drain() throws InterruptedException, TimeoutException {
        if (!slots.tryAcquire(size, TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException("operations still outstanding after " + TIMEOUT_SECONDS + " s");
        }
        slots.release(size);
    }

    long completed() {
        return completed.get();
    }

    /** Throws (wrapped) the first failure of a tracked operation, if any. */
    void throwIfFailed() {
        final Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("an operation failed: " + e, e);
        }
    }
}
