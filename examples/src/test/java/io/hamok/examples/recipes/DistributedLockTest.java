// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.HamokTimeoutException;
import io.hamok.examples.recipes.DistributedLock.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.hamok.examples.recipes.InJvmCluster.WAIT;
import static io.hamok.examples.recipes.InJvmCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lock recipe on three in-JVM instances: exclusion, leases in replicated time, fencing, release. */
@Timeout(120)
class DistributedLockTest {
    /** Short enough for a test, long against the cluster's 50 ms heartbeats. */
    private static final DistributedLock.Timing SHORT = DistributedLock.Timing.of(Duration.ofMillis(1500),
            Duration.ofMillis(500));
    /** A lease no test waits out: whoever gets such a lock got it by a release. */
    private static final DistributedLock.Timing LONG = DistributedLock.Timing.of(Duration.ofMinutes(10),
            Duration.ofSeconds(1));

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private InJvmCluster cluster;

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    private DistributedLock lock(String id, DistributedLock.Timing timing) {
        return DistributedLock.open(cluster.get(id), "resource", timing);
    }

    private CompletableFuture<Lease> acquireLater(DistributedLock lock) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return lock.acquire(WAIT);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, threads);
    }

    @Test
    void shouldLetOneInstanceAtATimeHoldTheLockWithGrowingTokens() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final FencedResource<String> resource = new FencedResource<>();

        final String outcome = LockDemo.contend(List.of(lock("a", SHORT), lock("b", SHORT), lock("c", SHORT)),
                resource, threads, 5);

        assertEquals(15, resource.highestToken(), outcome); // tokens 1..15, each accepted in turn
    }

    @Test
    void shouldHandALostLockToAnotherInstanceOnceAPausedHoldersLeaseRanOutAndRefuseItsLateWrite() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final FencedResource<String> resource = new FencedResource<>();
        final Lease paused = lock("a", SHORT).acquire(WAIT);
        assertTrue(resource.write(paused.token(), "from a"));

        final Lease next = await(acquireLater(lock("b", SHORT))); // a neither renews nor releases: a pause

        assertFalse(paused.isValid(), "a's lease must have run out (on a's clock) before b could take the lock");
        assertEquals(paused.token() + 1, next.token());
        assertTrue(resource.write(next.token(), "from b"));
        assertFalse(resource.write(paused.token(), "late, from a"), "the fencing token refuses the late write");
        assertEquals("from b", resource.value());
        assertFalse(paused.renew(WAIT), "the lock moved on");
        assertFalse(paused.release(WAIT));
        assertTrue(next.isValid());
    }

    @Test
    void shouldKeepTheLockAndItsTokenWhileTheHolderRenews() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final Lease held = lock("a", LONG).acquire(WAIT);

        assertTrue(held.renew(WAIT));
        assertTrue(held.renew(WAIT));

        final HamokTimeoutException refused = assertThrows(HamokTimeoutException.class,
                () -> lock("b", LONG).acquire(Duration.ofMillis(300)));
        assertFalse(refused.mayHaveBeenApplied(), "b never tried to take a held lock");
        assertTrue(held.isValid());
        assertEquals(1, held.token());
    }

    @Test
    void shouldHandTheLockOverAtOnceOnRelease() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final Lease first = lock("a", LONG).acquire(WAIT);
        final CompletableFuture<Lease> waiting = acquireLater(lock("b", LONG));

        assertTrue(first.release(WAIT));

        final Lease second = await(waiting); // within WAIT: far less than the 10-minute lease
        assertEquals(first.token() + 1, second.token());
        assertFalse(first.isValid());
        assertFalse(first.renew(WAIT), "a released lease stays over");
    }

    @Test
    void shouldLetAnotherInstanceTakeOverFromAHolderOnAPartitionedNode() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final String cutOff = cluster.leader().localPeerId(); // the Raft leader, the hardest node to lose
        final String other = cutOff.equals("a") ? "b" : "a";
        final Lease held = lock(cutOff, SHORT).acquire(WAIT);
        final CompletableFuture<Lease> waiting = acquireLater(lock(other, SHORT));

        cluster.isolate(cutOff);
        final Lease taken = await(waiting);

        assertFalse(held.isValid(), "the cut-off holder's lease ran out on its own clock before the takeover");
        assertEquals(held.token() + 1, taken.token());
        cluster.heal();
        assertFalse(held.renew(WAIT), "back in the cluster, the old holder learns that the lock moved on");
        assertTrue(taken.renew(WAIT));
    }

    @Test
    void shouldLetAnotherInstanceTakeOverFromAHolderOnAClosedNode() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final Lease held = lock("c", SHORT).acquire(WAIT);
        final CompletableFuture<Lease> waiting = acquireLater(lock("a", SHORT));

        cluster.get("c").close();

        assertEquals(held.token() + 1, await(waiting).token());
        assertFalse(held.isValid());
    }

    @Test
    void shouldStartTokensAtOneAndReportTheHolder() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final DistributedLock lock = lock("a", LONG);
        assertNull(lock.holder());

        final Lease lease = lock.acquire(WAIT);

        assertEquals(1, lease.token());
        assertEquals(lock.owner(), lock.holder());
        assertTrue(lock.owner().startsWith("a#"));
    }

    @Test
    void shouldRefuseATimingWhoseMarginIsNotBelowTheLease() {
        assertThrows(IllegalArgumentException.class,
                () -> DistributedLock.Timing.of(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> DistributedLock.Timing.of(Duration.ZERO, Duration.ZERO));
    }
}
