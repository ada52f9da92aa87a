// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floor beside {@link TcpRaftBenchmark} and {@link TcpMapSetBenchmark} in one JMH run: a frame of
 * {@code payloadBytes} bounced off a Netty echo server over loopback TCP, with Hamok's framing and
 * NIO transport ({@link TcpPingPong}'s server and client). The benchmark thread writes the frame and
 * waits for a future that the client's event loop completes with the echo, as a caller of
 * {@code propose(...).get()} waits for a commit; so the floor holds the same two hand-offs at the
 * caller (to the event loop and back) that every commit has. {@link TcpPingPong} times the round
 * trip inside the event loop instead, without them.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TcpFloorBenchmark {
    @Param({"64", "1024", "16384"})
    public int payloadBytes;

    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private Channel server;
    private Channel client;
    private final Replies replies = new Replies();

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = TcpPingPong.echoServer(serverGroup);
        client = TcpPingPong.connect(clientGroup, server.localAddress(), replies);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        client.close().sync();
        server.close().sync();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int roundTrip() throws Exception {
        final CompletableFuture<Integer> reply = new CompletableFuture<>();
        replies.next = reply;
        client.writeAndFlush(client.alloc().buffer(payloadBytes).writeZero(payloadBytes));
        return reply.get(10, TimeUnit.SECONDS);
    }

    /** Completes the waiting future with the echoed frame's length; one frame in flight at a time. */
    private static final class Replies extends SimpleChannelInboundHandler<ByteBuf> {
        volatile CompletableFuture<Integer> next;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            next.complete(frame.readableBytes());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            next.completeExceptionally(cause);
            ctx.close();
        }
    }
}
