// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection of peer "b" (peers a, b, c) in an {@link EmbeddedChannel}, with the real
 * pipeline: virtual time, no sockets. As acceptor it expects "a" to dial; as dialer it dials "c".
 * Several connections may share one {@link TransportContext} (see {@link #another()}).
 */
final class EmbeddedConnection {
    static final String LOCAL = "b";
    static final String CLUSTER = "hamok";
    static final int MAX_FRAME_BYTES = 1024;
    static final int RING_BYTES = 4096;
    static final long HANDSHAKE_TIMEOUT_MS = 1000;

    final TransportContext context;
    final RecordingInboundFrames inbound;
    final EmbeddedChannel channel;
    private final HandshakeHandler.Role role;
    private final String expectedPeerId;

    private EmbeddedConnection(TransportContext context, RecordingInboundFrames inbound, HandshakeHandler.Role role,
                               String expectedPeerId) {
        this.context = context;
        this.inbound = inbound;
        this.role = role;
        this.expectedPeerId = expectedPeerId;
        this.channel = new EmbeddedChannel(new PeerChannelInitializer(context, role, expectedPeerId));
    }

    static EmbeddedConnection acceptor() {
        return acceptor(RING_BYTES);
    }

    /** An acceptor whose outbound rings have {@code ringBytes}. */
    static EmbeddedConnection acceptor(int ringBytes) {
        return new EmbeddedConnection(newContext(ringBytes), new RecordingInboundFrames(),
                HandshakeHandler.Role.ACCEPTOR, null);
    }

    static EmbeddedConnection dialer() {
        return new EmbeddedConnection(newContext(RING_BYTES), new RecordingInboundFrames(),
                HandshakeHandler.Role.DIALER, "c");
    }

    /** A second connection of the same role into the same transport context. */
    EmbeddedConnection another() {
        return new EmbeddedConnection(context, inbound, role, expectedPeerId);
    }

    private static TransportContext newContext(int ringBytes) {
        NettyTransportConfig config = NettyTransportConfig.builder().tls(TlsConfig.off())
                .localPeerId(LOCAL)
                .peers("a@127.0.0.1:7001, b@127.0.0.1:7002, c@127.0.0.1:7003")
                .clusterId(CLUSTER)
                .maxFrameBytes(MAX_FRAME_BYTES)
                .perPeerOutboundBytes(ringBytes)
                .handshakeTimeoutMs(HANDSHAKE_TIMEOUT_MS)
                .build();
        return new TransportContext(config, new TransportCounters());
    }

    TransportCounters counters() {
        return context.counters();
    }

    PeerLink link(String peerId) {
        return context.link(peerId);
    }

    /** Acceptor: "a" dials and this connection answers; returns the answer. */
    byte[] completeHandshakeFromA() {
        List<byte[]> answer = handshakeFromA();
        if (answer.size() != 1 || !channel.isActive()) {
            throw new AssertionError("handshake did not complete: " + answer.size() + " answers, active="
                    + channel.isActive() + ", " + counters());
        }
        return answer.get(0);
    }

    /** Acceptor: "a" dials; returns everything the connection wrote then (the answer first). */
    List<byte[]> handshakeFromA() {
        context.inbound(inbound);
        channel.writeInbound(TestFrames.framed(TestFrames.handshake(NettyTransport.PROTOCOL_VERSION, CLUSTER, "a")));
        return written();
    }

    /** What the connection wrote so far, split into messages; releases the buffers. */
    List<byte[]> written() {
        return TestFrames.unframe(writtenBuffers());
    }

    /** The buffers the connection wrote so far (after running its pending tasks); the caller releases them. */
    List<ByteBuf> writtenBuffers() {
        channel.runPendingTasks();
        List<ByteBuf> out = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            out.add((ByteBuf) msg);
        }
        return out;
    }

    /** Writes bytes into the connection as if received; returns whether it is still open. */
    boolean receive(ByteBuf bytes) {
        context.inbound(inbound);
        channel.writeInbound(bytes);
        channel.runPendingTasks();
        return channel.isActive();
    }

    /** Ends the test: no exception escaped the pipeline, nothing is left unreleased. */
    void finish() {
        channel.checkException();
        channel.finishAndReleaseAll();
    }
}
