// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection to a peer whose id sorts higher than the local one: dials it, and whenever
 * that connection fails to open, fails its handshake or closes, dials again after a {@link Backoff}
 * delay. All its work (dialing, its connections, the delays) runs on one event loop, so at most
 * one dial is in progress at any time. The backoff starts over once a handshake succeeds.
 */
final class Dialer {
    private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);

    private final PeerAddress address;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Backoff backoff;
    private volatile boolean stopped;
    private boolean warned;

    /** Dials the member {@code address.peerId()} (its id sorts higher than the local one). */
    Dialer(PeerAddress address, EventLoop loop, TransportContext context, WriteBufferWaterMark waterMark,
           SocketKind kind) {
        this(address, HandshakeHandler.Role.DIALER, loop, context, waterMark, kind);
    }

    /**
     * Dials a seed as a joiner: the peer id there is unknown until the seed answers ({@code address}
     * carries a placeholder id for logs).
     */
    static Dialer seed(HostPort seed, EventLoop loop, TransportContext context, WriteBufferWaterMark waterMark,
                       SocketKind kind) {
        return new Dialer(new PeerAddress("seed " + HostPort.format(seed.host(), seed.port()), seed.host(),
                seed.port()), HandshakeHandler.Role.SEED_DIALER, loop, context, waterMark, kind);
    }

    private Dialer(PeerAddress address, HandshakeHandler.Role role, EventLoop loop, TransportContext context,
                   WriteBufferWaterMark waterMark, SocketKind kind) {
        NettyTransportConfig config = context.config();
        this.address = address;
        this.loop = loop;
        this.backoff = new Backoff(config.reconnectInitialBackoffMs(), config.reconnectMaxBackoffMs(),
                config.reconnectJitter(), new SplittableRandom(address.peerId().hashCode() ^ System.nanoTime()));
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(kind.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, NettyTransport.ALLOCATOR)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .handler(new PeerChannelInitializer(context, role,
                        role == HandshakeHandler.Role.DIALER ? address.peerId() : null));
        kind.peerOptions(bootstrap, config);
    }

    /** The address this dialer dials. */
    PeerAddress address() {
        return address;
    }

    /** Dials now (from any thread). */
    void start() {
        execute(this::dial);
    }

    /** No further dials; the transport closes the connections. */
    void stop() {
        stopped = true;
    }

    private void dial() {
        if (stopped) {
            return;
        }
        ChannelFuture connect = bootstrap.connect(address.host(), address.port());
        Channel ch = connect.channel();
        connect.addListener(done -> {
            if (done.isSuccess() && ch.localAddress().equals(ch.remoteAddress())) {
                // TCP self-connect: with nobody listening, the kernel may give this socket the very
                // port it dials and connect it to itself, which would also keep the peer from binding.
                ch.close();
            } else if (done.isSuccess()) {
                warned = false;
            } else {
                logFailure(done.cause());
                ch.close();
            }
        });
        ch.closeFuture().addListener(closed -> redial(Boolean.TRUE.equals(ch.attr(HandshakeHandler.HANDSHAKEN).get())));
    }

    /** @param wasConnected the closed connection had completed its handshake: start the backoff over */
    private void redial(boolean wasConnected) {
        if (stopped) {
            return;
        }
        if (wasConnected) {
            backoff.reset();
        }
        long delayMs = backoff.nextDelayMs();
        try {
            loop.schedule(this::dial, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stopped = true; // event loop shutting down: the transport is closing
        }
    }

    private void logFailure(Throwable cause) {
        if (!warned) {
            warned = true; // once per outage, not per attempt
            LOG.warn("cannot connect to peer {} at {}:{}: {}; retrying with backoff", address.peerId(),
                    address.host(), address.port(), String.valueOf(cause));
        } else {
            LOG.debug("cannot connect to peer {}: {}", address.peerId(), String.valueOf(cause));
        }
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }
}
