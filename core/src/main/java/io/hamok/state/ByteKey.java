package io.hamok.state;

import java.util.Arrays;

/** A byte array with value equality, for use as a map key. Do not modify the array. */
public record ByteKey(byte[] bytes) implements Comparable<ByteKey> {
    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
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
