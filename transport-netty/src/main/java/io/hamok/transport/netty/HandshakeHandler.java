// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.InboundFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Opens a connection. With TLS on, the {@link SslHandler} before it first completes a mutual TLS
 * 1.3 handshake (both certificates signed by a trusted CA). Then the dialer (the peer whose id sorts
 * lower) sends its HANDSHAKE {protocol_version, cluster_id, source_id}; the acceptor checks the
 * version, the cluster id, that the source is a configured peer that sorts lower than itself and,
 * with TLS, that the source's certificate names that peer id; it answers with its own HANDSHAKE,
 * which the dialer checks likewise, and that it comes from the peer it dialed.
 *
 * <p>The HANDSHAKE is read with {@link Handshakes#decode} (no generated protobuf classes on untrusted
 * bytes) from a frame of at most {@link FrameDecoder#HANDSHAKE_MAX_FRAME_BYTES}. On success the frame
 * limit rises to {@code maxFrameBytes}, the handler replaces itself by an {@link InboundFrameHandler}
 * and the connection becomes the peer's link, unless the peer already has a live one: then the new
 * connection is refused ({@link ConnectionRefusal#LINK_TAKEOVER}), never swapped in. Any failure, or
 * no completed handshake within {@code handshakeTimeoutMs}, is counted by cause, logged rate-limited
 * and closes the connection. One instance per connection; runs on its event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);
    /** Set on a connection whose handshake succeeded (a dialer starts its backoff over when it closes). */
    static final AttributeKey<Boolean> HANDSHAKEN = AttributeKey.valueOf("hamok.handshaken");

    /**
     * Which side of the connection this handler is on: a dialer of a known peer, an acceptor, or a
     * joiner dialing a seed address (peer id unknown until the answer; its HANDSHAKE says joining).
     */
    enum Role { DIALER, ACCEPTOR, SEED_DIALER }

    private final TransportContext context;
    private final Role role;
    /** The peer a dialer dialed; {@code null} for an acceptor and a seed dialer. */
    private final String expectedPeerId;
    /** The TLS contexts of this connection; {@code null} when TLS is off. */
    private final TlsContexts tls;
    /** An acceptor's place among the connections waiting for their handshake; {@code null} for a dialer. */
    private final ConnectionAdmission.Ticket ticket;
    private ScheduledFuture<?> timeout;
    /** The handshake ended, one way or the other. */
    private boolean finished;
    /** It ended well: the connection is a peer's link. */
    private boolean succeeded;

    HandshakeHandler(TransportContext context, Role role, String expectedPeerId, TlsContexts tls,
                     ConnectionAdmission.Ticket ticket) {
        this.context = context;
        this.role = role;
        this.expectedPeerId = expectedPeerId;
        this.tls = tls;
        this.ticket = ticket;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (timeout != null || finished) {
            return;
        }
        long timeoutMs = context.config().handshakeTimeoutMs();
        timeout = ctx.executor().schedule(() -> fail(ctx, ConnectionRefusal.HANDSHAKE_TIMEOUT,
                "no completed handshake within " + timeoutMs + " ms"), timeoutMs, TimeUnit.MILLISECONDS);
        if (role != Role.ACCEPTOR && tls == null) {
            sendHandshake(ctx);
        } // with TLS the dialer speaks once the TLS handshake is done (userEventTriggered)
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && !finished) {
            if (!done.isSuccess()) {
                fail(ctx, ConnectionRefusal.TLS_HANDSHAKE, String.valueOf(done.cause()));
            } else if (role == Role.DIALER) {
                String mismatch = tls.identityMismatch(ctx.pipeline().get(SslHandler.class), expectedPeerId);
                if (mismatch != null) {
                    fail(ctx, ConnectionRefusal.PEER_IDENTITY, mismatch);
                } else {
                    sendHandshake(ctx);
                }
            } else if (role == Role.SEED_DIALER) {
                sendHandshake(ctx); // the seed's certificate is checked against the id it answers
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Errors before the handshake completes are refusals of a stranger, not faults of a peer link. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (succeeded) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (finished) {
            return; // refused and closing: the refusal was counted once
        }
        boolean tlsError = tls != null && !ctx.pipeline().get(SslHandler.class).handshakeFuture().isSuccess();
        if (tlsError) {
            fail(ctx, ConnectionRefusal.TLS_HANDSHAKE, String.valueOf(cause));
        } else if (cause instanceof DecoderException) { // a frame too long for a HANDSHAKE: counted as a refusal
            fail(ctx, ConnectionRefusal.HANDSHAKE_MALFORMED, String.valueOf(cause.getMessage()));
        } else {
            fail(ctx, ConnectionRefusal.HANDSHAKE_MALFORMED, String.valueOf(cause));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (finished || !(msg instanceof ByteBuf frame)) {
            ReferenceCountUtil.release(msg); // after a failure: the connection is closing, ignore the rest
            return;
        }
        Handshakes.Hello hello;
        try {
            hello = Handshakes.decode(frame);
        } finally {
            frame.release();
        }
        if (hello == null) {
            fail(ctx, ConnectionRefusal.HANDSHAKE_MALFORMED, "first frame is not a HANDSHAKE message");
            return;
        }
        String mismatch = Handshakes.mismatch(hello, context.config().clusterId());
        if (mismatch == null) {
            mismatch = switch (role) {
                case ACCEPTOR -> checkDialer(hello);
                case DIALER -> checkAcceptor(hello.peerId());
                case SEED_DIALER -> checkSeed(hello.peerId());
            };
        }
        if (mismatch != null) {
            fail(ctx, ConnectionRefusal.HANDSHAKE_MISMATCH, mismatch);
            return;
        }
        if (role != Role.DIALER && tls != null) { // a dialer checked the certificate against the peer it dialed
            String identity = tls.identityMismatch(ctx.pipeline().get(SslHandler.class), hello.peerId());
            if (identity != null) {
                fail(ctx, ConnectionRefusal.PEER_IDENTITY, identity);
                return;
            }
        }
        PeerLink link = context.link(hello.peerId());
        if (link == null) { // a joiner at a seed, or a seed at a joiner: a guest link until the configuration names it
            link = context.addGuestLink(hello.peerId());
            if (link == null) {
                fail(ctx, ConnectionRefusal.GUEST_LIMIT, context.config().maxGuests()
                        + " guest links (joining peers) already open");
                return;
            }
        }
        succeed(ctx, link);
    }

    private String checkDialer(Handshakes.Hello hello) {
        String peerId = hello.peerId();
        if (peerId.isEmpty() || peerId.equals(context.localPeerId())) {
            return "peer id '" + Handshakes.printable(peerId) + "' is empty or this peer's own";
        }
        if (hello.joining()) {
            return null; // a joiner dials any member it knows an address of
        }
        if (context.link(peerId) == null || context.link(peerId).guest()) {
            return "unknown peer id '" + Handshakes.printable(peerId) + "' (not a member, and not joining)";
        }
        if (peerId.compareTo(context.localPeerId()) >= 0) {
            return "peer '" + peerId + "' dialed, but the peer whose id sorts lower dials";
        }
        return null;
    }

    private String checkSeed(String peerId) {
        return peerId.isEmpty() || peerId.equals(context.localPeerId())
                ? "the seed answered with peer id '" + Handshakes.printable(peerId) + "', empty or this peer's own"
                : null;
    }

    private String checkAcceptor(String peerId) {
        return peerId.equals(expectedPeerId) ? null
                : "answer from peer id '" + Handshakes.printable(peerId) + "', expected '" + expectedPeerId + "'";
    }

    private void succeed(ChannelHandlerContext ctx, PeerLink link) {
        Channel ch = ctx.channel();
        Channel live = link.attachUnlessLive(ch);
        if (live != null) {
            fail(ctx, ConnectionRefusal.LINK_TAKEOVER, "peer " + link.peerId() + " already has a live connection "
                    + live + "; a reconnecting peer gets through once that one is detected dead");
            return;
        }
        if (link.guest() && context.link(link.peerId()) != link) {
            // the configuration named the peer meanwhile and a member link replaced this guest link
            fail(ctx, ConnectionRefusal.HANDSHAKE_MISMATCH, "peer " + link.peerId() + " became a member meanwhile; "
                    + "it connects again by the usual rule");
            link.detach(ch);
            return;
        }
        finished = true;
        succeeded = true;
        ch.attr(HANDSHAKEN).set(Boolean.TRUE);
        cancelTimeout();
        if (ticket != null) {
            ticket.release();
        }
        ctx.pipeline().get(FrameDecoder.class).authenticated(context.config().maxFrameBytes());
        if (role == Role.ACCEPTOR) {
            sendHandshake(ctx);
        }
        InboundFrames inbound = context.inbound();
        ctx.pipeline().replace(this, "frames", new InboundFrameHandler(link, inbound, context.counters()));
        boolean seed = role == Role.SEED_DIALER;
        if (seed) {
            context.seedPeer(link.peerId(), true);
        }
        ch.closeFuture().addListener(closed -> {
            if (seed) {
                context.seedPeer(link.peerId(), false);
            }
            link.detach(ch);
            if (link.guest()) {
                context.removeGuestLink(link); // a guest's link lives as long as its connection
            }
        });
        link.startDraining();
        LOG.info("{}: connected to peer {} ({} {}{})", context.localPeerId(), link.peerId(),
                role == Role.ACCEPTOR ? "accepted" : role == Role.DIALER ? "dialed" : "dialed as a joiner",
                ch.remoteAddress(), (tls == null ? ", no TLS" : ", TLS") + (link.guest() ? ", guest" : ""));
    }

    private void sendHandshake(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Handshakes.encode(ctx.alloc(), context.config().clusterId(), context.localPeerId(),
                role == Role.SEED_DIALER));
    }

    private void fail(ChannelHandlerContext ctx, ConnectionRefusal cause, String reason) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimeout();
        context.refused(cause, ctx.channel(), (role == Role.DIALER ? "dialed " + expectedPeerId
                : role == Role.SEED_DIALER ? "dialed a seed" : "accepted") + ": " + reason);
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
