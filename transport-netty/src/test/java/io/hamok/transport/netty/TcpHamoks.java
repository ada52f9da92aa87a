// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.raft.RaftConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whole Hamok instances over loopback TCP (TLS off, fast reconnects), each id on its own free port,
 * for the membership scenarios: founders with their addresses in the first configuration, and
 * joiners that know only a seed address. {@link #close()} closes every instance started.
 */
final class TcpHamoks implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final RaftConfig raft;
    private final List<Hamok> running = new ArrayList<>();
    private final Map<String, Integer> ports = new HashMap<>();

    TcpHamoks(RaftConfig raft) {
        this.raft = raft;
    }

    /** Every instance started, closed ones included, in start order. */
    List<Hamok> running() {
        return running;
    }

    /** A cluster of {@code ids} as initial voters, with their addresses in the configuration, joined. */
    List<Hamok> startCluster(String... ids) throws Exception {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (String id : ids) {
            addresses.put(id, address(id));
        }
        List<Hamok> founders = new ArrayList<>();
        for (String id : ids) {
            founders.add(start(HamokConfig.builder().peerId(id).peers(List.of(ids)).peerAddresses(addresses),
                    transport(id, List.of(ids), null)));
        }
        // start them all, then wait: each join waits for a leader, which needs a majority running
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (Hamok h : founders) {
            joins.add(h.join(WAIT));
        }
        for (CompletableFuture<Void> j : joins) {
            j.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return founders;
    }

    /** An instance with no peer list that joins through {@code seedId}'s address (not started). */
    Hamok joiner(String id, String seedId) {
        return start(HamokConfig.builder().peerId(id).peers(List.of()), transport(id, List.of(), address(seedId)));
    }

    Hamok start(HamokConfig.Builder config, NettyTransport transport) {
        Hamok h = Hamok.create(config.transport(transport).raftConfig(raft).requestTimeoutMs(10_000).build());
        running.add(h);
        return h;
    }

    /** A transport listing {@code peers} (or only itself), with {@code seed} as its seed when not null. */
    NettyTransport transport(String id, List<String> peers, String seed) {
        StringBuilder list = new StringBuilder(id + "@" + address(id));
        for (String peer : peers) {
            if (!peer.equals(id)) {
                list.append(", ").append(peer).append('@').append(address(peer));
            }
        }
        NettyTransportConfig.Builder b = NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId(id)
                .peers(list.toString()).reconnectInitialBackoffMs(20).reconnectMaxBackoffMs(200);
        if (seed != null) {
            b.seeds(seed);
        }
        return new NettyTransport(b.build());
    }

    String address(String id) {
        return "127.0.0.1:" + ports.computeIfAbsent(id, ignored -> TcpTestCluster.freePort());
    }

    /** Gives {@code id} another port: an instance started under that id from now on is at another address. */
    void movePort(String id) {
        ports.put(id, TcpTestCluster.freePort());
    }

    /** The map "stock" of {@code h}. */
    static HamokMap<String, Long> map(Hamok h) {
        return h.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("stock").keyCodec(Codecs.string())
                .valueCodec(Codecs.longs()).build());
    }

    @Override
    public void close() {
        running.forEach(Hamok::close);
    }
}
