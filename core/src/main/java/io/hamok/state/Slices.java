// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/** Byte comparisons and copies between a slice of a buffer and an array. Stateless. */
final class Slices {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Slices() {
    }

    /** Whether {@code buffer[offset, offset + length)} holds exactly the bytes of {@code bytes}. Allocation-free. */
    static boolean equal(DirectBuffer buffer, int offset, int length, byte[] bytes) {
        if (bytes.length != length) {
            return false;
        }
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            if (buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN) != (long) LONGS.get(bytes, i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (buffer.getByte(offset + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** A copy of {@code buffer[offset, offset + length)}. */
    static byte[] copy(DirectBuffer buffer, int offset, int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes, 0, length);
        return bytes;
    }
}
