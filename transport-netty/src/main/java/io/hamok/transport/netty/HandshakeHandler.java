package io.hamok.transport.netty;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.transport.InboundFrames;
import io.hamok.wire.proto.HamokMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Opens a connection: the dialer (the peer whose id sorts lower) sends its HANDSHAKE
 * {protocol_version, cluster_id, source_id} when the connection is up; the acceptor checks the
 * version, the cluster id, that the source is a configured peer and that it sorts lower than
 * itself, and answers with its own HANDSHAKE; the dialer checks the answer likewise and that it
 * comes from the peer it dialed.
 *
 * <p>On success it replaces itself by an {@link InboundFrameHandler} and attaches the connection
 * to the peer's {@link PeerLink} (closing a connection it replaces). On a mismatch, an
 * undecodable first frame or no handshake within {@code handshakeTimeoutMs}, it counts a handshake
 * failure, logs the reason once at WARN and closes the connection. One instance per connection;
 * runs on its event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    /** Which side of the connection this handler is on. */
    enum Role { DIALER, ACCEPTOR }

    private final TransportContext context;
    private final Role role;
    /** The peer a dialer dialed; {@code null} for an acceptor. */
    private final String expectedPeerId;
    private ScheduledFuture<?> timeout;
    private boolean finished;

    HandshakeHandler(TransportContext context, Role role, String expectedPeerId) {
        this.context = context;
        this.role = role;
        this.expectedPeerId = expectedPeerId;
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
        timeout = ctx.executor().schedule(
                () -> fail(ctx, "no handshake within " + timeoutMs + " ms"), timeoutMs, TimeUnit.MILLISECONDS);
        if (role == Role.DIALER) {
            ctx.writeAndFlush(Handshakes.encode(ctx.alloc(), context.config().clusterId(), context.localPeerId()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (finished || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg); // after a failure: the connection is closing, ignore the rest
            return;
        }
        HamokMessage message;
        try {
            message = Handshakes.decode((ByteBuf) msg);
        } catch (InvalidProtocolBufferException e) {
            fail(ctx, "first frame is not a HamokMessage: " + e.getMessage());
            return;
        } finally {
            ReferenceCountUtil.release(msg);
        }
        String peerId = message.getSourceId();
        String mismatch = Handshakes.mismatch(message, context.config().clusterId());
        if (mismatch == null) {
            mismatch = role == Role.ACCEPTOR ? checkDialer(peerId) : checkAcceptor(peerId);
        }
        if (mismatch != null) {
            fail(ctx, mismatch);
        } else {
            succeed(ctx, context.link(peerId));
        }
    }

    private String checkDialer(String peerId) {
        if (context.link(peerId) == null) {
            return "unknown peer id '" + peerId + "' (not in the configured peers)";
        }
        if (peerId.compareTo(context.localPeerId()) >= 0) {
            return "peer '" + peerId + "' dialed, but the peer whose id sorts lower dials";
        }
        return null;
    }

    private String checkAcceptor(String peerId) {
        return peerId.equals(expectedPeerId) ? null
                : "answer from peer id '" + peerId + "', expected '" + expectedPeerId + "'";
    }

    private void succeed(ChannelHandlerContext ctx, PeerLink link) {
        finished = true;
        cancelTimeout();
        if (role == Role.ACCEPTOR) {
            ctx.writeAndFlush(Handshakes.encode(ctx.alloc(), context.config().clusterId(), context.localPeerId()));
        }
        InboundFrames inbound = context.inbound();
        ctx.pipeline().replace(this, "frames", new InboundFrameHandler(link, inbound, context.counters()));
        Channel ch = ctx.channel();
        ch.closeFuture().addListener(closed -> link.detach(ch));
        Channel old = link.attach(ch);
        LOG.info("{}: connected to peer {} ({} {})", context.localPeerId(), link.peerId(),
                role == Role.DIALER ? "dialed" : "accepted", ch.remoteAddress());
        if (old != null) {
            LOG.info("{}: new connection to peer {} replaces {}", context.localPeerId(), link.peerId(), old);
            old.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimeout();
        context.counters().countHandshakeFailure();
        LOG.warn("{}: handshake failed on {} ({}): {}; closing it", context.localPeerId(), ctx.channel(),
                role == Role.DIALER ? "dialed " + expectedPeerId : "accepted", reason);
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
