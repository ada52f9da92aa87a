// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.PeerCounters;
import io.hamok.transport.TransportCounters;
import io.netty.channel.Channel;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything this transport keeps for one remote peer: the outbound ring buffer, the current
 * connection (if any) and the drain that moves frames from the ring to that connection.
 *
 * <p>Threads: {@link #offer} and {@link #flushed} are called by the loop thread only (the ring's
 * single producer). The ring's single consumer is the drain, run as a task on the connection's event
 * loop, or inline by {@link #flushed} when the loop thread is that event loop; {@link #drainScheduled}
 * makes sure at most one drain is scheduled or running at any time, whatever thread runs it, and
 * its atomic set/get orders the ring reads of consecutive drains. The other methods are
 * thread-safe.
 */
final class PeerLink {
    static final int MSG_TYPE_FRAME = 1;

    private final String peerId;
    private final boolean guest;
    private final OneToOneRingBuffer ring;
    private final AtomicReference<Channel> channel = new AtomicReference<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong attachments = new AtomicLong();
    private final OutboundDrain drain;
    /** What the {@link LivenessCheck} saw of this link at its previous run. */
    private final LivenessCheck.LinkState liveness = new LivenessCheck.LinkState();
    private final PeerCounters peerCounters;
    private volatile boolean blocked;
    /** Loop thread only: a frame was queued since the last flush. */
    private boolean pending;

    /** @param guest a link to a peer that is not a member (yet): see {@link TransportContext#addGuestLink} */
    PeerLink(String peerId, int ringBytes, TransportCounters counters, boolean guest) {
        this.peerId = peerId;
        this.guest = guest;
        ByteBuffer memory = BufferUtil.allocateDirectAligned(
                ringBytes + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH);
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(memory));
        this.peerCounters = counters.peer(peerId);
        this.drain = new OutboundDrain(this, ring, memory, counters, peerCounters);
    }

    String peerId() {
        return peerId;
    }

    /** Whether this link serves a peer that is not a member (yet): a joiner, or the seed a joiner dialed. */
    boolean guest() {
        return guest;
    }

    LivenessCheck.LinkState liveness() {
        return liveness;
    }

    /** This peer's counters (frames both ways, keepalives, silent closes); the totals are counted apart. */
    PeerCounters counters() {
        return peerCounters;
    }

    /**
     * Copies a frame into the ring. Loop thread only; never blocks.
     *
     * @return {@code false} when the ring is full, the frame too long for it or the peer blocked
     */
    boolean offer(DirectBuffer buffer, int offset, int length) {
        if (blocked || length > ring.maxMsgLength() || !ring.write(MSG_TYPE_FRAME, buffer, offset, length)) {
            return false;
        }
        pending = true;
        return true;
    }

    /**
     * Loop thread only: hands frames queued since the last call to the connection's event loop, or,
     * when the loop runs on that event loop ({@link NettyLoopHost}), writes them to the socket now.
     */
    void flushed() {
        if (pending) {
            pending = false;
            final Channel ch = channel.get();
            if (ch != null && ch.eventLoop().inEventLoop() && drainScheduled.compareAndSet(false, true)) {
                drain.run(); // ends with drainEnded(), like a scheduled drain
            } else {
                scheduleDrain();
            }
        }
    }

    /**
     * Schedules the drain on the current connection's event loop unless one is scheduled or
     * running already (that one re-checks the ring when it ends). Without a connection, frames
     * wait in the ring; {@link #attach} schedules the drain.
     */
    void scheduleDrain() {
        Channel ch = channel.get();
        if (ch == null || !drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            ch.eventLoop().execute(drain);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false); // event loop shutting down: the transport is closing
        }
    }

    /** Called by the drain when it ends: lets the next drain run, and schedules it if there is work. */
    void drainEnded() {
        drainScheduled.set(false);
        Channel ch = channel.get();
        if (ch != null && ch.isActive() && ch.isWritable() && ring.size() > 0) {
            scheduleDrain();
        }
    }

    /**
     * Makes {@code ch} (handshake done) the connection to this peer, unless the current one is still
     * active: a live, authenticated link is never replaced by a newer connection claiming the same
     * peer (the old one goes when it closes or is detected dead). Call {@link #startDraining} once
     * the connection may carry frames.
     *
     * @return {@code null} when attached, else the live connection that keeps the place
     */
    Channel attachUnlessLive(Channel ch) {
        while (true) {
            Channel old = channel.get();
            if (old != null && old != ch && old.isActive()) {
                return old;
            }
            if (channel.compareAndSet(old, ch)) {
                attachments.incrementAndGet();
                peerCounters.countConnectionAttached();
                return null;
            }
        }
    }

    /** Starts moving queued frames into the connection just attached. */
    void startDraining() {
        scheduleDrain();
    }

    /**
     * Loop thread: sends what is queued, then closes the connection (on its event loop, after that
     * drain), for a link that is going away (a removed member, a guest made a member).
     */
    void flushAndClose() {
        Channel ch = channel.get();
        if (ch != null) {
            flushed();
            ch.eventLoop().execute(ch::close);
        }
    }

    /** Forgets {@code ch} if it is still the current connection; returns whether it was. */
    boolean detach(Channel ch) {
        return channel.compareAndSet(ch, null);
    }

    /** How many connections were attached so far: a dialer sees whether its connection got through. */
    long attachments() {
        return attachments.get();
    }

    /** The current connection (handshake done), or {@code null}. */
    Channel channel() {
        return channel.get();
    }

    boolean blocked() {
        return blocked;
    }

    /** Test filter: while blocked, frames to and from this peer are dropped; sockets stay open. */
    void blocked(boolean v) {
        blocked = v;
    }

    /** Bytes waiting in the ring (approximate while the loop thread writes). */
    int queuedBytes() {
        return ring.size();
    }
}
