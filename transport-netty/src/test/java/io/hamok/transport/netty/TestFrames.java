// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Frames and raw bytes for tests. */
final class TestFrames {
    private TestFrames() {
    }

    /** A test payload: a 4-byte sequence number, then {@code padding} bytes derived from it. */
    static UnsafeBuffer payload(int sequence, int padding) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[Integer.BYTES + padding]);
        buffer.putInt(0, sequence, java.nio.ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < padding; i++) {
            buffer.putByte(Integer.BYTES + i, (byte) (sequence + i));
        }
        return buffer;
    }

    static int sequence(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt(0);
    }

    /** A handshake message (without length prefix). */
    static byte[] handshake(int version, String clusterId, String sourceId) {
        return HamokMessage.newBuilder()
                .setType(MessageType.HANDSHAKE)
                .setProtocolVersion(version)
                .setClusterId(clusterId)
                .setSourceId(sourceId)
                .build()
                .toByteArray();
    }

    /** {@code message} with its 4-byte big-endian length in front. */
    static ByteBuf framed(byte[] message) {
        return Unpooled.buffer(Integer.BYTES + message.length).writeInt(message.length).writeBytes(message);
    }

    /** Only a length prefix (the body never comes). */
    static ByteBuf lengthOnly(int length) {
        return Unpooled.buffer(Integer.BYTES).writeInt(length);
    }

    /**
     * Splits what a connection wrote (length-prefixed frames, possibly several per buffer) into
     * messages; releases the buffers.
     */
    static List<byte[]> unframe(List<ByteBuf> written) {
        List<byte[]> messages = new ArrayList<>();
        for (ByteBuf buf : written) {
            try {
                while (buf.isReadable()) {
                    byte[] message = new byte[buf.readInt()];
                    buf.readBytes(message);
                    messages.add(message);
                }
            } finally {
                buf.release();
            }
        }
        return messages;
    }
}
