package io.hamok.transport.netty;

import io.hamok.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Cuts the byte stream into frames: a 4-byte big-endian length, then that many bytes, emitted
 * without the length. A length above {@code maxFrameBytes} or below zero fails at once, before
 * the body arrives (the connection is then closed by {@link ConnectionGuard}). Bytes of a frame
 * that never completed when the connection ends count as a malformed frame. After a failure the
 * rest of the stream is discarded unread.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final TransportCounters counters;
    private boolean failed;

    FrameDecoder(int maxFrameBytes, TransportCounters counters) {
        // the decoder's maximum counts the length field too
        super(maxFrameBytes + Integer.BYTES, 0, Integer.BYTES, 0, Integer.BYTES, true);
        this.counters = counters;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        return super.decode(ctx, in);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && in.isReadable()) {
            failed = true;
            counters.countMalformedFrame();
            LOG.warn("connection {} ended inside a frame: {} bytes of an incomplete frame discarded",
                    ctx.channel(), in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        failed = true;
        super.exceptionCaught(ctx, cause);
    }
}
