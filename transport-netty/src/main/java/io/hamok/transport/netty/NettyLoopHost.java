// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.LoopHost;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The transport's single I/O event loop lent to the Raft loop (see {@link LoopHost}): the cycle runs
 * as a task of that event loop, after the socket reads of a round, so a frame is read, handled and
 * answered on one thread. A wake-up from the event loop itself only queues the task; one from another
 * thread (a command, the log's writer) also wakes the selector, once until the task has run.
 */
final class NettyLoopHost implements LoopHost {
    private static final Logger LOG = LoggerFactory.getLogger(NettyLoopHost.class);
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final EventLoop loop;
    private final AtomicBoolean asked = new AtomicBoolean();
    private final Runnable task = this::runCycle;
    private volatile boolean stopped;
    private volatile Runnable cycle;
    /** Event loop only: a cycle is running (its own re-arm must let the sockets go first). */
    private boolean inCycle;
    private ScheduledFuture<?> ticker;

    NettyLoopHost(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void start(Runnable onStart, Runnable cycle, long tickNs) {
        this.cycle = cycle;
        loop.execute(() -> {
            onStart.run();
            ticker = loop.scheduleAtFixedRate(this::wake, tickNs, tickNs, TimeUnit.NANOSECONDS);
            wake();
        });
    }

    /**
     * Queues the cycle: from another thread this also wakes the selector; from the event loop's socket
     * reads (a frame arrived) the task runs after the reads of that round. From inside a cycle (it
     * left work) the cycle is scheduled with no delay instead, which the event loop picks up at its
     * next round of tasks, after the next socket reads: a task queued from inside a task would run in
     * the same round and could keep the sockets waiting while cycles find work. (A scheduled task is
     * an object; a queued one is not, so frames use the queue.)
     */
    @Override
    public void wake() {
        if (!stopped && !asked.get() && asked.compareAndSet(false, true)) { // cheap read first: bursts find it asked
            try {
                if (inCycle && loop.inEventLoop()) {
                    loop.schedule(task, 0, TimeUnit.NANOSECONDS);
                } else {
                    loop.execute(task);
                }
            } catch (RejectedExecutionException closing) {
                asked.set(false);
            }
        }
    }

    private void runCycle() {
        asked.set(false); // a wake-up during the cycle asks for the next one
        final Runnable c = cycle;
        if (!stopped && c != null) { // null: a frame woke the host before start(); start wakes it again
            inCycle = true;
            try {
                c.run();
            } finally {
                inCycle = false;
            }
        }
    }

    @Override
    public boolean inHostThread() {
        return loop.inEventLoop();
    }

    @Override
    public void stop() {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("stop the loop host from another thread than its own");
        }
        stopped = true;
        final Future<?> done;
        try {
            done = loop.submit(() -> {
                if (ticker != null) {
                    ticker.cancel(false);
                }
            }); // tasks run one at a time: a cycle in progress ends first
        } catch (RejectedExecutionException alreadyShutDown) {
            return; // nothing runs any more
        }
        while (!done.awaitUninterruptibly(STOP_TIMEOUT_MS)) {
            LOG.warn("the Raft loop on {} has run one cycle for more than {} s; still waiting for it to end before"
                    + " closing", loop, STOP_TIMEOUT_MS / 1000);
        }
    }
}
