// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.InboundFrames;
import io.hamok.transport.TransportCounters;
import io.hamok.wire.proto.MessageType;
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
 * transport's totals and in the peer's {@link io.hamok.transport.PeerCounters}. A guest link (a
 * joiner that is not a member, see {@link TransportContext#addGuestLink}) passes only the join
 * request and its answer; anything else from a guest (Raft messages, writes, membership requests) is
 * dropped and counted ({@code guestFramesDropped}): being authenticated does not make a peer a member.
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
            if (link.guest() && !isJoinExchange(frame)) {
                counters.countGuestFrameDropped(); // a guest is not a member: it may only ask to join
                return;
            }
            if (link.blocked() || !inbound.offer(link.peerId(), wrap(frame, length), 0, length)) {
                counters.countInboundDrop();
            }
        } finally {
            view.wrap(EMPTY); // keep no pointer to released memory
            frame.release();
        }
    }

    /**
     * Whether a guest's frame is a join request or its answer. The encoder writes the message type
     * first: field 1 as a varint (tag {@code 0x08}), then the type number in one byte.
     */
    private static boolean isJoinExchange(ByteBuf frame) {
        if (frame.readableBytes() < 2 || frame.getByte(frame.readerIndex()) != 0x08) {
            return false;
        }
        int type = frame.getByte(frame.readerIndex() + 1);
        return type == MessageType.JOIN_NOTIFICATION_VALUE || type == MessageType.ENDPOINT_STATES_NOTIFICATION_VALUE;
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
