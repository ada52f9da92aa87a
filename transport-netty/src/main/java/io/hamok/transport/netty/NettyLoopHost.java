package io.hamok.transport.netty;

import io.hamok.transport.LoopHost;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

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
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final EventLoop loop;
    private final AtomicBoolean asked = new AtomicBoolean();
    private final Runnable task = this::runCycle;
    private volatile boolean stopped;
    private Runnable cycle;
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

    @Override
    public void wake() {
        if (!stopped && asked.compareAndSet(false, true)) {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException closing) {
                asked.set(false);
            }
        }
    }

    private void runCycle() {
        asked.set(false); // a wake-up during the cycle asks for the next one
        if (!stopped) {
            cycle.run();
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
        try {
            loop.submit(() -> {
                if (ticker != null) {
                    ticker.cancel(false);
                }
            }).awaitUninterruptibly(STOP_TIMEOUT_MS); // tasks run one at a time: a cycle in progress ends first
        } catch (RejectedExecutionException alreadyShutDown) {
            // nothing runs any more
        }
    }
}
