// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The window of outstanding operations of the TCP throughput benchmarks ({@link TcpRaftBenchmark},
 * {@link TcpMapSetBenchmark}): at most {@value #IN_FLIGHT} proposals or sets in flight.
 *
 * <p>Why the JMH score is completed commits per second: one benchmark invocation takes a slot
 * ({@link #acquire()}, blocking while all {@value #IN_FLIGHT} are taken), starts one operation and
 * returns; the operation's future gives the slot back when it completes. Once the window is full
 * (the first {@value #IN_FLIGHT} invocations of the trial), an invocation can only return after an
 * outstanding operation completed, so invocations and completions advance together: over an
 * iteration they differ by at most {@value #IN_FLIGHT}, against hundreds of thousands of
 * operations. The window is not emptied between iterations (that would add {@value #IN_FLIGHT} free
 * invocations to each), only at the end of the trial. A failed operation (for example
 * {@code NotLeaderException} after a leadership change) fails the benchmark at the end of the
 * iteration, so a score never counts failures.
 *
 * <p>One benchmark thread; futures complete on the cluster's loop threads.
 */
@State(Scope.Thread)
public class TcpWindowState {
    static final int IN_FLIGHT = 64;

    private final Window window = new Window(IN_FLIGHT);

    void acquire() throws InterruptedException, TimeoutException {
        window.acquire();
    }

    void track(CompletableFuture<?> future) {
        window.track(future);
    }

    @TearDown(Level.Iteration)
    public void checkFailures() {
        window.throwIfFailed();
    }

    @TearDown(Level.Trial)
    public void drain() throws InterruptedException, TimeoutException {
        window.drain();
        window.throwIfFailed();
    }
}
