// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.InboundFrames;
import io.hamok.transport.TransportCounters;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection of one transport shares: its settings, its counters, the links to its
 * peers (the configured ones, then those the cluster's configuration adds), the TLS contexts
 * (replaced by a reload), the limits on strangers and, once started, where received frames go.
 * Thread-safe: the links are a concurrent map with a copy-on-write array beside it, the inbound sink
 * is set once by {@code start} before any connection exists, and the TLS contexts are swapped
 * atomically.
 */
final class TransportContext {
    private final NettyTransportConfig config;
    private final TransportCounters counters;
    /** The remote peers' links; changed only by {@link #addLink} and {@link #removeLink}. */
    /** The outbound ring of a guest link: enough for the join exchange, not for replication. */
    static final int GUEST_RING_BYTES = 64 * 1024;

    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
    /** Peers reached as a joiner through a seed address, while their guest connection is open. */
    private final Set<String> seedPeers = ConcurrentHashMap.newKeySet();
    /** The same links as an array, to iterate without allocating; replaced (copy on write) on a change. */
    private volatile PeerLink[] linkArray;
    private final AtomicReference<TlsContexts> tls;
    private final ConnectionAdmission admission;
    private final RefusalLog refusalLog;
    private volatile InboundFrames inbound;

    /** Creates a {@link PeerLink} (with its outbound ring) for every remote peer of {@code config}. */
    TransportContext(NettyTransportConfig config, TransportCounters counters) {
        this.config = config;
        this.counters = counters;
        for (PeerAddress peer : config.remotePeers()) {
            links.put(peer.peerId(), new PeerLink(peer.peerId(), config.perPeerOutboundBytes(), counters, false));
        }
        this.linkArray = links.values().toArray(new PeerLink[0]);
        this.tls = new AtomicReference<>(config.tlsContexts());
        this.admission = new ConnectionAdmission(config.maxPendingConnections(), config.maxAcceptsPerSecond());
        this.refusalLog = new RefusalLog(config.localPeerId());
    }

    /** The TLS contexts new connections use, or {@code null} when TLS is off. */
    TlsContexts tls() {
        return tls.get();
    }

    /** Replaces the TLS contexts for the connections opened from now on. */
    void tls(TlsContexts contexts) {
        tls.set(contexts);
    }

    RefusalLog refusalLog() {
        return refusalLog;
    }

    ConnectionAdmission admission() {
        return admission;
    }

    /**
     * Counts a refused connection (and a handshake failure where the cause is one) and logs it,
     * rate-limited.
     */
    void refused(ConnectionRefusal cause, Object connection, String reason) {
        counters.countRefusal(cause);
        if (cause != ConnectionRefusal.LINK_TAKEOVER && cause != ConnectionRefusal.TOO_MANY_PENDING
                && cause != ConnectionRefusal.ACCEPT_RATE) {
            counters.countHandshakeFailure();
        }
        refusalLog.refused(cause, connection, reason);
    }

    NettyTransportConfig config() {
        return config;
    }

    String localPeerId() {
        return config.localPeerId();
    }

    TransportCounters counters() {
        return counters;
    }

    /** The link to a configured remote peer, or {@code null} for an unknown id (or the local one). */
    PeerLink link(String peerId) {
        return links.get(peerId);
    }

    /** Every remote peer's link; the caller must not modify the array. */
    PeerLink[] links() {
        return linkArray;
    }

    /** The ids of the remote peers. */
    Set<String> peerIds() {
        return Collections.unmodifiableSet(links.keySet());
    }

    /**
     * The link to {@code peerId}, made (with its outbound ring) when there is none. Called on the loop
     * thread when the cluster's configuration names a new member; rare, so it may allocate.
     */
    synchronized PeerLink addLink(String peerId) {
        PeerLink link = links.get(peerId);
        if (link != null && link.guest()) { // now a member: a full link, connected by the usual dial rule
            link.flushAndClose(); // what the loop queued on the guest link (the join answer) goes out first
            link = null;
        }
        if (link == null) {
            link = new PeerLink(peerId, config.perPeerOutboundBytes(), counters, false);
            links.put(peerId, link);
            linkArray = links.values().toArray(new PeerLink[0]);
        }
        return link;
    }

    /**
     * A link for a peer that is not a member (a joiner at a seed, or a seed at a joiner), with a small
     * ring; {@code null} when {@link NettyTransportConfig#maxGuests()} guest links are open. It goes
     * when its connection closes, or when the configuration names the peer ({@link #addLink} then
     * replaces it).
     */
    synchronized PeerLink addGuestLink(String peerId) {
        PeerLink link = links.get(peerId);
        if (link != null) {
            return link;
        }
        int guests = 0;
        for (PeerLink l : linkArray) {
            guests += l.guest() ? 1 : 0;
        }
        if (guests >= config.maxGuests()) {
            return null;
        }
        link = new PeerLink(peerId, GUEST_RING_BYTES, counters, true);
        links.put(peerId, link);
        linkArray = links.values().toArray(new PeerLink[0]);
        return link;
    }

    /** A joiner's guest connection to the seed {@code peerId} is up ({@code true}) or gone. */
    void seedPeer(String peerId, boolean up) {
        if (up) {
            seedPeers.add(peerId);
        } else {
            seedPeers.remove(peerId);
        }
    }

    /** The seeds this joiner is connected to now. */
    Set<String> seedPeers() {
        return Set.copyOf(seedPeers);
    }

    /** Forgets a guest link whose connection closed, unless the configuration made it a member's meanwhile. */
    synchronized void removeGuestLink(PeerLink link) {
        if (links.remove(link.peerId(), link)) {
            linkArray = links.values().toArray(new PeerLink[0]);
        }
    }

    /** Forgets the link to {@code peerId} (the caller closes its connection); returns it, or null. */
    synchronized PeerLink removeLink(String peerId) {
        PeerLink link = links.remove(peerId);
        if (link != null) {
            linkArray = links.values().toArray(new PeerLink[0]);
        }
        return link;
    }

    InboundFrames inbound() {
        return inbound;
    }

    void inbound(InboundFrames frames) {
        inbound = frames;
    }
}
