package io.hamok.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * The pipeline of every peer connection, dialed or accepted:
 * <ol>
 *   <li>{@link FrameDecoder}: length-prefixed frames with a hard maximum, failing fast;</li>
 *   <li>{@link HandshakeHandler}: the handshake and its timeout; replaced by an
 *       {@link InboundFrameHandler} once it succeeds, which hands frames to the loop as bytes;</li>
 *   <li>{@link ConnectionGuard}: counts connections, closes on errors.</li>
 * </ol>
 * No {@code FlushConsolidationHandler}: the only writes are the handshake and the drain, which
 * already puts everything queued into one buffer and flushes once per run. No encoder either: the
 * drain writes the length prefixes itself.
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
        ChannelPipeline p = ch.pipeline();
        p.addLast("frameDecoder", new FrameDecoder(context.config().maxFrameBytes(), context.counters()));
        p.addLast("handshake", new HandshakeHandler(context, role, expectedPeerId));
        p.addLast("guard", new ConnectionGuard(context.counters()));
    }
}
