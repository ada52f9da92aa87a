package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.InboundFrames;
import io.hamok.transport.TransportCounters;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection of one transport shares: its settings, its counters, the links to its
 * peers, the TLS contexts (replaced by a reload), the limits on strangers and, once started, where
 * received frames go. Thread-safe: all fields are final except {@link #inbound()}, which is set
 * once by {@code start} before any connection exists, and the TLS contexts, swapped atomically.
 */
final class TransportContext {
    private final NettyTransportConfig config;
    private final TransportCounters counters;
    private final Map<String, PeerLink> links;
    /** The same links as an array, to iterate without allocating. */
    private final PeerLink[] linkArray;
    private final AtomicReference<TlsContexts> tls;
    private final ConnectionAdmission admission;
    private final RefusalLog refusalLog;
    private volatile InboundFrames inbound;

    /** Creates a {@link PeerLink} (with its outbound ring) for every remote peer of {@code config}. */
    TransportContext(NettyTransportConfig config, TransportCounters counters) {
        this.config = config;
        this.counters = counters;
        Map<String, PeerLink> byId = new HashMap<>();
        for (PeerAddress peer : config.remotePeers()) {
            byId.put(peer.peerId(), new PeerLink(peer.peerId(), config.perPeerOutboundBytes(), counters));
        }
        this.links = Collections.unmodifiableMap(byId);
        this.linkArray = byId.values().toArray(new PeerLink[0]);
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
        return links.keySet();
    }

    InboundFrames inbound() {
        return inbound;
    }

    void inbound(InboundFrames frames) {
        inbound = frames;
    }
}
