// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.PeerCounters;
import io.hamok.transport.TransportCounters;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.hamok.transport.netty.OneWayDropProxy.Direction.ACCEPTOR_TO_DIALER;
import static io.hamok.transport.netty.OneWayDropProxy.Direction.DIALER_TO_ACCEPTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Link liveness over real sockets on 127.0.0.1: keepalives, silent links closed and redialled
 * (through a {@link OneWayDropProxy} that stops one direction), per-peer counters, epoll and NIO.
 * "a" dials, "b" accepts.
 */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class LinkLivenessSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long SILENCE_MS = 600;
    private static final long KEEPALIVE_MS = 100;

    private SocketCluster cluster;
    private OneWayDropProxy proxy;

    @AfterEach
    void closeAll() {
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void shouldCloseAndRedialLinkWhenAcceptorToDialerDirectionGoesSilent() throws Exception {
        NettyTransport[] ab = startBehindProxy();
        NettyTransport a = ab[0];
        NettyTransport b = ab[1];
        long closedAtB = b.counters().connectionsClosed();

        proxy.stop(ACCEPTOR_TO_DIALER);

        Await.until(() -> a.counters().peer("b").silentLinksClosed() > 0, WAIT, "a to close the silent link");
        Await.until(() -> !a.isConnected("b"), WAIT, "a to report b disconnected");
        Await.until(() -> b.counters().connectionsClosed() > closedAtB, WAIT, "b to see its link closed");
        assertEquals(a.counters().silentLinksClosed(), a.counters().peer("b").silentLinksClosed());
        proxy.resume();
        awaitExchangeBothWays(a, b, 100);
        assertTrue(a.counters().peer("b").connectionsAttached() >= 2, "a redialled");
    }

    @Test
    void shouldCloseAndRedialLinkWhenDialerToAcceptorDirectionGoesSilent() throws Exception {
        NettyTransport[] ab = startBehindProxy();
        NettyTransport a = ab[0];
        NettyTransport b = ab[1];
        long closedAtA = a.counters().connectionsClosed();

        proxy.stop(DIALER_TO_ACCEPTOR);

        Await.until(() -> b.counters().peer("a").silentLinksClosed() > 0, WAIT, "b to close the silent link");
        Await.until(() -> !b.isConnected("a"), WAIT, "b to report a disconnected");
        Await.until(() -> a.counters().connectionsClosed() > closedAtA, WAIT, "a to see its link closed");
        proxy.resume();
        awaitExchangeBothWays(a, b, 100);
        assertTrue(b.counters().peer("a").connectionsAttached() >= 2, "b accepted a's redial");
        assertTrue(proxy.accepted() >= 2, "a redialled through the proxy");
    }

    /**
     * Issue 10, "no takeover" and "a genuinely reconnecting peer gets through": a new incarnation of
     * a (say a's process restarted on another port) dials b while b still holds a's old connection,
     * which went silent without a close reaching b. b refuses the newcomer while the old connection
     * counts as live, and takes it once its silence check closed the old one.
     */
    @Test
    void shouldLetAReconnectingPeerInOnceItsSilentOldLinkIsClosed() throws Exception {
        NettyTransport[] ab = startBehindProxy();
        NettyTransport b = ab[1];
        proxy.stop(DIALER_TO_ACCEPTOR); // the old a's bytes never reach b any more
        RecordingInboundFrames inbound = new RecordingInboundFrames();
        try (NettyTransport again = new NettyTransport(fast(NettyTransportConfig.builder().tls(TlsConfig.off()))
                .localPeerId("a").bindPort(0).peers(List.of(cluster.address("a"), cluster.address("b")))
                .reconnectInitialBackoffMs(10).reconnectMaxBackoffMs(100).build())) {
            again.start(inbound);

            Await.until(() -> b.counters().refusals(ConnectionRefusal.LINK_TAKEOVER) > 0, WAIT,
                    "b to refuse the newcomer while the old connection looks live");
            Await.until(() -> b.counters().peer("a").silentLinksClosed() > 0, WAIT, "b to close the silent link");
            Await.until(() -> again.isConnected("b"), WAIT, "the newcomer to get through");
            Await.until(() -> {
                b.send("a", new UnsafeBuffer(new byte[]{1, 2, 3}), 0, 3);
                b.flush();
                return !inbound.framesFrom("b").isEmpty();
            }, WAIT, "frames from b to reach the newcomer");
        }
    }

    @Test
    void shouldStayConnectedOnKeepalivesAloneWithoutAnyTraffic() throws Exception {
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a", LinkLivenessSocketTest::fast);
        NettyTransport b = cluster.start("b", LinkLivenessSocketTest::fast);
        awaitConnected(a, b);

        // 25 keepalives each way: about four silence timeouts of a link with nothing else on it
        Await.until(() -> a.counters().peer("b").keepalivesReceived() >= 25
                && b.counters().peer("a").keepalivesReceived() >= 25, WAIT, "25 keepalives each way");

        assertTrue(a.isConnected("b") && b.isConnected("a"), "connected");
        for (NettyTransport t : List.of(a, b)) {
            PeerCounters peer = t.counters().peer(t == a ? "b" : "a");
            assertEquals(0, peer.silentLinksClosed(), t.localPeerId() + " closed a silent link");
            assertEquals(1, peer.connectionsAttached(), t.localPeerId() + " connections attached");
            assertEquals(0, peer.framesReceived(), "keepalives counted as frames");
            assertTrue(peer.keepalivesSent() >= 25, t.localPeerId() + " keepalives sent");
            assertEquals(t.counters().keepalivesSent(), peer.keepalivesSent());
        }
        assertEquals(0, cluster.inbound("a").offers(), "keepalives handed to InboundFrames at a");
        assertEquals(0, cluster.inbound("b").offers(), "keepalives handed to InboundFrames at b");
    }

    @Test
    void shouldCountPerPeerFramesThatAddUpToTheTotals() throws Exception {
        cluster = new SocketCluster("a", "b", "c");
        List<String> ids = List.of("a", "b", "c");
        ids.forEach(id -> cluster.start(id, LinkLivenessSocketTest::fast));
        int n = 0;
        for (String from : ids) {
            for (String to : ids) {
                if (!from.equals(to)) {
                    n++;
                    for (int i = 0; i < n; i++) { // a different number of frames and bytes per pair
                        assertTrue(send(from, to, i, 10 * n));
                    }
                }
            }
            cluster.transport(from).flush();
        }
        n = 0;
        for (String from : ids) {
            for (String to : ids) {
                if (!from.equals(to)) {
                    n++;
                    cluster.inbound(to).awaitFrom(from, n, WAIT);
                    PeerCounters sent = cluster.transport(from).counters().peer(to);
                    PeerCounters received = cluster.transport(to).counters().peer(from);
                    assertEquals(n, sent.framesSent(), from + "->" + to + " frames sent");
                    assertEquals(n * (4 + 10L * n), sent.bytesSent(), from + "->" + to + " bytes sent");
                    assertEquals(n, received.framesReceived(), from + "->" + to + " frames received");
                    assertEquals(sent.bytesSent(), received.bytesReceived(), from + "->" + to + " bytes received");
                }
            }
        }
        for (String id : ids) {
            TransportCounters total = cluster.transport(id).counters();
            assertEquals(2, total.peers().size(), id + " peers");
            assertEquals(total.framesSent(), sum(total, PeerCounters::framesSent), id + " frames sent");
            assertEquals(total.framesReceived(), sum(total, PeerCounters::framesReceived), id + " frames received");
            assertEquals(total.bytesSent(), sum(total, PeerCounters::bytesSent), id + " bytes sent");
            assertEquals(total.bytesReceived(), sum(total, PeerCounters::bytesReceived), id + " bytes received");
        }
    }

    @Test
    void shouldUseEpollWithUserTimeoutByDefaultOnLinux() throws Exception {
        assumeTrue(Epoll.isAvailable(), "no native epoll here");
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a", LinkLivenessSocketTest::fast);
        NettyTransport b = cluster.start("b", LinkLivenessSocketTest::fast);
        awaitConnected(a, b);

        assertEquals(SocketKind.EPOLL, a.socketKind());
        for (Channel ch : List.of(a.channel("b"), b.channel("a"))) { // dialed and accepted
            assertInstanceOf(EpollSocketChannel.class, ch);
            assertEquals((int) SILENCE_MS, ch.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT));
        }
        awaitExchangeBothWays(a, b, 0);
    }

    @Test
    void shouldConnectAndExchangeOverNioWhenNativeTransportIsOff() throws Exception {
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a", c -> fast(c).nativeTransport(false));
        NettyTransport b = cluster.start("b", c -> fast(c).nativeTransport(false));
        awaitConnected(a, b);

        assertEquals(SocketKind.NIO, a.socketKind());
        assertInstanceOf(NioSocketChannel.class, a.channel("b"));
        assertInstanceOf(NioSocketChannel.class, b.channel("a"));
        awaitExchangeBothWays(a, b, 0);
        Await.until(() -> b.counters().peer("a").keepalivesReceived() > 0, WAIT, "a keepalive over NIO");
    }

    /** Short timeouts for these tests. */
    private static NettyTransportConfig.Builder fast(NettyTransportConfig.Builder c) {
        return c.linkSilenceTimeoutMs(SILENCE_MS).keepaliveIntervalMs(KEEPALIVE_MS).handshakeTimeoutMs(500);
    }

    /** Starts "b" and "a", which dials "b" through a new proxy; returns them connected, {a, b}. */
    private NettyTransport[] startBehindProxy() throws Exception {
        cluster = new SocketCluster("a", "b");
        proxy = new OneWayDropProxy(cluster.address("b").port());
        List<PeerAddress> viaProxy = List.of(cluster.address("a"), new PeerAddress("b", "127.0.0.1", proxy.port()));
        UnaryOperator<NettyTransportConfig.Builder> tweak = c -> fast(c).peers(viaProxy);
        NettyTransport b = cluster.start("b", LinkLivenessSocketTest::fast);
        NettyTransport a = cluster.start("a", tweak);
        awaitExchangeBothWays(a, b, 0);
        return new NettyTransport[] {a, b};
    }

    /**
     * Waits until both are connected and a frame went each way. Sends again every 200 ms until it
     * arrives: right after a heal a frame may leave on a connection that is about to be replaced.
     */
    private void awaitExchangeBothWays(NettyTransport a, NettyTransport b, int seq) throws Exception {
        awaitConnected(a, b);
        int fromB = cluster.inbound("a").framesFrom("b").size();
        int fromA = cluster.inbound("b").framesFrom("a").size();
        long[] lastSendNs = {System.nanoTime() - 1_000_000_000L};
        Await.until(() -> {
            boolean atB = cluster.inbound("b").framesFrom("a").size() > fromA;
            boolean atA = cluster.inbound("a").framesFrom("b").size() > fromB;
            if (!(atA && atB) && System.nanoTime() - lastSendNs[0] > 200_000_000L) {
                lastSendNs[0] = System.nanoTime();
                if (!atB) {
                    send("a", "b", seq, 8);
                    a.flush();
                }
                if (!atA) {
                    send("b", "a", seq, 8);
                    b.flush();
                }
            }
            return atA && atB;
        }, WAIT, "a frame each way");
    }

    private static void awaitConnected(NettyTransport a, NettyTransport b) throws Exception {
        Await.until(() -> a.isConnected("b") && b.isConnected("a"), WAIT, "a and b to connect");
    }

    private boolean send(String from, String to, int sequence, int padding) {
        UnsafeBuffer frame = TestFrames.payload(sequence, padding);
        return cluster.transport(from).send(to, frame, 0, frame.capacity());
    }

    private static long sum(TransportCounters counters, java.util.function.ToLongFunction<PeerCounters> f) {
        return counters.peers().values().stream().mapToLong(f).sum();
    }
}
