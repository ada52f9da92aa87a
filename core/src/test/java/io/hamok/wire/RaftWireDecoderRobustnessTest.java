// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link RaftWireDecoder} does with bytes that are not a clean Raft message: other types,
 * malformed and truncated input, random bytes and mutated messages, always checked against the
 * generated parser. Fuzz seeds come from {@code -Dhamok.wire.fuzz.seed} (default fixed) and are
 * printed in every failure message.
 */
@Timeout(60)
class RaftWireDecoderRobustnessTest {
    private static final long SEED = Long.getLong("hamok.wire.fuzz.seed", 20_240_601L);
    private static final int RAFT_TYPE = MessageType.RAFT_VOTE_RESPONSE_VALUE;

    private final RaftWireDecoder decoder = new RaftWireDecoder(4);
    private final RecordingHandler handler = new RecordingHandler();
    private final int[] statusCounts = new int[4];

    /** Decodes the bytes given as ints (so tests can write 0x80 without casts). */
    private int decode(int... values) {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return decodeBytes(bytes);
    }

    private int decodeBytes(byte[] bytes) {
        handler.reset();
        final int status = decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length, "p", handler);
        assertEquals(status == RaftWireDecoder.OK ? 1 : 0, handler.calls, "handler calls for status " + status);
        return status;
    }

    private static boolean generatedParserAccepts(byte[] bytes) {
        try {
            HamokMessage.parseFrom(bytes);
            return true;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /**
     * The fuzz property: decode never throws; OK implies the generated parser accepts the bytes and
     * agrees on every value; a rejection by the generated parser implies decode did not say OK.
     */
    private void checkAgainstGeneratedParser(byte[] bytes, String context) {
        final int status;
        try {
            status = decodeBytes(bytes);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(context + ": decode failed on " + HexFormat.of().formatHex(bytes), e);
        }
        statusCounts[status]++;
        HamokMessage parsed = null;
        try {
            parsed = HamokMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            assertNotEquals(RaftWireDecoder.OK, status, () -> context + ": OK for " + HexFormat.of().formatHex(bytes));
        }
        if (status == RaftWireDecoder.OK) {
            assertNotNull(parsed);
            try {
                handler.assertMatches(parsed);
            } catch (AssertionError e) {
                throw new AssertionError(context + ": disagreement on " + HexFormat.of().formatHex(bytes), e);
            }
        }
    }

    @Test
    void shouldReturnNotRaftWhenMessageIsSubmitOrHandshake() {
        final byte[] submit = HamokMessage.newBuilder().setType(MessageType.SUBMIT_MESSAGE_REQUEST).setRequestId(5)
            .setSourceId("n1").addEmbeddedMessages(HamokMessage.newBuilder().setType(MessageType.GET_KEYS_REQUEST))
            .addKeys(ByteString.copyFromUtf8("k")).build().toByteArray();
        final byte[] handshake = HamokMessage.newBuilder().setType(MessageType.HANDSHAKE).setProtocolVersion(1)
            .setClusterId("c").setSourceId("n1").build().toByteArray();
        final byte[] readIndex = HamokMessage.newBuilder().setType(MessageType.RAFT_READ_INDEX_REQUEST)
            .setRequestId(1).build().toByteArray();

        assertEquals(RaftWireDecoder.NOT_RAFT, decodeBytes(submit));
        assertEquals(RaftWireDecoder.NOT_RAFT, decodeBytes(handshake));
        assertEquals(RaftWireDecoder.NOT_RAFT, decodeBytes(readIndex));
    }

    @Test
    void shouldReturnNotRaftWhenTypeNumberIsUnknownOrNegative() {
        assertEquals(RaftWireDecoder.NOT_RAFT, decode(0x08, 0xE7, 0x07)); // 999
        assertEquals(RaftWireDecoder.NOT_RAFT, decodeBytes(HamokMessage.newBuilder().setTypeValue(-12).build()
            .toByteArray()));
    }

    @Test
    void shouldTakeLowThirtyTwoBitsOfTypeWhenTypeVarintIsWider() {
        // 2^32 + 13: protobuf reads enums as int32, so this is RAFT_VOTE_RESPONSE
        final byte[] bytes = {0x08, (byte) 0x8D, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10};
        assertEquals(RaftWireDecoder.OK, decodeBytes(bytes));
        checkAgainstGeneratedParser(bytes, "wide type");
    }

    @Test
    void shouldReturnMalformedWhenTypeIsMissingOrZero() {
        assertEquals(RaftWireDecoder.MALFORMED, decode());
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x28, 0x05)); // term only
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, 0x00, 0x28, 0x05));
        assertEquals(RaftWireDecoder.OK, decode(0x08, 0x00, 0x28, 0x05, 0x08, RAFT_TYPE)); // last type wins
    }

    @Test
    void shouldReturnMalformedWhenVarintIsLongerThanTenBytes() {
        final byte[] eleven = {0x08, RAFT_TYPE, 0x28, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
        assertEquals(RaftWireDecoder.MALFORMED, decodeBytes(eleven));
        assertThrows(InvalidProtocolBufferException.class, () -> HamokMessage.parseFrom(eleven));
    }

    @Test
    void shouldDropBitsBeyondSixtyFourWhenTenthVarintByteIsLarge() {
        for (byte last : new byte[] {0x01, 0x7F}) {
            final byte[] ten = {0x08, RAFT_TYPE, 0x28, -1, -1, -1, -1, -1, -1, -1, -1, -1, last};
            assertEquals(RaftWireDecoder.OK, decodeBytes(ten));
            assertEquals(-1L, handler.term);
            checkAgainstGeneratedParser(ten, "ten-byte varint");
        }
    }

    @Test
    void shouldReturnMalformedWhenWireTypeIsGroupOrUndefined() {
        for (int wireType : new int[] {3, 4, 6, 7}) {
            assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, RAFT_TYPE, 0xA0 | wireType, 0x06, 0x01));
        }
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, RAFT_TYPE, 0x00, 0x01)); // field number 0
    }

    @Test
    void shouldReturnMalformedWhenKnownFieldHasWrongWireType() {
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, RAFT_TYPE, 0x2A, 0x00)); // term as bytes
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, RAFT_TYPE, 0x48, 0x01)); // entries as varint
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, RAFT_TYPE, 0xB8, 0x01, 0x01)); // checksum as varint
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, RAFT_TYPE, 0x10, 0x01)); // source_id as varint
        // inside an entry: term as fixed32
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, 0x10, 0x4A, 0x05, 0x0D, 1, 2, 3, 4));
    }

    @Test
    void shouldReturnTruncatedWhenFieldRunsPastEndOfInput() {
        assertEquals(RaftWireDecoder.TRUNCATED, decode(0x08));
        assertEquals(RaftWireDecoder.TRUNCATED, decode(0x08, RAFT_TYPE, 0x28, (byte) 0x80));
        assertEquals(RaftWireDecoder.TRUNCATED, decode(0x08, 0x10, 0x4A, 0x05, 0x08));
        assertEquals(RaftWireDecoder.TRUNCATED, decode(0x08, 0x12, (byte) 0xA2, 0x01, 0x03, 1, 2));
        assertEquals(RaftWireDecoder.TRUNCATED, decode(0x08, 0x12, (byte) 0xBD, 0x01, 1, 2, 3));
    }

    @Test
    void shouldReturnMalformedWhenEntryFieldRunsPastEndOfEntry() {
        // the entry says 2 bytes, its payload says 3
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, 0x10, 0x4A, 0x02, 0x22, 0x03, 1, 2, 3));
        // a length above Integer.MAX_VALUE
        assertEquals(RaftWireDecoder.MALFORMED, decode(0x08, 0x10, 0x4A, -1, -1, -1, -1, 0x0F));
    }

    @Test
    void shouldReturnMalformedWhenEntryTypeIsUnknownToThisVersion() {
        final byte[] bytes = {0x08, 0x10, 0x4A, 0x02, 0x18, 0x07};
        assertEquals(RaftWireDecoder.MALFORMED, decodeBytes(bytes));
        assertTrue(generatedParserAccepts(bytes)); // stricter than protobuf on purpose
    }

    @Test
    void shouldReturnMalformedWhenRaftMessageCarriesEmbeddedMessages() {
        final byte[] bytes = HamokMessage.newBuilder().setType(MessageType.RAFT_TIMEOUT_NOW).setTerm(2)
            .addEmbeddedMessages(HamokMessage.newBuilder().setTerm(1)).build().toByteArray();
        assertEquals(RaftWireDecoder.MALFORMED, decodeBytes(bytes));
    }

    @Test
    void shouldReturnMalformedWhenStringFieldIsNotUtf8() {
        final byte[][] invalid = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        for (byte[] text : invalid) {
            final byte[] bytes = new byte[4 + text.length]; // the builder refuses bad UTF-8: craft by hand
            bytes[0] = 0x08;
            bytes[1] = MessageType.RAFT_TIMEOUT_NOW_VALUE;
            bytes[2] = 0x12; // source_id
            bytes[3] = (byte) text.length;
            System.arraycopy(text, 0, bytes, 4, text.length);
            assertEquals(RaftWireDecoder.MALFORMED, decodeBytes(bytes));
            assertThrows(InvalidProtocolBufferException.class, () -> HamokMessage.parseFrom(bytes));
        }
        final byte[] valid = HamokMessage.newBuilder().setType(MessageType.RAFT_TIMEOUT_NOW)
            .setClusterId("a\u00e9\u20ac\uD83D\uDE00\u007f\u0000").build().toByteArray();
        assertEquals(RaftWireDecoder.OK, decodeBytes(valid));
    }

    @Test
    void shouldReturnMalformedWhenOffsetOrLengthLieOutsideBuffer() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[] {0x08, RAFT_TYPE});
        assertEquals(RaftWireDecoder.MALFORMED, decoder.decode(buffer, 0, 3, "p", handler));
        assertEquals(RaftWireDecoder.MALFORMED, decoder.decode(buffer, -1, 2, "p", handler));
        assertEquals(RaftWireDecoder.MALFORMED, decoder.decode(buffer, 1, -1, "p", handler));
        assertEquals(RaftWireDecoder.MALFORMED, decoder.decode(buffer, 2, Integer.MAX_VALUE, "p", handler));
        assertEquals(RaftWireDecoder.MALFORMED, decoder.decode(null, 0, 0, "p", handler));
        assertEquals(0, handler.calls);
    }

    @Test
    void shouldNeverHalfDeliverWhenAppendEntriesIsCutAtEveryLength() {
        final ArrayEntryBatch batch = ArrayEntryBatch.random(new SplittableRandom(SEED), 12, 40);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = new RaftWireEncoder().encodeAppendEntries(buffer, 0, 300, 1000, 299, 990, batch);
        final byte[] whole = new byte[length];
        buffer.getBytes(0, whole);
        for (int prefix = 0; prefix < length; prefix++) {
            final byte[] bytes = Arrays.copyOf(whole, prefix);
            checkAgainstGeneratedParser(bytes, "prefix " + prefix);
            final int status = decodeBytes(bytes);
            if (!generatedParserAccepts(bytes)) {
                assertEquals(RaftWireDecoder.TRUNCATED, status, "prefix " + prefix);
            } else if (prefix > 0) {
                assertEquals(RaftWireDecoder.OK, status, "prefix " + prefix + " ends at a field boundary");
                assertTrue(handler.entries.size() < 12);
            } else {
                assertEquals(RaftWireDecoder.MALFORMED, status, "the empty message has no type");
            }
        }
        assertTrue(statusCounts[RaftWireDecoder.TRUNCATED] > length / 2, "most prefixes cut a field");
        checkAgainstGeneratedParser(whole, "whole");
        assertEquals(12, handler.entries.size());
    }

    @Test
    void shouldAgreeWithGeneratedParserWhenInputIsRandomBytes() {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 100_000; i++) {
            final byte[] bytes = new byte[random.nextInt(48)];
            random.nextBytes(bytes);
            if (bytes.length >= 2 && random.nextBoolean()) {
                bytes[0] = 0x08; // give half of them a Raft type so the parse goes deeper
                bytes[1] = (byte) (MessageType.RAFT_VOTE_REQUEST_VALUE + random.nextInt(11));
            }
            checkAgainstGeneratedParser(bytes, "seed " + SEED + " input " + i);
        }
        assertTrue(statusCounts[RaftWireDecoder.OK] > 100, () -> "OK count " + statusCounts[RaftWireDecoder.OK]);
    }

    @Test
    void shouldAgreeWithGeneratedParserWhenValidMessagesAreMutated() {
        final SplittableRandom random = new SplittableRandom(SEED);
        final List<byte[]> valid = validMessages(random);
        for (int i = 0; i < 100_000; i++) {
            final byte[] bytes = mutate(random, valid.get(random.nextInt(valid.size())), valid);
            checkAgainstGeneratedParser(bytes, "seed " + SEED + " mutation " + i);
        }
        assertTrue(statusCounts[RaftWireDecoder.OK] > 10_000, () -> "OK count " + statusCounts[RaftWireDecoder.OK]);
        assertTrue(statusCounts[RaftWireDecoder.MALFORMED] > 1_000);
        assertTrue(statusCounts[RaftWireDecoder.TRUNCATED] > 1_000);
    }

    private static List<byte[]> validMessages(SplittableRandom random) {
        final RaftWireEncoder encoder = new RaftWireEncoder();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            final long a = random.nextLong(1 << 20);
            final long b = random.nextInt(3) == 0 ? random.nextLong() : random.nextLong(1 << 10);
            final int length = switch (i % 7) {
                case 0 -> encoder.encodeVoteRequest(buffer, 0, a, b, a, i % 2 == 0, i % 3 == 0);
                case 1 -> encoder.encodeVoteResponse(buffer, 0, a, i % 2 == 0, i % 3 == 0);
                case 2 -> encoder.encodeAppendEntries(buffer, 0, a, b, a, b,
                    ArrayEntryBatch.random(random, random.nextInt(6), 12));
                case 3 -> encoder.encodeAppendEntriesResponse(buffer, 0, a, i % 2 == 0, b, a, b, a);
                case 4 -> encoder.encodeInstallSnapshot(buffer, 0, a, b, a, b, new UnsafeBuffer(new byte[20]), 0,
                    random.nextInt(20), i % 2 == 0, b, random.nextInt());
                case 5 -> encoder.encodeInstallSnapshotResponse(buffer, 0, a, i % 2 == 0, b, a);
                default -> encoder.encodeTimeoutNow(buffer, 0, a);
            };
            final byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            messages.add(bytes);
        }
        messages.add(HamokMessage.newBuilder().setType(MessageType.HANDSHAKE).setClusterId("c1").setSourceId("n1")
            .build().toByteArray());
        return messages;
    }

    private static byte[] mutate(SplittableRandom random, byte[] original, List<byte[]> others) {
        byte[] bytes = original.clone();
        final int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            final int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes[at] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> {
                    if (bytes.length > 0) {
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 3 -> bytes = splice(bytes, at, new byte[] {(byte) random.nextInt(256)}, 0);
                case 4 -> bytes = splice(bytes, at, new byte[0], Math.min(1 + random.nextInt(3), bytes.length - at));
                default -> bytes = splice(bytes, bytes.length, others.get(random.nextInt(others.size())), 0);
            }
        }
        return bytes;
    }

    /** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] bytes, int at, byte[] inserted, int removed) {
        final byte[] result = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at + removed, result, at + inserted.length, bytes.length - at - removed);
        return result;
    }
}
