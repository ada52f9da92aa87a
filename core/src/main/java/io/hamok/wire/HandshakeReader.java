// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static io.hamok.wire.ProtoWire.WIRE_LEN;
import static io.hamok.wire.ProtoWire.WIRE_VARINT;
import static io.hamok.wire.WireCursor.FAILED;

import org.agrona.DirectBuffer;

/**
 * Reads the first message of a connection, the HANDSHAKE {@code HamokMessage}, from untrusted bytes
 * without the generated protobuf classes: it looks at five fields ({@code type},
 * {@code source_id}, {@code protocol_version}, {@code cluster_id}, {@code joining}), skips every other field
 * without copying it, and fails on the first malformed byte. Work and memory are bounded by the
 * input length; the two strings are the only allocation, and only for a well-formed message.
 *
 * <p>Parsing rules are those of {@link RaftWireDecoder}: protobuf semantics (the last value of a
 * scalar wins), stricter on purpose for groups, a known field with the wrong wire type, an
 * over-long varint and a string that is not UTF-8 (all {@link #MALFORMED}).
 *
 * <p>Not thread-safe; one instance per connection or per thread.
 */
public final class HandshakeReader {
    /** The bytes are a well-formed message; the accessors describe it. */
    public static final int OK = 0;
    /** The input ends inside a field. */
    public static final int TRUNCATED = RaftWireDecoder.TRUNCATED;
    /** The input is not a message this reader accepts. */
    public static final int MALFORMED = RaftWireDecoder.MALFORMED;

    private static final int FIELD_TYPE = 1;
    private static final int FIELD_SOURCE_ID = 2;
    private static final int FIELD_PROTOCOL_VERSION = 38;
    private static final int FIELD_CLUSTER_ID = 39;
    private static final int FIELD_JOINING = 43;

    private final WireCursor in = new WireCursor();
    private int type;
    private long protocolVersion;
    private String sourceId;
    private String clusterId;
    private boolean joining;

    /**
     * Reads the message in {@code buffer[offset, offset + length)}.
     *
     * @return {@link #OK}, {@link #TRUNCATED} or {@link #MALFORMED} (also for a range outside the
     *         buffer); after a failure the accessors describe nothing useful
     */
    public int read(DirectBuffer buffer, int offset, int length) {
        type = 0;
        protocolVersion = 0;
        sourceId = "";
        clusterId = "";
        joining = false;
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            return MALFORMED;
        }
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

    private int readField(DirectBuffer buffer, int pos, int limit) {
        final int field = in.fieldNumber;
        if (field == FIELD_JOINING) {
            if (in.wireType != WIRE_VARINT) {
                return in.fail(MALFORMED);
            }
            final int next = in.readVarint(buffer, pos, limit);
            if (next != FAILED) {
                joining = in.value != 0; // a bool: any non-zero varint is true, as protobuf reads it
            }
            return next;
        }
        if (field == FIELD_TYPE || field == FIELD_PROTOCOL_VERSION) {
            if (in.wireType != WIRE_VARINT) {
                return in.fail(MALFORMED);
            }
            final int next = in.readVarint(buffer, pos, limit);
            if (next != FAILED) {
                if (field == FIELD_TYPE) {
                    type = (int) in.value; // an enum is an int32 on the wire
                } else {
                    protocolVersion = in.value & 0xFFFF_FFFFL; // uint32: the low 32 bits, as protobuf
                }
            }
            return next;
        }
        if (field == FIELD_SOURCE_ID || field == FIELD_CLUSTER_ID) {
            if (in.wireType != WIRE_LEN) {
                return in.fail(MALFORMED);
            }
            final int start = in.readLength(buffer, pos, limit);
            if (start == FAILED) {
                return FAILED;
            }
            final int end = start + (int) in.value;
            if (!ProtoWire.isValidUtf8(buffer, start, end)) {
                return in.fail(MALFORMED);
            }
            final String s = buffer.getStringWithoutLengthUtf8(start, end - start);
            if (field == FIELD_SOURCE_ID) {
                sourceId = s;
            } else {
                clusterId = s;
            }
            return end;
        }
        return in.skipField(buffer, pos, limit);
    }

    /** The {@code MessageType} number; 0 when absent. */
    public int type() {
        return type;
    }

    /** The {@code protocol_version}; 0 when absent. */
    public long protocolVersion() {
        return protocolVersion;
    }

    /** The {@code source_id}; empty when absent. */
    public String sourceId() {
        return sourceId;
    }

    /** The {@code cluster_id}; empty when absent. */
    public String clusterId() {
        return clusterId;
    }

    /** The {@code joining} flag; false when absent. */
    public boolean joining() {
        return joining;
    }

    /** For tests and logs: the fields. */
    @Override
    public String toString() {
        return "HandshakeReader{type=" + type + ", protocolVersion=" + protocolVersion + ", sourceId=" + sourceId
                + ", clusterId=" + clusterId + ", joining=" + joining + "}";
    }
}
