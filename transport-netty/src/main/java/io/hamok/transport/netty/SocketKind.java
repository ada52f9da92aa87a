// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Which socket implementation a transport uses: Netty's native epoll transport on Linux when it
 * loads and {@link NettyTransportConfig#nativeTransport()} allows it, NIO otherwise. Only epoll
 * sets {@code TCP_USER_TIMEOUT} ({@link NettyTransportConfig#linkSilenceTimeoutMs()}): without it,
 * data the peer never acknowledges keeps a connection open for as long as the kernel retransmits
 * (many minutes), though the transport's own silence check still closes it.
 */
enum SocketKind {
    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return EpollServerSocketChannel.class;
        }

        @Override
        Class<? extends Channel> socketChannel() {
            return EpollSocketChannel.class;
        }

        @Override
        void peerOptions(ServerBootstrap server, NettyTransportConfig config) {
            server.childOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMs(config));
        }

        @Override
        void peerOptions(Bootstrap dialer, NettyTransportConfig config) {
            dialer.option(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMs(config));
        }
    },
    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return NioServerSocketChannel.class;
        }

        @Override
        Class<? extends Channel> socketChannel() {
            return NioSocketChannel.class;
        }

        @Override
        void peerOptions(ServerBootstrap server, NettyTransportConfig config) {
            // no portable TCP_USER_TIMEOUT
        }

        @Override
        void peerOptions(Bootstrap dialer, NettyTransportConfig config) {
            // no portable TCP_USER_TIMEOUT
        }
    };

    /** Epoll when asked for and available, else NIO. */
    static SocketKind choose(NettyTransportConfig config) {
        return config.nativeTransport() && Epoll.isAvailable() ? EPOLL : NIO;
    }

    abstract IoHandlerFactory ioHandlerFactory();

    abstract Class<? extends ServerChannel> serverChannel();

    abstract Class<? extends Channel> socketChannel();

    /** Sets the options of every accepted peer connection that only this kind has. */
    abstract void peerOptions(ServerBootstrap server, NettyTransportConfig config);

    /** Sets the options of every dialed peer connection that only this kind has. */
    abstract void peerOptions(Bootstrap dialer, NettyTransportConfig config);

    private static int userTimeoutMs(NettyTransportConfig config) {
        return (int) config.linkSilenceTimeoutMs(); // validated: at most Integer.MAX_VALUE
    }
}
