// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.hamok.raft.LogEntryView;
import io.hamok.wire.RecordingHandler.Kind;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Round trips between {@link RaftWireEncoder}/{@link RaftWireDecoder} and the generated protobuf classes. */
@Timeout(60)
class RaftWireCodecTest {
    /** One value of every varint size class, plus the unsigned extremes. */
    private static final long[] VALUES = {
        0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35, 1L << 56, Long.MAX_VALUE, -1, Long.MIN_VALUE
    };
    private static final int OFFSET = 3;

    private final RaftWireEncoder encoder = new RaftWireEncoder();
    private final RaftWireDecoder decoder = new RaftWireDecoder();
    private final RecordingHandler handler = new RecordingHandler();

    @FunctionalInterface
    private interface Encoding {
        int encode(MutableDirectBuffer buffer, int offset);
    }

    private static long value(int i) {
        return VALUES[Math.floorMod(i, VALUES.length)];
    }

    /** Encodes at a non-zero offset into a buffer too small to start with, and returns the message bytes. */
    private static byte[] encode(Encoding encoding) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4);
        final int length = encoding.encode(buffer, OFFSET);
        final byte[] bytes = new byte[length];
        buffer.getBytes(OFFSET, bytes);
        return bytes;
    }

    /** Asserts that {@code actual} is byte for byte what the generated code writes, and parses back to it. */
    private static void assertEncodes(HamokMessage expected, byte[] actual) throws InvalidProtocolBufferException {
        assertArrayEquals(expected.toByteArray(), actual);
        assertEquals(expected, HamokMessage.parseFrom(actual));
    }

    private void decodeAndAssert(HamokMessage message) {
        final byte[] bytes = message.toByteArray();
        handler.reset();
        assertEquals(RaftWireDecoder.OK, decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length, "peer-1", handler));
        assertEquals("peer-1", handler.from);
        handler.assertMatches(message);
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenEncodingVoteRequests() throws Exception {
        for (int i = 0; i < VALUES.length * 4; i++) {
            final long term = value(i);
            final long lastLogIndex = value(i + 1);
            final long lastLogTerm = value(i + 2);
            final boolean preVote = i % 2 == 0;
            final boolean transfer = i % 4 < 2;
            final byte[] bytes = encode((b, o) -> encoder.encodeVoteRequest(b, o, term, lastLogIndex, lastLogTerm,
                preVote, transfer));

            final HamokMessage parsed = HamokMessage.parseFrom(bytes);
            assertEquals(preVote ? MessageType.RAFT_PRE_VOTE_REQUEST : MessageType.RAFT_VOTE_REQUEST, parsed.getType());
            assertEquals(term, parsed.getTerm());
            assertEquals(lastLogIndex, parsed.getLastLogIndex());
            assertEquals(lastLogTerm, parsed.getLastLogTerm());
            assertEquals(transfer, parsed.getLeadershipTransfer());
            assertEncodes(HamokMessage.newBuilder().setType(parsed.getType()).setTerm(term)
                .setLastLogIndex(lastLogIndex).setLastLogTerm(lastLogTerm).setLeadershipTransfer(transfer).build(), bytes);
        }
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenEncodingVoteResponses() throws Exception {
        for (int i = 0; i < VALUES.length * 4; i++) {
            final long term = value(i);
            final boolean granted = i % 2 == 0;
            final boolean preVote = i % 4 < 2;
            final byte[] bytes = encode((b, o) -> encoder.encodeVoteResponse(b, o, term, granted, preVote));

            final HamokMessage parsed = HamokMessage.parseFrom(bytes);
            assertEquals(preVote ? MessageType.RAFT_PRE_VOTE_RESPONSE : MessageType.RAFT_VOTE_RESPONSE,
                parsed.getType());
            assertEquals(term, parsed.getTerm());
            assertEquals(granted, parsed.getSuccess());
            assertEncodes(HamokMessage.newBuilder().setType(parsed.getType()).setTerm(term).setSuccess(granted)
                .build(), bytes);
        }
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenEncodingAppendEntriesWithAllEntryKinds() throws Exception {
        final byte[][] payloads = {new byte[0], {1}, new byte[300], {-1, 0, 127}, new byte[0], {42}};
        final long[] terms = {Long.MAX_VALUE, 0, 1, -1, 5, 128};
        final long[] timestamps = {0, Long.MAX_VALUE, 1_700_000_000_000L, -1, 1, 0};
        final byte[] types = {LogEntryView.NORMAL, LogEntryView.NOOP, LogEntryView.CONFIG, LogEntryView.NORMAL,
            LogEntryView.NOOP, LogEntryView.CONFIG};
        final ArrayEntryBatch batch = new ArrayEntryBatch(terms, timestamps, types, payloads);

        final byte[] bytes = encode((b, o) -> encoder.encodeAppendEntries(b, o, Long.MAX_VALUE, Long.MAX_VALUE - 1,
            Long.MAX_VALUE, -1, batch));

        final HamokMessage parsed = HamokMessage.parseFrom(bytes);
        assertEquals(MessageType.RAFT_APPEND_ENTRIES_REQUEST, parsed.getType());
        assertEquals(Long.MAX_VALUE, parsed.getTerm());
        assertEquals(Long.MAX_VALUE - 1, parsed.getPrevLogIndex());
        assertEquals(Long.MAX_VALUE, parsed.getPrevLogTerm());
        assertEquals(-1, parsed.getLeaderCommit());
        assertEquals(terms.length, parsed.getEntriesCount());
        for (int i = 0; i < terms.length; i++) {
            final LogEntry entry = parsed.getEntries(i);
            assertEquals(terms[i], entry.getTerm());
            assertEquals(timestamps[i], entry.getTimestampMs());
            assertEquals(types[i], entry.getType().getNumber());
            assertArrayEquals(payloads[i], entry.getPayload().toByteArray());
        }
        assertEncodes(batch.addTo(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST)
            .setTerm(Long.MAX_VALUE).setPrevLogIndex(Long.MAX_VALUE - 1).setPrevLogTerm(Long.MAX_VALUE)
            .setLeaderCommit(-1)).build(), bytes);
        assertEquals(bytes.length, encoder.appendEntriesLength(Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE, -1,
            batch));
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenAppendEntriesCarriesReadRound() throws Exception {
        final ArrayEntryBatch batch = ArrayEntryBatch.random(new SplittableRandom(23), 7, 40);
        final ArrayEntryBatch empty = ArrayEntryBatch.empty();
        for (int i = 0; i < VALUES.length * 2; i++) {
            final long readRound = value(i);
            final long term = value(i + 1);
            final long prevLogIndex = value(i + 2);
            final long leaderCommit = value(i + 3);
            final ArrayEntryBatch entries = i % 2 == 0 ? batch : empty;
            final long appendId = value(i + 4);
            final byte[] bytes = encode((b, o) -> encoder.encodeAppendEntries(b, o, term, prevLogIndex, 4,
                leaderCommit, entries, readRound, appendId));

            final HamokMessage parsed = HamokMessage.parseFrom(bytes);
            assertEquals(readRound, parsed.getReadRound());
            assertEquals(appendId, parsed.getRequestId());
            assertEncodes(entries.addTo(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST)
                .setRequestId(appendId).setTerm(term).setPrevLogIndex(prevLogIndex).setPrevLogTerm(4)
                .setLeaderCommit(leaderCommit).setReadRound(readRound)).build(), bytes);
            assertEquals(bytes.length, encoder.appendEntriesLength(term, prevLogIndex, 4, leaderCommit, entries,
                readRound, appendId));
            handler.reset();
            assertEquals(RaftWireDecoder.OK, decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length, "p", handler));
            handler.assertMatches(parsed);
            assertEquals(readRound, handler.readRound);
        }
    }

    @Test
    void shouldWriteHeartbeatWhenBatchIsEmpty() throws Exception {
        final ArrayEntryBatch empty = ArrayEntryBatch.empty();
        final byte[] bytes = encode((b, o) -> encoder.encodeAppendEntries(b, o, 3, 0, 0, 0, empty));

        assertEncodes(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST).setTerm(3).build(),
            bytes);
        assertEquals(bytes.length, encoder.appendEntriesLength(3, 0, 0, 0, empty));
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenBatchHasThousandEntries() throws Exception {
        final ArrayEntryBatch batch = ArrayEntryBatch.random(new SplittableRandom(11), 1000, 200);
        final byte[] bytes = encode((b, o) -> encoder.encodeAppendEntries(b, o, 9, 1234, 8, 1200, batch));

        final HamokMessage expected = batch.addTo(HamokMessage.newBuilder()
            .setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST).setTerm(9).setPrevLogIndex(1234).setPrevLogTerm(8)
            .setLeaderCommit(1200)).build();
        assertEncodes(expected, bytes);
        assertEquals(bytes.length, encoder.appendEntriesLength(9, 1234, 8, 1200, batch));
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenEncodingAppendEntriesResponses() throws Exception {
        for (int i = 0; i < VALUES.length * 2; i++) {
            final long term = value(i);
            final boolean success = i % 2 == 0;
            final long prevLogIndex = value(i + 1);
            final long matchIndex = value(i + 2);
            final long conflictTerm = value(i + 3);
            final long conflictIndex = value(i + 5);
            final long readRound = value(i + 7);
            final long requestTerm = value(i + 8);
            final long appendId = value(i + 9);
            final byte[] bytes = encode((b, o) -> encoder.encodeAppendEntriesResponse(b, o, term, success,
                prevLogIndex, matchIndex, conflictTerm, conflictIndex, readRound, requestTerm, appendId));

            final HamokMessage parsed = HamokMessage.parseFrom(bytes);
            assertEquals(MessageType.RAFT_APPEND_ENTRIES_RESPONSE, parsed.getType());
            assertEquals(term, parsed.getTerm());
            assertEquals(success, parsed.getSuccess());
            assertEquals(prevLogIndex, parsed.getPrevLogIndex());
            assertEquals(matchIndex, parsed.getMatchIndex());
            assertEquals(conflictTerm, parsed.getConflictTerm());
            assertEquals(conflictIndex, parsed.getConflictIndex());
            assertEquals(readRound, parsed.getReadRound());
            assertEncodes(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_RESPONSE).setTerm(term)
                .setSuccess(success).setPrevLogIndex(prevLogIndex).setMatchIndex(matchIndex)
                .setConflictTerm(conflictTerm).setConflictIndex(conflictIndex).setReadRound(readRound)
                .setRequestTerm(requestTerm).setRequestId(appendId).build(), bytes);
            handler.reset();
            assertEquals(RaftWireDecoder.OK, decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length, "p", handler));
            handler.assertMatches(parsed);
            final byte[] withoutRound = encode((b, o) -> encoder.encodeAppendEntriesResponse(b, o, term, success,
                prevLogIndex, matchIndex, conflictTerm, conflictIndex));
            assertEncodes(parsed.toBuilder().clearReadRound().clearRequestTerm().clearRequestId().build(),
                withoutRound);
        }
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenEncodingSnapshotChunks() throws Exception {
        final int[] checksums = {0, -1, Integer.MIN_VALUE, 0x1EDC6F41, 7};
        final int[] dataLengths = {0, 1, 200, 5};
        final byte[] source = new byte[256];
        new SplittableRandom(3).nextBytes(source);
        for (int i = 0; i < VALUES.length * 2; i++) {
            final long term = value(i);
            final long snapshotIndex = value(i + 1);
            final long snapshotTerm = value(i + 2);
            final long chunkOffset = value(i + 3);
            final long snapshotLength = value(i + 4);
            final int checksum = checksums[i % checksums.length];
            final int dataLength = dataLengths[i % dataLengths.length];
            final boolean done = i % 2 == 1;
            final byte[] bytes = encode((b, o) -> encoder.encodeInstallSnapshot(b, o, term, snapshotIndex, snapshotTerm,
                chunkOffset, new UnsafeBuffer(source), 17, dataLength, done, snapshotLength, checksum));

            final HamokMessage parsed = HamokMessage.parseFrom(bytes);
            assertEquals(MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST, parsed.getType());
            assertEquals(term, parsed.getTerm());
            assertEquals(snapshotIndex, parsed.getSnapshotIndex());
            assertEquals(snapshotTerm, parsed.getSnapshotTerm());
            assertEquals(chunkOffset, parsed.getChunkOffset());
            assertEquals(ByteString.copyFrom(source, 17, dataLength), parsed.getData());
            assertEquals(done, parsed.getDone());
            assertEquals(snapshotLength, parsed.getSnapshotLength());
            assertEquals(checksum, parsed.getChecksum());
            assertEncodes(parsed, bytes);
            assertEquals(bytes.length, RaftWireEncoder.installSnapshotLength(term, snapshotIndex, snapshotTerm,
                chunkOffset, dataLength, done, snapshotLength, checksum));
        }
    }

    @Test
    void shouldWriteWhatGeneratedCodeWritesWhenEncodingSnapshotResponsesAndTimeoutNow() throws Exception {
        for (int i = 0; i < VALUES.length * 2; i++) {
            final long term = value(i);
            final boolean success = i % 2 == 0;
            final long snapshotIndex = value(i + 1);
            final long nextOffset = value(i + 2);
            final byte[] response = encode((b, o) -> encoder.encodeInstallSnapshotResponse(b, o, term, success,
                snapshotIndex, nextOffset));
            assertEncodes(HamokMessage.newBuilder().setType(MessageType.RAFT_INSTALL_SNAPSHOT_RESPONSE).setTerm(term)
                .setSuccess(success).setSnapshotIndex(snapshotIndex).setChunkOffset(nextOffset).build(), response);

            final byte[] timeoutNow = encode((b, o) -> encoder.encodeTimeoutNow(b, o, term));
            assertEncodes(HamokMessage.newBuilder().setType(MessageType.RAFT_TIMEOUT_NOW).setTerm(term).build(),
                timeoutNow);
        }
    }

    @Test
    void shouldStayWithinMaxFixedLengthWhenEveryNumberTakesTenBytes() {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int[] lengths = {
            encoder.encodeVoteRequest(buffer, 0, -1, -1, -1, true, true),
            encoder.encodeVoteResponse(buffer, 0, -1, true, true),
            encoder.encodeAppendEntriesResponse(buffer, 0, -1, true, -1, -1, -1, -1, -1),
            encoder.encodeInstallSnapshotResponse(buffer, 0, -1, true, -1, -1),
            encoder.encodeTimeoutNow(buffer, 0, -1),
        };
        int max = 0;
        for (int length : lengths) {
            max = Math.max(max, length);
        }
        assertEquals(RaftWireEncoder.MAX_FIXED_MESSAGE_LENGTH, max);
    }

    @Test
    void shouldOmitEveryDefaultWhenValuesAreZero() {
        final byte[] bytes = encode((b, o) -> encoder.encodeAppendEntriesResponse(b, o, 0, false, 0, 0, 0, 0));
        assertArrayEquals(new byte[] {8, MessageType.RAFT_APPEND_ENTRIES_RESPONSE_VALUE}, bytes);
    }

    @Test
    void shouldDecodeEveryRaftTypeWhenBuiltByGeneratedCode() {
        for (int i = 0; i < VALUES.length; i++) {
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_VOTE_REQUEST).setTerm(value(i))
                .setLastLogIndex(value(i + 1)).setLastLogTerm(value(i + 2)).setLeadershipTransfer(i % 2 == 0).build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_PRE_VOTE_REQUEST).setTerm(value(i))
                .setLastLogIndex(value(i + 3)).setLastLogTerm(value(i + 4)).build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_VOTE_RESPONSE).setTerm(value(i))
                .setSuccess(i % 2 == 1).build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_PRE_VOTE_RESPONSE).setTerm(value(i))
                .setSuccess(i % 2 == 0).build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_RESPONSE)
                .setTerm(value(i)).setSuccess(i % 2 == 0).setPrevLogIndex(value(i + 1)).setMatchIndex(value(i + 2))
                .setConflictTerm(value(i + 3)).setConflictIndex(value(i + 4)).setReadRound(value(i + 5)).build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST)
                .setTerm(value(i)).setPrevLogIndex(value(i + 1)).setPrevLogTerm(value(i + 2))
                .setLeaderCommit(value(i + 3)).setReadRound(value(i + 4)).build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST)
                .setTerm(value(i)).setSnapshotIndex(value(i + 1)).setSnapshotTerm(value(i + 2))
                .setChunkOffset(value(i + 3)).setData(ByteString.copyFrom(new byte[i * 7]))
                .setDone(i % 2 == 0).setSnapshotLength(value(i + 4)).setChecksum(i % 3 == 0 ? -i : i * 1_000_003)
                .build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_INSTALL_SNAPSHOT_RESPONSE)
                .setTerm(value(i)).setSuccess(i % 2 == 0).setSnapshotIndex(value(i + 1)).setChunkOffset(value(i + 2))
                .build());
            decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_TIMEOUT_NOW).setTerm(value(i)).build());
        }
    }

    @Test
    void shouldPassEveryArgumentWhenDecodingVoteRequest() {
        final byte[] bytes = HamokMessage.newBuilder().setType(MessageType.RAFT_PRE_VOTE_REQUEST)
            .setTerm(Long.MAX_VALUE).setLastLogIndex(41).setLastLogTerm(-1).setLeadershipTransfer(true).build()
            .toByteArray();

        assertEquals(RaftWireDecoder.OK, decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length, "n2", handler));

        assertEquals(Kind.VOTE_REQUEST, handler.kind);
        assertEquals("n2", handler.from);
        assertEquals(Long.MAX_VALUE, handler.term);
        assertEquals(41, handler.lastLogIndex);
        assertEquals(-1, handler.lastLogTerm);
        assertTrue(handler.preVote);
        assertTrue(handler.leadershipTransfer);
    }

    @Test
    void shouldDecodeEntriesOfAllTypesWhenPayloadsAreEmptyOrLarge() {
        final ArrayEntryBatch batch = ArrayEntryBatch.random(new SplittableRandom(5), 300, 100);
        decodeAndAssert(batch.addTo(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST)
            .setTerm(Long.MAX_VALUE).setPrevLogIndex(Long.MAX_VALUE).setPrevLogTerm(1).setLeaderCommit(-1)).build());
        final Set<Byte> types = new HashSet<>();
        handler.entries.forEach(e -> types.add(e.type()));
        assertEquals(Set.of(LogEntryView.NORMAL, LogEntryView.NOOP, LogEntryView.CONFIG), types);
        assertTrue(handler.entries.stream().anyMatch(e -> e.payload().length == 0));
        decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST).setTerm(2).build());
        assertEquals(0, handler.entries.size());
    }

    @Test
    void shouldDecodeEveryBatchWhenBatchesGrowPastInitialCapacity() {
        final RaftWireDecoder small = new RaftWireDecoder(1);
        final SplittableRandom random = new SplittableRandom(17);
        for (int count : new int[] {0, 1, 2, 3, 1000, 5000, 10, 4999, 5001}) {
            final HamokMessage message = ArrayEntryBatch.random(random, count, 20).addTo(HamokMessage.newBuilder()
                .setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST).setTerm(count)).build();
            final byte[] bytes = message.toByteArray();
            handler.reset();
            assertEquals(RaftWireDecoder.OK, small.decode(new UnsafeBuffer(bytes), 0, bytes.length, "p", handler));
            handler.assertMatches(message);
        }
    }

    @Test
    void shouldDecodeFrameWhenItSitsInsideLargerBuffer() {
        final ArrayEntryBatch batch = ArrayEntryBatch.random(new SplittableRandom(8), 20, 30);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        buffer.setMemory(0, 4096, (byte) 0xFF); // garbage around the frame must not be read
        final int length = encoder.encodeAppendEntries(buffer, 100, 4, 10, 3, 9, batch);

        assertEquals(RaftWireDecoder.OK, decoder.decode(buffer, 100, length, "p", handler));

        handler.assertMatches(batch.addTo(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST)
            .setTerm(4).setPrevLogIndex(10).setPrevLogTerm(3).setLeaderCommit(9)).build());
    }

    @Test
    void shouldSkipUnknownFieldsWhenMessageCarriesFieldsOfNewerPeer() {
        final UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
            .addField(100, UnknownFieldSet.Field.newBuilder().addVarint(-1).addVarint(3).build())
            .addField(5000, UnknownFieldSet.Field.newBuilder().addFixed64(Long.MIN_VALUE).build())
            .addField(RaftWireDecoder.LAST_KNOWN_FIELD + 1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(new byte[300]))
                .build())
            .addField(ProtoWire.MAX_FIELD_NUMBER, UnknownFieldSet.Field.newBuilder().addFixed32(-5).build())
            .build();
        final ArrayEntryBatch batch = ArrayEntryBatch.random(new SplittableRandom(2), 5, 10);
        decodeAndAssert(batch.addTo(HamokMessage.newBuilder().setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST)
            .setTerm(5).setPrevLogIndex(7).setUnknownFields(unknown)).build());
        decodeAndAssert(HamokMessage.newBuilder().setType(MessageType.RAFT_VOTE_RESPONSE).setTerm(5)
            .setSuccess(true).setSourceId("node-é-1").setRequestId(99).setUnknownFields(unknown).build());
    }

    @Test
    void shouldSkipUnknownFieldsWhenLogEntryCarriesFieldsOfNewerPeer() throws Exception {
        final byte[] entry = {
            (byte) 0xF8, 0x06, 0x01,                 // field 111, varint 1 (unknown, before known fields)
            0x08, 0x07,                              // term = 7
            0x29, 1, 2, 3, 4, 5, 6, 7, 8,            // field 5, fixed64 (unknown)
            0x10, (byte) 0x80, 0x01,                 // timestamp_ms = 128
            0x18, 0x02,                              // type = CONFIG
            0x32, 0x02, 'h', 'i',                    // field 6, length-delimited (unknown)
            0x22, 0x03, 'a', 'b', 'c',               // payload = "abc"
            0x3D, 9, 9, 9, 9,                        // field 7, fixed32 (unknown)
        };
        final byte[] message = new byte[4 + 2 + entry.length];
        message[0] = 0x08;
        message[1] = MessageType.RAFT_APPEND_ENTRIES_REQUEST_VALUE;
        message[2] = 0x28; // term = 3
        message[3] = 0x03;
        message[4] = 0x4A; // field 9, length-delimited
        message[5] = (byte) entry.length;
        System.arraycopy(entry, 0, message, 6, entry.length);

        assertEquals(RaftWireDecoder.OK, decoder.decode(new UnsafeBuffer(message), 0, message.length, "p", handler));

        final HamokMessage parsed = HamokMessage.parseFrom(message);
        handler.assertMatches(parsed);
        assertEquals(7, handler.entries.get(0).term());
        assertEquals(128, handler.entries.get(0).timestampMs());
        assertEquals(LogEntryView.CONFIG, handler.entries.get(0).type());
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, handler.entries.get(0).payload());
    }

    @Test
    void shouldKeepLastScalarAndAccumulateEntriesWhenMessagesAreConcatenated() throws Exception {
        final byte[] first = ArrayEntryBatch.random(new SplittableRandom(1), 3, 5).addTo(HamokMessage.newBuilder()
            .setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST).setTerm(4).setLeaderCommit(8)).build().toByteArray();
        final byte[] second = ArrayEntryBatch.random(new SplittableRandom(2), 2, 5).addTo(HamokMessage.newBuilder()
            .setType(MessageType.RAFT_APPEND_ENTRIES_REQUEST).setTerm(6).setPrevLogIndex(1)).build().toByteArray();
        final byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        assertEquals(RaftWireDecoder.OK, decoder.decode(new UnsafeBuffer(both), 0, both.length, "p", handler));

        handler.assertMatches(HamokMessage.parseFrom(both));
        assertEquals(6, handler.term);
        assertEquals(8, handler.leaderCommit);
        assertEquals(5, handler.entries.size());
    }

    @Test
    void shouldMatchGeneratedDescriptorWhenAskedForWireTypeOfEachField() {
        int highest = 0;
        for (FieldDescriptor field : HamokMessage.getDescriptor().getFields()) {
            highest = Math.max(highest, field.getNumber());
        }
        assertEquals(highest, RaftWireDecoder.LAST_KNOWN_FIELD, "a field was added to HamokMessage");
        for (int number = 0; number <= highest + 10; number++) {
            final FieldDescriptor field = HamokMessage.getDescriptor().findFieldByNumber(number);
            final int expected = field == null ? RaftWireDecoder.UNKNOWN_FIELD : field.getLiteType().getWireType();
            assertEquals(expected, RaftWireDecoder.wireTypeOf(number), "field " + number);
        }
    }

    @Test
    void shouldDescribeEveryStatusWithDistinctConstantText() {
        final Set<String> texts = new HashSet<>();
        for (int status : new int[] {RaftWireDecoder.OK, RaftWireDecoder.NOT_RAFT, RaftWireDecoder.TRUNCATED,
            RaftWireDecoder.MALFORMED, 42}) {
            final String text = RaftWireDecoder.describe(status);
            assertFalse(text.isEmpty());
            assertTrue(texts.add(text));
            assertEquals(text, RaftWireDecoder.describe(status));
        }
        assertNotEquals(RaftWireDecoder.describe(RaftWireDecoder.OK), RaftWireDecoder.describe(-1));
    }
}
