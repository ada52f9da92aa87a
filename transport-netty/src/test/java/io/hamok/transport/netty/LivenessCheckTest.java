// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.PeerCounters;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keepalive frames and the liveness check on one {@link EmbeddedConnection} (acceptor "b", peer
 * "a"), with the check run by hand: no clock, no sockets. The connection's config has the defaults:
 * silence 3000 ms, keepalive every 500 ms, so six silent runs close a link.
 */
@Timeout(30)
@ExtendWith(LeakCheckExtension.class)
class LivenessCheckTest {
    private static final int SILENT_RUNS = 6;

    @Test
    void shouldCountEmptyFrameAsKeepaliveAndNotHandItToInbound() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();

        assertTrue(conn.receive(Unpooled.buffer().writeInt(0).writeInt(0)));
        assertTrue(conn.receive(Unpooled.buffer().writeInt(1).writeByte(5)));

        assertEquals(1, conn.inbound.frames().size());
        assertEquals(1, conn.inbound.offers(), "keepalives offered to InboundFrames");
        assertEquals(2, conn.counters().keepalivesReceived());
        assertEquals(2, conn.link("a").counters().keepalivesReceived());
        assertEquals(1, conn.counters().framesReceived());
        assertEquals(1, conn.link("a").counters().framesReceived());
        conn.finish();
    }

    @Test
    void shouldWriteKeepaliveOnlyWhenLinkWroteNothingSinceLastRun() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        LivenessCheck check = new LivenessCheck(conn.context);
        PeerCounters a = conn.link("a").counters();

        check.run(); // a new connection: nothing owed yet
        assertTrue(conn.written().isEmpty());
        check.run();
        assertKeepalives(conn.written(), 1);
        check.run();
        assertKeepalives(conn.written(), 1);
        UnsafeBuffer frame = TestFrames.payload(7, 3);
        assertTrue(conn.link("a").offer(frame, 0, frame.capacity()));
        conn.link("a").flushed();
        assertEquals(1, conn.written().size(), "the frame");
        check.run(); // the frame went out since the last run
        assertTrue(conn.written().isEmpty());

        assertEquals(2, a.keepalivesSent());
        assertEquals(2, conn.counters().keepalivesSent());
        assertEquals(1, a.framesSent());
        conn.finish();
    }

    @Test
    void shouldCloseLinkThatReceivedNothingForTheSilenceTimeout() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        LivenessCheck check = new LivenessCheck(conn.context);
        PeerLink link = conn.link("a");

        check.run();
        for (int i = 1; i < SILENT_RUNS; i++) {
            check.run();
        }
        assertTrue(conn.channel.isActive(), "closed before the silence timeout");
        assertTrue(check.heardRecently(link));
        check.run();

        assertFalse(conn.channel.isActive(), "still open after the silence timeout");
        assertFalse(check.heardRecently(link));
        assertEquals(1, link.counters().silentLinksClosed());
        assertEquals(1, conn.counters().silentLinksClosed());
        check.run();
        assertEquals(1, link.counters().silentLinksClosed(), "counted twice");
        conn.written(); // the keepalives
        conn.finish();
    }

    @Test
    void shouldRestartTheSilenceClockOnEveryFrameAndKeepalive() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        LivenessCheck check = new LivenessCheck(conn.context);

        check.run();
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < SILENT_RUNS; i++) {
                check.run();
            }
            assertTrue(conn.receive(round % 2 == 0 ? Unpooled.buffer().writeInt(0)
                    : Unpooled.buffer().writeInt(1).writeByte(1)));
        }
        check.run();

        assertTrue(conn.channel.isActive());
        assertEquals(0, conn.counters().silentLinksClosed());
        conn.written();
        conn.finish();
    }

    /** Issue 11: a joiner that is never added does not keep its guest slot for good. */
    @Test
    void shouldCloseAGuestLinkAfterItsLifetime() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        byte[] hello = io.hamok.wire.proto.HamokMessage.newBuilder().setType(io.hamok.wire.proto.MessageType.HANDSHAKE)
                .setProtocolVersion(NettyTransport.PROTOCOL_VERSION).setClusterId(EmbeddedConnection.CLUSTER)
                .setSourceId("x").setJoining(true).build().toByteArray();
        assertTrue(conn.receive(TestFrames.framed(hello)));
        assertTrue(conn.link("x").guest(), "x, not a member, is a guest");
        LivenessCheck check = new LivenessCheck(conn.context);
        long runs = LivenessCheck.GUEST_LIFETIME_MS / conn.context.config().keepaliveIntervalMs();

        check.run(); // the first run sees the new connection
        for (int i = 1; i < runs; i++) {
            check.run();
            if (i % 3 == 0) {
                assertTrue(conn.receive(Unpooled.buffer().writeInt(0)), "alive and heard from at run " + i);
            }
        }
        check.run();
        conn.channel.runPendingTasks();

        assertFalse(conn.channel.isActive(), "closed after its lifetime");
        assertNull(conn.link("x"), "its guest slot is free");
        assertEquals(0, conn.counters().silentLinksClosed(), "not for silence");
        conn.written();
        conn.finish();
    }

    @Test
    void shouldTreatANewConnectionAsHeardFrom() {
        EmbeddedConnection first = EmbeddedConnection.acceptor();
        first.completeHandshakeFromA();
        LivenessCheck check = new LivenessCheck(first.context);
        PeerLink link = first.link("a");
        check.run();
        for (int i = 1; i < SILENT_RUNS; i++) {
            check.run();
        }

        first.channel.close(); // the old connection died (a live one is never replaced)
        EmbeddedConnection second = first.another();
        second.completeHandshakeFromA();
        assertTrue(check.heardRecently(link), "a new connection counts as heard from");
        for (int i = 0; i < SILENT_RUNS; i++) {
            check.run();
        }

        assertTrue(second.channel.isActive(), "the new connection inherited the old one's silence");
        assertEquals(0, link.counters().silentLinksClosed());
        assertEquals(2, link.counters().connectionsAttached());
        first.written();
        second.written();
        first.finish();
        second.finish();
    }

    private static void assertKeepalives(List<byte[]> written, int count) {
        assertEquals(count, written.size(), "frames written");
        for (byte[] message : written) {
            assertArrayEquals(new byte[0], message, "a keepalive is an empty frame");
        }
    }
}
