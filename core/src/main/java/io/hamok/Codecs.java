// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Codecs for common types; each is stateless and thread-safe. */
public final class Codecs {
    private static final Codec<String> STRING = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Codecs.string()";
        }
    };

    private static final Codec<Integer> INTEGER = new Codec<>() {
        @Override
        public byte[] encode(Integer value) {
            final int v = value;
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }

        @Override
        public Integer decode(byte[] bytes) {
            requireLength(bytes, Integer.BYTES, "integer");
            return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
        }

        @Override
        public String toString() {
            return "Codecs.integer()";
        }
    };

    private static final Codec<Long> LONG = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            long v = value;
            final byte[] out = new byte[Long.BYTES];
            for (int i = Long.BYTES - 1; i >= 0; i--) {
                out[i] = (byte) v;
                v >>>= 8;
            }
            return out;
        }

        @Override
        public Long decode(byte[] bytes) {
            requireLength(bytes, Long.BYTES, "long");
            long v = 0;
            for (byte b : bytes) {
                v = v << 8 | (b & 0xFF);
            }
            return v;
        }

        @Override
        public String toString() {
            return "Codecs.longs()";
        }
    };

    private static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return Arrays.copyOf(value, value.length);
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return Arrays.copyOf(bytes, bytes.length);
        }

        @Override
        public String toString() {
            return "Codecs.bytes()";
        }
    };

    private Codecs() {
    }

    /** Strings as UTF-8 bytes; the empty string is a value (zero bytes). */
    public static Codec<String> string() {
        return STRING;
    }

    /** Integers as 4 bytes, big-endian. Decoding anything but 4 bytes throws IllegalArgumentException. */
    public static Codec<Integer> integer() {
        return INTEGER;
    }

    /** Longs as 8 bytes, big-endian. Decoding anything but 8 bytes throws IllegalArgumentException. */
    public static Codec<Long> longs() {
        return LONG;
    }

    /**
     * Byte arrays as themselves. Both directions copy, so the storage and the caller never share an
     * array. Note that {@code byte[]} has identity equality: as a map key it is looked up by content
     * (the encoded bytes), but Java maps returned by a storage hold the decoded copies.
     */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    private static void requireLength(byte[] bytes, int length, String type) {
        if (bytes.length != length) {
            throw new IllegalArgumentException("cannot decode " + type + ": expected " + length + " bytes, got "
                    + bytes.length);
        }
    }
}
