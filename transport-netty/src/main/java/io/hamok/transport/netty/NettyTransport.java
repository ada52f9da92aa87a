// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.InboundFrames;
import io.hamok.transport.LoopHost;
import io.hamok.transport.Transport;
import io.hamok.transport.TransportCounters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Transport} over TCP with Netty. One connection per pair of peers: the peer whose id sorts
 * lower ({@link String#compareTo}) dials the higher one, which accepts; both check a HANDSHAKE
 * (protocol version, cluster id, peer id) before any frame flows. Frames are a 4-byte big-endian
 * length and the message, at most {@link NettyTransportConfig#maxFrameBytes()} long.
 *
 * <p>Outbound, each peer has a ring buffer of {@link NettyTransportConfig#perPeerOutboundBytes()}
 * that {@link #send} copies into (the loop thread is its only producer) and that {@link #flush}
 * hands to the connection's event loop; frames wait there while the peer is disconnected or slow,
 * and {@code send} drops (and counts) when it is full. Inbound, frames are handed to the
 * {@link InboundFrames} on the I/O thread as bytes, not decoded. Lost connections are redialed
 * with capped exponential backoff and jitter.
 *
 * <p>Liveness: a {@link LivenessCheck} runs every {@link NettyTransportConfig#keepaliveIntervalMs()};
 * it sends an empty keepalive frame on a link that wrote nothing since its last run and closes a
 * link that received nothing for {@link NettyTransportConfig#linkSilenceTimeoutMs()}, which the
 * dialing side then redials. On Linux the native epoll transport is used (unless
 * {@link NettyTransportConfig#nativeTransport()} is off), with {@code TCP_USER_TIMEOUT} set to the
 * silence timeout. Frames, bytes, keepalives and silent closes are also counted per peer
 * ({@link TransportCounters#peer(String)}).
 *
 * <p>Threads: {@link #send} and {@link #flush} from the loop thread only, never blocking;
 * {@link #start}, {@link #close}, {@link #blockPeer} and the getters from any thread.
 */
public final class NettyTransport implements Transport {
    /**
     * The wire protocol version this transport speaks and checks in every handshake. Version 2: the
     * HANDSHAKE is read without the generated classes and must fit in 1 KiB, and there are keepalive
     * frames: an empty frame (length 0) is sent on a link that has written nothing for
     * {@link NettyTransportConfig#keepaliveIntervalMs()} and is never handed to {@link InboundFrames}.
     */
    public static final int PROTOCOL_VERSION = 2;

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    /** Above the high mark a connection is not writable and the drain waits (bounds Netty's buffer). */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    private static final long SHUTDOWN_TIMEOUT_MS = 3000;

    private final NettyTransportConfig config;
    private final TransportCounters counters = new TransportCounters();
    private final TransportContext context;
    /** The peers to connect to and their dialers; set by {@link #start}. */
    private volatile PeerSet peers;
    /** An update of the members that came before {@link #start}; applied by it. */
    private Map<String, String> earlyMembers;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile EventLoopGroup group;
    private volatile Channel serverChannel;
    // link liveness and the socket implementation, set by start
    private volatile SocketKind socketKind;
    private volatile LivenessCheck liveness;
    private volatile ScheduledFuture<?> livenessTask;

    /**
     * Pooled buffers for every connection. Netty 4.2's default (adaptive) allocator makes each frame
     * the length decoder cuts out a new slice object; a pooled buffer's slices are recycled.
     */
    static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    public NettyTransport(NettyTransportConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = new TransportContext(config, counters);
    }

    @Override
    public String localPeerId() {
        return config.localPeerId();
    }

    public NettyTransportConfig config() {
        return config;
    }

    /**
     * Binds the listening socket (blocking until bound) and starts dialing the peers whose ids
     * sort higher than the local one.
     *
     * @throws IllegalStateException when called twice, after {@link #close}, or when binding fails
     */
    @Override
    public void start(InboundFrames inbound) {
        Objects.requireNonNull(inbound, "inbound");
        if (closed || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("transport " + localPeerId() + " was already started or closed");
        }
        context.inbound(inbound);
        if (!config.tls().enabled()) {
            LOG.warn("{}: TLS is off (hamok.transport.tls=off): anyone who can reach {} and knows the cluster id "
                    + "and a peer id can join the cluster's traffic; use it on trusted networks only", localPeerId(),
                    HostPort.format(config.bindHost(), config.bindPort()));
        }
        SocketKind kind = SocketKind.choose(config);
        socketKind = kind;
        LOG.debug("{}: {} sockets (nativeTransport={}, epoll available={})", localPeerId(), kind,
                config.nativeTransport(), Epoll.isAvailable());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("hamok-netty-" + localPeerId(), true), kind.ioHandlerFactory());
        group = loops;
        bind(loops);
        PeerSet set = new PeerSet(context, loops, WATER_MARK, kind);
        synchronized (this) {
            set.startConfigured();
            if (earlyMembers != null) {
                set.update(earlyMembers);
            }
            peers = set;
        }
        startLivenessCheck(loops);
        TlsContexts tls = context.tls();
        LOG.info("{}: listening on {} ({}, {}), peers {}", localPeerId(), boundAddress(), kind,
                tls == null ? "no TLS" : "mutual TLS 1.3 by " + tls.provider(), config.remotePeers());
    }

    private void bind(EventLoopGroup loops) {
        ServerBootstrap server = new ServerBootstrap()
                .group(loops)
                .channel(socketKind.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new PeerChannelInitializer(context, HandshakeHandler.Role.ACCEPTOR, null));
        socketKind.peerOptions(server, config);
        try {
            serverChannel = server.bind(config.bindHost(), config.bindPort()).syncUninterruptibly().channel();
        } catch (Exception e) { // also the checked BindException that syncUninterruptibly rethrows
            close();
            throw new IllegalStateException("transport " + localPeerId() + " cannot listen on "
                    + HostPort.format(config.bindHost(), config.bindPort()) + ": " + e, e);
        }
    }

    /**
     * Copies a frame into the peer's outbound ring. Loop thread only; never blocks.
     *
     * @return {@code false} (and counted as an outbound drop) when the peer is unknown or blocked,
     *     the transport closed, the frame empty (an empty frame is a keepalive on the wire), longer
     *     than {@code maxFrameBytes} or than the ring takes, or the ring full
     */
    @Override
    public boolean send(String peerId, DirectBuffer buffer, int offset, int length) {
        PeerLink link = context.link(peerId);
        if (closed || link == null || length <= 0 || length > config.maxFrameBytes()
                || !link.offer(buffer, offset, length)) {
            counters.countOutboundDrop();
            return false;
        }
        return true;
    }

    /**
     * Connects to the members of the cluster's configuration: a member it did not know gets a link
     * (and a dialer when its id sorts higher), one at a new address is redialled there, and one that
     * an earlier update named and this one does not is dropped (its connection closed, its queued
     * frames gone). Configured peers that no update named stay. Loop thread; before {@link #start}
     * the update is kept and applied at start.
     */
    @Override
    public void updatePeers(Map<String, String> addressesById) {
        Map<String, String> members = Map.copyOf(addressesById);
        PeerSet set;
        synchronized (this) {
            set = peers;
            if (set == null) {
                earlyMembers = members;
                return;
            }
        }
        set.update(members);
    }

    /**
     * {@link NettyTransportConfig#advertisedAddress()}, else the bound address, unless it is a
     * wildcard ({@code 0.0.0.0}, {@code ::}): members could not dial that, so {@code null}.
     */
    @Override
    public String localAddress() {
        if (config.advertisedAddress() != null) {
            return config.advertisedAddress();
        }
        InetSocketAddress bound = boundAddress();
        if (bound == null || bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()) {
            return null;
        }
        return HostPort.format(config.bindHost(), bound.getPort());
    }

    /** The seeds this instance reached as a joiner (their guest connections are open now). */
    @Override
    public java.util.Set<String> seedPeerIds() {
        return context.seedPeers();
    }

    @Override
    public void redialSeeds() {
        PeerSet set = peers;
        if (set != null) {
            set.redialSeeds();
        }
    }

    /** Schedules the drain of every peer that got frames since the last flush. Loop thread only. */
    @Override
    public void flush() {
        for (PeerLink link : context.links()) {
            link.flushed();
        }
    }

    /**
     * The single I/O event loop, when {@link NettyTransportConfig#loopOnIoThread()} and
     * {@code ioThreads == 1}; every connection of this transport runs on it.
     */
    @Override
    public LoopHost loopHost() {
        final EventLoopGroup loops = group;
        if (loops == null || !config.loopOnIoThread() || config.ioThreads() != 1) {
            return null;
        }
        return new NettyLoopHost(loops.next());
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    /**
     * Reads the TLS files of {@link NettyTransportConfig#tls()} again (for example after certificates
     * were renewed) and uses them for every connection opened from now on; open connections keep
     * theirs. Any thread.
     *
     * @throws IllegalArgumentException naming the setting whose file is bad; the old files stay in use
     * @throws IllegalStateException    when TLS is off
     */
    public void reloadTls() {
        if (!config.tls().enabled()) {
            throw new IllegalStateException("transport " + localPeerId() + " runs without TLS: nothing to reload");
        }
        context.tls(TlsContexts.load(config.tls()));
        LOG.info("{}: TLS files reloaded ({})", localPeerId(), config.tls());
    }

    /** The address the transport listens on (the real port when configured with 0); {@code null} before start. */
    public InetSocketAddress boundAddress() {
        Channel server = serverChannel;
        return server == null ? null : (InetSocketAddress) server.localAddress();
    }

    /**
     * Whether the link to {@code peerId} is alive: a handshaken connection is open and a frame
     * (keepalives included) came from the peer within about
     * {@link NettyTransportConfig#linkSilenceTimeoutMs()}, or the connection is younger than that. The
     * liveness check measures silence in steps of {@link NettyTransportConfig#keepaliveIntervalMs()}
     * and closes a link once it is silent that long.
     */
    public boolean isConnected(String peerId) {
        PeerLink link = context.link(peerId);
        Channel ch = link == null ? null : link.channel();
        LivenessCheck check = liveness;
        return ch != null && ch.isActive() && (check == null || check.heardRecently(link));
    }

    /** The TLS implementation new connections use, or {@code null} when TLS is off; for tests and diagnostics. */
    io.netty.handler.ssl.SslProvider tlsProvider() {
        TlsContexts tls = context.tls();
        return tls == null ? null : tls.provider();
    }

    /** The limits on strangers; for tests. */
    ConnectionAdmission admission() {
        return context.admission();
    }

    /** The link to {@code peerId} (a member's or a guest's), or {@code null}; for tests. */
    PeerLink peerLink(String peerId) {
        return context.link(peerId);
    }

    /** The handshaken connection to {@code peerId}, or {@code null}; for tests and diagnostics. */
    io.netty.channel.Channel peerChannel(String peerId) {
        return link(peerId).channel();
    }

    /**
     * Test filter: drops every frame to and from {@code peerId} (counted as outbound and inbound
     * drops) until {@link #unblockPeer}; the connection stays open. Frames already queued for the
     * peer still go out.
     *
     * @throws IllegalArgumentException when {@code peerId} is not a configured remote peer
     */
    public void blockPeer(String peerId) {
        link(peerId).blocked(true);
    }

    /** Ends {@link #blockPeer}. */
    public void unblockPeer(String peerId) {
        link(peerId).blocked(false);
    }

    private PeerLink link(String peerId) {
        PeerLink link = context.link(peerId);
        if (link == null) {
            throw new IllegalArgumentException("unknown peer id '" + peerId + "', expected one of " + context.peerIds());
        }
        return link;
    }

    /** One liveness check per transport, on one of its event loops (with one I/O thread, the only one). */
    private void startLivenessCheck(EventLoopGroup loops) {
        LivenessCheck check = new LivenessCheck(context);
        liveness = check;
        livenessTask = loops.next().scheduleAtFixedRate(check, check.intervalMs(), check.intervalMs(),
                TimeUnit.MILLISECONDS);
    }

    /** Test access: the current connection to {@code peerId}, or {@code null}. */
    Channel channel(String peerId) {
        return link(peerId).channel();
    }

    /** The socket implementation in use ({@code null} before start). */
    SocketKind socketKind() {
        return socketKind;
    }

    /**
     * Stops dialing, closes the listening socket and every connection, and shuts the event loops
     * down, waiting up to a few seconds. Idempotent. Do not call it from a Netty event loop.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        ScheduledFuture<?> task = livenessTask;
        if (task != null) {
            task.cancel(false);
        }
        PeerSet set = peers;
        if (set != null) {
            set.stop();
        }
        Channel server = serverChannel;
        if (server != null) {
            server.close();
        }
        for (PeerLink link : context.links()) {
            Channel ch = link.channel();
            if (ch != null) {
                ch.close();
            }
        }
        EventLoopGroup loops = group;
        if (loops != null) {
            loops.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
        }
        LOG.info("{}: transport closed ({})", localPeerId(), counters);
    }
}
