// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * HANDSHAKE messages for {@link FuzzInputs}, from its random source: written by the generated
 * builder or field by field (any order, repeated, unknown and wrongly typed fields, groups, padded,
 * over-long and over-wide varints, strings that are not UTF-8 or too long), often mutated (bit
 * flips, inserted, deleted and overwritten bytes, truncation). Remembers every message it made.
 */
final class FuzzHandshakes {
    private static final String[] CLUSTERS = {"", "hamoK", "hamok ", "hamok\0", "other", "h\u00e4mok",
        "\u20ac\uD83D\uDE00"};
    private static final String[] PEERS = {"a", "b", "c", "", "x", "a ", "A", "\u00e4", "aa", "\0"};
    private static final int[] TYPES = {1, 1, 1, 0, 2, 12, 16, 999, -1, Integer.MAX_VALUE};
    private static final long[] VERSIONS = {NettyTransport.PROTOCOL_VERSION, 0, 1, 3, 0xFFFF_FFFFL,
        NettyTransport.PROTOCOL_VERSION + (1L << 32), -1L};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF},
        {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {'a', (byte) 0xF8, 'b'}};
    private static final int[] OTHER_FIELDS = {3, 4, 5, 9, 10, 20, 23, 25, 30, 31, 37, 40, 42, 43, 99, 1000,
        (1 << 29) - 1};

    private static final int[] INTERESTING_BYTES = {0, 1, 0x7F, 0x80, 0xFF};

    private final SplittableRandom rnd;
    /** Every message made so far, for the differential check against protobuf. */
    final List<byte[]> made = new ArrayList<>();

    FuzzHandshakes(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    /** A right HANDSHAKE from {@code from}, as the transport writes it. */
    byte[] valid(String from) {
        return keep(TestFrames.handshake(NettyTransport.PROTOCOL_VERSION, EmbeddedConnection.CLUSTER, from));
    }

    /** A HANDSHAKE message that is often almost right for a connection expecting {@code from}. */
    byte[] handshake(String from) {
        byte[] message = switch (rnd.nextInt(5)) {
            case 0 -> built(from);
            case 1, 2 -> raw(from);
            default -> mutate(rnd.nextBoolean() ? built(from) : raw(from));
        };
        return keep(message);
    }

    private byte[] keep(byte[] message) {
        made.add(message);
        return message;
    }

    private byte[] built(String from) {
        HamokMessage.Builder b = HamokMessage.newBuilder().setTypeValue(pick(TYPES))
                .setProtocolVersion((int) pick(VERSIONS)).setClusterId(cluster()).setSourceId(peer(from));
        switch (rnd.nextInt(6)) {
            case 0 -> b.setTerm(rnd.nextLong()).setDestinationId(peer(from)).setSuccess(true);
            case 1 -> b.addEntries(LogEntry.newBuilder().setTerm(3).setPayload(
                    com.google.protobuf.ByteString.copyFrom(random(rnd.nextInt(40)))));
            case 2 -> b.addEmbeddedMessages(HamokMessage.newBuilder().setSourceId(peer(from)).setChecksum(7));
            default -> { }
        }
        return b.build().toByteArray();
    }

    /** Field by field, in any order, with repeats, strangers and oddities. */
    private byte[] raw(String from) {
        List<byte[]> fields = new ArrayList<>();
        if (rnd.nextInt(10) > 0) {
            fields.add(varintField(1, pick(TYPES) & 0xFFFF_FFFFL | (rnd.nextInt(8) == 0 ? -1L << 32 : 0)));
        }
        if (rnd.nextInt(10) > 0) {
            fields.add(stringField(2, peer(from)));
        }
        if (rnd.nextInt(10) > 0) {
            fields.add(varintField(38, pick(VERSIONS)));
        }
        if (rnd.nextInt(10) > 0) {
            fields.add(stringField(39, cluster()));
        }
        for (int n = rnd.nextInt(4); n > 0; n--) {
            boolean repeat = rnd.nextBoolean() && !fields.isEmpty();
            fields.add(repeat ? fields.get(rnd.nextInt(fields.size())) : unknownField());
        }
        if (rnd.nextInt(6) == 0) {
            fields.add(odd(pick(new int[] {1, 2, 38, 39, rnd.nextInt(1, 200)})));
        }
        shuffle(fields);
        Out out = new Out();
        fields.forEach(out::bytes);
        return out.toByteArray();
    }

    private byte[] varintField(int field, long value) {
        return new Out().tag(field, 0).varint(value, padding()).toByteArray();
    }

    private byte[] stringField(int field, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int k = rnd.nextInt(16);
        if (k == 0) {
            utf8 = BAD_UTF8[rnd.nextInt(BAD_UTF8.length)];
        } else if (k == 1) {
            utf8 = ("a".repeat(rnd.nextInt(200, 1100))).getBytes(StandardCharsets.UTF_8);
        } else if (k == 2) { // mostly bytes above 0x7F: both readers' UTF-8 checks, compared
            utf8 = random(1 + rnd.nextInt(6));
            for (int i = 0; i < utf8.length; i++) {
                utf8[i] |= (byte) (rnd.nextInt(4) > 0 ? 0x80 : 0);
            }
        }
        return new Out().tag(field, 2).varint(utf8.length, padding()).bytes(utf8).toByteArray();
    }

    private byte[] unknownField() {
        int field = pick(OTHER_FIELDS);
        return switch (rnd.nextInt(5)) {
            case 0 -> new Out().tag(field, 0).varint(rnd.nextLong(), padding()).toByteArray();
            case 1 -> new Out().tag(field, 1).bytes(random(8)).toByteArray();
            case 2 -> new Out().tag(field, 5).bytes(random(4)).toByteArray();
            default -> {
                byte[] content = rnd.nextBoolean() ? random(rnd.nextInt(30)) : raw("a"); // maybe a nested message
                yield new Out().tag(field, 2).varint(content.length, padding()).bytes(content).toByteArray();
            }
        };
    }

    /** A field the reader must refuse (or protobuf reads differently): the protocol's dark corners. */
    private byte[] odd(int field) {
        return switch (rnd.nextInt(8)) {
            case 0 -> new Out().tag(field, pick(new int[] {1, 2, 5})).bytes(random(8)).toByteArray(); // wrong wire type
            case 1 -> new Out().tag(field, 3).bytes(unknownField()).tag(field, 4).toByteArray(); // a group
            case 2 -> new Out().tag(field, 4).toByteArray(); // a lone end-group
            case 3 -> new Out().tag(field, 0).varint(1, 10 + rnd.nextInt(3)).toByteArray(); // an over-long varint
            case 4 -> new Out().varint(((long) field << 3) | (1L << (32 + rnd.nextInt(31))), 0).bytes(new byte[] {1})
                    .toByteArray(); // a tag wider than 32 bits: protobuf keeps the low 32 bits
            case 5 -> new Out().tag(field, 2).varint((1L << 32) + rnd.nextInt(3), 0).bytes(random(2)).toByteArray();
            case 6 -> new Out().varint(((long) rnd.nextInt(1 << 29) << 3) | rnd.nextInt(6, 8), 0).toByteArray();
            default -> new Out().varint(rnd.nextInt(8), 0).bytes(random(3)).toByteArray(); // field number 0
        };
    }

    /** Bit flips, inserted, deleted and overwritten bytes, a truncation. */
    byte[] mutate(byte[] message) {
        byte[] m = message;
        for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
            int at = m.length == 0 ? 0 : rnd.nextInt(m.length);
            switch (rnd.nextInt(6)) {
                case 0 -> {
                    if (m.length > 0) {
                        m = m.clone();
                        m[at] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 1 -> m = splice(m, at, 0, new byte[] {(byte) pick(INTERESTING_BYTES)});
                case 2 -> m = splice(m, at, Math.min(1 + rnd.nextInt(3), m.length - at), new byte[0]);
                case 3 -> m = Arrays.copyOf(m, m.length == 0 ? 0 : rnd.nextInt(m.length));
                case 4 -> m = splice(m, at, 0, unknownField());
                default -> {
                    if (m.length > 0) {
                        m = m.clone();
                        m[at] = (byte) rnd.nextInt(256);
                    }
                }
            }
        }
        return m;
    }

    // --- small parts ---

    private String cluster() {
        return rnd.nextInt(4) > 0 ? EmbeddedConnection.CLUSTER : CLUSTERS[rnd.nextInt(CLUSTERS.length)];
    }

    private String peer(String from) {
        return rnd.nextInt(3) > 0 ? from : PEERS[rnd.nextInt(PEERS.length)];
    }

    /** Extra bytes of a varint: none mostly; up to a full ten-byte varint sometimes. */
    private int padding() {
        return rnd.nextInt(12) == 0 ? rnd.nextInt(5) : 0;
    }

    byte[] random(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    int pick(int[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private long pick(long[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }

    private static byte[] splice(byte[] m, int at, int remove, byte[] insert) {
        byte[] r = new byte[m.length - remove + insert.length];
        System.arraycopy(m, 0, r, 0, at);
        System.arraycopy(insert, 0, r, at, insert.length);
        System.arraycopy(m, at + remove, r, at + insert.length, m.length - at - remove);
        return r;
    }

    /** A byte sink with protobuf's varints (optionally padded with redundant groups) and frames. */
    static final class Out extends ByteArrayOutputStream {
        final List<Integer> starts = new ArrayList<>();

        Out varint(long value, int padding) {
            long v = value;
            while ((v & ~0x7FL) != 0 || padding > 0) {
                if ((v & ~0x7FL) == 0) {
                    padding--;
                }
                write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            write((int) v);
            return this;
        }

        Out tag(int field, int wireType) {
            return varint(((long) field << 3) | wireType, 0);
        }

        Out bytes(byte[] b) {
            writeBytes(b);
            return this;
        }

        /** {@code message} behind a length prefix: its length ({@code prefix == -2}) or {@code prefix}. */
        void frame(byte[] message, int prefix) {
            int length = prefix == -2 ? message.length : prefix;
            starts.add(size());
            bytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
            bytes(message);
        }
    }
}
