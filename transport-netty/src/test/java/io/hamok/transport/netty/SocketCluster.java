// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Real NettyTransports on 127.0.0.1, one per peer id, on free ports found by probing. The test
 * thread plays the loop thread of every transport (send and flush). Peers can be stopped and
 * started again on the same port.
 */
final class SocketCluster implements AutoCloseable {
    static final int RING_BYTES = 64 * 1024;

    private final List<PeerAddress> peers = new ArrayList<>();
    private final Map<String, NettyTransport> running = new HashMap<>();
    private final Map<String, RecordingInboundFrames> inbound = new HashMap<>();

    SocketCluster(String... peerIds) {
        for (String id : peerIds) {
            peers.add(new PeerAddress(id, "127.0.0.1", freePort()));
        }
    }

    NettyTransport start(String peerId) {
        return start(peerId, b -> b);
    }

    /** Starts a transport for {@code peerId} (settings for fast tests, then {@code tweak}) with a new inbound. */
    NettyTransport start(String peerId, UnaryOperator<NettyTransportConfig.Builder> tweak) {
        NettyTransportConfig config = tweak.apply(NettyTransportConfig.builder().tls(TlsConfig.off())
                .localPeerId(peerId)
                .peers(peers)
                .perPeerOutboundBytes(RING_BYTES)
                .handshakeTimeoutMs(2000)
                .connectTimeoutMs(1000)
                .reconnectInitialBackoffMs(10)
                .reconnectMaxBackoffMs(100))
                .build();
        NettyTransport transport = new NettyTransport(config);
        RecordingInboundFrames frames = new RecordingInboundFrames();
        transport.start(frames);
        running.put(peerId, transport);
        inbound.put(peerId, frames);
        return transport;
    }

    void stop(String peerId) {
        NettyTransport transport = running.remove(peerId);
        if (transport != null) {
            transport.close();
        }
    }

    /** The configured address of {@code peerId}. */
    PeerAddress address(String peerId) {
        return peers.stream().filter(p -> p.peerId().equals(peerId)).findFirst().orElseThrow();
    }

    /** Every configured address, as given to each transport. */
    List<PeerAddress> addresses() {
        return List.copyOf(peers);
    }

    NettyTransport transport(String peerId) {
        return running.get(peerId);
    }

    RecordingInboundFrames inbound(String peerId) {
        return inbound.get(peerId);
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
