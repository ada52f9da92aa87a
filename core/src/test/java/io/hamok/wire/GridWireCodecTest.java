// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link GridWireEncoder} writes exactly the generated classes' bytes; {@link GridWireReader} agrees
 * with the generated parser on every field it reads, never throws, and never says OK (without
 * embedded messages) for bytes the generated parser rejects; neither allocates in steady state.
 * The fuzz seed comes from {@code -Dhamok.wire.fuzz.seed} and is printed in failure messages.
 */
@Timeout(60)
class GridWireCodecTest {
    private static final long SEED = Long.getLong("hamok.wire.fuzz.seed", 20_261_206L);

    private final GridWireReader reader = new GridWireReader();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static HamokMessage storageRequest(int type, String source, long id, String storage, List<byte[]> keys,
                                               List<byte[]> values, byte[] prev, int kind) {
        final HamokMessage.Builder b = HamokMessage.newBuilder().setTypeValue(type).setSourceId(source).setRequestId(id)
            .setStorageId(storage).setStorageKindValue(kind);
        keys.forEach(k -> b.addKeys(ByteString.copyFrom(k)));
        values.forEach(v -> b.addValues(ByteString.copyFrom(v)));
        if (prev != null) {
            b.setPrevValue(ByteString.copyFrom(prev));
        }
        return b.build();
    }

    private byte[] encodeStorageRequest(int type, String source, long id, String storage, List<byte[]> keys,
                                        List<byte[]> values, byte[] prev, int kind) {
        final int expected = GridWireEncoder.storageRequestLength(type, utf8(source), id, utf8(storage), keys, values,
            prev, kind);
        final int length = GridWireEncoder.encodeStorageRequest(buffer, 3, type, utf8(source), id, utf8(storage), keys,
            values, prev, kind);
        assertEquals(expected, length, "storageRequestLength");
        return Arrays.copyOfRange(buffer.byteArray(), 3, 3 + length);
    }

    private static List<byte[]> list(String... values) {
        final List<byte[]> out = new ArrayList<>();
        for (String v : values) {
            out.add(utf8(v));
        }
        return out;
    }

    @Test
    void shouldWriteStorageRequestsByteForByteAsTheGeneratedClasses() {
        final Object[][] cases = {
            {MessageType.UPDATE_ENTRIES_REQUEST_VALUE, "node-1", 1L << 60, "bench", list("key-1"), list("v"), null, 1},
            {MessageType.UPDATE_ENTRIES_REQUEST_VALUE, "n", -1L, "m", list("a", ""), list("", "x"), new byte[0], 1},
            {MessageType.REMOVE_ENTRIES_REQUEST_VALUE, "n", 7L, "m", list("a"), list(), utf8("old"), 1},
            {MessageType.CLEAR_ENTRIES_REQUEST_VALUE, "", 0L, "r", list(), list(), null, 2},
            {MessageType.INSERT_ENTRIES_REQUEST_VALUE, "pé€r-😀", 300L, "størage", list("k1", "k2", "k3"),
                list("1", "2", "3"), null, 2},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked") final List<byte[]> keys = (List<byte[]>) c[4];
            @SuppressWarnings("unchecked") final List<byte[]> values = (List<byte[]>) c[5];
            final byte[] generated = storageRequest((int) c[0], (String) c[1], (long) c[2], (String) c[3], keys, values,
                (byte[]) c[6], (int) c[7]).toByteArray();
            assertArrayEquals(generated, encodeStorageRequest((int) c[0], (String) c[1], (long) c[2], (String) c[3],
                keys, values, (byte[]) c[6], (int) c[7]), "case " + Arrays.toString(c));
        }
    }

    @Test
    void shouldWriteSubmitMessagesByteForByteAsTheGeneratedClasses() {
        final byte[] payload = {9, 8, 7, 6};
        final int length = GridWireEncoder.encodeSubmitRequest(buffer, 0, 42, new UnsafeBuffer(payload), 0,
            payload.length);
        assertArrayEquals(HamokMessage.newBuilder().setType(MessageType.SUBMIT_MESSAGE_REQUEST).setRequestId(42)
            .addEntries(LogEntry.newBuilder().setPayload(ByteString.copyFrom(payload))).build().toByteArray(),
            Arrays.copyOf(buffer.byteArray(), length));

        for (boolean success : new boolean[] {true, false}) {
            for (String leader : new String[] {null, "node-3"}) {
                final int n = GridWireEncoder.encodeSubmitResponse(buffer, 0, 1L << 62, success,
                    leader == null ? null : utf8(leader));
                final HamokMessage.Builder b = HamokMessage.newBuilder().setType(MessageType.SUBMIT_MESSAGE_RESPONSE)
                    .setRequestId(1L << 62).setSuccess(success);
                if (leader != null) {
                    b.setRaftLeaderId(leader);
                }
                assertArrayEquals(b.build().toByteArray(), Arrays.copyOf(buffer.byteArray(), n));
            }
        }
    }

    @Test
    void shouldReadEveryGridFieldInPlace() {
        final HamokMessage m = storageRequest(MessageType.UPDATE_ENTRIES_REQUEST_VALUE, "source", 99, "store",
            list("k1", "", "k3"), list("v1", "v2", ""), utf8("prev"), 2).toBuilder()
            .setRaftLeaderId("leader").setSuccess(true).setTerm(5).setDestinationId("d")
            .addEntries(LogEntry.newBuilder().setTerm(3).setPayload(ByteString.copyFromUtf8("first")))
            .addEntries(LogEntry.newBuilder().setPayload(ByteString.copyFromUtf8("second")))
            .build();
        final byte[] bytes = framed(m.toByteArray(), 5);

        assertEquals(GridWireReader.OK, reader.wrap(new UnsafeBuffer(bytes), 5, bytes.length - 5));

        assertMatches(m, bytes);
        assertEquals(2, reader.entryCount());
        assertEquals("first", text(bytes, reader.firstEntryPayloadOffset(), reader.firstEntryPayloadLength()));
        assertEquals("leader", text(bytes, reader.raftLeaderIdOffset(), reader.raftLeaderIdLength()));
        assertTrue(reader.success());
        assertEquals(0, reader.embeddedMessageCount());
    }

    @Test
    void shouldTellAnAbsentConditionFromAnEmptyOne() {
        byte[] bytes = storageRequest(MessageType.REMOVE_ENTRIES_REQUEST_VALUE, "s", 1, "m", list("k"), list(), null, 1)
            .toByteArray();
        assertEquals(GridWireReader.OK, reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        assertFalse(reader.hasPrevValue());

        bytes = storageRequest(MessageType.REMOVE_ENTRIES_REQUEST_VALUE, "s", 1, "m", list("k"), list(), new byte[0], 1)
            .toByteArray();
        assertEquals(GridWireReader.OK, reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        assertTrue(reader.hasPrevValue());
        assertEquals(0, reader.prevValueLength());
    }

    @Test
    void shouldCountEmbeddedMessagesWithoutParsingThem() {
        final byte[] bytes = HamokMessage.newBuilder().setType(MessageType.SUBMIT_MESSAGE_REQUEST).setRequestId(5)
            .addEmbeddedMessages(HamokMessage.newBuilder().setType(MessageType.GET_KEYS_REQUEST))
            .addEmbeddedMessages(HamokMessage.newBuilder().setTerm(1)).build().toByteArray();
        assertEquals(GridWireReader.OK, reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        assertEquals(2, reader.embeddedMessageCount());
    }

    @Test
    void shouldRefuseInvalidUtf8GroupsWrongWireTypesAndTruncation() {
        // storage_id (26) = C0 80: an overlong form
        assertEquals(GridWireReader.MALFORMED, wrap(0x08, 0x38, 0xD2, 0x01, 0x02, 0xC0, 0x80));
        // a group (wire type 3) in field 20
        assertEquals(GridWireReader.MALFORMED, wrap(0x08, 0x38, 0xA3, 0x01, 0xA4, 0x01));
        // keys (27) as a varint
        assertEquals(GridWireReader.MALFORMED, wrap(0x08, 0x38, 0xD8, 0x01, 0x01));
        // an entry whose payload runs past the entry
        assertEquals(GridWireReader.MALFORMED, wrap(0x08, 0x14, 0x4A, 0x02, 0x22, 0x03, 1, 2, 3));
        // values (28) says 5 bytes, 2 follow
        assertEquals(GridWireReader.TRUNCATED, wrap(0x08, 0x38, 0xE2, 0x01, 0x05, 1, 2));
        assertEquals(GridWireReader.TRUNCATED, wrap(0x08));
        assertEquals(GridWireReader.MALFORMED, reader.wrap(new UnsafeBuffer(new byte[4]), 2, 3));
    }

    /**
     * The fuzz property: wrap never throws; when the generated parser rejects the bytes, wrap does
     * not say OK unless the message has embedded messages (which readers' users refuse); when wrap
     * says OK, the generated parser accepts and agrees on every field.
     */
    @Test
    void shouldAgreeWithTheGeneratedParserOnMutatedMessages() {
        final SplittableRandom random = new SplittableRandom(SEED);
        final List<byte[]> seeds = List.of(
            storageRequest(MessageType.UPDATE_ENTRIES_REQUEST_VALUE, "node-1", 12345, "bench", list("key", "k2"),
                list("value", ""), utf8("p"), 1).toByteArray(),
            HamokMessage.newBuilder().setType(MessageType.SUBMIT_MESSAGE_REQUEST).setRequestId(77)
                .addEntries(LogEntry.newBuilder().setPayload(ByteString.copyFromUtf8("payload"))).build().toByteArray(),
            HamokMessage.newBuilder().setType(MessageType.SUBMIT_MESSAGE_RESPONSE).setRequestId(77).setSuccess(true)
                .setRaftLeaderId("node-2").build().toByteArray());
        final int[] statuses = new int[4];
        for (int round = 0; round < 200_000; round++) {
            final byte[] seed = seeds.get(random.nextInt(seeds.size()));
            final byte[] bytes = mutate(seed, random);
            final int status;
            try {
                status = reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + ": wrap threw on " + HexFormat.of().formatHex(bytes), e);
            }
            statuses[status]++;
            HamokMessage parsed = null;
            try {
                parsed = HamokMessage.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                if (status == GridWireReader.OK) {
                    assertNotEquals(0, reader.embeddedMessageCount(),
                        "seed " + SEED + ": OK for " + HexFormat.of().formatHex(bytes));
                }
            }
            if (status == GridWireReader.OK && parsed != null) {
                try {
                    assertMatches(parsed, bytes);
                } catch (AssertionError e) {
                    throw new AssertionError("seed " + SEED + ": disagreement on " + HexFormat.of().formatHex(bytes), e);
                }
            }
        }
        assertTrue(statuses[GridWireReader.OK] > 1000 && statuses[GridWireReader.MALFORMED] > 1000
            && statuses[GridWireReader.TRUNCATED] > 1000, "seed " + SEED + ": " + Arrays.toString(statuses));
    }

    @Test
    void shouldNotAllocateWhenWritingAndReadingInSteadyState() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final List<byte[]> keys = list("key-1", "key-2");
        final List<byte[]> values = list("a value", "another value");
        final byte[] source = utf8("node-1");
        final byte[] storage = utf8("bench");
        final byte[] leader = utf8("node-2");
        final UnsafeBuffer request = new UnsafeBuffer(new byte[256]);
        long sum = 0;
        for (int phase = 0; phase < 2; phase++) {
            final long start = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                final int length = GridWireEncoder.encodeStorageRequest(request, 0,
                    MessageType.UPDATE_ENTRIES_REQUEST_VALUE, source, i, storage, keys, values, null, 1);
                final int submit = GridWireEncoder.encodeSubmitRequest(buffer, 0, i, request, 0, length);
                sum += reader.wrap(buffer, 0, submit) + reader.firstEntryPayloadLength();
                sum += reader.wrap(request, 0, length) + reader.keyLength(1) + reader.valueOffset(1);
                final int response = GridWireEncoder.encodeSubmitResponse(buffer, 0, i, true, leader);
                sum += reader.wrap(buffer, 0, response) + reader.requestId();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - start;
            if (phase == 1) {
                assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 20,000 rounds");
            }
        }
        assertTrue(sum != 0);
    }

    // ------------------------------------------------------------------ helpers

    private int wrap(int... values) {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private void assertMatches(HamokMessage m, byte[] bytes) {
        final DirectBuffer b = reader.buffer();
        assertEquals(m.getTypeValue(), reader.type());
        assertEquals(m.getRequestId(), reader.requestId());
        assertEquals(m.getSuccess(), reader.success());
        assertEquals(m.getStorageKindValue(), reader.storageKind());
        assertEquals(m.getSourceId(), text(bytes, reader.sourceIdOffset(), reader.sourceIdLength()));
        assertEquals(m.getStorageId(), text(bytes, reader.storageIdOffset(), reader.storageIdLength()));
        assertEquals(m.getRaftLeaderId(), text(bytes, reader.raftLeaderIdOffset(), reader.raftLeaderIdLength()));
        assertEquals(m.getKeysCount(), reader.keyCount());
        for (int i = 0; i < m.getKeysCount(); i++) {
            assertArrayEquals(m.getKeys(i).toByteArray(), slice(b, reader.keyOffset(i), reader.keyLength(i)));
        }
        assertEquals(m.getValuesCount(), reader.valueCount());
        for (int i = 0; i < m.getValuesCount(); i++) {
            assertArrayEquals(m.getValues(i).toByteArray(), slice(b, reader.valueOffset(i), reader.valueLength(i)));
        }
        assertEquals(m.hasPrevValue(), reader.hasPrevValue());
        if (m.hasPrevValue()) {
            assertArrayEquals(m.getPrevValue().toByteArray(),
                slice(b, reader.prevValueOffset(), reader.prevValueLength()));
        }
        assertEquals(m.getEntriesCount(), reader.entryCount());
        if (m.getEntriesCount() > 0) {
            assertArrayEquals(m.getEntries(0).getPayload().toByteArray(),
                slice(b, reader.firstEntryPayloadOffset(), reader.firstEntryPayloadLength()));
        }
        assertEquals(m.getEmbeddedMessagesCount(), reader.embeddedMessageCount());
    }

    private static byte[] slice(DirectBuffer b, int offset, int length) {
        final byte[] out = new byte[length];
        b.getBytes(offset, out);
        return out;
    }

    private static String text(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    private static byte[] framed(byte[] message, int at) {
        final byte[] out = new byte[at + message.length];
        System.arraycopy(message, 0, out, at, message.length);
        return out;
    }

    /** Flips, inserts, deletes or truncates a few bytes. */
    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] bytes = seed.clone();
        final int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            final int at = random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> {
                    final byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                default -> bytes = Arrays.copyOf(bytes, at);
            }
        }
        return bytes;
    }
}
