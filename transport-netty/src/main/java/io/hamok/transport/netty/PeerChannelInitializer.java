// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

/**
 * The pipeline of every peer connection, dialed or accepted:
 * <ol>
 *   <li>{@code tls}: an {@link SslHandler} (mutual TLS 1.3) unless TLS is off;</li>
 *   <li>{@link FrameDecoder}: length-prefixed frames with a hard maximum, failing fast; the maximum
 *       is tiny until the handshake completes;</li>
 *   <li>{@link HandshakeHandler}: the HANDSHAKE, the peer's identity and the timeout; replaced by an
 *       {@link InboundFrameHandler} once it succeeds, which hands frames to the loop as bytes;</li>
 *   <li>{@link ConnectionGuard}: counts connections, closes on errors.</li>
 * </ol>
 * An accepted connection is first admitted by the {@link ConnectionAdmission} limits; one that is
 * not is closed before any handler is added. No {@code FlushConsolidationHandler}: the only writes
 * are the handshake, the drain, which already puts everything queued into one buffer and flushes
 * once per run, and a keepalive on a link that wrote nothing for a while ({@link LivenessCheck}). No encoder either: the drain writes the length prefixes itself.
 */
final class PeerChannelInitializer extends ChannelInitializer<Channel> {
    private final TransportContext context;
    private final HandshakeHandler.Role role;
    private final String expectedPeerId;

    /** @param expectedPeerId the peer a dialer dials; {@code null} for accepted connections */
    PeerChannelInitializer(TransportContext context, HandshakeHandler.Role role, String expectedPeerId) {
        this.context = context;
        this.role = role;
        this.expectedPeerId = expectedPeerId;
    }

    @Override
    protected void initChannel(Channel ch) {
        ConnectionAdmission.Ticket ticket = null;
        if (role == HandshakeHandler.Role.ACCEPTOR) {
            ConnectionAdmission.Ticket[] admitted = new ConnectionAdmission.Ticket[1];
            ConnectionRefusal refusal = context.admission().admit(admitted);
            if (refusal != null) {
                context.refused(refusal, ch, refusal == ConnectionRefusal.ACCEPT_RATE
                        ? "more than " + context.config().maxAcceptsPerSecond() + " new connections per second"
                        : context.config().maxPendingConnections() + " connections already wait for their handshake");
                ch.close();
                return;
            }
            ticket = admitted[0];
            ch.closeFuture().addListener(closed -> admitted[0].release());
        }
        ChannelPipeline p = ch.pipeline();
        TlsContexts tls = context.tls();
        if (tls != null) {
            SslHandler ssl = role == HandshakeHandler.Role.ACCEPTOR
                    ? tls.server().newHandler(ch.alloc()) : tls.client().newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(0); // the HandshakeHandler times the whole opening, TLS included
            p.addLast("tls", ssl);
        }
        p.addLast("frameDecoder", new FrameDecoder(context.counters()));
        p.addLast("handshake", new HandshakeHandler(context, role, expectedPeerId, tls, ticket));
        p.addLast("guard", new ConnectionGuard(context.counters(), context.refusalLog()));
    }
}
