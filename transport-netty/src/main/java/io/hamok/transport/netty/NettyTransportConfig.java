// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one {@link NettyTransport}. Immutable; built by {@link #builder()} and validated once
 * in {@link Builder#build()}, which names the bad field and the expected form. Durations carry
 * their unit in their name. The protocol version is not a setting: it is
 * {@link NettyTransport#PROTOCOL_VERSION}.
 */
public final class NettyTransportConfig {
    static final int MIB = 1024 * 1024;
    static final int MAX_FRAME_BYTES_LIMIT = 1 << 30;
    static final int MIN_OUTBOUND_BYTES = 4096;

    private final String localPeerId;
    private final String bindHost;
    private final int bindPort;
    private final List<PeerAddress> peers;
    private final String clusterId;
    private final int maxFrameBytes;
    private final int perPeerOutboundBytes;
    private final long handshakeTimeoutMs;
    private final long connectTimeoutMs;
    private final long reconnectInitialBackoffMs;
    private final long reconnectMaxBackoffMs;
    private final double reconnectJitter;
    private final int ioThreads;
    private final boolean loopOnIoThread;
    private final TlsConfig tls;
    private final TlsContexts tlsContexts;
    private final int maxPendingConnections;
    private final int maxAcceptsPerSecond;
    private final List<HostPort> seeds;
    private final int maxGuests;
    private final String advertisedAddress;
    // link liveness and the socket implementation
    private final long linkSilenceTimeoutMs;
    private final long keepaliveIntervalMs;
    private final boolean nativeTransport;

    private NettyTransportConfig(Builder b, String bindHost, int bindPort, TlsContexts tlsContexts) {
        localPeerId = b.localPeerId;
        this.bindHost = bindHost;
        this.bindPort = bindPort;
        peers = List.copyOf(b.peers);
        clusterId = b.clusterId;
        maxFrameBytes = b.maxFrameBytes;
        perPeerOutboundBytes = b.perPeerOutboundBytes;
        handshakeTimeoutMs = b.handshakeTimeoutMs;
        connectTimeoutMs = b.connectTimeoutMs;
        reconnectInitialBackoffMs = b.reconnectInitialBackoffMs;
        reconnectMaxBackoffMs = b.reconnectMaxBackoffMs;
        reconnectJitter = b.reconnectJitter;
        ioThreads = b.ioThreads;
        loopOnIoThread = b.loopOnIoThread;
        tls = b.tls;
        this.tlsContexts = tlsContexts;
        maxPendingConnections = b.maxPendingConnections;
        maxAcceptsPerSecond = b.maxAcceptsPerSecond;
        seeds = List.copyOf(b.seeds);
        maxGuests = b.maxGuests;
        advertisedAddress = b.advertisedAddress;
        linkSilenceTimeoutMs = b.linkSilenceTimeoutMs;
        keepaliveIntervalMs = b.keepaliveIntervalMsOrDefault();
        nativeTransport = b.nativeTransport;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The id of this peer; sent in the handshake. Required. */
    public String localPeerId() {
        return localPeerId;
    }

    /** Host (name or IP) the transport listens on. Default: the host of the local peer's entry in {@link #peers()}. */
    public String bindHost() {
        return bindHost;
    }

    /** TCP port the transport listens on; 0 picks a free port. Default: the port of the local peer's entry. */
    public int bindPort() {
        return bindPort;
    }

    /** Every configured peer, as given (the local peer may be among them). */
    public List<PeerAddress> peers() {
        return peers;
    }

    /** The configured peers other than the local one: those this transport talks to. */
    public List<PeerAddress> remotePeers() {
        List<PeerAddress> remote = new ArrayList<>(peers.size());
        for (PeerAddress peer : peers) {
            if (!peer.peerId().equals(localPeerId)) {
                remote.add(peer);
            }
        }
        return List.copyOf(remote);
    }

    /** Name of the cluster, checked in the handshake: peers of another cluster are refused. Default "hamok". */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Largest message a frame may carry, in bytes (without the 4-byte length). A peer that announces
     * a longer frame is disconnected before the body arrives. Default 16 MiB.
     */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Bytes of the outbound ring buffer of each peer (a power of two). Frames wait there while the
     * peer is slow or disconnected; when it is full, {@code send} drops. One frame may take at most
     * an eighth of it (the ring buffer's own limit), so it bounds the largest frame that can be
     * sent together with {@link #maxFrameBytes()}. Default 8 MiB.
     */
    public int perPeerOutboundBytes() {
        return perPeerOutboundBytes;
    }

    /**
     * A connection whose opening (TLS handshake and HANDSHAKE message) has not completed within this
     * time is closed. Default 2000.
     */
    public long handshakeTimeoutMs() {
        return handshakeTimeoutMs;
    }

    /** TCP connect timeout when dialing a peer. Default 2000. */
    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** First delay before redialing a peer after a failed or lost connection. Default 50. */
    public long reconnectInitialBackoffMs() {
        return reconnectInitialBackoffMs;
    }

    /** The redial delay doubles per failed attempt up to this cap. Default 2000. */
    public long reconnectMaxBackoffMs() {
        return reconnectMaxBackoffMs;
    }

    /**
     * Fraction in [0, 1] by which each redial delay is shortened at random, so that peers do not
     * redial in lockstep. Default 0.2.
     */
    public double reconnectJitter() {
        return reconnectJitter;
    }

    /** Netty event loop threads (accepting, reading and writing). Default 1. */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Whether the transport lends its I/O thread to the Raft loop ({@link io.hamok.transport.LoopHost}),
     * so that frames are read, handled and answered on one thread with no hand-off. Only with
     * {@code ioThreads == 1}. Default true; false runs the loop on its own thread, with a hand-off each
     * way between it and the I/O thread.
     */
    public boolean loopOnIoThread() {
        return loopOnIoThread;
    }

    /**
     * How peer connections are secured. Required: mutual TLS ({@link TlsConfig#pem},
     * {@link TlsConfig#keyStores}), or {@link TlsConfig#off()} said explicitly.
     */
    public TlsConfig tls() {
        return tls;
    }

    /** The TLS contexts read from {@link #tls()} at build time; {@code null} when TLS is off. */
    TlsContexts tlsContexts() {
        return tlsContexts;
    }

    /**
     * Accepted connections that may wait for their handshake at once; more are closed at once.
     * Default 32.
     */
    public int maxPendingConnections() {
        return maxPendingConnections;
    }

    /** New accepted connections per second (a burst of as many is allowed); more are closed at once. Default 64. */
    public int maxAcceptsPerSecond() {
        return maxAcceptsPerSecond;
    }

    /**
     * Addresses ({@code host:port}) of some members of the cluster, for an instance that is not a
     * member yet: the transport dials each as a joiner (its HANDSHAKE says so) until the cluster's
     * configuration names this peer. Empty (the default) for an instance listed in {@link #peers()}.
     */
    public List<String> seeds() {
        List<String> out = new ArrayList<>(seeds.size());
        for (HostPort seed : seeds) {
            out.add(HostPort.format(seed.host(), seed.port()));
        }
        return List.copyOf(out);
    }

    List<HostPort> seedAddresses() {
        return seeds;
    }

    /**
     * The {@code host:port} other members dial this instance at, when it differs from the bind
     * address (a wildcard bind such as {@code 0.0.0.0}, NAT, a container); {@code null} (the default)
     * means the bind address. A joiner sends it in its join request.
     */
    public String advertisedAddress() {
        return advertisedAddress;
    }

    /**
     * Guest links open at once: connections of joining peers (not members yet) that this peer
     * accepted as a seed, and links to the seeds this peer dialed as a joiner. More joiners are
     * refused until one of them becomes a member or leaves. Default 8.
     */
    public int maxGuests() {
        return maxGuests;
    }

    /**
     * A connection that has carried no frame from its peer (keepalives included) for this long is
     * closed, and the dialing side redials it. Also the {@code TCP_USER_TIMEOUT} of every connection
     * with the native (epoll) transport: how long sent data may stay unacknowledged. Default 3000,
     * Raft's default election timeout; {@link HamokProperties} uses {@code hamok.raft.electionTimeoutMs}
     * when this is not set. At least 3 x {@link #keepaliveIntervalMs()}.
     */
    public long linkSilenceTimeoutMs() {
        return linkSilenceTimeoutMs;
    }

    /**
     * How often the transport checks its links: a link that has written nothing since the last check
     * gets an empty keepalive frame, and one that has received nothing for
     * {@link #linkSilenceTimeoutMs()} is closed. Default {@code linkSilenceTimeoutMs / 6} (at least 1),
     * 500 with the default silence timeout; at most a third of {@code linkSilenceTimeoutMs}.
     */
    public long keepaliveIntervalMs() {
        return keepaliveIntervalMs;
    }

    /**
     * Whether to use Netty's native epoll transport when it is available (Linux), with
     * {@code TCP_USER_TIMEOUT}; NIO otherwise, or when false. Default true.
     */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    @Override
    public String toString() {
        return "NettyTransportConfig{localPeerId=" + localPeerId + ", bind=" + HostPort.format(bindHost, bindPort)
                + ", peers=" + peers + ", clusterId=" + clusterId + ", maxFrameBytes=" + maxFrameBytes
                + ", perPeerOutboundBytes=" + perPeerOutboundBytes + ", handshakeTimeoutMs=" + handshakeTimeoutMs
                + ", connectTimeoutMs=" + connectTimeoutMs + ", reconnectInitialBackoffMs="
                + reconnectInitialBackoffMs + ", reconnectMaxBackoffMs=" + reconnectMaxBackoffMs
                + ", reconnectJitter=" + reconnectJitter + ", ioThreads=" + ioThreads + ", loopOnIoThread=" + loopOnIoThread
                + ", linkSilenceTimeoutMs=" + linkSilenceTimeoutMs + ", keepaliveIntervalMs=" + keepaliveIntervalMs
                + ", nativeTransport=" + nativeTransport + ", tls=" + tls
                + ", maxPendingConnections=" + maxPendingConnections + ", maxAcceptsPerSecond=" + maxAcceptsPerSecond
                + ", seeds=" + seeds() + ", maxGuests=" + maxGuests + ", advertisedAddress=" + advertisedAddress + "}";
    }

    /** Builder with the defaults documented at each getter. Not thread-safe. */
    public static final class Builder {
        private String localPeerId;
        private String bindHost;
        private int bindPort = -1;
        private final List<PeerAddress> peers = new ArrayList<>();
        private String clusterId = "hamok";
        private int maxFrameBytes = 16 * MIB;
        private int perPeerOutboundBytes = 8 * MIB;
        private long handshakeTimeoutMs = 2000;
        private long connectTimeoutMs = 2000;
        private long reconnectInitialBackoffMs = 50;
        private long reconnectMaxBackoffMs = 2000;
        private double reconnectJitter = 0.2;
        private int ioThreads = 1;
        private boolean loopOnIoThread = true;
        private TlsConfig tls;
        private int maxPendingConnections = 32;
        private int maxAcceptsPerSecond = 64;
        private final List<HostPort> seeds = new ArrayList<>();
        private int maxGuests = 8;
        private String advertisedAddress;
        private long linkSilenceTimeoutMs = 3000;
        /** {@code null}: a sixth of {@link #linkSilenceTimeoutMs}. */
        private Long keepaliveIntervalMs;
        private boolean nativeTransport = true;

        private Builder() {
        }

        public Builder localPeerId(String v) {
            localPeerId = v;
            return this;
        }

        public Builder bindHost(String v) {
            bindHost = v;
            return this;
        }

        public Builder bindPort(int v) {
            bindPort = v;
            return this;
        }

        /**
         * Sets host and port from {@code host:port}.
         *
         * @throws IllegalArgumentException when {@code hostPort} is not of that form
         */
        public Builder bind(String hostPort) {
            HostPort parsed = HostPort.parse(hostPort, () -> new IllegalArgumentException(
                    "bind must be " + HostPort.FORM + ", was '" + hostPort + "'"));
            bindHost = parsed.host();
            bindPort = parsed.port();
            return this;
        }

        /** Replaces the peers with {@code v}. */
        public Builder peers(List<PeerAddress> v) {
            peers.clear();
            peers.addAll(v);
            return this;
        }

        /**
         * Replaces the peers with a comma-separated {@code peerId@host:port} list.
         *
         * @throws IllegalArgumentException naming a malformed entry
         */
        public Builder peers(String list) {
            return peers(PeerAddress.parseList(list));
        }

        public Builder addPeer(String peerId, String host, int port) {
            peers.add(new PeerAddress(peerId, host, port));
            return this;
        }

        public Builder clusterId(String v) {
            clusterId = v;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            maxFrameBytes = v;
            return this;
        }

        public Builder perPeerOutboundBytes(int v) {
            perPeerOutboundBytes = v;
            return this;
        }

        public Builder handshakeTimeoutMs(long v) {
            handshakeTimeoutMs = v;
            return this;
        }

        public Builder connectTimeoutMs(long v) {
            connectTimeoutMs = v;
            return this;
        }

        public Builder reconnectInitialBackoffMs(long v) {
            reconnectInitialBackoffMs = v;
            return this;
        }

        public Builder reconnectMaxBackoffMs(long v) {
            reconnectMaxBackoffMs = v;
            return this;
        }

        public Builder reconnectJitter(double v) {
            reconnectJitter = v;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        public Builder loopOnIoThread(boolean v) {
            loopOnIoThread = v;
            return this;
        }

        public Builder tls(TlsConfig v) {
            tls = v;
            return this;
        }

        public Builder maxPendingConnections(int v) {
            maxPendingConnections = v;
            return this;
        }

        public Builder maxAcceptsPerSecond(int v) {
            maxAcceptsPerSecond = v;
            return this;
        }

        /**
         * Replaces the seeds with a comma-separated {@code host:port} list.
         *
         * @throws IllegalArgumentException naming a malformed entry
         */
        public Builder seeds(String list) {
            seeds.clear();
            for (String entry : list.split(",")) {
                if (!entry.isBlank()) {
                    seeds.add(HostPort.parse(entry, () -> new IllegalArgumentException(
                            "seeds must be a comma-separated list of " + HostPort.FORM + ", '" + entry.trim()
                                    + "' is not")));
                }
            }
            return this;
        }

        public Builder maxGuests(int v) {
            maxGuests = v;
            return this;
        }

        /**
         * Sets the address other members dial this instance at ({@code host:port}).
         *
         * @throws IllegalArgumentException when it is not of that form
         */
        public Builder advertisedAddress(String hostPort) {
            HostPort parsed = HostPort.parse(hostPort, () -> new IllegalArgumentException(
                    "advertisedAddress must be " + HostPort.FORM + ", was '" + hostPort + "'"));
            advertisedAddress = HostPort.format(parsed.host(), parsed.port());
            return this;
        }

        public Builder linkSilenceTimeoutMs(long v) {
            linkSilenceTimeoutMs = v;
            return this;
        }

        public Builder keepaliveIntervalMs(long v) {
            keepaliveIntervalMs = v;
            return this;
        }

        public Builder nativeTransport(boolean v) {
            nativeTransport = v;
            return this;
        }

        private long keepaliveIntervalMsOrDefault() {
            return keepaliveIntervalMs != null ? keepaliveIntervalMs : Math.max(1, linkSilenceTimeoutMs / 6);
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field and its expected form
         */
        public NettyTransportConfig build() {
            if (localPeerId == null || localPeerId.isBlank()) {
                throw new IllegalArgumentException("localPeerId must be a non-blank peer id, was " + quote(localPeerId));
            }
            checkPeers();
            PeerAddress self = self();
            String host = bindHost != null ? bindHost : self != null ? self.host() : null;
            int port = bindPort >= 0 ? bindPort : self != null ? self.port() : -1;
            if (host == null || host.isBlank() || port < 0 || port > 65_535) {
                throw new IllegalArgumentException("bind must be " + HostPort.FORM + " (or the local peer '"
                        + localPeerId + "' listed in peers), was " + quote(host) + ":" + port);
            }
            if (clusterId == null || clusterId.isBlank()) {
                throw new IllegalArgumentException("clusterId must be a non-blank name, was " + quote(clusterId));
            }
            range("maxFrameBytes", maxFrameBytes, 1, MAX_FRAME_BYTES_LIMIT);
            range("perPeerOutboundBytes", perPeerOutboundBytes, MIN_OUTBOUND_BYTES, MAX_FRAME_BYTES_LIMIT);
            if (Integer.bitCount(perPeerOutboundBytes) != 1) {
                throw new IllegalArgumentException("perPeerOutboundBytes must be a power of two, was "
                        + perPeerOutboundBytes);
            }
            range("handshakeTimeoutMs", handshakeTimeoutMs, 1, Integer.MAX_VALUE);
            range("connectTimeoutMs", connectTimeoutMs, 1, Integer.MAX_VALUE);
            range("reconnectInitialBackoffMs", reconnectInitialBackoffMs, 1, Integer.MAX_VALUE);
            range("reconnectMaxBackoffMs", reconnectMaxBackoffMs, reconnectInitialBackoffMs, Integer.MAX_VALUE);
            if (!(reconnectJitter >= 0.0 && reconnectJitter <= 1.0)) {
                throw new IllegalArgumentException("reconnectJitter must be a fraction in [0, 1], was " + reconnectJitter);
            }
            range("ioThreads", ioThreads, 1, 1024);
            range("maxPendingConnections", maxPendingConnections, 1, 65_536);
            range("maxAcceptsPerSecond", maxAcceptsPerSecond, 1, 1_000_000);
            range("maxGuests", maxGuests, 0, 1024);
            if (tls == null) {
                throw new IllegalArgumentException("tls must be set: TlsConfig.pem(...) or TlsConfig.keyStores(...) "
                        + "for mutual TLS (hamok.transport.tls.certificate/.key/.trust), or TlsConfig.off() "
                        + "(hamok.transport.tls=off) to run without authentication on a trusted network");
            }
            range("linkSilenceTimeoutMs", linkSilenceTimeoutMs, 3, Integer.MAX_VALUE);
            long keepaliveMs = keepaliveIntervalMsOrDefault();
            if (keepaliveMs < 1 || keepaliveMs > linkSilenceTimeoutMs / 3) {
                throw new IllegalArgumentException("keepaliveIntervalMs must be in [1, linkSilenceTimeoutMs / 3 = "
                        + linkSilenceTimeoutMs / 3 + "] (the peer must hear several keepalives per silence timeout),"
                        + " was " + keepaliveMs);
            }
            return new NettyTransportConfig(this, host, port, TlsContexts.load(tls));
        }

        private void checkPeers() {
            Set<String> ids = new HashSet<>();
            for (PeerAddress peer : peers) {
                Objects.requireNonNull(peer, "peers must not contain null");
                if (!ids.add(peer.peerId())) {
                    throw new IllegalArgumentException("peers must have distinct peer ids, '" + peer.peerId()
                            + "' is listed twice in " + peers);
                }
            }
        }

        private PeerAddress self() {
            for (PeerAddress peer : peers) {
                if (peer.peerId().equals(localPeerId)) {
                    return peer;
                }
            }
            return null;
        }

        private static void range(String field, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
            }
        }

        private static String quote(String s) {
            return s == null ? "null" : "'" + s + "'";
        }
    }
}
