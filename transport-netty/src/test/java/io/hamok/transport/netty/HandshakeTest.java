// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.hamok.transport.netty.EmbeddedConnection.CLUSTER;
import static io.hamok.transport.netty.NettyTransport.PROTOCOL_VERSION;
import static io.hamok.transport.netty.TestFrames.framed;
import static io.hamok.transport.netty.TestFrames.handshake;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection handshake, in EmbeddedChannels with virtual time; the local peer is "b". */
@Timeout(30)
@ExtendWith(LeakCheckExtension.class)
class HandshakeTest {
    @Test
    void shouldAnswerHandshakeOfLowerPeerAndAttachConnection() throws Exception {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();

        HamokMessage answer = HamokMessage.parseFrom(conn.completeHandshakeFromA());

        assertEquals(MessageType.HANDSHAKE, answer.getType());
        assertEquals(PROTOCOL_VERSION, answer.getProtocolVersion());
        assertEquals(CLUSTER, answer.getClusterId());
        assertEquals("b", answer.getSourceId());
        assertSame(conn.channel, conn.link("a").channel());
        assertEquals(0, conn.counters().handshakeFailures());
        conn.finish();
    }

    @Test
    void shouldRefuseHandshakeWithWrongProtocolVersion() {
        assertRefused(handshake(PROTOCOL_VERSION + 1, CLUSTER, "a"));
    }

    @Test
    void shouldRefuseHandshakeWithWrongClusterId() {
        assertRefused(handshake(PROTOCOL_VERSION, "other-cluster", "a"));
    }

    @Test
    void shouldRefuseHandshakeFromUnknownPeer() {
        assertRefused(handshake(PROTOCOL_VERSION, CLUSTER, "zed"));
    }

    @Test
    void shouldRefuseHandshakeFromItself() {
        assertRefused(handshake(PROTOCOL_VERSION, CLUSTER, "b"));
    }

    @Test
    void shouldRefuseHandshakeFromPeerWhoseIdSortsHigher() {
        assertRefused(handshake(PROTOCOL_VERSION, CLUSTER, "c")); // "c" must accept, not dial "b"
    }

    @Test
    void shouldRefuseFirstFrameThatIsNotAHandshake() {
        assertRefused(HamokMessage.newBuilder().setType(MessageType.RAFT_VOTE_REQUEST).setTerm(7).build().toByteArray());
    }

    @Test
    void shouldRefuseFirstFrameThatIsNotAMessage() {
        assertRefused(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    }

    @Test
    void shouldCloseConnectionWhenHandshakeNeverComes() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();

        conn.channel.advanceTimeBy(EmbeddedConnection.HANDSHAKE_TIMEOUT_MS - 1, TimeUnit.MILLISECONDS);
        conn.channel.runScheduledPendingTasks();
        assertTrue(conn.channel.isActive(), "closed before the timeout");

        conn.channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        conn.channel.runScheduledPendingTasks();

        assertFalse(conn.channel.isActive());
        assertEquals(1, conn.counters().handshakeFailures());
        assertEquals(1, conn.counters().connectionsClosed());
        conn.finish();
    }

    @Test
    void shouldNotTimeOutAfterHandshakeCompleted() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();

        conn.channel.advanceTimeBy(10 * EmbeddedConnection.HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        conn.channel.runScheduledPendingTasks();

        assertTrue(conn.channel.isActive());
        assertEquals(0, conn.counters().handshakeFailures());
        conn.finish();
    }

    /** Issue 10: a newer connection claiming a peer with a live link used to replace it (takeover). */
    @Test
    void shouldRefuseASecondConnectionForAPeerWithALiveLink() {
        EmbeddedConnection first = EmbeddedConnection.acceptor();
        first.completeHandshakeFromA();
        EmbeddedConnection second = first.another();

        List<byte[]> answer = second.handshakeFromA();

        assertTrue(answer.isEmpty(), "the impostor gets no answer");
        assertFalse(second.channel.isActive(), "the second connection is closed");
        assertTrue(first.channel.isActive(), "the live link stays");
        assertSame(first.channel, first.link("a").channel());
        assertEquals(1, first.counters().refusals(ConnectionRefusal.LINK_TAKEOVER));
        first.finish();
        second.finish();
    }

    @Test
    void shouldAcceptAReconnectingPeerOnceItsOldLinkIsClosed() {
        EmbeddedConnection first = EmbeddedConnection.acceptor();
        first.completeHandshakeFromA();
        first.channel.close();
        EmbeddedConnection second = first.another();

        second.completeHandshakeFromA();

        assertTrue(second.channel.isActive());
        assertSame(second.channel, second.link("a").channel());
        assertEquals(0, second.counters().refusals());
        first.finish();
        second.finish();
    }

    @Test
    void shouldKeepAcceptingAfterRefusedHandshake() {
        EmbeddedConnection refused = EmbeddedConnection.acceptor();
        refused.receive(framed(handshake(PROTOCOL_VERSION, "other-cluster", "a")));
        EmbeddedConnection next = refused.another();

        next.completeHandshakeFromA();

        assertFalse(refused.channel.isActive());
        assertTrue(next.channel.isActive());
        assertEquals(1, next.counters().handshakeFailures());
        refused.finish();
        next.finish();
    }

    @Test
    void shouldSendHandshakeFirstWhenDialing() throws Exception {
        EmbeddedConnection conn = EmbeddedConnection.dialer();

        List<byte[]> written = conn.written();

        assertEquals(1, written.size());
        HamokMessage hello = HamokMessage.parseFrom(written.get(0));
        assertEquals(MessageType.HANDSHAKE, hello.getType());
        assertEquals(PROTOCOL_VERSION, hello.getProtocolVersion());
        assertEquals(CLUSTER, hello.getClusterId());
        assertEquals("b", hello.getSourceId());
        conn.finish();
    }

    @Test
    void shouldAttachDialedConnectionWhenExpectedPeerAnswers() {
        EmbeddedConnection conn = EmbeddedConnection.dialer();
        conn.written();

        assertTrue(conn.receive(framed(handshake(PROTOCOL_VERSION, CLUSTER, "c"))));

        assertSame(conn.channel, conn.link("c").channel());
        assertTrue(conn.written().isEmpty(), "the dialer answers nothing");
        conn.finish();
    }

    @Test
    void shouldRefuseAnswerFromUnexpectedPeer() {
        EmbeddedConnection conn = EmbeddedConnection.dialer();
        conn.written();

        assertFalse(conn.receive(framed(handshake(PROTOCOL_VERSION, CLUSTER, "a"))));

        assertEquals(1, conn.counters().handshakeFailures());
        assertNull(conn.link("c").channel());
        conn.finish();
    }

    @Test
    void shouldRefuseAnswerWithWrongClusterIdOrVersion() {
        EmbeddedConnection cluster = EmbeddedConnection.dialer();
        EmbeddedConnection version = EmbeddedConnection.dialer();

        assertFalse(cluster.receive(framed(handshake(PROTOCOL_VERSION, "other", "c"))));
        assertFalse(version.receive(framed(handshake(0, CLUSTER, "c"))));

        assertEquals(1, cluster.counters().handshakeFailures());
        assertEquals(1, version.counters().handshakeFailures());
        cluster.finish();
        version.finish();
    }

    /** An acceptor that receives {@code firstMessage} closes without answering and counts a failure. */
    private static void assertRefused(byte[] firstMessage) {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();

        boolean open = conn.receive(framed(firstMessage));

        assertFalse(open, "connection still open");
        assertTrue(conn.written().isEmpty(), "answered a refused handshake");
        assertEquals(1, conn.counters().handshakeFailures());
        assertEquals(0, conn.inbound.offers());
        for (PeerLink link : conn.context.links()) {
            assertNull(link.channel(), "attached to " + link.peerId());
        }
        conn.finish();
    }
}
