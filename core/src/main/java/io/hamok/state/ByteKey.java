// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import java.util.Arrays;

/**
 * A byte array with value equality, for use as a map key. Do not modify the array. Equal to a
 * {@link KeyProbe} over the same bytes (the loop thread's in-place lookups), so equality stays
 * symmetric.
 */
public record ByteKey(byte[] bytes) implements Comparable<ByteKey> {
    @Override
    public boolean equals(Object o) {
        if (o instanceof ByteKey k) {
            return Arrays.equals(bytes, k.bytes);
        }
        return o instanceof KeyProbe p && p.matches(bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(ByteKey o) {
        return Arrays.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return "ByteKey" + Arrays.toString(bytes);
    }
}
