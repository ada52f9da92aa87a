package io.hamok.transport.netty;

import io.hamok.transport.InboundFrames;
import io.hamok.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hands every frame of a handshaken connection to {@link InboundFrames} as bytes and releases
 * the ByteBuf, on the I/O thread. Frames are not decoded here: a frame of a type the loop does not
 * know (or not a valid message at all) is passed on like any other and the loop's decoder ignores
 * and counts it. Frames from a blocked peer are dropped and counted as inbound drops. An empty
 * frame is a keepalive (protocol version 2): it is counted as such, never handed on, and shows
 * the link alive like any frame (also from a blocked peer). Every frame is counted twice: in the
 * transport's totals and in the peer's {@link io.hamok.transport.PeerCounters}.
 *
 * <p>No allocation per frame: the frame's memory is wrapped by a reused {@link UnsafeBuffer}
 * when it has an address or a backing array; otherwise it is copied into a scratch array that
 * grows (rarely) up to the largest frame seen.
 */
final class InboundFrameHandler extends ChannelInboundHandlerAdapter {
    private static final int INITIAL_SCRATCH_BYTES = 4096;
    private static final byte[] EMPTY = new byte[0];

    private final PeerLink link;
    private final InboundFrames inbound;
    private final TransportCounters counters;
    private final UnsafeBuffer view = new UnsafeBuffer(EMPTY);
    private byte[] scratch;

    InboundFrameHandler(PeerLink link, InboundFrames inbound, TransportCounters counters) {
        this.link = link;
        this.inbound = inbound;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            int length = frame.readableBytes();
            if (length == 0) { // keepalive
                counters.countKeepaliveReceived();
                link.counters().countKeepaliveReceived();
                return;
            }
            counters.countFrameReceived(length);
            link.counters().countFrameReceived(length);
            if (link.blocked() || !inbound.offer(link.peerId(), wrap(frame, length), 0, length)) {
                counters.countInboundDrop();
            }
        } finally {
            view.wrap(EMPTY); // keep no pointer to released memory
            frame.release();
        }
    }

    /** The drain stops while the connection is not writable; resume it when it is again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            link.scheduleDrain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private UnsafeBuffer wrap(ByteBuf frame, int length) {
        if (frame.hasMemoryAddress()) {
            view.wrap(frame.memoryAddress() + frame.readerIndex(), length);
        } else if (frame.hasArray()) {
            view.wrap(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
        } else {
            if (scratch == null || scratch.length < length) {
                scratch = new byte[Math.max(length, INITIAL_SCRATCH_BYTES)]; // deliberate: rare growth
            }
            frame.getBytes(frame.readerIndex(), scratch, 0, length);
            view.wrap(scratch, 0, length);
        }
        return view;
    }
}
