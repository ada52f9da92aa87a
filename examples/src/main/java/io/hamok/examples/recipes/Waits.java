// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.HamokException;
import io.hamok.HamokTimeoutException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits on Hamok's futures for the recipes, which block their callers' threads. */
final class Waits {
    private Waits() {
    }

    /**
     * The future's value, waiting until {@code deadlineNs} ({@link System#nanoTime()}) at the latest.
     * Never call it on a Hamok loop thread (from a listener or a future's continuation): the loop
     * thread is the one that completes the future.
     *
     * @throws HamokException what the future failed with, or a {@link HamokTimeoutException} (outcome
     *                        unknown) at the deadline
     */
    static <T> T result(CompletableFuture<T> future, long deadlineNs) throws InterruptedException {
        try {
            return future.get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof HamokException failure ? failure
                    : new HamokException("unexpected failure: " + e.getCause(), e.getCause(), true);
        } catch (TimeoutException e) {
            throw new HamokTimeoutException("no answer in time; the write may still be applied");
        }
    }

    /** {@code System.nanoTime() + timeoutNs}, without overflow for very long timeouts. */
    static long deadlineNs(long timeoutNs) {
        final long now = System.nanoTime();
        return timeoutNs > Long.MAX_VALUE / 4 ? now + Long.MAX_VALUE / 4 : now + timeoutNs;
    }
}
