// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.hamok.transport.netty.TestFrames.framed;
import static io.hamok.transport.netty.TestFrames.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbound path (ring buffer, flush, drain) into an EmbeddedChannel; peer "b" sends to "a". */
@Timeout(30)
@ExtendWith(LeakCheckExtension.class)
class OutboundTest {
    @Test
    void shouldWriteFramesInOrderWithLengthPrefixesOnFlush() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        PeerLink a = conn.link("a");

        for (int i = 0; i < 20; i++) {
            assertTrue(offer(a, i, 10));
        }
        assertTrue(conn.written().isEmpty(), "written before flush");
        a.flushed();

        assertSequence(conn.written(), 0, 20);
        assertEquals(20, conn.counters().framesSent());
        assertEquals(20 * 14, conn.counters().bytesSent());
        conn.finish();
    }

    @Test
    void shouldKeepFramesWhileDisconnectedAndSendThemAfterHandshake() throws Exception {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        PeerLink a = conn.link("a");
        for (int i = 0; i < 5; i++) {
            assertTrue(offer(a, i, 100));
        }
        a.flushed(); // no connection yet: the frames wait in the ring

        List<byte[]> written = conn.handshakeFromA();

        assertEquals(MessageType.HANDSHAKE, HamokMessage.parseFrom(written.get(0)).getType(), "answer first");
        assertSequence(written.subList(1, written.size()), 0, 5);
        conn.finish();
    }

    @Test
    void shouldRefuseFramesWhenRingIsFull() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        PeerLink a = conn.link("a");
        int accepted = 0;
        while (offer(a, accepted, 100)) {
            accepted++;
        }

        // 4096-byte ring, 104-byte frames in 112-byte records: memory stays bounded by the ring
        assertEquals(EmbeddedConnection.RING_BYTES / 112, accepted);
        assertTrue(a.queuedBytes() <= EmbeddedConnection.RING_BYTES);
        conn.finish();
    }

    @Test
    void shouldRefuseFrameLargerThanRingTakes() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();

        assertFalse(offer(conn.link("a"), 0, EmbeddedConnection.RING_BYTES / 8));
        conn.finish();
    }

    @Test
    void shouldPauseDrainWhileNotWritableAndResumeWhenWritable() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        PeerLink a = conn.link("a");
        conn.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(conn.channel.isWritable());

        for (int i = 0; i < 3; i++) {
            offer(a, i, 10);
        }
        a.flushed();
        assertTrue(conn.written().isEmpty(), "written while not writable");

        conn.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);

        assertSequence(conn.written(), 0, 3);
        conn.finish();
    }

    @Test
    void shouldKeepOrderAcrossManyFlushes() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        PeerLink a = conn.link("a");
        List<byte[]> written = new ArrayList<>();

        for (int round = 0; round < 200; round++) {
            assertTrue(offer(a, round, 300));
            a.flushed();
            if (round % 3 == 0) {
                written.addAll(conn.written());
            }
        }
        written.addAll(conn.written());

        assertSequence(written, 0, 200);
        conn.finish();
    }

    @Test
    void shouldSplitLargeBacklogIntoBoundedBatches() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor(1 << 20);
        conn.completeHandshakeFromA();
        PeerLink a = conn.link("a");
        for (int i = 0; i < 7; i++) {
            assertTrue(offer(a, i, 100 * 1024));
        }
        a.flushed();

        List<ByteBuf> batches = conn.writtenBuffers();

        assertTrue(batches.size() > 1, "one batch of " + batches.get(0).readableBytes() + " bytes");
        for (ByteBuf batch : batches) {
            assertTrue(batch.readableBytes() <= OutboundDrain.BATCH_BYTES, "batch of " + batch.readableBytes());
        }
        assertSequence(TestFrames.unframe(batches), 0, 7);
        conn.finish();
    }

    @Test
    void shouldDropFramesToAndFromBlockedPeerWithoutClosing() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        PeerLink a = conn.link("a");
        a.blocked(true);

        assertFalse(offer(a, 1, 10));
        assertTrue(conn.receive(framed(new byte[] {1, 2})));

        assertEquals(0, conn.inbound.offers());
        assertEquals(1, conn.counters().inboundDropped());
        assertTrue(conn.channel.isActive());

        a.blocked(false);
        assertTrue(offer(a, 2, 10));
        a.flushed();
        assertTrue(conn.receive(framed(new byte[] {3})));
        assertSequence(conn.written(), 2, 1);
        assertEquals(1, conn.inbound.frames().size());
        conn.finish();
    }

    private static boolean offer(PeerLink link, int sequence, int padding) {
        UnsafeBuffer frame = payload(sequence, padding);
        return link.offer(frame, 0, frame.capacity());
    }

    private static void assertSequence(List<byte[]> messages, int first, int count) {
        assertEquals(count, messages.size(), "messages written");
        for (int i = 0; i < count; i++) {
            assertEquals(first + i, TestFrames.sequence(messages.get(i)), "message " + i);
        }
    }
}
