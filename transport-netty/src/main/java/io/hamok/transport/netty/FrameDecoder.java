// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Cuts the byte stream into frames: a 4-byte big-endian length, then that many bytes, emitted
 * without the length (a retained slice; the receiver releases it). A length above the current
 * maximum or below zero fails at once, before the body arrives (the connection is then closed by
 * {@link ConnectionGuard}), so the decoder never buffers more than one maximum-size frame.
 *
 * <p>The maximum starts at {@link #HANDSHAKE_MAX_FRAME_BYTES}: until the handshake completes a
 * connection is a stranger and the only frame it may send is a HANDSHAKE of a few dozen bytes. The
 * handshake raises it to {@code maxFrameBytes} ({@link #authenticated}). Bytes of a frame that never
 * completed when an authenticated connection ends count as a malformed frame. After a failure the rest of the
 * stream is discarded unread. One instance per connection, on its event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    /** The largest frame before the handshake: a HANDSHAKE with ids of up to a few hundred bytes. */
    static final int HANDSHAKE_MAX_FRAME_BYTES = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final TransportCounters counters;
    private int maxFrameBytes = HANDSHAKE_MAX_FRAME_BYTES;
    /** The handshake completed: a frame cut short at the end is a peer's malformed frame. */
    private boolean trusted;
    private boolean failed;

    FrameDecoder(TransportCounters counters) {
        this.counters = counters;
    }

    /** The handshake completed: frames may now be up to {@code maxFrameBytes} long. */
    void authenticated(int max) {
        maxFrameBytes = max;
        trusted = true;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Integer.BYTES) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 0 || length > maxFrameBytes) {
            failed = true;
            in.skipBytes(in.readableBytes());
            if (length < 0) {
                throw new CorruptedFrameException("negative frame length " + length);
            }
            throw new TooLongFrameException("frame of " + length + " bytes, the limit is " + maxFrameBytes
                    + (maxFrameBytes == HANDSHAKE_MAX_FRAME_BYTES ? " before the handshake" : ""));
        }
        if (in.readableBytes() - Integer.BYTES < length) {
            return;
        }
        in.skipBytes(Integer.BYTES);
        out.add(in.readRetainedSlice(length));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && in.isReadable()) {
            failed = true;
            if (trusted) { // a stranger's leftovers are part of its refusal, counted once
                counters.countMalformedFrame();
            }
            LOG.debug("connection {} ended inside a frame: {} bytes of an incomplete frame discarded",
                    ctx.channel(), in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }
}
