// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The physical floor: a 64-byte frame bounced between a Netty client and a Netty echo server over
 * loopback TCP, with the same framing (4-byte length prefix) and the same NIO transport as
 * Hamok's TCP transport. The round trip is measured inside the client's event loop, so it contains
 * the kernel and Netty and nothing else.
 */
final class TcpPingPong {
    private TcpPingPong() {
    }

    /** Runs {@code warmup} unmeasured then {@code samples} measured round trips; returns RTTs in ns. */
    static Histogram measure(int warmup, int samples) throws Exception {
        final EventLoopGroup server = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final EventLoopGroup client = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            final Channel listener = echoServer(server);
            final Pinger pinger = new Pinger(warmup, samples);
            connect(client, listener.localAddress(), pinger);
            final Histogram h = pinger.done.get(120, TimeUnit.SECONDS);
            listener.close().sync();
            return h;
        } finally {
            server.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            client.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** A listening echo server on 127.0.0.1 (any port), with Hamok's framing: a 4-byte length prefix. */
    static Channel echoServer(EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4),
                                new LengthFieldPrepender(4), new Echo());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** A client channel to {@code server} with the same framing; {@code handler} gets whole frames. */
    static Channel connect(EventLoopGroup group, SocketAddress server, ChannelHandler handler)
            throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4),
                                new LengthFieldPrepender(4), handler);
                    }
                }).connect(server).sync().channel();
    }

    private static final class Echo extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            ctx.writeAndFlush(msg.retain());
        }
    }

    private static final class Pinger extends SimpleChannelInboundHandler<ByteBuf> {
        final CompletableFuture<Histogram> done = new CompletableFuture<>();
        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        private final int warmup;
        private final int samples;
        private int count;
        private long sentNs;

        Pinger(int warmup, int samples) {
            this.warmup = warmup;
            this.samples = samples;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ping(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            final long rtt = System.nanoTime() - sentNs;
            if (++count > warmup) {
                histogram.recordValue(rtt);
            }
            if (count == warmup + samples) {
                done.complete(histogram);
                ctx.close();
            } else {
                ping(ctx);
            }
        }

        private void ping(ChannelHandlerContext ctx) {
            sentNs = System.nanoTime();
            ctx.writeAndFlush(ctx.alloc().buffer(64).writeZero(64));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
