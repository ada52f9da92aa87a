// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static io.hamok.wire.ProtoWire.WIRE_FIXED32;
import static io.hamok.wire.ProtoWire.WIRE_LEN;
import static io.hamok.wire.WireCursor.FAILED;

import java.util.Arrays;
import java.util.Objects;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import org.agrona.DirectBuffer;

/**
 * A flyweight over one non-Raft {@code HamokMessage} (a storage request in a log entry, a
 * SUBMIT_MESSAGE_REQUEST or _RESPONSE), read in place in the standard protobuf wire format: after
 * {@link #wrap} the fields the grid and the storages use are positions in the caller's buffer and
 * primitives, with no generated objects and no copies.
 *
 * <p><b>Parsing rules</b> are those of {@link RaftWireDecoder}: protobuf semantics (the last value of
 * a repeated scalar wins, repeated fields accumulate, unknown fields of wire types 0, 1, 2 and 5 are
 * skipped); stricter on purpose for groups, a known field with the wrong wire type, an over-long
 * varint, a length above 32 bits (all {@link #MALFORMED}). String fields must be UTF-8, and every
 * {@code entries} element is checked as a {@code LogEntry}. One thing is <em>not</em> checked:
 * nested {@code embedded_messages} are only counted ({@link #embeddedMessageCount()}); a caller that
 * must never accept what the generated parser rejects refuses a message that has any, as the
 * storages and the grid do (no storage request or submit this version writes carries them). So
 * whenever the generated parser rejects the bytes, {@code wrap} says {@link #TRUNCATED} or
 * {@link #MALFORMED}, or the message has embedded messages.
 *
 * <p><b>Buffer ownership.</b> The reader keeps a reference to the wrapped buffer until the next
 * {@code wrap} or {@link #clear()}; offsets are valid only while the caller keeps those bytes
 * unchanged. The buffer is never written.
 *
 * <p><b>Threads and allocation.</b> Not thread-safe: one instance per thread. No allocation in steady
 * state; the key and value position arrays grow (doubling) only when a message with more keys than
 * any before arrives.
 */
public final class GridWireReader {
    /** The bytes are a well-formed message; the accessors describe it. */
    public static final int OK = 0;
    /** The input ends inside a field. */
    public static final int TRUNCATED = RaftWireDecoder.TRUNCATED;
    /** The input is not a message this reader accepts. */
    public static final int MALFORMED = RaftWireDecoder.MALFORMED;

    private final WireCursor in = new WireCursor();
    private final Slices keys = new Slices();
    private final Slices values = new Slices();
    private DirectBuffer buffer;

    private int type;
    private long requestId;
    private boolean success;
    private int storageKind;
    private int sourceIdOffset;
    private int sourceIdLength;
    private int storageIdOffset;
    private int storageIdLength;
    private int raftLeaderIdOffset;
    private int raftLeaderIdLength;
    private boolean hasPrevValue;
    private int prevValueOffset;
    private int prevValueLength;
    private int entryCount;
    private int firstPayloadOffset;
    private int firstPayloadLength;
    private int embeddedMessageCount;

    /**
     * Reads the message in {@code buffer[offset, offset + length)}.
     *
     * @return {@link #OK}, {@link #TRUNCATED} or {@link #MALFORMED} (also for a range outside the
     *         buffer); after a failure the accessors describe nothing useful
     */
    public int wrap(DirectBuffer buffer, int offset, int length) {
        reset(offset);
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            this.buffer = null;
            return MALFORMED;
        }
        this.buffer = buffer;
        final int limit = offset + length;
        int pos = offset;
        while (pos < limit) {
            pos = in.readTag(buffer, pos, limit);
            if (pos != FAILED) {
                pos = readField(buffer, pos, limit);
            }
            if (pos == FAILED) {
                return in.error;
            }
        }
        return OK;
    }

    /** Drops the reference to the last wrapped buffer. */
    public void clear() {
        buffer = null;
        reset(0);
    }

    /** The wrapped buffer, which every offset refers to. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** The {@code MessageType} number; 0 when absent. */
    public int type() {
        return type;
    }

    public long requestId() {
        return requestId;
    }

    public boolean success() {
        return success;
    }

    /** The {@code StorageKind} number; 0 when absent. */
    public int storageKind() {
        return storageKind;
    }

    public int sourceIdOffset() {
        return sourceIdOffset;
    }

    /** Length of the UTF-8 {@code source_id}; 0 when absent or empty. */
    public int sourceIdLength() {
        return sourceIdLength;
    }

    public int storageIdOffset() {
        return storageIdOffset;
    }

    public int storageIdLength() {
        return storageIdLength;
    }

    public int raftLeaderIdOffset() {
        return raftLeaderIdOffset;
    }

    public int raftLeaderIdLength() {
        return raftLeaderIdLength;
    }

    public int keyCount() {
        return keys.count;
    }

    public int keyOffset(int i) {
        return keys.offset(i);
    }

    public int keyLength(int i) {
        return keys.length(i);
    }

    public int valueCount() {
        return values.count;
    }

    public int valueOffset(int i) {
        return values.offset(i);
    }

    public int valueLength(int i) {
        return values.length(i);
    }

    /** Whether the optional {@code prev_value} is present (possibly empty). */
    public boolean hasPrevValue() {
        return hasPrevValue;
    }

    public int prevValueOffset() {
        return prevValueOffset;
    }

    public int prevValueLength() {
        return prevValueLength;
    }

    /** Number of {@code entries}. */
    public int entryCount() {
        return entryCount;
    }

    /** Where the payload of the first entry starts (when {@link #entryCount()} is at least 1). */
    public int firstEntryPayloadOffset() {
        return firstPayloadOffset;
    }

    public int firstEntryPayloadLength() {
        return firstPayloadLength;
    }

    /** Number of {@code embedded_messages}, counted but not parsed (see the class comment). */
    public int embeddedMessageCount() {
        return embeddedMessageCount;
    }

    private void reset(int offset) {
        type = 0;
        requestId = 0;
        success = false;
        storageKind = 0;
        sourceIdOffset = offset;
        sourceIdLength = 0;
        storageIdOffset = offset;
        storageIdLength = 0;
        raftLeaderIdOffset = offset;
        raftLeaderIdLength = 0;
        hasPrevValue = false;
        prevValueOffset = offset;
        prevValueLength = 0;
        entryCount = 0;
        firstPayloadOffset = offset;
        firstPayloadLength = 0;
        embeddedMessageCount = 0;
        keys.count = 0;
        values.count = 0;
    }

    private int readField(DirectBuffer buffer, int pos, int limit) {
        final int expected = RaftWireDecoder.wireTypeOf(in.fieldNumber);
        if (expected == RaftWireDecoder.UNKNOWN_FIELD) {
            return in.skipField(buffer, pos, limit);
        }
        if (in.wireType != expected) {
            return in.fail(MALFORMED);
        }
        if (expected == WIRE_LEN) {
            return readLengthDelimited(buffer, pos, limit);
        }
        if (expected == WIRE_FIXED32) {
            return in.skipField(buffer, pos, limit); // the checksum: not a grid field
        }
        final int next = in.readVarint(buffer, pos, limit);
        if (next != FAILED) {
            switch (in.fieldNumber) {
                case HamokMessage.TYPE_FIELD_NUMBER -> type = (int) in.value; // enums are int32
                case HamokMessage.REQUEST_ID_FIELD_NUMBER -> requestId = in.value;
                case HamokMessage.SUCCESS_FIELD_NUMBER -> success = in.value != 0;
                case HamokMessage.STORAGE_KIND_FIELD_NUMBER -> storageKind = (int) in.value;
                default -> {
                    // a scalar the grid does not use: checked, not kept
                }
            }
        }
        return next;
    }

    private int readLengthDelimited(DirectBuffer buffer, int pos, int limit) {
        final int start = in.readLength(buffer, pos, limit);
        if (start == FAILED) {
            return FAILED;
        }
        final int end = start + (int) in.value;
        final int length = end - start;
        switch (in.fieldNumber) {
            case HamokMessage.KEYS_FIELD_NUMBER -> keys.add(start, length);
            case HamokMessage.VALUES_FIELD_NUMBER -> values.add(start, length);
            case HamokMessage.PREV_VALUE_FIELD_NUMBER -> {
                hasPrevValue = true;
                prevValueOffset = start;
                prevValueLength = length;
            }
            case HamokMessage.ENTRIES_FIELD_NUMBER -> {
                return readEntry(buffer, start, end);
            }
            case HamokMessage.EMBEDDED_MESSAGES_FIELD_NUMBER -> embeddedMessageCount++;
            case HamokMessage.SOURCE_ID_FIELD_NUMBER, HamokMessage.STORAGE_ID_FIELD_NUMBER,
                 HamokMessage.RAFT_LEADER_ID_FIELD_NUMBER, HamokMessage.DESTINATION_ID_FIELD_NUMBER,
                 HamokMessage.ACTIVE_ENDPOINT_IDS_FIELD_NUMBER, HamokMessage.CLUSTER_ID_FIELD_NUMBER -> {
                if (!ProtoWire.isValidUtf8(buffer, start, end)) {
                    return in.fail(MALFORMED); // proto3 strings must be UTF-8, as the generated parser checks
                }
                keepString(start, length);
            }
            default -> {
                // bytes the grid does not use (snapshot data, ...): skipped
            }
        }
        return end;
    }

    private void keepString(int start, int length) {
        switch (in.fieldNumber) {
            case HamokMessage.SOURCE_ID_FIELD_NUMBER -> {
                sourceIdOffset = start;
                sourceIdLength = length;
            }
            case HamokMessage.STORAGE_ID_FIELD_NUMBER -> {
                storageIdOffset = start;
                storageIdLength = length;
            }
            case HamokMessage.RAFT_LEADER_ID_FIELD_NUMBER -> {
                raftLeaderIdOffset = start;
                raftLeaderIdLength = length;
            }
            default -> {
                // checked, not kept
            }
        }
    }

    /** Checks one {@code LogEntry} in {@code buffer[start, end)}; keeps the payload of the first. */
    private int readEntry(DirectBuffer buffer, int start, int end) {
        int payloadOffset = start;
        int payloadLength = 0;
        int pos = start;
        while (pos < end) {
            pos = in.readTag(buffer, pos, end);
            if (pos == FAILED) {
                return failInsideEntry();
            }
            final int number = in.fieldNumber;
            if (number > LogEntry.PAYLOAD_FIELD_NUMBER) {
                pos = in.skipField(buffer, pos, end);
            } else if (in.wireType != (number == LogEntry.PAYLOAD_FIELD_NUMBER ? WIRE_LEN : ProtoWire.WIRE_VARINT)) {
                return in.fail(MALFORMED);
            } else if (number == LogEntry.PAYLOAD_FIELD_NUMBER) {
                pos = in.readLength(buffer, pos, end);
                if (pos != FAILED) {
                    payloadOffset = pos;
                    payloadLength = (int) in.value;
                    pos += payloadLength;
                }
            } else {
                pos = in.readVarint(buffer, pos, end); // term, timestamp, type: not grid fields
            }
            if (pos == FAILED) {
                return failInsideEntry();
            }
        }
        if (entryCount++ == 0) {
            firstPayloadOffset = payloadOffset;
            firstPayloadLength = payloadLength;
        }
        return end;
    }

    /** The entry's length said it was complete: running past its end means the entry is malformed. */
    private int failInsideEntry() {
        return in.fail(in.error == TRUNCATED ? MALFORMED : in.error);
    }

    /** Positions of the elements of a repeated bytes field. */
    private static final class Slices {
        private int[] offsets = new int[4];
        private int[] lengths = new int[4];
        private int count;

        void add(int offset, int length) {
            if (count == offsets.length) {
                // deliberate allocation, only when a message with more elements than any before arrives
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            offsets[count] = offset;
            lengths[count] = length;
            count++;
        }

        int offset(int i) {
            return offsets[Objects.checkIndex(i, count)];
        }

        int length(int i) {
            return lengths[Objects.checkIndex(i, count)];
        }
    }
}
