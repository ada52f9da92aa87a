// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.metrics.HamokMetrics;
import io.hamok.raft.MembershipChange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Micrometer binder over a three-node in-JVM cluster ({@link HamokScenarioCluster}): each instance
 * bound to its own {@link SimpleMeterRegistry}; after writes through the leader and a follower the
 * meters hold what the cluster did. Waits only on futures and on the loops' own conditions.
 */
@Timeout(60)
class HamokMetricsScenarioTest {
    private static final int WRITES = 40;

    private final HamokScenarioCluster cluster = new HamokScenarioCluster("a", "b", "c");
    private final Map<String, MeterRegistry> registries = new HashMap<>();
    private final Map<String, HamokMetrics> binders = new HashMap<>();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        binders.values().forEach(HamokMetrics::close);
        cluster.close();
        refresher.shutdownNow();
    }

    @Test
    void shouldReportRoleTermIndexesElectionsAndLatenciesAfterWrites() throws Exception {
        bindAll();
        cluster.joinAll();
        final Hamok leader = cluster.leader();
        final Hamok follower = cluster.follower();
        final double commitBefore = gauge(leader, "hamok.raft.commit.index");

        write(leader, "from-leader");
        write(follower, "from-follower");
        cluster.syncAll();

        for (Hamok h : cluster.members()) {
            assertTrue(gauge(h, "hamok.raft.term") >= 1, h.localPeerId() + " term");
            assertTrue(gauge(h, "hamok.raft.applied.index") >= commitBefore + 2 * WRITES, h.localPeerId() + " applied");
            assertEquals(h == leader ? 1 : 0, registry(h).get("hamok.raft.role").tag("role", "leader").gauge().value());
            assertEquals(h == leader ? 0 : 1, registry(h).get("hamok.raft.role").tag("role", "follower").gauge().value());
            assertEquals(3, registry(h).get("hamok.raft.members").tag("kind", "voter").gauge().value());
            assertEquals(0, registry(h).get("hamok.raft.members").tag("kind", "learner").gauge().value());
            assertEquals(0, registry(h).get("hamok.drops").tag("budget", "commands").functionCounter().count());
            assertEquals(0, registry(h).get("hamok.loop.errors").functionCounter().count());
        }
        assertTrue(gauge(leader, "hamok.raft.commit.index") >= commitBefore + 2 * WRITES, "the commit index grew");
        assertTrue(counter(leader, "hamok.raft.elections.won") >= 1, "the leader won an election");
        assertTrue(counter(leader, "hamok.raft.elections.started") >= 1, "the leader stood as a candidate");

        // request latency where the writes were made, commit latency on the leader only
        assertEquals(WRITES, timer(leader, "hamok.request.latency").count());
        assertEquals(WRITES, timer(follower, "hamok.request.latency").count());
        assertTrue(timer(leader, "hamok.raft.commit.latency").count() >= 2 * WRITES, "every write's entry timed");
        assertEquals(0, timer(follower, "hamok.raft.commit.latency").count(), "a follower times no commit");
        final ValueAtPercentile[] percentiles = timer(follower, "hamok.request.latency").takeSnapshot()
                .percentileValues();
        assertEquals(4, percentiles.length, "p50, p90, p99, p99.9");
        assertTrue(percentiles[3].value() > 0, "a write through a follower takes time");

        // the leader's lag gauges reach 0 once the followers acknowledged everything; NaN on followers
        await(leader.loop().await(l -> leader.monitor().replicationLag().values().stream().allMatch(v -> v == 0)
                && leader.monitor().replicationLag().size() == 2));
        for (String peer : leader.remotePeerIds()) {
            assertEquals(0, registry(leader).get("hamok.raft.replication.lag").tag("peer", peer).gauge().value(), peer);
            assertTrue(Double.isNaN(registry(follower).get("hamok.raft.replication.lag").tags(Tags.of("peer",
                    leader.localPeerId())).gauge().value()), "no lag known on a follower");
        }
        assertEquals(Map.of(), follower.stats().replicationLag());
        assertEquals(2, leader.stats().replicationLag().size());
        // the in-JVM transport keeps no per-peer counters: no per-peer transport meters
        assertTrue(registry(leader).find("hamok.transport.frames.sent").meters().isEmpty());
    }

    @Test
    void shouldCountANewElectionAfterTheLeaderStops() throws Exception {
        bindAll();
        cluster.joinAll();
        final Hamok old = cluster.leader();
        final double wonBefore = cluster.members().stream().filter(h -> h != old)
                .mapToDouble(h -> counter(h, "hamok.raft.elections.won")).sum();
        old.close();
        final Hamok next = cluster.leader();
        assertTrue(counter(next, "hamok.raft.elections.won") >= 1, "the new leader counted its win");
        assertTrue(cluster.running().stream().mapToDouble(h -> counter(h, "hamok.raft.elections.won")).sum()
                > wonBefore, "one more election won among the survivors");
        assertTrue(gauge(next, "hamok.raft.term") > 1, "a new term");
    }

    @Test
    void shouldRegisterTheLagGaugeOfAMemberAddedLaterAndRemoveItWhenItLeaves() throws Exception {
        cluster.joinAll();
        final Hamok leader = cluster.leader();
        bind(leader);
        assertEquals(leader.remotePeerIds(), lagGaugePeers(leader));

        assertEquals(MembershipChange.ACCEPTED, await(leader.addRemotePeerId("d")));
        refreshed();
        assertTrue(lagGaugePeers(leader).contains("d"), "d has a lag gauge: " + lagGaugePeers(leader));
        assertTrue(registry(leader).get("hamok.raft.replication.lag").tag("peer", "d").gauge().value() >= 0,
                "d is a learner the leader replicates to");
        assertEquals(1, registry(leader).get("hamok.raft.members").tag("kind", "learner").gauge().value());

        assertEquals(MembershipChange.ACCEPTED, await(leader.removeRemotePeerId("d")));
        refreshed();
        assertNull(registry(leader).find("hamok.raft.replication.lag").tag("peer", "d").gauge(), "d's gauge removed");
        assertEquals(0, registry(leader).get("hamok.raft.members").tag("kind", "learner").gauge().value());
    }

    @Test
    void shouldRemoveItsMetersAndStopTimingWhenClosed() throws Exception {
        cluster.joinAll();
        final Hamok leader = cluster.leader();
        bind(leader);
        write(leader, "before-close");
        binders.remove(leader.localPeerId()).close();

        assertTrue(registry(leader).getMeters().isEmpty(), "no meter left: " + registry(leader).getMeters());
        write(leader, "after-close"); // untimed, and nothing fails
        final HamokMetrics again = new HamokMetrics(leader);
        binders.put(leader.localPeerId(), again);
        again.bindTo(registry(leader));
        assertEquals(0, timer(leader, "hamok.request.latency").count(), "a new binder starts from zero");
    }

    // ------------------------------------------------------------------ helpers

    private void bindAll() {
        cluster.members().forEach(this::bind);
    }

    private void bind(Hamok h) {
        final MeterRegistry registry = new SimpleMeterRegistry();
        final HamokMetrics metrics = new HamokMetrics(h, Tags.of("cluster", "scenario"), refresher);
        metrics.bindTo(registry);
        registries.put(h.localPeerId(), registry);
        binders.put(h.localPeerId(), metrics);
    }

    /**
     * Waits for the refreshes queued so far: a configuration change queues one on {@link #refresher}
     * in the duty cycle that appends it, before the change can commit.
     */
    private void refreshed() throws Exception {
        await(java.util.concurrent.CompletableFuture.runAsync(() -> { }, refresher));
    }

    private java.util.Set<String> lagGaugePeers(Hamok h) {
        final java.util.Set<String> peers = new java.util.HashSet<>();
        registry(h).find("hamok.raft.replication.lag").gauges().forEach(g -> peers.add(g.getId().getTag("peer")));
        return peers;
    }

    private static void write(Hamok h, String prefix) throws Exception {
        final HamokMap<String, Long> map = h.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("metrics")
                .keyCodec(Codecs.string()).valueCodec(Codecs.longs()).build());
        for (long i = 0; i < WRITES; i++) {
            await(map.set(prefix + "-" + i, i));
        }
    }

    private MeterRegistry registry(Hamok h) {
        return registries.get(h.localPeerId());
    }

    private double gauge(Hamok h, String name) {
        return registry(h).get(name).tag(HamokMetrics.NODE, h.localPeerId()).tag("cluster", "scenario").gauge()
                .value();
    }

    private double counter(Hamok h, String name) {
        return registry(h).get(name).functionCounter().count();
    }

    private Timer timer(Hamok h, String name) {
        return registry(h).get(name).timer();
    }
}
