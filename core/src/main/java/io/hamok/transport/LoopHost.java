// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

/**
 * A thread that a {@link Transport} owns and lends to the Raft loop, so that a received frame is
 * handled, and the frames it causes are written, on the thread that does the socket I/O: no thread
 * hand-off between the network and the loop (docs/design.md §2). The host runs the loop's cycle
 * after the loop asks for it ({@link #wake()}: frames arrived, a command was queued, the log synced)
 * and at a fixed tick for timers; between those its thread does I/O or sleeps.
 *
 * <p>The loop calls {@link #start} once, after {@link Transport#start}, and {@link #stop} once, from
 * another thread, before it closes the transport.
 */
public interface LoopHost {
    /**
     * Runs {@code onStart} on the host thread, then {@code cycle} there whenever {@link #wake()} was
     * called since its last run, and every {@code tickNs} at least.
     */
    void start(Runnable onStart, Runnable cycle, long tickNs);

    /** Asks for a run of the cycle soon. Any thread; cheap when one is already asked for. */
    void wake();

    /** Whether the calling thread is the host thread. */
    boolean inHostThread();

    /**
     * Runs the cycle no more, and returns once a run in progress has ended (so that the caller may
     * then touch what the cycle touched). Not from the host thread.
     */
    void stop();
}
