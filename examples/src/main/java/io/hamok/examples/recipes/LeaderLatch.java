// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Hamok;
import io.hamok.HamokException;
import io.hamok.StorageClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Leader election for the application: of all the instances that run a latch with the same name, one
 * at a time is told "I lead" ({@link Listener#onLeadership}) and, when that ends, "I lost it"
 * ({@link Listener#onLeadershipLost}). It is a {@link DistributedLock} that its owner keeps renewing on
 * a thread of its own; which instance leads the application has nothing to do with which one leads
 * Raft.
 *
 * <p><b>What "never overlap" rests on: leases and bounded clocks, not terms.</b> An instance says "I
 * lost it" by itself, on its own monotonic clock, at the latest when its lease stops being valid:
 * {@code lease - clockMargin} after it sent the last write that acquired or renewed the lock (earlier
 * when it learns that the lock moved on). Another instance says "I lead" only after its takeover was
 * committed, and it attempts the takeover only after replicated time (the leaders' clocks, stamped on
 * log entries) moved on by a full lease since it first saw the old holder's last write applied. So
 * the old leader's "I lost it" comes before the new leader's "I lead" when:
 * <ol>
 *   <li>{@code clockMargin} covers how far apart the clocks of the peers that lead Raft meanwhile are,
 *       their drift over one lease, clock steps and the staleness of a stamp (assumption (a) of
 *       {@link DistributedLock}), and</li>
 *   <li>the latch's thread runs "I lost it" within the rest of the margin after its deadline: it is
 *       not paused (GC, a stopped VM) and the callbacks return quickly, for the thread that runs them
 *       is the one that renews and gives up.</li>
 * </ol>
 * A partitioned leader needs nobody's answer to give up in time, which is why the latch uses leases.
 * Fencing by Raft term alone could not promise this: an isolated Raft leader goes on believing it
 * leads until its check-quorum timer fires, while the rest may have elected a new one; a term orders
 * the writes of two leaders but does not keep their tenures apart in time. Where the assumptions may
 * fail (a process can always be paused), use the token given to {@code onLeadership}: it is the lock's
 * fencing token, so a resource that checks it ({@link FencedResource}) refuses an old leader's late
 * writes.
 *
 * <p><b>Progress.</b> While a majority of the cluster can commit entries, a leader that crashed, was
 * partitioned or closed its latch is replaced: at once after a {@link #close()}, else about a lease
 * after its last renewal. A latch whose Hamok instance closes says "I lost it" (if it led) and stops.
 *
 * <p><b>Threads.</b> Each latch has one daemon thread; it calls the listener, one call at a time,
 * "I lead" and "I lost it" alternating. Callbacks must return quickly (start or stop the leader's work
 * on other threads): a blocked callback delays renewals and the next "I lost it".
 */
public final class LeaderLatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLatch.class);
    private static final Duration FOREVER = Duration.ofDays(365);

    /** What the application hears. Both methods run on the latch's thread and must return quickly. */
    public interface Listener {
        /** "I lead": this instance holds the latch now; {@code token} fences what it does as leader. */
        void onLeadership(long token);

        /** "I lost it": stop acting as leader now (the lease ran out, the latch moved on, or it closed). */
        void onLeadershipLost();
    }

    private final DistributedLock lock;
    private final DistributedLock.Timing timing;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean leading;

    private LeaderLatch(Hamok hamok, String name, DistributedLock.Timing timing, Listener listener) {
        this.lock = DistributedLock.open(hamok, name, timing);
        this.timing = timing;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = new Thread(this::run, "leader-latch-" + name + "-" + hamok.localPeerId());
        this.thread.setDaemon(true);
    }

    /**
     * Starts contending for the latch {@code name} on the cluster of {@code hamok} (which should have
     * joined). Every instance must use the same timing.
     */
    public static LeaderLatch start(Hamok hamok, String name, DistributedLock.Timing timing, Listener listener) {
        final LeaderLatch latch = new LeaderLatch(Objects.requireNonNull(hamok, "hamok"), name, timing, listener);
        latch.thread.start();
        return latch;
    }

    /** Whether this instance is between "I lead" and "I lost it". */
    public boolean hasLeadership() {
        return leading;
    }

    /**
     * Stops contending: a leader says "I lost it" and then releases the lock, so another instance takes
     * over at once. Blocks until the latch's thread ended (up to about a lease), except when called from
     * a callback. An interrupt of the caller stops the wait, not the closing.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.close();
    }

    private void run() {
        DistributedLock.Lease lease = null;
        try {
            while (!closed) {
                lease = lock.acquire(FOREVER);
                if (lease.isValid() || renewed(lease)) {
                    lead(lease);
                }
            }
        } catch (InterruptedException closing) {
            // close() interrupted a wait
        } catch (StorageClosedException instanceClosed) {
            // the instance closed: nothing left to contend for
        } finally {
            if (leading) {
                lost();
            }
            if (lease != null) {
                releaseQuietly(lease); // after "I lost it": the next "I lead" comes after this release
            }
        }
    }

    private void lead(DistributedLock.Lease lease) throws InterruptedException {
        leading = true;
        call(() -> listener.onLeadership(lease.token()));
        holdWhileRenewed(lease);
        lost();
    }

    private void lost() {
        leading = false;
        call(listener::onLeadershipLost);
    }

    /**
     * Renews the lease three times per trusted period until it runs out without a confirmed renewal or
     * the lock moved on. A renewal waits at most until the lease ends, so the thread gives up on time.
     */
    private void holdWhileRenewed(DistributedLock.Lease lease) throws InterruptedException {
        final long renewEveryNs = timing.trusted().toNanos() / 3;
        while (true) {
            final long pauseNs = Math.min(renewEveryNs, lease.remaining().toNanos());
            TimeUnit.NANOSECONDS.sleep(pauseNs);
            if (!lease.isValid()) {
                return;
            }
            try {
                if (!lease.renew(lease.remaining())) {
                    return;
                }
            } catch (StorageClosedException instanceClosed) {
                return; // it can never be renewed
            } catch (HamokException notConfirmed) {
                // still valid until it runs out: try again
            }
        }
    }

    /** A lease that ran out while it was being taken may still be renewed if nobody took the lock meanwhile. */
    private boolean renewed(DistributedLock.Lease lease) throws InterruptedException {
        try {
            return lease.renew(timing.trusted());
        } catch (HamokException e) {
            return false;
        }
    }

    private void releaseQuietly(DistributedLock.Lease lease) {
        try {
            lease.release(timing.trusted());
        } catch (HamokException e) {
            LOG.debug("latch '{}': release not confirmed, the lease runs out by itself", lock.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("latch '{}': a listener threw", lock.name(), e);
        }
    }
}
