// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.metrics.HamokMetrics;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.PeerCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics binder's transport meters over a real three-node TCP cluster with mutual TLS: frames
 * and bytes each way per peer (tag {@code peer}), connections attached, and a stranger's connection
 * counted as refused by its cause.
 */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class HamokMetricsTcpTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final RaftConfig RAFT = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
            .electionTimeoutMs(600).build();

    @TempDir
    Path certs;
    private final Map<String, Hamok> nodes = new LinkedHashMap<>();
    private final Map<String, NettyTransport> transports = new LinkedHashMap<>();
    private final Map<String, MeterRegistry> registries = new LinkedHashMap<>();
    private final List<HamokMetrics> binders = new ArrayList<>();

    @AfterEach
    void closeAll() {
        binders.forEach(HamokMetrics::close);
        nodes.values().forEach(Hamok::close);
    }

    @Test
    void shouldCountFramesAndBytesPerPeerAndRefusalsByCause() throws Exception {
        TcpTestCluster.writeCertificates(certs, 3);
        final List<NettyTransportConfig> configs = TcpTestCluster.configsFor(3, certs);
        final List<String> ids = configs.stream().map(NettyTransportConfig::localPeerId).toList();
        for (NettyTransportConfig c : configs) {
            final NettyTransport transport = new NettyTransport(c);
            final Hamok h = Hamok.create(HamokConfig.builder().peerId(c.localPeerId()).peers(ids).transport(transport)
                    .raftConfig(RAFT).build());
            final MeterRegistry registry = new SimpleMeterRegistry();
            final HamokMetrics metrics = new HamokMetrics(h);
            metrics.bindTo(registry); // before join: the peer meters come with the transport's links
            nodes.put(c.localPeerId(), h);
            transports.put(c.localPeerId(), transport);
            registries.put(c.localPeerId(), registry);
            binders.add(metrics);
        }
        final List<CompletableFuture<Void>> joins = new ArrayList<>();
        nodes.values().forEach(h -> joins.add(h.join(WAIT)));
        CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Await.until(() -> nodes.values().stream().filter(Hamok::isLeader).count() == 1, WAIT, "one leader");
        final Hamok leader = nodes.values().stream().filter(Hamok::isLeader).findFirst().orElseThrow();
        final HamokMap<String, Long> map = leader.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("m")
                .keyCodec(Codecs.string()).valueCodec(Codecs.longs()).build());
        for (long i = 0; i < 20; i++) {
            map.set("k" + i, i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        for (String follower : ids) {
            if (follower.equals(leader.localPeerId())) {
                continue;
            }
            assertFlowBetween(leader.localPeerId(), follower);
            assertFlowBetween(follower, leader.localPeerId());
        }
        for (String id : ids) {
            assertEquals(2, registries.get(id).find("hamok.transport.frames.sent").meters().size(),
                    id + ": one per remote peer, none for itself");
        }

        final String target = ids.get(1);
        try (Stranger stranger = new Stranger(transports.get(target).boundAddress())) {
            stranger.send(new byte[]{0, 0, 0, 4, 1, 2, 3, 4}); // not TLS
            stranger.readUntilClosed(5000);
        }
        final RequiredSearch refusedTls = registries.get(target).get("hamok.transport.connections.refused")
                .tag("cause", "tls_handshake");
        Await.until(() -> refusedTls.functionCounter().count() == 1, WAIT, "the stranger counted as a TLS refusal");
        assertEquals(0, registries.get(target).get("hamok.transport.connections.refused").tag("cause", "accept_rate")
                .functionCounter().count());
    }

    /** {@code from}'s meters for {@code to} hold frames and bytes both ways, as its transport counted them. */
    private void assertFlowBetween(String from, String to) {
        final MeterRegistry r = registries.get(from);
        final PeerCounters counted = transports.get(from).counters().peer(to);
        final double framesSent = count(r, "hamok.transport.frames.sent", to);
        final double framesReceived = count(r, "hamok.transport.frames.received", to);
        assertTrue(framesSent > 0 && framesReceived > 0, from + " -> " + to + ": " + framesSent + "/" + framesReceived);
        assertTrue(count(r, "hamok.transport.data.sent", to) >= framesSent, "a frame has a byte at least");
        assertTrue(count(r, "hamok.transport.data.received", to) >= framesReceived);
        assertTrue(count(r, "hamok.transport.connections.attached", to) >= 1, from + " -> " + to + " attached");
        assertTrue(framesSent <= counted.framesSent(), "the meter reads the transport's counter when scraped");
    }

    private static double count(MeterRegistry r, String name, String peer) {
        return r.get(name).tag("peer", peer).functionCounter().count();
    }
}
