// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.PeerCounters;
import io.hamok.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.ByteBuffer;

/**
 * Moves the frames of one peer's ring buffer into its connection: each batch is one pooled direct
 * ByteBuf of length-prefixed frames, written without a promise and flushed once at the end. It
 * stops when the connection is not writable (Netty's outbound buffer is above its high water
 * mark); the ring then fills and {@code send} drops, and the writability change resumes it.
 *
 * <p>Preallocated, one per peer; runs on the connection's event loop and is the ring's single
 * consumer (see {@link PeerLink}). Allocates nothing per frame; one ByteBuf per batch.
 */
final class OutboundDrain implements Runnable, ControlledMessageHandler {
    /** A batch stops growing past this many bytes (one larger frame still goes alone). */
    static final int BATCH_BYTES = 256 * 1024;
    private static final int FRAMES_PER_READ = 4096;

    private final PeerLink link;
    private final RingBuffer ring;
    /** A view of the ring's memory with its own position and limit, for bulk copies into ByteBufs. */
    private final ByteBuffer ringView;
    private final TransportCounters counters;
    private final PeerCounters peerCounters;
    private ByteBuf batch;

    OutboundDrain(PeerLink link, RingBuffer ring, ByteBuffer ringMemory,
                  TransportCounters counters, PeerCounters peerCounters) {
        this.link = link;
        this.ring = ring;
        this.ringView = ringMemory.duplicate();
        this.counters = counters;
        this.peerCounters = peerCounters;
    }

    @Override
    public void run() {
        Channel ch = link.channel();
        if (ch != null && !ch.eventLoop().inEventLoop()) {
            ch.eventLoop().execute(this); // the connection was replaced meanwhile: follow it, still scheduled
            return;
        }
        try {
            if (ch != null && ch.isActive()) {
                drainInto(ch);
            }
        } finally {
            link.drainEnded();
        }
    }

    private void drainInto(Channel ch) {
        boolean wrote = false;
        while (ch.isWritable() && ring.size() > 0) {
            batch = ch.alloc().directBuffer(Math.min(ring.size(), BATCH_BYTES));
            try {
                ring.controlledRead(this, FRAMES_PER_READ);
            } catch (RuntimeException e) {
                batch.release();
                batch = null;
                throw e;
            }
            ByteBuf full = batch;
            batch = null;
            if (!full.isReadable()) {
                full.release();
                break;
            }
            ch.write(full, ch.voidPromise());
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
    }

    @Override
    public Action onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (batch.isReadable() && batch.readableBytes() + Integer.BYTES + length > BATCH_BYTES) {
            return Action.ABORT; // stays in the ring for the next batch
        }
        batch.ensureWritable(Integer.BYTES + length);
        batch.writeInt(length);
        ringView.clear();
        ringView.position(index);
        ringView.limit(index + length);
        batch.writeBytes(ringView);
        counters.countFrameSent(length);
        peerCounters.countFrameSent(length);
        return Action.CONTINUE;
    }
}
