// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.HandshakeReader;
import io.hamok.wire.proto.HamokMessage;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Reads a HANDSHAKE message twice, with {@link HandshakeReader} and with the generated protobuf
 * parser, and says whether they disagree beyond the differences the reader allows itself:
 * <ul>
 *   <li>the reader is stricter on purpose: it refuses groups, a handshake field with another wire
 *       type (protobuf keeps it as an unknown field) and a tag or length varint wider than 32 bits
 *       (protobuf keeps the low 32 bits), and a varint whose tenth byte has the continuation bit set
 *       (protobuf-java 4.36's {@code readRawVarint64} fast path takes it when that byte is odd, and
 *       reads the next byte as a tag; its slow path and the spec refuse it);</li>
 *   <li>protobuf is stricter about what the reader skips: it parses every field (nested messages,
 *       UTF-8 of every string), the reader only frames them. Then protobuf must accept the four
 *       handshake fields alone, cut out with protobuf's own framing, and read them like the reader.</li>
 * </ul>
 * Counts how often each case happened. Not thread-safe.
 */
final class HandshakeDifferential {
    enum Verdict { BOTH_ACCEPT, BOTH_REFUSE, READER_STRICTER, PROTOBUF_STRICTER }

    private final HandshakeReader reader = new HandshakeReader();
    final long[] counts = new long[Verdict.values().length];

    /** @return {@code null} when both read {@code message} alike (or differ as allowed), else how they differ */
    String check(byte[] message) {
        int status = reader.read(new UnsafeBuffer(message), 0, message.length);
        HamokMessage full = parse(message);
        Fields fields = Fields.of(message);
        if (status == HandshakeReader.OK) {
            if (fields == null) {
                return "the reader accepts " + reader + ", protobuf cannot frame the fields";
            }
            if (fields.odd != null) {
                return "the reader accepts " + reader + " despite " + fields.odd;
            }
            HamokMessage alone = parse(fields.handshakeFields.toByteArray());
            if (alone == null) {
                return "the reader accepts " + reader + ", protobuf refuses the handshake fields alone";
            }
            String differs = differs(alone);
            if (differs == null && full != null) {
                differs = differs(full);
            }
            counts[(full == null ? Verdict.PROTOBUF_STRICTER : Verdict.BOTH_ACCEPT).ordinal()]++;
            return differs;
        }
        if (full != null) {
            if (fields == null || fields.odd == null) {
                return "protobuf reads type=" + full.getTypeValue() + " version=" + full.getProtocolVersion()
                        + " cluster='" + full.getClusterId() + "' source='" + full.getSourceId()
                        + "', the reader returns " + status;
            }
            counts[Verdict.READER_STRICTER.ordinal()]++;
            return null;
        }
        counts[Verdict.BOTH_REFUSE.ordinal()]++;
        return null;
    }

    private String differs(HamokMessage m) {
        if (reader.type() != m.getTypeValue() || reader.protocolVersion() != (m.getProtocolVersion() & 0xFFFF_FFFFL)
                || !reader.clusterId().equals(m.getClusterId()) || !reader.sourceId().equals(m.getSourceId())
                || reader.joining() != m.getJoining()) {
            return "the reader reads " + reader + ", protobuf type=" + m.getTypeValue() + " version="
                    + m.getProtocolVersion() + " cluster='" + m.getClusterId() + "' source='" + m.getSourceId()
                    + "' joining=" + m.getJoining();
        }
        return null;
    }

    private static HamokMessage parse(byte[] bytes) {
        try {
            return HamokMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** The top-level fields as protobuf frames them: the handshake fields' bytes, and the first oddity. */
    private static final class Fields {
        final ByteArrayOutputStream handshakeFields = new ByteArrayOutputStream();
        String odd;

        /** @return {@code null} when protobuf cannot frame the fields */
        static Fields of(byte[] message) {
            Fields f = new Fields();
            CodedInputStream in = CodedInputStream.newInstance(message);
            try {
                while (true) {
                    int start = in.getTotalBytesRead();
                    int tag = in.readTag();
                    if (tag == 0) {
                        return f;
                    }
                    int afterTag = in.getTotalBytesRead();
                    int field = tag >>> 3;
                    int wire = tag & 7;
                    if (varint(message, start) >>> 32 != 0) {
                        f.odd("a tag wider than 32 bits at " + start);
                    }
                    if (wire == 3 || wire == 4) {
                        f.odd("a group at " + start);
                    }
                    if (wire == 2 && Long.compareUnsigned(varint(message, afterTag), Integer.MAX_VALUE) > 0) {
                        f.odd("a length wider than 31 bits at " + afterTag);
                    }
                    boolean handshake = field == 1 || field == 2 || field == 38 || field == 39 || field == 43;
                    if (handshake && wire != (field == 1 || field == 38 || field == 43 ? 0 : 2)) {
                        f.odd("field " + field + " with wire type " + wire);
                    }
                    if (wire == 0 && unended(message, afterTag)) {
                        f.odd("a varint not ended by its tenth byte at " + afterTag); // see the class comment
                        return f;
                    }
                    if (!in.skipField(tag)) {
                        return f; // an end-group at the top: protobuf refuses the message
                    }
                    if (handshake) {
                        f.handshakeFields.write(message, start, in.getTotalBytesRead() - start);
                    }
                }
            } catch (IOException e) { // protobuf's InvalidProtocolBufferException
                return null;
            }
        }

        private void odd(String what) {
            if (odd == null) {
                odd = what;
            }
        }

        /** Whether ten bytes from {@code pos} all have the continuation bit set. */
        private static boolean unended(byte[] b, int pos) {
            for (int i = 0; i < 10; i++) {
                if (pos + i >= b.length || b[pos + i] >= 0) {
                    return false;
                }
            }
            return true;
        }

        /** The varint at {@code pos} as 64 bits (bits beyond, and bytes beyond the tenth, dropped). */
        private static long varint(byte[] b, int pos) {
            long v = 0;
            for (int i = 0; i < 10 && pos + i < b.length; i++) {
                v |= (long) (b[pos + i] & 0x7F) << (7 * i);
                if (b[pos + i] >= 0) {
                    break;
                }
            }
            return v;
        }
    }
}
