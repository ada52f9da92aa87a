// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.NettyTransportConfig;
import io.hamok.transport.netty.TlsConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code size} {@link Hamok} instances over loopback TCP in this JVM (memory logs), each with a
 * {@code HamokMap<String, byte[]>} named {@value #MAP_ID}: the fixture of {@link MapSetRig},
 * {@link TcpMapSetBenchmark}, {@link FixedRateRig} and {@link IdleCostRig}. {@link #start} returns
 * once every node has joined and caught up with the leader's commit index.
 *
 * <p>Not thread-safe: start, use and close from one thread; the nodes and maps may be called from
 * any thread.
 */
final class HamokCluster implements AutoCloseable {
    static final String MAP_ID = "bench";

    private final List<Hamok> nodes;

    private HamokCluster(List<Hamok> nodes) {
        this.nodes = nodes;
    }

    static HamokCluster start(int size, RaftConfig raft) throws Exception {
        final List<String> ids = Loopback.ids(size);
        final String peers = Loopback.peers(ids);
        final List<Hamok> nodes = new ArrayList<>();
        final HamokCluster cluster = new HamokCluster(nodes);
        try {
            final List<CompletableFuture<Void>> joins = new ArrayList<>();
            for (String id : ids) {
                final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(id).peers(ids).raftConfig(raft)
                        .transport(new NettyTransport(NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId(id).peers(peers)
                                .loopOnIoThread(LoopCluster.LOOP_ON_IO_THREAD).build()))
                        .build());
                nodes.add(hamok);
                hamok.createMap(HamokMapConfig.<String, byte[]>builder().mapId(MAP_ID)
                        .keyCodec(Codecs.string()).valueCodec(Codecs.bytes()).build());
                joins.add(hamok.join(Duration.ofSeconds(30)));
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (Hamok n : nodes) {
                n.waitUntilCommitHead(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    List<Hamok> nodes() {
        return nodes;
    }

    /** The node that is leader now (throws when none is). */
    Hamok leader() {
        return nodes.stream().filter(Hamok::isLeader).findFirst()
                .orElseThrow(() -> new IllegalStateException("no leader among " + nodes.size() + " nodes"));
    }

    /** A node that is not the leader now. */
    Hamok follower() {
        return nodes.stream().filter(n -> !n.isLeader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no follower among " + nodes.size() + " nodes"));
    }

    @SuppressWarnings("unchecked")
    static HamokMap<String, byte[]> map(Hamok node) {
        return (HamokMap<String, byte[]>) node.storages().get(MAP_ID);
    }

    @Override
    public void close() {
        nodes.forEach(Hamok::close);
    }
}
