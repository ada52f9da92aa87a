// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.metrics.HamokMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metrics binder's hooks add no allocation per write on the loop threads: the rig of
 * {@link HamokMapSetAllocationTest} (three instances, virtual clocks, 64 sets in flight) measures the
 * loops' bytes per {@code map.set} without a binder, then again on the same cluster with a
 * {@link HamokMetrics} bound on every instance (both timers recording, lag and election values
 * published every duty cycle), and finds the same figure.
 */
@Timeout(300)
class HamokMetricsAllocationTest {
    /** Integer bytes per set can move by one when a rare allocation (a snapshot) falls on either side. */
    private static final long TOLERANCE_BYTES_PER_SET = 2;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingMorePerSetWithTheBinderWhenTheClientIsOnTheLeader() {
        measureWithAndWithout(true);
    }

    @Test
    void shouldAllocateNothingMorePerSetWithTheBinderWhenTheClientIsOnAFollower() {
        measureWithAndWithout(false);
    }

    private void measureWithAndWithout(boolean clientOnLeader) {
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final HamokMapSetAllocationTest rig = new HamokMapSetAllocationTest();
        final List<MeterRegistry> registries = new ArrayList<>();
        try {
            rig.startCluster();
            final int leader = rig.cluster.leaderIndex();
            final int client = clientOnLeader ? leader : (leader + 1) % rig.cluster.nodes().size();
            final long[] without = rig.measure(client);
            for (Hamok node : rig.cluster.nodes()) {
                final MeterRegistry registry = new SimpleMeterRegistry();
                new HamokMetrics(node).bindTo(registry);
                registries.add(registry);
            }
            final long[] with = rig.measure(client);

            System.out.println(rig.cluster.report("map.set, client on the " + (clientOnLeader ? "leader" : "follower")
                    + ", no binder: loop bytes per set", without));
            System.out.println(rig.cluster.report("map.set, client on the " + (clientOnLeader ? "leader" : "follower")
                    + ", binder bound: loop bytes per set", with));
            for (int n = 0; n < with.length; n++) {
                assertTrue(with[n] <= without[n] + TOLERANCE_BYTES_PER_SET, "loop of node-" + n + ": " + with[n]
                        + " bytes per set with the binder, " + without[n] + " without");
            }
            final Timer requests = registries.get(client).get("hamok.request.latency").timer();
            final Timer commits = registries.get(leader).get("hamok.raft.commit.latency").timer();
            assertTrue(requests.count() >= 100_000 - 64, "every set of the client was timed: " + requests.count());
            assertTrue(commits.count() >= 100_000 - 64, "every entry of the leader was timed: " + commits.count());
            assertTrue(commits.mean(java.util.concurrent.TimeUnit.NANOSECONDS) > 0, "commits take virtual time");
            assertEquals(0, registries.get(client == leader ? (leader + 1) % 3 : client)
                    .get("hamok.raft.commit.latency").timer().count(), "a follower times no commit");
        } finally {
            rig.tearDown();
        }
    }
}
