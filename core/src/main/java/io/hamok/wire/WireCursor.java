// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static io.hamok.wire.ProtoWire.MAX_FIELD_NUMBER;
import static io.hamok.wire.ProtoWire.WIRE_FIXED32;
import static io.hamok.wire.ProtoWire.WIRE_FIXED64;
import static io.hamok.wire.ProtoWire.WIRE_LEN;
import static io.hamok.wire.ProtoWire.WIRE_VARINT;

import org.agrona.DirectBuffer;

/**
 * The reading half of {@link ProtoWire}: varints, tags, length prefixes and skipping, with the same
 * rules as {@link RaftWireDecoder} (a varint longer than 10 bytes, field number 0, groups and wire
 * types 6 and 7 are malformed; a length above {@code Integer.MAX_VALUE} is malformed; input that
 * ends inside a field is truncated).
 *
 * <p>Each reader returns the position after what it read, or {@link #FAILED} with {@link #error}
 * set to {@link RaftWireDecoder#TRUNCATED} or {@link RaftWireDecoder#MALFORMED}. The last varint is
 * left in {@link #value}, the last tag in {@link #fieldNumber} and {@link #wireType}: fields rather
 * than return values, so that reading allocates nothing. One instance per thread.
 */
final class WireCursor {
    static final int FAILED = -1;

    int error;
    long value;
    int fieldNumber;
    int wireType;

    /** Reads a varint into {@link #value}; bits beyond 64 in the tenth byte are dropped, as in protobuf. */
    int readVarint(DirectBuffer buffer, int pos, int limit) {
        long result = 0;
        int i = pos;
        for (int shift = 0; shift < Long.SIZE; shift += 7) {
            if (i >= limit) {
                return fail(RaftWireDecoder.TRUNCATED);
            }
            final byte b = buffer.getByte(i++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                value = result;
                return i;
            }
        }
        return fail(RaftWireDecoder.MALFORMED);
    }

    /** Reads a tag into {@link #fieldNumber} and {@link #wireType}. */
    int readTag(DirectBuffer buffer, int pos, int limit) {
        final int next = readVarint(buffer, pos, limit);
        if (next == FAILED) {
            return FAILED;
        }
        final long number = value >>> 3;
        final int wire = (int) value & 7;
        if (number == 0 || number > MAX_FIELD_NUMBER
            || (wire != WIRE_VARINT && wire != WIRE_FIXED64 && wire != WIRE_LEN && wire != WIRE_FIXED32)) {
            return fail(RaftWireDecoder.MALFORMED);
        }
        fieldNumber = (int) number;
        wireType = wire;
        return next;
    }

    /** Reads a length prefix into {@link #value} and returns where the content starts, checking it fits. */
    int readLength(DirectBuffer buffer, int pos, int limit) {
        final int start = readVarint(buffer, pos, limit);
        if (start == FAILED) {
            return FAILED;
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            return fail(RaftWireDecoder.MALFORMED);
        }
        return value > limit - start ? fail(RaftWireDecoder.TRUNCATED) : start;
    }

    /** Skips the content of the field whose tag was just read. */
    int skipField(DirectBuffer buffer, int pos, int limit) {
        return switch (wireType) {
            case WIRE_VARINT -> readVarint(buffer, pos, limit);
            case WIRE_FIXED64 -> limit - pos < Long.BYTES ? fail(RaftWireDecoder.TRUNCATED) : pos + Long.BYTES;
            case WIRE_FIXED32 -> limit - pos < Integer.BYTES ? fail(RaftWireDecoder.TRUNCATED) : pos + Integer.BYTES;
            default -> {
                final int start = readLength(buffer, pos, limit);
                yield start == FAILED ? FAILED : start + (int) value;
            }
        };
    }

    int fail(int status) {
        error = status;
        return FAILED;
    }
}
