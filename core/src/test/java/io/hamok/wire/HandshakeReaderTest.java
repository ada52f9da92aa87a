// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.ByteString;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HandshakeReader}: the first message of a connection, read from a stranger's bytes without
 * the generated classes. The transport's PipelineFuzzTest compares it with protobuf on generated
 * input; these are the rules one by one.
 */
@Timeout(30)
class HandshakeReaderTest {
    private static final byte[] HELLO = HamokMessage.newBuilder().setType(MessageType.HANDSHAKE)
            .setProtocolVersion(2).setClusterId("hamok").setSourceId("a").build().toByteArray();

    private final HandshakeReader reader = new HandshakeReader();

    @Test
    void shouldReadHandshakeWrittenByGeneratedBuilder() {
        assertOk(HELLO, MessageType.HANDSHAKE_VALUE, 2, "hamok", "a");
    }

    @Test
    void shouldSkipFieldsOfTheGeneratedBuilderItDoesNotRead() {
        byte[] full = HamokMessage.newBuilder().setType(MessageType.HANDSHAKE).setProtocolVersion(7)
                .setClusterId("h\u00e4mok \u20ac").setSourceId("\uD83D\uDE00").setTerm(-1L).setDestinationId("b")
                .addEntries(LogEntry.newBuilder().setTerm(3).setPayload(ByteString.copyFromUtf8("x")))
                .setData(ByteString.copyFrom(new byte[300])).setChecksum(0xCAFE).setRequestTerm(9)
                .addEmbeddedMessages(HamokMessage.newBuilder().setSourceId("nested")).build().toByteArray();

        assertOk(full, MessageType.HANDSHAKE_VALUE, 7, "h\u00e4mok \u20ac", "\uD83D\uDE00");
    }

    /** Issue 11: a joiner's HANDSHAKE says so; any non-zero varint is true, as protobuf reads a bool. */
    @Test
    void shouldReadTheJoiningFlag() {
        byte[] joining = HamokMessage.newBuilder().setType(MessageType.HANDSHAKE).setProtocolVersion(2).setClusterId("hamok").setSourceId("a").setJoining(true).build()
                .toByteArray();
        assertOk(joining, MessageType.HANDSHAKE_VALUE, 2, "hamok", "a");
        assertTrue(reader.joining());
        assertOk(HELLO, MessageType.HANDSHAKE_VALUE, 2, "hamok", "a");
        assertFalse(reader.joining(), "absent: false");
        assertOk(bytes(HELLO, tag(43, 0), varint(7)), MessageType.HANDSHAKE_VALUE, 2, "hamok", "a");
        assertTrue(reader.joining());
        assertEquals(HandshakeReader.MALFORMED, reader.read(new UnsafeBuffer(bytes(HELLO, tag(43, 2), varint(0))), 0,
                HELLO.length + 2), "a bool with another wire type");
    }

    @Test
    void shouldReadAbsentFieldsAsZeroAndEmpty() {
        assertOk(new byte[0], 0, 0, "", "");
        assertOk(HamokMessage.newBuilder().setTerm(5).build().toByteArray(), 0, 0, "", "");
        assertOk(bytes(tag(2, 2), varint(1), "a".getBytes(StandardCharsets.UTF_8)), 0, 0, "", "a");
    }

    @Test
    void shouldSkipUnknownFieldsOfEveryWireType() {
        byte[] message = bytes(tag(100, 0), varint(-1L), HELLO, tag(101, 1), new byte[8], tag(1000, 2), varint(3),
                new byte[] {(byte) 0xFF, 0, 0x08}, tag((1 << 29) - 1, 5), new byte[4]);

        assertOk(message, MessageType.HANDSHAKE_VALUE, 2, "hamok", "a");
    }

    @Test
    void shouldTakeTheLastValueOfARepeatedScalarLikeProtobuf() {
        byte[] message = bytes(HELLO, tag(1, 0), varint(12), tag(38, 0), varint(3), tag(39, 2), varint(1),
                "z".getBytes(StandardCharsets.UTF_8), tag(2, 2), varint(0));

        assertOk(message, 12, 3, "z", "");
        HamokMessage parsed = parse(message);
        assertEquals(12, parsed.getTypeValue());
        assertEquals(3, parsed.getProtocolVersion());
        assertEquals("z", parsed.getClusterId());
        assertEquals("", parsed.getSourceId());
    }

    @Test
    void shouldReadVarintsLikeProtobuf() {
        assertOk(bytes(tag(1, 0), varint(-1L)), -1, 0, "", ""); // an int32 enum: 10 bytes on the wire
        assertOk(bytes(tag(38, 0), varint((1L << 32) + 2)), 0, 2, "", ""); // uint32: the low 32 bits
        assertOk(bytes(tag(38, 0), new byte[] {(byte) 0x82, (byte) 0x80, (byte) 0x80, 0}), 0, 2, "", ""); // padded
        assertOk(bytes(new byte[] {(byte) 0x88, (byte) 0x80, 0}, varint(1)), 1, 0, "", ""); // a padded tag
    }

    @Test
    void shouldRefuseStringThatIsNotUtf8() {
        for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}}) {
            assertStatus(HandshakeReader.MALFORMED, bytes(HELLO, tag(2, 2), varint(bad.length), bad));
            assertStatus(HandshakeReader.MALFORMED, bytes(tag(39, 2), varint(bad.length), bad, HELLO));
        }
    }

    @Test
    void shouldRefuseGroups() {
        assertStatus(HandshakeReader.MALFORMED, bytes(HELLO, tag(50, 3), tag(1, 0), varint(1), tag(50, 4)));
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(50, 4), HELLO));
    }

    @Test
    void shouldRefuseKnownFieldWithWrongWireType() {
        assertStatus(HandshakeReader.MALFORMED, bytes(HELLO, tag(1, 2), varint(1), new byte[] {1}));
        assertStatus(HandshakeReader.MALFORMED, bytes(HELLO, tag(38, 5), new byte[4]));
        assertStatus(HandshakeReader.MALFORMED, bytes(HELLO, tag(2, 0), varint(1)));
        assertStatus(HandshakeReader.MALFORMED, bytes(HELLO, tag(39, 1), new byte[8]));
    }

    @Test
    void shouldRefuseOverLongVarints() {
        byte[] eleven = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, 0};
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(1, 0), eleven));
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(100, 0), eleven, HELLO));
        assertStatus(HandshakeReader.MALFORMED, bytes(new byte[] {(byte) 0x88}, eleven));
        // protobuf-java's fast path reads ten bytes and stops when the tenth is odd, whatever its top bit
        byte[] tenthGoesOn = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x81, 0x01};
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(5, 0), tenthGoesOn));
    }

    @Test
    void shouldRefuseBadTagsAndLengths() {
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(0, 0), varint(1))); // field number 0
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(3, 6)));
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(3, 7)));
        assertStatus(HandshakeReader.MALFORMED, bytes(varint((1L << 32) | 8), varint(1))); // wider than a tag
        assertStatus(HandshakeReader.MALFORMED, bytes(tag(3, 2), varint(1L << 31), new byte[4])); // over 2^31 - 1
    }

    @Test
    void shouldReportInputThatEndsInsideAFieldAsTruncated() {
        assertStatus(HandshakeReader.TRUNCATED, new byte[] {(byte) 0x88}); // inside a tag
        assertStatus(HandshakeReader.TRUNCATED, bytes(tag(1, 0))); // a tag without its value
        assertStatus(HandshakeReader.TRUNCATED, bytes(tag(1, 0), new byte[] {(byte) 0x81})); // inside the varint
        assertStatus(HandshakeReader.TRUNCATED, bytes(tag(39, 2), varint(5), "ham".getBytes(StandardCharsets.UTF_8)));
        assertStatus(HandshakeReader.TRUNCATED, bytes(tag(100, 1), new byte[7]));
        assertStatus(HandshakeReader.TRUNCATED, bytes(tag(100, 5), new byte[3]));
        for (int cut = 0; cut < HELLO.length; cut++) { // every prefix: a shorter message, or truncated
            int status = reader.read(new UnsafeBuffer(HELLO), 0, cut);
            assertTrue(status == HandshakeReader.OK || status == HandshakeReader.TRUNCATED, "prefix of " + cut);
        }
    }

    @Test
    void shouldRefuseRangeOutsideTheBuffer() {
        UnsafeBuffer buffer = new UnsafeBuffer(bytes(new byte[3], HELLO));
        assertEquals(HandshakeReader.OK, reader.read(buffer, 3, HELLO.length));
        assertEquals("hamok", reader.clusterId());

        assertEquals(HandshakeReader.MALFORMED, reader.read(buffer, -1, 2));
        assertEquals(HandshakeReader.MALFORMED, reader.read(buffer, 0, -1));
        assertEquals(HandshakeReader.MALFORMED, reader.read(buffer, 4, HELLO.length));
        assertEquals(HandshakeReader.MALFORMED, reader.read(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(HandshakeReader.MALFORMED, reader.read(null, 0, 0));
        assertEquals("", reader.clusterId(), "a failed read forgets the last message");
    }

    private void assertOk(byte[] message, int type, long version, String cluster, String source) {
        assertEquals(HandshakeReader.OK, reader.read(new UnsafeBuffer(message), 0, message.length));
        assertEquals(type, reader.type(), "type");
        assertEquals(version, reader.protocolVersion(), "protocol version");
        assertEquals(cluster, reader.clusterId(), "cluster id");
        assertEquals(source, reader.sourceId(), "source id");
    }

    private void assertStatus(int expected, byte[] message) {
        assertEquals(expected, reader.read(new UnsafeBuffer(message), 0, message.length), reader::toString);
    }

    private static HamokMessage parse(byte[] message) {
        try {
            return HamokMessage.parseFrom(message);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] tag(int field, int wireType) {
        return varint(((long) field << 3) | wireType);
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
