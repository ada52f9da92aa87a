// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hamok.examples.recipes.InJvmCluster.WAIT;
import static io.hamok.examples.recipes.InJvmCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The election latch on three in-JVM instances. Every callback is recorded with this JVM's monotonic
 * clock, one clock for all instances, so "before" means before in real time.
 */
@Timeout(120)
class LeaderLatchTest {
    /** The margin also covers how late a busy machine may run a latch's thread at its deadline. */
    private static final DistributedLock.Timing TIMING = DistributedLock.Timing.of(Duration.ofMillis(2000),
            Duration.ofMillis(800));

    private final Tenures tenures = new Tenures();
    private final Map<String, LeaderLatch> latches = new LinkedHashMap<>();
    private InJvmCluster cluster;

    @AfterEach
    void tearDown() {
        latches.values().forEach(LeaderLatch::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(String id) {
        latches.put(id, LeaderLatch.start(cluster.get(id), "scheduler", TIMING, tenures.listenerFor(id, e -> { })));
    }

    /** Starts a cluster and a latch on each instance; returns the first to say "I lead". */
    private String startAll() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final var firstLead = tenures.nextLead(peer -> true);
        List.of("a", "b", "c").forEach(this::start);
        return await(firstLead).value().peer();
    }

    @Test
    void shouldLetExactlyOneInstanceLeadAtATimeAndHandOverWhenTheLeaderCloses() throws Exception {
        final String first = startAll();
        final var secondLead = tenures.nextLead(peer -> !peer.equals(first));
        latches.remove(first).close();
        final String second = await(secondLead).value().peer();
        final var thirdLead = tenures.nextLead(peer -> !peer.equals(first) && !peer.equals(second));
        latches.remove(second).close();
        final String third = await(thirdLead).value().peer();

        assertNull(tenures.overlap(), () -> tenures.overlap() + ": " + tenures.events());
        assertEquals(3, List.of(first, second, third).stream().distinct().count());
        assertEquals(List.of(1L, 2L, 3L), tenures.events().stream().filter(Tenures.Event::lead)
                .map(Tenures.Event::token).toList(), "each tenure has the next fencing token");
        assertTrue(latches.get(third).hasLeadership());
    }

    @Test
    void shouldSayILostItBeforeAnotherSaysILeadWhenTheLeaderIsPartitioned() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final String cutOff = cluster.leader().localPeerId(); // leads Raft and, starting first, the latch
        final var firstLead = tenures.nextLead(cutOff::equals);
        start(cutOff);
        await(firstLead);
        List.of("a", "b", "c").stream().filter(id -> !id.equals(cutOff)).forEach(this::start);
        final var nextLead = tenures.nextLead(peer -> !peer.equals(cutOff));

        cluster.isolate(cutOff);
        final Recorder.Entry<Tenures.Event> taken = await(nextLead);

        final Recorder.Entry<Tenures.Event> lost = tenures.lastLoss(cutOff);
        assertNotNull(lost, () -> "the cut-off leader never said 'I lost it': " + tenures.events());
        assertTrue(lost.atNs() < taken.atNs(), () -> "'I lost it' came after the new 'I lead': " + tenures.events());
        assertFalse(latches.get(cutOff).hasLeadership());

        cluster.heal();
        await(cluster.get(cutOff).waitUntilCommitHead(WAIT));
        assertFalse(latches.get(cutOff).hasLeadership(), "back in the cluster, the old leader waits");
        assertEquals(taken.value().peer(), tenures.leader());
        assertNull(tenures.overlap(), () -> tenures.overlap() + ": " + tenures.events());
    }

    @Test
    void shouldSayILostItWhenTheLeadersInstanceCloses() throws Exception {
        final String first = startAll();
        final var nextLead = tenures.nextLead(peer -> !peer.equals(first));

        cluster.get(first).close(); // its latch keeps running, but cannot renew

        final Recorder.Entry<Tenures.Event> taken = await(nextLead);
        final Recorder.Entry<Tenures.Event> lost = tenures.lastLoss(first);
        assertNotNull(lost);
        assertTrue(lost.atNs() < taken.atNs(), () -> tenures.events().toString());
        assertNull(tenures.overlap(), () -> tenures.overlap() + ": " + tenures.events());
    }
}
