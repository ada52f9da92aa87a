// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.metrics.HamokMetrics;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.NettyTransportConfig;
import io.hamok.transport.netty.TlsConfig;
import io.hamok.transport.netty.tls.DevCertificates;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The metrics example (README "Metrics"): three Hamok instances over loopback TCP with mutual TLS in
 * one process, each with a {@link HamokMetrics} binder bound to one Prometheus registry (the
 * {@code node} tag tells them apart). It writes through the leader and a follower, then prints what
 * a Prometheus server would scrape. Exits 0, or 1 with the reason.
 *
 * <pre>mvn -q -B -DskipTests -Pmetrics-demo verify</pre>
 */
public final class MetricsDemo {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> IDS = List.of("node-1", "node-2", "node-3");
    private static final int WRITES = 100;
    /** Where the demo writes its development certificates. */
    private static final Path CERTS = Path.of("target/metrics-demo-certs");

    private MetricsDemo() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            System.out.println(run());
            System.out.println("# Metrics demo finished: the scrape above holds every node's meters.");
        } catch (Exception e) {
            System.out.println("Metrics demo FAILED: " + e);
            status = 1;
        }
        System.exit(status);
    }

    /** Starts the cluster, writes, and returns the Prometheus scrape; everything is closed on return. */
    public static String run() throws Exception {
        DevCertificates.createCluster(CERTS, "hamok-metrics-demo", IDS);
        final StringBuilder peers = new StringBuilder();
        for (String id : IDS) {
            peers.append(peers.length() == 0 ? "" : ", ").append(id).append("@127.0.0.1:").append(freePort());
        }
        final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final List<Hamok> nodes = new ArrayList<>();
        final List<HamokMetrics> binders = new ArrayList<>();
        try {
            for (String id : IDS) {
                final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(id).peers(IDS)
                        .transport(new NettyTransport(NettyTransportConfig.builder().localPeerId(id)
                                .peers(peers.toString()).clusterId("hamok-metrics-demo")
                                .reconnectMaxBackoffMs(200)
                                .tls(TlsConfig.pem(CERTS.resolve(id + ".pem"), CERTS.resolve(id + "-key.pem"),
                                        CERTS.resolve(DevCertificates.CA_FILE)))
                                .build()))
                        .raftConfig(RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
                                .electionTimeoutMs(600).build())
                        .build());
                nodes.add(hamok);
                final HamokMetrics metrics = new HamokMetrics(hamok); // bound before join: the election counts
                metrics.bindTo(prometheus);
                binders.add(metrics);
            }
            final List<CompletableFuture<Void>> joins = new ArrayList<>();
            nodes.forEach(h -> joins.add(h.join(WAIT)));
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            final Hamok leader = awaitLeader(nodes);
            final Hamok follower = nodes.stream().filter(h -> h != leader).findFirst().orElseThrow();
            write(leader, "leader");
            write(follower, "follower");
            for (Hamok h : nodes) {
                h.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            return "# " + leader.localPeerId() + " leads; " + WRITES + " writes went in through it and " + WRITES
                    + " through " + follower.localPeerId() + ".\n" + prometheus.scrape();
        } finally {
            binders.forEach(HamokMetrics::close);
            nodes.forEach(Hamok::close);
        }
    }

    private static void write(Hamok writer, String prefix) throws Exception {
        final HamokMap<String, Long> map = writer.getOrCreateMap(HamokMapConfig.<String, Long>builder()
                .mapId("inventory").keyCodec(Codecs.string()).valueCodec(Codecs.longs()).build());
        for (long i = 0; i < WRITES; i++) {
            map.set(prefix + "-" + i, i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The leader every node agrees on, once each knows one. */
    private static Hamok awaitLeader(List<Hamok> nodes) throws Exception {
        for (Hamok h : nodes) {
            h.waitUntilLeader(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            h.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS); // a read through the leader
        }
        final String leaderId = nodes.get(0).leaderId();
        return nodes.stream().filter(h -> h.localPeerId().equals(leaderId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no leader agreed"));
    }

    /** A loopback port free now, below Linux's ephemeral range (so no client socket takes it meanwhile). */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            final int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found");
    }
}
