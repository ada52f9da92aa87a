// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Transports on 127.0.0.1 for tests of how peers find each other: each started with a config that
 * lists only itself (plus what a test adds), its own {@link RecordingInboundFrames}, and fast
 * timings. The test thread plays every transport's loop thread (send, flush, updatePeers).
 */
final class LoopbackTransports implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final Map<String, NettyTransport> running = new HashMap<>();
    final Map<String, RecordingInboundFrames> inbound = new HashMap<>();
    final Map<String, Integer> ports = new HashMap<>();

    /** Starts {@code id}, listing itself, with what {@code tweak} adds. */
    NettyTransport start(String id, UnaryOperator<NettyTransportConfig.Builder> tweak) {
        NettyTransport t = new NettyTransport(tweak.apply(config(id)).build());
        RecordingInboundFrames frames = new RecordingInboundFrames();
        inbound.put(id, frames);
        running.put(id, t);
        t.start(frames);
        return t;
    }

    NettyTransport start(String id) {
        return start(id, b -> b);
    }

    /** The config {@link #start} begins with: TLS off, only itself as a peer, fast timings. */
    NettyTransportConfig.Builder config(String id) {
        return NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId(id).peers(addresses(id))
                .reconnectInitialBackoffMs(10).reconnectMaxBackoffMs(100).handshakeTimeoutMs(1000)
                .linkSilenceTimeoutMs(1200).keepaliveIntervalMs(200);
    }

    /** {@code 127.0.0.1:port} of {@code id}, a free port picked on first use. */
    String address(String id) {
        return "127.0.0.1:" + port(id);
    }

    int port(String id) {
        return ports.computeIfAbsent(id, ignored -> TcpTestCluster.freePort());
    }

    List<PeerAddress> addresses(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new PeerAddress(id, "127.0.0.1", port(id))).toList();
    }

    /** The member map {@code Transport.updatePeers} takes, for {@code ids}. */
    Map<String, String> members(String... ids) {
        Map<String, String> m = new HashMap<>();
        for (String id : ids) {
            m.put(id, address(id));
        }
        return m;
    }

    /** A frame a guest link passes: the first bytes of a JOIN_NOTIFICATION (type field 1 = 4). */
    static final byte[] JOIN_FRAME = {0x08, 0x04};
    private static final byte[] ANY_FRAME = {42};

    /** Sends from each side until a frame arrived at the other (a frame may leave on a connection being replaced). */
    void awaitExchange(String x, String y) throws Exception {
        awaitExchange(x, y, ANY_FRAME);
    }

    /** As {@link #awaitExchange(String, String)} with {@code frame}. */
    void awaitExchange(String x, String y, byte[] frame) throws Exception {
        int atY = inbound.get(y).framesFrom(x).size();
        int atX = inbound.get(x).framesFrom(y).size();
        Await.until(() -> {
            boolean toY = inbound.get(y).framesFrom(x).size() > atY;
            boolean toX = inbound.get(x).framesFrom(y).size() > atX;
            if (!toY) {
                sendOne(x, y, frame);
            }
            if (!toX) {
                sendOne(y, x, frame);
            }
            return toX && toY;
        }, WAIT, x + " and " + y + " to exchange frames");
    }

    void sendOne(String from, String to, byte[] frame) {
        NettyTransport t = running.get(from);
        t.send(to, new UnsafeBuffer(frame), 0, frame.length);
        t.flush();
    }

    @Override
    public void close() {
        running.values().forEach(NettyTransport::close);
    }
}
