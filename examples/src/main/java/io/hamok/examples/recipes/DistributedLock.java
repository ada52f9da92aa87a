// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokException;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.HamokTimeoutException;
import io.hamok.map.MapListener;
import io.hamok.StorageClosedException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A distributed lock with a lease and a fencing token, over one key of a replicated {@link HamokMap}.
 *
 * <p><b>How it works.</b> The lock is the key {@code name} of the map {@value #MAP_ID}; its value is
 * the holder, a fencing token and a renewal count ({@code LockState}). Every change is a compare-and-set
 * ({@link HamokMap#replace(Object, Object, Object) replace} or {@link HamokMap#putIfAbsent putIfAbsent})
 * from the exact state the caller read: taking a free lock, renewing, releasing, and taking over from a
 * holder whose lease ran out. The token is a counter in the same write: each acquisition writes the
 * previous token plus one. A waiter measures a holder's lease in <em>replicated time</em>, the leader's
 * clock stamped on log entries ({@link Hamok#replicatedTimeMs()}): it notes the time of a tick it wrote
 * after it saw the holder's state, writes more ticks while it waits, and takes over once replicated
 * time has moved on by a full lease with the state unchanged. A holder counts its lease on its own
 * monotonic clock, from the moment it <em>sent</em> the write that acquired or renewed the lock, and
 * stops a margin early ({@link Lease#isValid()}).
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Tokens grow strictly with every acquisition, cluster-wide and in log order; a holder keeps its
 *       token when it renews. This holds whatever the clocks do.</li>
 *   <li>At most one {@link Lease} is {@link Lease#isValid() valid} at any moment, provided that (a)
 *       {@link Timing#clockMargin() clockMargin} covers, together: how far apart the wall clocks of the
 *       peers that lead the Raft cluster while the lock is held are (they stamp the log entries), how
 *       much any clock drifts over one lease, any forward step of a leader's clock (NTP), and how stale a
 *       leader's stamp can be (its loop reads the clock once per duty cycle: well under a millisecond,
 *       unless that thread is paused), and (b)
 *       the holder acts on {@code isValid()} at once: a process paused (a GC pause, a stopped VM, a
 *       slow disk) between checking {@code isValid()} and touching the resource may act after its lease
 *       ended. Nothing in a lease can stop a paused process; that is what the token is for.</li>
 *   <li>Fencing: a resource that refuses a token lower than the highest it has seen
 *       ({@link FencedResource}) refuses a late holder's writes once the next holder has written, even
 *       when (a) or (b) fail.</li>
 *   <li>Progress: a free lock is taken at once; a holder that neither renews nor releases (crashed,
 *       partitioned, paused) loses the lock about one lease, plus a probe interval, after a waiter
 *       first saw its state, provided a majority of the cluster can still commit entries.</li>
 * </ul>
 *
 * <p><b>Costs and limits.</b> A waiter writes a tick entry (to the map {@value #TICKS_MAP_ID}) every
 * {@link Timing#probeInterval() probe interval} while the lock is held by someone else. A write whose
 * outcome is unknown (its future failed with {@link HamokException#mayHaveBeenApplied()} true) may leave
 * the lock held in this object's name without a {@code Lease} for it: nobody uses that lease, and it
 * runs out like any other. Never delete the lock's key: the token would start again at 1.
 *
 * <p><b>Threads.</b> Every method blocks its caller until the cluster answered, so never call one on a
 * Hamok loop thread (in a listener or a future's continuation). One object may be used by many threads;
 * each {@link Lease} is safe to share. Each object has its own owner id, so two objects on one instance
 * are two contenders.
 */
public final class DistributedLock implements AutoCloseable {
    /** The map holding every lock of the cluster, one key per lock name. */
    public static final String MAP_ID = "recipes.lock";
    /** The map of the waiters' ticks: one key per peer, its tick count. */
    public static final String TICKS_MAP_ID = "recipes.lock.ticks";

    /**
     * A lock's timing. Every peer that uses a lock must use the same lease: a waiter takes over after
     * its own lease.
     *
     * @param lease         how long a lock stays held without a renewal, in the leader's time
     * @param clockMargin   how much earlier a holder stops trusting its lease: the assumed bound on the
     *                      difference between leaders' clocks, plus the drift over one lease, plus the
     *                      staleness of a stamp (see the class comment); less than {@code lease}
     * @param probeInterval how often a waiter looks at a held lock (and writes a tick)
     */
    public record Timing(Duration lease, Duration clockMargin, Duration probeInterval) {
        public Timing {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(clockMargin, "clockMargin");
            Objects.requireNonNull(probeInterval, "probeInterval");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be positive, was " + lease);
            }
            if (clockMargin.isNegative() || clockMargin.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("clockMargin must be at least 0 and less than the lease "
                        + lease + ", was " + clockMargin);
            }
            if (probeInterval.isNegative() || probeInterval.isZero()) {
                throw new IllegalArgumentException("probeInterval must be positive, was " + probeInterval);
            }
        }

        /** {@code lease} and {@code clockMargin}, probing four times a lease. */
        public static Timing of(Duration lease, Duration clockMargin) {
            return new Timing(lease, clockMargin, lease.dividedBy(4));
        }

        /** How long a holder trusts its lease after it sent the write that took or renewed it. */
        Duration trusted() {
            return lease.minus(clockMargin);
        }
    }

    private final String name;
    private final String owner;
    private final Timing timing;
    private final HamokMap<String, LockState> locks;
    private final ReplicatedClock clock;
    private final Object changed = new Object();
    private long changes; // guarded by changed: how many changes of this lock this replica applied
    private final MapListener<String, LockState> wakeUp = new MapListener<>() {
        @Override
        public void onInserted(String key, LockState value) {
            onChange(key);
        }

        @Override
        public void onUpdated(String key, LockState oldValue, LockState newValue) {
            onChange(key);
        }

        @Override
        public void onRemoved(String key, LockState oldValue) {
            onChange(key);
        }
    };

    private DistributedLock(Hamok hamok, String name, Timing timing) {
        this.name = Objects.requireNonNull(name, "name");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.owner = hamok.localPeerId() + "#" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.locks = hamok.getOrCreateMap(HamokMapConfig.<String, LockState>builder().mapId(MAP_ID)
                .keyCodec(Codecs.string()).valueCodec(LockState.CODEC).build());
        this.clock = new ReplicatedClock(hamok, TICKS_MAP_ID);
        locks.addListener(wakeUp);
    }

    /** The lock {@code name} of the cluster {@code hamok} belongs to, as a new contender. */
    public static DistributedLock open(Hamok hamok, String name, Timing timing) {
        return new DistributedLock(Objects.requireNonNull(hamok, "hamok"), name, timing);
    }

    public String name() {
        return name;
    }

    /** This contender's id as written in the lock: the peer id and a random suffix. */
    public String owner() {
        return owner;
    }

    /** Who holds the lock as this replica last applied it ({@code null} when free or never taken); a hint. */
    public String holder() {
        final LockState state = locks.get(name);
        return state == null ? null : state.holder();
    }

    /**
     * Takes the lock, waiting until it is free or its holder's lease ran out (in replicated time).
     * Blocks up to {@code timeout}. The lease is counted from the moment the winning write was sent, so
     * check {@link Lease#isValid()} before acting on it.
     *
     * @throws HamokTimeoutException when the lock was not taken within {@code timeout};
     *                               {@code mayHaveBeenApplied()} is true when a write that would have
     *                               taken it had an unknown outcome
     * @throws InterruptedException  when the thread was interrupted while waiting
     * @throws StorageClosedException when the instance closed
     */
    public Lease acquire(Duration timeout) throws InterruptedException {
        final Waiter waiter = new Waiter(Waits.deadlineNs(timeout.toNanos()));
        while (true) {
            final long seenChanges = changes();
            final Lease lease = waiter.tryOnce();
            if (lease != null) {
                return lease;
            }
            if (System.nanoTime() - waiter.deadlineNs >= 0) {
                throw new HamokTimeoutException("lock '" + name + "' not acquired within " + timeout,
                        waiter.unknownOutcome);
            }
            awaitChange(seenChanges, Math.min(waiter.deadlineNs, System.nanoTime() + timing.probeInterval().toNanos()));
        }
    }

    /** One {@link #acquire} call: the held state it times, since when in replicated time, how its attempts ended. */
    private final class Waiter {
        final long deadlineNs;
        LockState watched;
        long watchedSinceMs;
        boolean unknownOutcome;

        Waiter(long deadlineNs) {
            this.deadlineNs = deadlineNs;
        }

        /** Looks at the lock once: takes it when it is free or its lease ran out, else times its holder. */
        Lease tryOnce() throws InterruptedException {
            final LockState current = locks.get(name);
            if (current != null && !current.isFree() && !current.equals(watched)) {
                // a tick sent after this replica applied the state: its time is after the holder sent it
                watchedSinceMs = clock.now(deadlineNs);
                watched = watchedSinceMs == ReplicatedClock.NO_READING ? null : current;
                return null;
            }
            return current == null || current.isFree() || leaseRanOut() ? take(current) : null;
        }

        /** Whether replicated time moved on by a full lease since the watched state was first seen. */
        private boolean leaseRanOut() throws InterruptedException {
            final long nowMs = clock.now(deadlineNs);
            return nowMs != ReplicatedClock.NO_READING && nowMs - watchedSinceMs >= timing.lease().toMillis();
        }

        /** Takes the lock from {@code current} (absent, free or expired) with the next token, or returns null. */
        private Lease take(LockState current) throws InterruptedException {
            final LockState mine = current == null ? LockState.firstHeldBy(owner) : current.takenBy(owner);
            final long sentNs = System.nanoTime();
            try {
                final boolean taken = current == null
                        ? Waits.result(locks.putIfAbsent(name, mine), deadlineNs) == null
                        : Waits.result(locks.replace(name, current, mine), deadlineNs);
                return taken ? new Lease(mine.token(), sentNs) : null;
            } catch (HamokException e) {
                unknownOutcome |= e.mayHaveBeenApplied();
                return null;
            }
        }
    }

    private long changes() {
        synchronized (changed) {
            return changes;
        }
    }

    /** Waits until this replica applied a change of the lock after {@code seen}, or until {@code untilNs}. */
    private void awaitChange(long seen, long untilNs) throws InterruptedException {
        synchronized (changed) {
            long leftNs;
            while (changes == seen && (leftNs = untilNs - System.nanoTime()) > 0) {
                changed.wait(Math.max(1, leftNs / 1_000_000));
            }
        }
    }

    /** On the loop thread: wakes the waiters of this lock. */
    private void onChange(String key) {
        if (name.equals(key)) {
            synchronized (changed) {
                changes++;
                changed.notifyAll();
            }
        }
    }

    /** Stops listening to the map (the lock itself, held or not, is left as it is). */
    @Override
    public void close() {
        try {
            locks.removeListener(wakeUp);
        } catch (StorageClosedException instanceClosed) {
            // the instance closed its storages, listeners included
        }
    }

    /**
     * One holding of the lock, identified by its fencing token. Valid from the acquisition until
     * {@code lease - clockMargin} after the last write that took or renewed it was sent, by this JVM's
     * monotonic clock, unless released or found lost before. Thread-safe.
     */
    public final class Lease {
        private final long token;
        private long validUntilNs; // guarded by this
        private boolean over;      // guarded by this: released, or the lock moved on

        private Lease(long token, long sentNs) {
            this.token = token;
            this.validUntilNs = sentNs + timing.trusted().toNanos();
        }

        /** The fencing token: pass it to every resource the lock protects. */
        public long token() {
            return token;
        }

        /**
         * Whether this holder may still assume that nobody else holds the lock (see the class comment
         * for what that rests on). Act on it at once: it says nothing about a moment later.
         */
        public synchronized boolean isValid() {
            return !over && validUntilNs - System.nanoTime() > 0;
        }

        /** How long this lease stays valid without a renewal; zero once it is not. */
        public synchronized Duration remaining() {
            return isValid() ? Duration.ofNanos(validUntilNs - System.nanoTime()) : Duration.ZERO;
        }

        /**
         * Renews the lease: the lock stays this holder's, with the same token, for a lease from now.
         * Works after {@link #isValid()} turned false too, as long as nobody took the lock meanwhile.
         *
         * @return true when renewed; false when the lock moved on (released, or taken by another after
         * the lease ran out): this lease is over for good
         * @throws HamokException when the cluster did not confirm in time; the lease stays valid until
         *                        it runs out, and a later renew may still succeed
         */
        public synchronized boolean renew(Duration timeout) throws InterruptedException {
            if (over) {
                return false;
            }
            final long sentNs = System.nanoTime();
            if (!changeWhileOurs(LockState::renewed, Waits.deadlineNs(timeout.toNanos()))) {
                over = true;
                return false;
            }
            validUntilNs = sentNs + timing.trusted().toNanos();
            return true;
        }

        /**
         * Releases the lock, keeping its token for the next holder to increment; the lease is over
         * whatever the outcome.
         *
         * @return true when released; false when the lock had moved on already
         * @throws HamokException when the cluster did not confirm in time (the lock then runs out by itself)
         */
        public synchronized boolean release(Duration timeout) throws InterruptedException {
            if (over) {
                return false;
            }
            over = true;
            return changeWhileOurs(LockState::released, Waits.deadlineNs(timeout.toNanos()));
        }

        /**
         * Applies {@code change} to the lock while this replica shows it held under this token by this
         * owner. A failed compare-and-set means the value changed after it was read (an earlier renewal
         * of ours applied late, or a takeover); this replica applied that change before answering, so
         * reading again decides.
         */
        private boolean changeWhileOurs(java.util.function.UnaryOperator<LockState> change, long deadlineNs)
                throws InterruptedException {
            while (true) {
                final LockState current = locks.get(name);
                if (current == null || current.token() != token || !owner.equals(current.holder())) {
                    return false;
                }
                if (Waits.result(locks.replace(name, current, change.apply(current)), deadlineNs)) {
                    return true;
                }
            }
        }

        @Override
        public String toString() {
            return "Lease[" + name + ", token " + token + (isValid() ? ", valid]" : ", over]");
        }
    }
}
