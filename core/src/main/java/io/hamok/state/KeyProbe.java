// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import org.agrona.DirectBuffer;

/**
 * A key looked up in place: a reusable view of key bytes inside a buffer (a log entry) that a
 * {@link java.util.concurrent.ConcurrentHashMap} keyed by {@link ByteKey} accepts for {@code get} and
 * {@code remove}, so the loop thread finds an existing key without copying it. It hashes like
 * {@link ByteKey} ({@link java.util.Arrays#hashCode(byte[])}) and is equal to a {@code ByteKey} with
 * the same bytes (and {@link ByteKey#equals} agrees).
 *
 * <p>Never store it in a map: it is mutable and reused. Loop thread only; valid while the wrapped
 * bytes are.
 */
final class KeyProbe {
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int hash;

    KeyProbe wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buffer.getByte(offset + i);
        }
        this.hash = h;
        return this;
    }

    /** Whether {@code bytes} holds exactly the probed key. */
    boolean matches(byte[] bytes) {
        return Slices.equal(buffer, offset, length, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && matches(k.bytes());
    }

    @Override
    public String toString() {
        return "KeyProbe(" + length + " bytes)";
    }
}
