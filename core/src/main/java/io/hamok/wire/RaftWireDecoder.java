// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static io.hamok.wire.ProtoWire.MAX_FIELD_NUMBER;
import static io.hamok.wire.ProtoWire.WIRE_FIXED32;
import static io.hamok.wire.ProtoWire.WIRE_FIXED64;
import static io.hamok.wire.ProtoWire.WIRE_LEN;
import static io.hamok.wire.ProtoWire.WIRE_VARINT;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftMessageHandler;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;

/**
 * Reads one {@code HamokMessage} in the standard protobuf wire format and, when it is a hot-path
 * Raft message, hands its fields to a {@link RaftMessageHandler} as primitives: the Adapter half of
 * the codec. Everything else (handshakes, submits, storage messages) is reported as
 * {@link #NOT_RAFT} for the caller to parse with the generated classes.
 *
 * <p><b>Parsing rules.</b> Protobuf semantics: a scalar field that appears twice keeps its last
 * value, repeated {@code entries} accumulate, unknown fields of wire types 0, 1, 2 and 5 are
 * skipped. Stricter than protobuf on purpose: groups (wire types 3, 4), a known field with the wrong
 * wire type, a varint longer than 10 bytes, a tag or length above 32 bits and a missing or zero
 * {@code type} are {@link #MALFORMED}; so is a Raft message carrying {@code embedded_messages}
 * (no Raft type uses them and this decoder does not validate nested envelopes) or an entry type
 * this version does not know. Whatever the bytes, {@code decode} never throws and never reports
 * {@link #OK} for bytes the generated parser rejects.
 *
 * <p><b>Buffer ownership.</b> The handler is called only after the whole message parsed, at most
 * once per {@code decode}. The {@link EntryBatch} and the snapshot {@code data} it receives are
 * views over the caller's buffer, valid only during the handler call; the decoder keeps no
 * reference to the buffer after {@code decode} returns.
 *
 * <p><b>Threads and allocation.</b> Not thread-safe: one instance per thread. No allocation in
 * steady state; the entry arrays grow (doubling) only when a batch larger than any before arrives.
 */
public final class RaftWireDecoder {
    /** A Raft message was decoded and the handler called. */
    public static final int OK = 0;
    /** A well-formed message of a non-Raft type: the handler was not called. */
    public static final int NOT_RAFT = 1;
    /** The input ends inside a field: the handler was not called. */
    public static final int TRUNCATED = 2;
    /** The input is not a message this decoder accepts: the handler was not called. */
    public static final int MALFORMED = 3;

    /** What {@link #wireTypeOf} answers for a field number the schema does not define. */
    static final int UNKNOWN_FIELD = -1;
    /** Highest field number {@code HamokMessage} defines; higher numbers are a newer peer's fields. */
    static final int LAST_KNOWN_FIELD = HamokMessage.JOINING_FIELD_NUMBER;

    private static final int DEFAULT_ENTRY_CAPACITY = 64;
    /** Returned by the readers instead of a position; {@link #error} says why. */
    private static final int FAILED = -1;

    private final DecodedEntries entries;

    // Reader state: the status of the last failure, the last varint and the last tag.
    private int error;
    private long value;
    private int fieldNumber;
    private int wireType;

    // The message being decoded, reset by every decode.
    private int type;
    private long term;
    private long prevLogIndex;
    private long prevLogTerm;
    private long leaderCommit;
    private boolean success;
    private long matchIndex;
    private long conflictTerm;
    private long conflictIndex;
    private long lastLogIndex;
    private long lastLogTerm;
    private boolean leadershipTransfer;
    private long snapshotIndex;
    private long snapshotTerm;
    private long chunkOffset;
    private int dataOffset;
    private int dataLength;
    private boolean done;
    private long snapshotLength;
    private int checksum;
    private long readRound;
    private long requestId;
    private long requestTerm;
    /** Embedded messages or an unknown entry type: acceptable only in a message this decoder hands on. */
    private boolean unfitForRaft;

    // The entry being decoded.
    private long entryTerm;
    private long entryTimestampMs;
    private int entryType;
    private int entryPayloadOffset;
    private int entryPayloadLength;

    /** A decoder with room for 64 entries before its arrays first grow. */
    public RaftWireDecoder() {
        this(DEFAULT_ENTRY_CAPACITY);
    }

    /** @param initialEntryCapacity entries the batch holds before its arrays first grow, at least 1 */
    public RaftWireDecoder(int initialEntryCapacity) {
        if (initialEntryCapacity < 1) {
            throw new IllegalArgumentException("initialEntryCapacity must be at least 1: " + initialEntryCapacity);
        }
        entries = new DecodedEntries(initialEntryCapacity);
    }

    /**
     * Decodes the message in {@code buffer[offset, offset + length)} and, if it is a Raft message,
     * calls the matching {@code handler} method once with {@code from}.
     *
     * @return {@link #OK}, {@link #NOT_RAFT}, {@link #TRUNCATED} or {@link #MALFORMED} (also for an
     *         {@code offset}/{@code length} outside the buffer); an exception thrown by the handler
     *         propagates
     */
    public int decode(DirectBuffer buffer, int offset, int length, String from, RaftMessageHandler handler) {
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            return MALFORMED;
        }
        reset(offset);
        entries.wrap(buffer);
        try {
            final int status = parseMessage(buffer, offset, offset + length);
            if (status == OK) {
                dispatch(buffer, from, handler);
            }
            return status;
        } finally {
            entries.clear();
        }
    }

    /** A constant, human-readable description of a {@code decode} status. */
    public static String describe(int status) {
        return switch (status) {
            case OK -> "ok";
            case NOT_RAFT -> "not a Raft message: parse it with the generated classes";
            case TRUNCATED -> "truncated: the input ends inside a field";
            case MALFORMED -> "malformed: not a well-formed message this decoder accepts";
            default -> "unknown decode status";
        };
    }

    /**
     * The wire type the schema gives {@code HamokMessage} field {@code number}, or
     * {@link #UNKNOWN_FIELD}. Package-private so a test can hold it against the generated descriptor.
     */
    static int wireTypeOf(int number) {
        if (number < 1 || number > LAST_KNOWN_FIELD) {
            return UNKNOWN_FIELD;
        }
        return switch (number) {
            case HamokMessage.SOURCE_ID_FIELD_NUMBER, HamokMessage.DESTINATION_ID_FIELD_NUMBER,
                 HamokMessage.ENTRIES_FIELD_NUMBER, HamokMessage.DATA_FIELD_NUMBER,
                 HamokMessage.RAFT_LEADER_ID_FIELD_NUMBER, HamokMessage.STORAGE_ID_FIELD_NUMBER,
                 HamokMessage.KEYS_FIELD_NUMBER, HamokMessage.VALUES_FIELD_NUMBER,
                 HamokMessage.PREV_VALUE_FIELD_NUMBER, HamokMessage.ACTIVE_ENDPOINT_IDS_FIELD_NUMBER,
                 HamokMessage.EMBEDDED_MESSAGES_FIELD_NUMBER, HamokMessage.SNAPSHOT_FIELD_NUMBER,
                 HamokMessage.CLUSTER_ID_FIELD_NUMBER -> WIRE_LEN;
            case HamokMessage.CHECKSUM_FIELD_NUMBER -> WIRE_FIXED32;
            default -> WIRE_VARINT;
        };
    }

    private void reset(int offset) {
        type = MessageType.MESSAGE_TYPE_UNSPECIFIED_VALUE;
        term = 0;
        prevLogIndex = 0;
        prevLogTerm = 0;
        leaderCommit = 0;
        success = false;
        matchIndex = 0;
        conflictTerm = 0;
        conflictIndex = 0;
        lastLogIndex = 0;
        lastLogTerm = 0;
        leadershipTransfer = false;
        snapshotIndex = 0;
        snapshotTerm = 0;
        chunkOffset = 0;
        dataOffset = offset; // an absent data field is an empty view at a valid index
        dataLength = 0;
        done = false;
        snapshotLength = 0;
        checksum = 0;
        readRound = 0;
        requestId = 0;
        requestTerm = 0;
        unfitForRaft = false;
    }

    private int parseMessage(DirectBuffer buffer, int start, int limit) {
        int pos = start;
        while (pos < limit) {
            pos = readTag(buffer, pos, limit);
            if (pos != FAILED) {
                pos = readMessageField(buffer, pos, limit);
            }
            if (pos == FAILED) {
                return error;
            }
        }
        if (type == MessageType.MESSAGE_TYPE_UNSPECIFIED_VALUE) {
            return MALFORMED;
        }
        if (!isRaftType(type)) {
            return NOT_RAFT;
        }
        return unfitForRaft ? MALFORMED : OK;
    }

    private int readMessageField(DirectBuffer buffer, int pos, int limit) {
        final int expected = wireTypeOf(fieldNumber);
        if (expected == UNKNOWN_FIELD) {
            return skipField(buffer, pos, limit);
        }
        if (wireType != expected) {
            return fail(MALFORMED);
        }
        if (expected == WIRE_LEN) {
            return readLengthDelimitedField(buffer, pos, limit);
        }
        if (expected == WIRE_FIXED32) {
            if (limit - pos < Integer.BYTES) {
                return fail(TRUNCATED);
            }
            checksum = buffer.getInt(pos, ByteOrder.LITTLE_ENDIAN); // the only fixed32 field
            return pos + Integer.BYTES;
        }
        final int next = readVarint(buffer, pos, limit);
        if (next != FAILED) {
            storeVarint();
        }
        return next;
    }

    /** Keeps {@link #value} in the field {@link #fieldNumber} names; fields of other types are dropped. */
    private void storeVarint() {
        switch (fieldNumber) {
            case HamokMessage.TYPE_FIELD_NUMBER -> type = (int) value; // enums are int32: low 32 bits
            case HamokMessage.TERM_FIELD_NUMBER -> term = value;
            case HamokMessage.PREV_LOG_INDEX_FIELD_NUMBER -> prevLogIndex = value;
            case HamokMessage.PREV_LOG_TERM_FIELD_NUMBER -> prevLogTerm = value;
            case HamokMessage.LEADER_COMMIT_FIELD_NUMBER -> leaderCommit = value;
            case HamokMessage.SUCCESS_FIELD_NUMBER -> success = value != 0;
            case HamokMessage.MATCH_INDEX_FIELD_NUMBER -> matchIndex = value;
            case HamokMessage.CONFLICT_TERM_FIELD_NUMBER -> conflictTerm = value;
            case HamokMessage.CONFLICT_INDEX_FIELD_NUMBER -> conflictIndex = value;
            case HamokMessage.LAST_LOG_INDEX_FIELD_NUMBER -> lastLogIndex = value;
            case HamokMessage.LAST_LOG_TERM_FIELD_NUMBER -> lastLogTerm = value;
            case HamokMessage.LEADERSHIP_TRANSFER_FIELD_NUMBER -> leadershipTransfer = value != 0;
            case HamokMessage.SNAPSHOT_INDEX_FIELD_NUMBER -> snapshotIndex = value;
            case HamokMessage.SNAPSHOT_TERM_FIELD_NUMBER -> snapshotTerm = value;
            case HamokMessage.CHUNK_OFFSET_FIELD_NUMBER -> chunkOffset = value;
            case HamokMessage.DONE_FIELD_NUMBER -> done = value != 0;
            case HamokMessage.SNAPSHOT_LENGTH_FIELD_NUMBER -> snapshotLength = value;
            case HamokMessage.READ_ROUND_FIELD_NUMBER -> readRound = value;
            case HamokMessage.REQUEST_ID_FIELD_NUMBER -> requestId = value;
            case HamokMessage.REQUEST_TERM_FIELD_NUMBER -> requestTerm = value;
            default -> {
                // a scalar of another message type: checked, not kept
            }
        }
    }

    private int readLengthDelimitedField(DirectBuffer buffer, int pos, int limit) {
        final int start = readLength(buffer, pos, limit);
        if (start == FAILED) {
            return FAILED;
        }
        final int end = start + (int) value;
        switch (fieldNumber) {
            case HamokMessage.ENTRIES_FIELD_NUMBER -> {
                return readEntry(buffer, start, end);
            }
            case HamokMessage.DATA_FIELD_NUMBER -> {
                dataOffset = start;
                dataLength = end - start;
            }
            case HamokMessage.EMBEDDED_MESSAGES_FIELD_NUMBER -> unfitForRaft = true;
            case HamokMessage.SOURCE_ID_FIELD_NUMBER, HamokMessage.DESTINATION_ID_FIELD_NUMBER,
                 HamokMessage.RAFT_LEADER_ID_FIELD_NUMBER, HamokMessage.STORAGE_ID_FIELD_NUMBER,
                 HamokMessage.ACTIVE_ENDPOINT_IDS_FIELD_NUMBER, HamokMessage.CLUSTER_ID_FIELD_NUMBER -> {
                // proto3 strings must be UTF-8: the generated parser rejects the message otherwise
                if (!ProtoWire.isValidUtf8(buffer, start, end)) {
                    return fail(MALFORMED);
                }
            }
            default -> {
                // bytes of another message type: skipped
            }
        }
        return end;
    }

    /** Reads one {@code LogEntry} occupying {@code buffer[start, end)} and adds it to the batch. */
    private int readEntry(DirectBuffer buffer, int start, int end) {
        entryTerm = 0;
        entryTimestampMs = 0;
        entryType = LogEntryView.NORMAL;
        entryPayloadOffset = start;
        entryPayloadLength = 0;
        int pos = start;
        while (pos < end) {
            pos = readTag(buffer, pos, end);
            if (pos != FAILED) {
                pos = readEntryField(buffer, pos, end);
            }
            if (pos == FAILED) {
                return failInsideEntry();
            }
        }
        if (entryType < LogEntryView.NORMAL || entryType > LogEntryView.CONFIG) {
            unfitForRaft = true;
        }
        entries.add(entryTerm, entryTimestampMs, (byte) entryType, entryPayloadOffset, entryPayloadLength);
        return end;
    }

    private int readEntryField(DirectBuffer buffer, int pos, int end) {
        final int number = fieldNumber;
        if (number > LogEntry.PAYLOAD_FIELD_NUMBER) {
            return skipField(buffer, pos, end);
        }
        final int expected = number == LogEntry.PAYLOAD_FIELD_NUMBER ? WIRE_LEN : WIRE_VARINT;
        if (wireType != expected) {
            return fail(MALFORMED);
        }
        final int next = expected == WIRE_LEN ? readLength(buffer, pos, end) : readVarint(buffer, pos, end);
        if (next == FAILED) {
            return FAILED;
        }
        switch (number) {
            case LogEntry.TERM_FIELD_NUMBER -> entryTerm = value;
            case LogEntry.TIMESTAMP_MS_FIELD_NUMBER -> entryTimestampMs = value;
            case LogEntry.TYPE_FIELD_NUMBER -> entryType = (int) value;
            default -> {
                entryPayloadOffset = next;
                entryPayloadLength = (int) value;
                return next + entryPayloadLength;
            }
        }
        return next;
    }

    /** The entry's length said it was complete: running past its end means the entry is malformed. */
    private int failInsideEntry() {
        return fail(error == TRUNCATED ? MALFORMED : error);
    }

    /** Reads a tag into {@link #fieldNumber} and {@link #wireType}; rejects field 0, groups and wire types 6, 7. */
    private int readTag(DirectBuffer buffer, int pos, int limit) {
        final int next = readVarint(buffer, pos, limit);
        if (next == FAILED) {
            return FAILED;
        }
        final long number = value >>> 3;
        final int wire = (int) value & 7;
        if (number == 0 || number > MAX_FIELD_NUMBER
            || (wire != WIRE_VARINT && wire != WIRE_FIXED64 && wire != WIRE_LEN && wire != WIRE_FIXED32)) {
            return fail(MALFORMED);
        }
        fieldNumber = (int) number;
        wireType = wire;
        return next;
    }

    private int skipField(DirectBuffer buffer, int pos, int limit) {
        return switch (wireType) {
            case WIRE_VARINT -> readVarint(buffer, pos, limit);
            case WIRE_FIXED64 -> limit - pos < Long.BYTES ? fail(TRUNCATED) : pos + Long.BYTES;
            case WIRE_FIXED32 -> limit - pos < Integer.BYTES ? fail(TRUNCATED) : pos + Integer.BYTES;
            default -> {
                final int start = readLength(buffer, pos, limit);
                yield start == FAILED ? FAILED : start + (int) value;
            }
        };
    }

    /** Reads the length prefix of a length-delimited field into {@link #value}, checking the content fits. */
    private int readLength(DirectBuffer buffer, int pos, int limit) {
        final int start = readVarint(buffer, pos, limit);
        if (start == FAILED) {
            return FAILED;
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            return fail(MALFORMED);
        }
        return value > limit - start ? fail(TRUNCATED) : start;
    }

    /**
     * Reads a varint into {@link #value}. As in protobuf, bits beyond 64 in the tenth byte are
     * dropped; an eleventh byte is malformed.
     */
    private int readVarint(DirectBuffer buffer, int pos, int limit) {
        long result = 0;
        int i = pos;
        for (int shift = 0; shift < Long.SIZE; shift += 7) {
            if (i >= limit) {
                return fail(TRUNCATED);
            }
            final byte b = buffer.getByte(i++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                value = result;
                return i;
            }
        }
        return fail(MALFORMED);
    }

    private int fail(int status) {
        error = status;
        return FAILED;
    }

    private static boolean isRaftType(int type) {
        return switch (type) {
            case MessageType.RAFT_VOTE_REQUEST_VALUE, MessageType.RAFT_VOTE_RESPONSE_VALUE,
                 MessageType.RAFT_PRE_VOTE_REQUEST_VALUE, MessageType.RAFT_PRE_VOTE_RESPONSE_VALUE,
                 MessageType.RAFT_APPEND_ENTRIES_REQUEST_VALUE, MessageType.RAFT_APPEND_ENTRIES_RESPONSE_VALUE,
                 MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST_VALUE, MessageType.RAFT_INSTALL_SNAPSHOT_RESPONSE_VALUE,
                 MessageType.RAFT_TIMEOUT_NOW_VALUE -> true;
            default -> false;
        };
    }

    private void dispatch(DirectBuffer buffer, String from, RaftMessageHandler handler) {
        switch (type) {
            case MessageType.RAFT_VOTE_REQUEST_VALUE, MessageType.RAFT_PRE_VOTE_REQUEST_VALUE ->
                handler.onVoteRequest(from, term, lastLogIndex, lastLogTerm,
                    type == MessageType.RAFT_PRE_VOTE_REQUEST_VALUE, leadershipTransfer);
            case MessageType.RAFT_VOTE_RESPONSE_VALUE, MessageType.RAFT_PRE_VOTE_RESPONSE_VALUE ->
                handler.onVoteResponse(from, term, success, type == MessageType.RAFT_PRE_VOTE_RESPONSE_VALUE);
            case MessageType.RAFT_APPEND_ENTRIES_REQUEST_VALUE ->
                handler.onAppendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound,
                    requestId);
            case MessageType.RAFT_APPEND_ENTRIES_RESPONSE_VALUE ->
                handler.onAppendEntriesResponse(from, term, success, prevLogIndex, matchIndex, conflictTerm,
                    conflictIndex, readRound, requestTerm, requestId);
            case MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST_VALUE ->
                handler.onInstallSnapshot(from, term, snapshotIndex, snapshotTerm, chunkOffset, buffer, dataOffset,
                    dataLength, done, snapshotLength, checksum);
            case MessageType.RAFT_INSTALL_SNAPSHOT_RESPONSE_VALUE ->
                handler.onInstallSnapshotResponse(from, term, success, snapshotIndex, chunkOffset);
            default -> handler.onTimeoutNow(from, term); // isRaftType admitted nothing else
        }
    }

    /** The entries of the message being decoded: positions in the caller's buffer, no copies. */
    private static final class DecodedEntries implements EntryBatch {
        private DirectBuffer buffer;
        private int count;
        private long[] terms;
        private long[] timestampsMs;
        private byte[] types;
        private int[] payloadOffsets;
        private int[] payloadLengths;

        DecodedEntries(int capacity) {
            terms = new long[capacity];
            timestampsMs = new long[capacity];
            types = new byte[capacity];
            payloadOffsets = new int[capacity];
            payloadLengths = new int[capacity];
        }

        void wrap(DirectBuffer buffer) {
            this.buffer = buffer;
            count = 0;
        }

        void clear() {
            buffer = null;
            count = 0;
        }

        void add(long term, long timestampMs, byte type, int payloadOffset, int payloadLength) {
            if (count == terms.length) {
                grow();
            }
            terms[count] = term;
            timestampsMs[count] = timestampMs;
            types[count] = type;
            payloadOffsets[count] = payloadOffset;
            payloadLengths[count] = payloadLength;
            count++;
        }

        /** Deliberate allocation, only when a batch larger than every earlier one arrives. */
        private void grow() {
            final int capacity = terms.length * 2;
            terms = Arrays.copyOf(terms, capacity);
            timestampsMs = Arrays.copyOf(timestampsMs, capacity);
            types = Arrays.copyOf(types, capacity);
            payloadOffsets = Arrays.copyOf(payloadOffsets, capacity);
            payloadLengths = Arrays.copyOf(payloadLengths, capacity);
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public LogEntryView read(int i, LogEntryView view) {
            Objects.checkIndex(i, count);
            return view.wrap(terms[i], timestampsMs[i], types[i], buffer, payloadOffsets[i], payloadLengths[i]);
        }
    }
}
