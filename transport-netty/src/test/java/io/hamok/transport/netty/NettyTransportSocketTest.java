// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NettyTransports over real sockets on 127.0.0.1. */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class NettyTransportSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private SocketCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldExchangeFramesInOrderBetweenThreePeers() throws Exception {
        cluster = new SocketCluster("a", "b", "c");
        List<String> ids = List.of("a", "b", "c");
        ids.forEach(cluster::start);
        int frames = 500;

        for (int seq = 0; seq < frames; seq++) {
            for (String from : ids) {
                for (String to : ids) {
                    if (!from.equals(to)) {
                        assertTrue(send(from, to, seq, 32), from + "->" + to + " #" + seq);
                    }
                }
            }
            if (seq % 50 == 0) {
                ids.forEach(id -> cluster.transport(id).flush());
            }
        }
        ids.forEach(id -> cluster.transport(id).flush());

        for (String to : ids) {
            for (String from : ids) {
                if (!from.equals(to)) {
                    cluster.inbound(to).awaitFrom(from, frames, WAIT);
                    assertInOrder(cluster.inbound(to).framesFrom(from), 0, frames);
                }
            }
        }
        assertEquals(0, cluster.transport("a").counters().outboundDropped());
        assertEquals(2L * frames, cluster.transport("b").counters().framesReceived());
    }

    @Test
    void shouldReconnectToHigherPeerThatRestarts() throws Exception {
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a");
        cluster.start("b");
        awaitConnected("a", "b");

        cluster.stop("b");
        Await.until(() -> !a.isConnected("b"), WAIT, "a to notice that b is gone");
        cluster.start("b");
        sendAndFlush("a", "b", 0, 10);
        sendAndFlush("b", "a", 0, 10);

        cluster.inbound("b").awaitFrom("a", 10, WAIT);
        cluster.inbound("a").awaitFrom("b", 10, WAIT);
        assertInOrder(cluster.inbound("b").framesFrom("a"), 0, 10);
        assertInOrder(cluster.inbound("a").framesFrom("b"), 0, 10);
    }

    @Test
    void shouldAcceptLowerPeerThatRestarts() throws Exception {
        cluster = new SocketCluster("a", "b");
        cluster.start("a");
        NettyTransport b = cluster.start("b");
        awaitConnected("a", "b");

        cluster.stop("a");
        Await.until(() -> !b.isConnected("a"), WAIT, "b to notice that a is gone");
        cluster.start("a");
        sendAndFlush("b", "a", 0, 10);

        cluster.inbound("a").awaitFrom("b", 10, WAIT);
        assertInOrder(cluster.inbound("a").framesFrom("b"), 0, 10);
    }

    @Test
    void shouldDeliverNothingToOrFromBlockedPeerUntilUnblocked() throws Exception {
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a");
        cluster.start("b");
        awaitConnected("a", "b");

        a.blockPeer("b");
        assertFalse(send("a", "b", 1, 8), "send to a blocked peer");
        sendAndFlush("b", "a", 1, 5);
        Await.until(() -> a.counters().inboundDropped() == 5, WAIT, "a to drop b's 5 frames");
        assertTrue(a.isConnected("b"), "blocking closed the connection");
        a.unblockPeer("b");
        sendAndFlush("a", "b", 100, 1);
        sendAndFlush("b", "a", 200, 1);

        cluster.inbound("b").awaitFrom("a", 1, WAIT);
        cluster.inbound("a").awaitFrom("b", 1, WAIT);
        assertInOrder(cluster.inbound("b").framesFrom("a"), 100, 1);
        assertInOrder(cluster.inbound("a").framesFrom("b"), 200, 1);
        assertEquals(1, a.counters().outboundDropped());
    }

    @Test
    void shouldCountInboundDropsWhenConsumerRefusesFrames() throws Exception {
        cluster = new SocketCluster("a", "b");
        cluster.start("a");
        NettyTransport b = cluster.start("b");
        cluster.inbound("b").refuse(true);
        int frames = 2000;

        for (int seq = 0; seq < frames; seq += 100) {
            sendAndFlush("a", "b", seq, 100);
        }

        cluster.inbound("b").awaitOffers(frames, WAIT);
        Await.until(() -> b.counters().inboundDropped() == frames, WAIT, "b to count " + frames + " drops");
        assertTrue(b.isConnected("a"), "refused frames closed the connection");
        cluster.inbound("b").refuse(false);
        sendAndFlush("a", "b", frames, 1);
        cluster.inbound("b").awaitFrom("a", 1, WAIT);
        assertInOrder(cluster.inbound("b").framesFrom("a"), frames, 1);
    }

    @Test
    void shouldKeepFramesForDownPeerUntilRingIsFullThenDeliverThemInOrder() throws Exception {
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a");
        int accepted = 0;
        while (send("a", "b", accepted, 1000)) {
            accepted++;
        }
        a.flush();

        assertTrue(accepted > 0);
        assertTrue(accepted * 1004L <= SocketCluster.RING_BYTES, accepted + " frames in the ring");
        assertEquals(1, a.counters().outboundDropped());
        cluster.start("b");
        cluster.inbound("b").awaitFrom("a", accepted, WAIT);
        assertInOrder(cluster.inbound("b").framesFrom("a"), 0, accepted);
    }

    @Test
    void shouldRefusePeerOfOtherClusterAndKeepRunning() throws Exception {
        cluster = new SocketCluster("a", "b", "c");
        NettyTransport a = cluster.start("a", c -> c.clusterId("blue"));
        NettyTransport b = cluster.start("b", c -> c.clusterId("green"));
        cluster.start("c", c -> c.clusterId("green"));

        Await.until(() -> b.counters().handshakeFailures() >= 2, WAIT, "b to refuse a twice (a redials)");
        sendAndFlush("b", "c", 0, 3);
        cluster.inbound("c").awaitFrom("b", 3, WAIT);

        assertFalse(a.isConnected("b"));
        assertFalse(b.isConnected("a"));
        assertTrue(cluster.inbound("b").framesFrom("a").isEmpty());
    }

    @Test
    void shouldDropFrameToUnknownPeerOrTooLong() {
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a", c -> c.maxFrameBytes(100));

        assertFalse(send("a", "zed", 0, 8));
        assertFalse(send("a", "a", 0, 8));
        assertFalse(send("a", "b", 0, 100)); // 4 + 100 bytes > maxFrameBytes

        assertEquals(3, a.counters().outboundDropped());
    }

    @Test
    void shouldListenOnFreePortWhenBindPortIsZero() {
        cluster = new SocketCluster("a");
        NettyTransport a = cluster.start("a", c -> c.bindPort(0));

        assertTrue(a.boundAddress().getPort() > 0);
    }

    @Test
    void shouldFailToStartWhenPortIsTaken() {
        cluster = new SocketCluster("a", "b");
        cluster.start("a");
        NettyTransportConfig sameAddress = cluster.transport("a").config();

        try (NettyTransport second = new NettyTransport(sameAddress)) {
            assertThrows(IllegalStateException.class, () -> second.start((from, buffer, offset, length) -> true));
        }
    }

    @Test
    void shouldCloseIdempotentlyAndDropAfterClose() {
        cluster = new SocketCluster("a", "b");
        NettyTransport a = cluster.start("a");

        a.close();
        a.close();

        assertFalse(send("a", "b", 0, 8));
        assertEquals(1, a.counters().outboundDropped());
        assertThrows(IllegalStateException.class, () -> a.start((from, buffer, offset, length) -> true));
    }

    private boolean send(String from, String to, int sequence, int padding) {
        UnsafeBuffer frame = TestFrames.payload(sequence, padding);
        return cluster.transport(from).send(to, frame, 0, frame.capacity());
    }

    private void sendAndFlush(String from, String to, int firstSequence, int count) {
        for (int i = 0; i < count; i++) {
            assertTrue(send(from, to, firstSequence + i, 16), from + "->" + to + " #" + (firstSequence + i));
        }
        cluster.transport(from).flush();
    }

    private void awaitConnected(String lower, String higher) throws Exception {
        Await.until(() -> cluster.transport(lower).isConnected(higher) && cluster.transport(higher).isConnected(lower),
                WAIT, lower + " and " + higher + " to connect");
    }

    private static void assertInOrder(List<RecordingInboundFrames.Frame> frames, int first, int count) {
        assertEquals(count, frames.size(), "frames received");
        for (int i = 0; i < count; i++) {
            assertEquals(first + i, frames.get(i).sequence(), "frame " + i);
        }
    }
}
