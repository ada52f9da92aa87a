// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;

import io.hamok.wire.proto.HamokMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.SplittableRandom;

import static io.hamok.transport.netty.EmbeddedConnection.MAX_FRAME_BYTES;
import static io.hamok.transport.netty.TestFrames.framed;
import static io.hamok.transport.netty.TestFrames.lengthOnly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames on an established connection and bad input, in EmbeddedChannels. Every bad input ends
 * with the connection closed (or the frame passed on untouched), a counter moved, no exception
 * escaping the pipeline and no buffer leaked.
 */
@Timeout(30)
@ExtendWith(LeakCheckExtension.class)
class FramingTest {
    @Test
    void shouldHandEachFrameToInboundAsBytesFromHandshakenPeer() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        ByteBuf two = Unpooled.buffer();
        two.writeInt(3).writeBytes(new byte[] {1, 2, 3}).writeInt(0).writeInt(1).writeByte(9);

        assertTrue(conn.receive(two));

        List<RecordingInboundFrames.Frame> frames = conn.inbound.frames();
        assertEquals(2, frames.size(), "the empty frame is a keepalive, not handed on");
        assertEquals("a", frames.get(0).from());
        assertArrayEquals(new byte[] {1, 2, 3}, frames.get(0).bytes());
        assertArrayEquals(new byte[] {9}, frames.get(1).bytes());
        assertEquals(2, conn.counters().framesReceived());
        assertEquals(4, conn.counters().bytesReceived());
        assertEquals(1, conn.counters().keepalivesReceived());
        conn.finish();
    }

    @Test
    void shouldReassembleFrameSplitAcrossReads() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();

        assertTrue(conn.receive(Unpooled.buffer().writeShort(0)));
        assertTrue(conn.receive(Unpooled.buffer().writeShort(2).writeByte(7)));
        assertTrue(conn.inbound.frames().isEmpty());
        assertTrue(conn.receive(Unpooled.buffer().writeByte(8)));

        assertArrayEquals(new byte[] {7, 8}, conn.inbound.frames().get(0).bytes());
        conn.finish();
    }

    /**
     * Decision: the transport does not decode frames on the I/O thread, so a frame of a type the
     * loop does not know is handed on as bytes like any other; the loop's decoder ignores and
     * counts it. The connection stays open.
     */
    @Test
    void shouldPassFrameOfUnknownMessageTypeOnAsBytesAfterHandshake() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        byte[] unknownType = HamokMessage.newBuilder().setTypeValue(999).setTerm(3).build().toByteArray();

        assertTrue(conn.receive(framed(unknownType)));

        assertArrayEquals(unknownType, conn.inbound.frames().get(0).bytes());
        assertEquals(0, conn.counters().malformedFrames());
        conn.finish();
    }

    @Test
    void shouldCloseConnectionWhenLengthExceedsMaximum() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();

        boolean open = conn.receive(lengthOnly(MAX_FRAME_BYTES + 1)); // only the length: fails before the body

        assertFalse(open);
        assertEquals(1, conn.counters().malformedFrames());
        assertEquals(0, conn.inbound.offers());
        conn.finish();
    }

    @Test
    void shouldAcceptFrameOfExactlyTheMaximumLength() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();

        assertTrue(conn.receive(framed(new byte[MAX_FRAME_BYTES])));

        assertEquals(MAX_FRAME_BYTES, conn.inbound.frames().get(0).bytes().length);
        conn.finish();
    }

    @Test
    void shouldCloseConnectionWhenLengthExceedsMaximumBeforeHandshake() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();

        assertFalse(conn.receive(lengthOnly(Integer.MAX_VALUE)));

        assertEquals(1, conn.counters().refusals(ConnectionRefusal.HANDSHAKE_MALFORMED), "a stranger's refusal");
        assertEquals(0, conn.counters().malformedFrames(), "not a peer's malformed frame");
        conn.finish();
    }

    /** Issue 10: before the handshake a stranger may send one frame of at most 1 KiB, whatever maxFrameBytes is. */
    @Test
    void shouldHoldStrangersToTheHandshakeFrameLimit() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();

        assertFalse(conn.receive(lengthOnly(FrameDecoder.HANDSHAKE_MAX_FRAME_BYTES + 1)));

        assertEquals(1, conn.counters().refusals(ConnectionRefusal.HANDSHAKE_MALFORMED));
        assertEquals(0, conn.inbound.offers());
        conn.finish();
    }

    @Test
    void shouldCloseConnectionOnNegativeLength() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();

        assertFalse(conn.receive(lengthOnly(-1)));

        assertEquals(1, conn.counters().malformedFrames());
        assertEquals(0, conn.inbound.offers());
        conn.finish();
    }

    @Test
    void shouldCountTruncatedFrameWhenConnectionEndsInsideIt() {
        EmbeddedConnection conn = EmbeddedConnection.acceptor();
        conn.completeHandshakeFromA();
        assertTrue(conn.receive(Unpooled.buffer().writeInt(100).writeBytes(new byte[50])));

        conn.channel.close();

        assertEquals(1, conn.counters().malformedFrames());
        assertEquals(0, conn.inbound.offers());
        assertEquals(1, conn.counters().connectionsClosed());
        conn.finish();
    }

    @Test
    void shouldCloseConnectionOnRandomBytesBeforeHandshake() {
        for (int seed = 1; seed <= 50; seed++) {
            EmbeddedConnection conn = EmbeddedConnection.acceptor();

            boolean open = conn.receive(randomBytes(seed, 4 * MAX_FRAME_BYTES));

            assertFalse(open, "seed " + seed);
            assertEquals(1, conn.counters().malformedFrames() + conn.counters().handshakeFailures(), "seed " + seed);
            assertEquals(0, conn.inbound.offers(), "seed " + seed);
            conn.finish();
        }
    }

    @Test
    void shouldCloseConnectionOnRandomBytesAfterHandshake() {
        for (int seed = 1; seed <= 50; seed++) {
            EmbeddedConnection conn = EmbeddedConnection.acceptor();
            conn.completeHandshakeFromA();

            // 64 random 4-byte lengths in a row: at least one is negative or too long
            boolean open = conn.receive(randomBytes(seed, 64 * MAX_FRAME_BYTES));

            assertFalse(open, "seed " + seed);
            assertEquals(1, conn.counters().malformedFrames(), "seed " + seed);
            conn.finish();
        }
    }

    private static ByteBuf randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return Unpooled.wrappedBuffer(bytes);
    }
}
