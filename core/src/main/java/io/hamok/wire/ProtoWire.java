// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Protobuf wire-format primitives for the hand-written Raft codec: tags, varints, field sizes and
 * field writers. Writers follow proto3 rules: a field holding its default value (0, false, empty)
 * is not written. Each writer returns the index just after what it wrote.
 *
 * <p>Stateless; every method is static and allocation-free.
 */
final class ProtoWire {
    static final int WIRE_VARINT = 0;
    static final int WIRE_FIXED64 = 1;
    static final int WIRE_LEN = 2;
    static final int WIRE_FIXED32 = 5;

    /** A 64-bit varint takes at most 10 bytes; a longer one is malformed. */
    static final int MAX_VARINT_BYTES = 10;
    /** Largest field number protobuf allows (2^29 - 1). */
    static final int MAX_FIELD_NUMBER = (1 << 29) - 1;

    private ProtoWire() {
    }

    static int tag(int fieldNumber, int wireType) {
        return (fieldNumber << 3) | wireType;
    }

    /** Bytes the varint encoding of {@code value} (read as unsigned) takes: 1..10. */
    static int varintSize(long value) {
        return value == 0 ? 1 : (70 - Long.numberOfLeadingZeros(value)) / 7;
    }

    static int tagSize(int fieldNumber) {
        return varintSize(tag(fieldNumber, WIRE_VARINT));
    }

    /** Size of a uint64 field, 0 when {@code value} is 0 (omitted). */
    static int uint64FieldSize(int fieldNumber, long value) {
        return value == 0 ? 0 : tagSize(fieldNumber) + varintSize(value);
    }

    /** Size of an enum or int32 field: negative values are sign-extended to 10 bytes, as protobuf does. */
    static int int32FieldSize(int fieldNumber, int value) {
        return uint64FieldSize(fieldNumber, value);
    }

    static int boolFieldSize(int fieldNumber, boolean value) {
        return value ? tagSize(fieldNumber) + 1 : 0;
    }

    static int fixed32FieldSize(int fieldNumber, int value) {
        return value == 0 ? 0 : tagSize(fieldNumber) + Integer.BYTES;
    }

    /** Size of a bytes or sub-message field with {@code length} content bytes, 0 when empty (omitted). */
    static int lengthDelimitedFieldSize(int fieldNumber, int length) {
        return length == 0 ? 0 : lengthDelimitedSize(fieldNumber, length);
    }

    /** Size of a length-delimited field that is written even when empty (an element of a repeated field). */
    static int lengthDelimitedSize(int fieldNumber, int length) {
        return tagSize(fieldNumber) + varintSize(length) + length;
    }

    static int putVarint(MutableDirectBuffer buffer, int index, long value) {
        long remaining = value;
        int i = index;
        while ((remaining & ~0x7FL) != 0) {
            buffer.putByte(i++, (byte) ((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        buffer.putByte(i++, (byte) remaining);
        return i;
    }

    static int putTag(MutableDirectBuffer buffer, int index, int fieldNumber, int wireType) {
        return putVarint(buffer, index, tag(fieldNumber, wireType));
    }

    static int putUint64Field(MutableDirectBuffer buffer, int index, int fieldNumber, long value) {
        if (value == 0) {
            return index;
        }
        return putVarint(buffer, putTag(buffer, index, fieldNumber, WIRE_VARINT), value);
    }

    static int putInt32Field(MutableDirectBuffer buffer, int index, int fieldNumber, int value) {
        return putUint64Field(buffer, index, fieldNumber, value);
    }

    static int putBoolField(MutableDirectBuffer buffer, int index, int fieldNumber, boolean value) {
        if (!value) {
            return index;
        }
        final int i = putTag(buffer, index, fieldNumber, WIRE_VARINT);
        buffer.putByte(i, (byte) 1);
        return i + 1;
    }

    static int putFixed32Field(MutableDirectBuffer buffer, int index, int fieldNumber, int value) {
        if (value == 0) {
            return index;
        }
        final int i = putTag(buffer, index, fieldNumber, WIRE_FIXED32);
        buffer.putInt(i, value, ByteOrder.LITTLE_ENDIAN);
        return i + Integer.BYTES;
    }

    /** Writes a bytes field, or nothing when {@code length} is 0. */
    static int putBytesField(MutableDirectBuffer buffer, int index, int fieldNumber, DirectBuffer src,
                             int srcOffset, int length) {
        if (length == 0) {
            return index;
        }
        final int i = putLengthPrefix(buffer, index, fieldNumber, length);
        buffer.putBytes(i, src, srcOffset, length);
        return i + length;
    }

    /** Writes a bytes field from an array, or nothing when it is empty (a proto3 singular field). */
    static int putBytesField(MutableDirectBuffer buffer, int index, int fieldNumber, byte[] src) {
        return src.length == 0 ? index : putBytesElement(buffer, index, fieldNumber, src);
    }

    /** Writes a bytes field from an array even when empty (an element of a repeated field, an optional one). */
    static int putBytesElement(MutableDirectBuffer buffer, int index, int fieldNumber, byte[] src) {
        final int i = putLengthPrefix(buffer, index, fieldNumber, src.length);
        buffer.putBytes(i, src);
        return i + src.length;
    }

    /** Writes the tag and length of a length-delimited field whose {@code length} content bytes follow. */
    static int putLengthPrefix(MutableDirectBuffer buffer, int index, int fieldNumber, int length) {
        return putVarint(buffer, putTag(buffer, index, fieldNumber, WIRE_LEN), length);
    }

    /**
     * Whether {@code buffer[from, to)} is well-formed UTF-8 (RFC 3629: no overlong forms, no
     * surrogates, nothing above U+10FFFF), the check protobuf applies to proto3 {@code string} fields.
     */
    static boolean isValidUtf8(DirectBuffer buffer, int from, int to) {
        int i = from;
        while (i < to) {
            final int b0 = buffer.getByte(i++) & 0xFF;
            if (b0 < 0x80) {
                continue;
            }
            final int continuations;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (b0 < 0xC2) {
                return false; // a continuation byte, or an overlong 2-byte lead (C0, C1)
            } else if (b0 < 0xE0) {
                continuations = 1;
            } else if (b0 < 0xF0) {
                continuations = 2;
                min2 = b0 == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                max2 = b0 == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (b0 < 0xF5) {
                continuations = 3;
                min2 = b0 == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                max2 = b0 == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            } else {
                return false;
            }
            if (to - i < continuations) {
                return false;
            }
            final int b1 = buffer.getByte(i++) & 0xFF;
            if (b1 < min2 || b1 > max2) {
                return false;
            }
            for (int k = 1; k < continuations; k++) {
                final int b = buffer.getByte(i++) & 0xFF;
                if (b < 0x80 || b > 0xBF) {
                    return false;
                }
            }
        }
        return true;
    }
}
