// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a transport counts instead of logging on its hot paths. Every counter only grows; read
 * them from any thread.
 */
public final class TransportCounters {
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder outboundDropped = new LongAdder();
    private final LongAdder inboundDropped = new LongAdder();
    private final LongAdder malformedFrames = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder[] refusals = newAdders(ConnectionRefusal.values().length);
    private final LongAdder guestFramesDropped = new LongAdder();
    // link liveness and per-peer counters
    private final LongAdder keepalivesSent = new LongAdder();
    private final LongAdder keepalivesReceived = new LongAdder();
    private final LongAdder silentLinksClosed = new LongAdder();
    private final ConcurrentHashMap<String, PeerCounters> peers = new ConcurrentHashMap<>();
    private final Map<String, PeerCounters> peersView = Collections.unmodifiableMap(peers);

    public void countFrameSent(int bytes) {
        framesSent.increment();
        bytesSent.add(bytes);
    }

    public void countFrameReceived(int bytes) {
        framesReceived.increment();
        bytesReceived.add(bytes);
    }

    /** A frame to a peer was dropped: budget full, peer unknown or transport closed. */
    public void countOutboundDrop() {
        outboundDropped.increment();
    }

    /** A received frame was dropped because the loop's inbound budget was full. */
    public void countInboundDrop() {
        inboundDropped.increment();
    }

    /** A connection sent bytes that are not a valid frame and was closed. */
    public void countMalformedFrame() {
        malformedFrames.increment();
    }

    /** A connection failed its handshake (version, cluster id, peer id, timeout) and was closed. */
    public void countHandshakeFailure() {
        handshakeFailures.increment();
    }

    /** A frame from a guest link (a joiner, not a member) that was not part of the join exchange: dropped. */
    public void countGuestFrameDropped() {
        guestFramesDropped.increment();
    }

    /** Frames from guests (joiners, not members) dropped because they were not a join request or answer. */
    public long guestFramesDropped() {
        return guestFramesDropped.sum();
    }

    /** A connection was refused or closed before its handshake completed, for {@code cause}. */
    public void countRefusal(ConnectionRefusal cause) {
        refusals[cause.ordinal()].increment();
    }

    public void countConnectionOpened() {
        connectionsOpened.increment();
    }

    public void countConnectionClosed() {
        connectionsClosed.increment();
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

    public long outboundDropped() {
        return outboundDropped.sum();
    }

    public long inboundDropped() {
        return inboundDropped.sum();
    }

    public long malformedFrames() {
        return malformedFrames.sum();
    }

    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    /** Connections refused for {@code cause}. */
    public long refusals(ConnectionRefusal cause) {
        return refusals[cause.ordinal()].sum();
    }

    /** Connections refused, for any cause. */
    public long refusals() {
        long sum = 0;
        for (LongAdder a : refusals) {
            sum += a.sum();
        }
        return sum;
    }

    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long connectionsClosed() {
        return connectionsClosed.sum();
    }

    // --- link liveness and per-peer counters ---

    /** An empty keepalive frame was sent on a link that had carried nothing for a while. */
    public void countKeepaliveSent() {
        keepalivesSent.increment();
    }

    public void countKeepaliveReceived() {
        keepalivesReceived.increment();
    }

    /** A link was closed because nothing had come from its peer for too long. */
    public void countSilentLinkClosed() {
        silentLinksClosed.increment();
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

    /**
     * The counters of one remote peer, created on the first call for that id and the same object
     * afterwards. A transport calls it once per peer when it sets up the peer's link, never per
     * frame; readers get that instance (asking for an id the transport does not know creates an
     * empty entry).
     */
    public PeerCounters peer(String peerId) {
        return peers.computeIfAbsent(peerId, PeerCounters::new);
    }

    /** The per-peer counters by peer id (a live, unmodifiable view). */
    public Map<String, PeerCounters> peers() {
        return peersView;
    }

    @Override
    public String toString() {
        return "framesSent=" + framesSent() + " framesReceived=" + framesReceived() + " outboundDropped="
                + outboundDropped() + " inboundDropped=" + inboundDropped() + " malformedFrames=" + malformedFrames()
                + " handshakeFailures=" + handshakeFailures() + " connectionsOpened=" + connectionsOpened()
                + " connectionsClosed=" + connectionsClosed() + " refusals=" + refusals()
                + " keepalivesSent=" + keepalivesSent() + " keepalivesReceived=" + keepalivesReceived()
                + " silentLinksClosed=" + silentLinksClosed();
    }

    private static LongAdder[] newAdders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
