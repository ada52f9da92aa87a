// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a transport counts for one remote peer; {@link TransportCounters} holds the totals over all
 * peers. Every counter only grows; read them from any thread. Frames and bytes are Raft (and grid)
 * frames only: keepalive frames, which carry nothing, are counted apart. Obtained from
 * {@link TransportCounters#peer(String)}; {@code NettyTransport} keeps one per configured peer,
 * {@code LocalTransport} keeps none.
 */
public final class PeerCounters {
    private final String peerId;
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder keepalivesSent = new LongAdder();
    private final LongAdder keepalivesReceived = new LongAdder();
    private final LongAdder silentLinksClosed = new LongAdder();
    private final LongAdder connectionsAttached = new LongAdder();

    PeerCounters(String peerId) {
        this.peerId = peerId;
    }

    public String peerId() {
        return peerId;
    }

    public void countFrameSent(int bytes) {
        framesSent.increment();
        bytesSent.add(bytes);
    }

    public void countFrameReceived(int bytes) {
        framesReceived.increment();
        bytesReceived.add(bytes);
    }

    /** An empty frame was sent because the link had carried nothing towards the peer for a while. */
    public void countKeepaliveSent() {
        keepalivesSent.increment();
    }

    public void countKeepaliveReceived() {
        keepalivesReceived.increment();
    }

    /** The link to the peer was closed because nothing had come from the peer for too long. */
    public void countSilentLinkClosed() {
        silentLinksClosed.increment();
    }

    /** A connection to the peer completed its handshake and carries the peer's frames from now on. */
    public void countConnectionAttached() {
        connectionsAttached.increment();
    }

    public long framesSent() {
        return framesSent.sum();
    }

    public long framesReceived() {
        return framesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long keepalivesSent() {
        return keepalivesSent.sum();
    }

    public long keepalivesReceived() {
        return keepalivesReceived.sum();
    }

    public long silentLinksClosed() {
        return silentLinksClosed.sum();
    }

    public long connectionsAttached() {
        return connectionsAttached.sum();
    }

    @Override
    public String toString() {
        return peerId + "{framesSent=" + framesSent() + " framesReceived=" + framesReceived() + " bytesSent="
                + bytesSent() + " bytesReceived=" + bytesReceived() + " keepalivesSent=" + keepalivesSent()
                + " keepalivesReceived=" + keepalivesReceived() + " silentLinksClosed=" + silentLinksClosed()
                + " connectionsAttached=" + connectionsAttached() + "}";
    }
}
