// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.wire.HandshakeReader;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes and reads the HANDSHAKE message that opens every connection. Runs once per connection, so
 * it may allocate. Reading never uses the generated protobuf classes: the bytes come from a stranger
 * ({@link HandshakeReader} bounds the work by their length).
 */
final class Handshakes {
    private Handshakes() {
    }

    /** What a HANDSHAKE says. */
    record Hello(int type, long protocolVersion, String clusterId, String peerId, boolean joining) {
    }

    /**
     * A length-prefixed HANDSHAKE frame from {@code sourceId}, {@code joining} when it dials a seed to
     * join; the caller owns the returned buffer.
     */
    static ByteBuf encode(ByteBufAllocator alloc, String clusterId, String sourceId, boolean joining) {
        byte[] message = HamokMessage.newBuilder()
                .setType(MessageType.HANDSHAKE)
                .setProtocolVersion(NettyTransport.PROTOCOL_VERSION)
                .setClusterId(clusterId)
                .setSourceId(sourceId)
                .setJoining(joining)
                .build()
                .toByteArray();
        ByteBuf frame = alloc.buffer(Integer.BYTES + message.length);
        frame.writeInt(message.length).writeBytes(message);
        return frame;
    }

    /**
     * Reads a frame (without its length prefix); does not release it.
     *
     * @return what it says, or {@code null} when it is not a well-formed message
     */
    static Hello decode(ByteBuf frame) {
        byte[] bytes = new byte[frame.readableBytes()]; // at most FrameDecoder.HANDSHAKE_MAX_FRAME_BYTES
        frame.getBytes(frame.readerIndex(), bytes);
        HandshakeReader reader = new HandshakeReader();
        if (reader.read(new UnsafeBuffer(bytes), 0, bytes.length) != HandshakeReader.OK) {
            return null;
        }
        return new Hello(reader.type(), reader.protocolVersion(), reader.clusterId(), reader.sourceId(),
                reader.joining());
    }

    /**
     * Checks what every handshake must carry.
     *
     * @return why the handshake is refused, or {@code null} when the type, version and cluster match
     */
    static String mismatch(Hello hello, String clusterId) {
        if (hello.type() != MessageType.HANDSHAKE_VALUE) {
            MessageType type = MessageType.forNumber(hello.type());
            return "expected a HANDSHAKE, received " + (type == null ? "message type " + hello.type() : type);
        }
        if (hello.protocolVersion() != NettyTransport.PROTOCOL_VERSION) {
            return "protocol version " + hello.protocolVersion() + ", expected " + NettyTransport.PROTOCOL_VERSION;
        }
        if (!hello.clusterId().equals(clusterId)) {
            return "cluster id '" + printable(hello.clusterId()) + "', expected '" + clusterId + "'";
        }
        return null;
    }

    /** A stranger's string for a log line: at most 64 characters, control characters replaced. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
