package io.hamok.transport.netty;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;

/**
 * Writes and checks the HANDSHAKE message that opens every connection. Runs once per connection,
 * so it uses the generated protobuf classes and may allocate.
 */
final class Handshakes {
    private Handshakes() {
    }

    /** A length-prefixed HANDSHAKE frame from {@code sourceId}; the caller owns the returned buffer. */
    static ByteBuf encode(ByteBufAllocator alloc, String clusterId, String sourceId) {
        byte[] message = HamokMessage.newBuilder()
                .setType(MessageType.HANDSHAKE)
                .setProtocolVersion(NettyTransport.PROTOCOL_VERSION)
                .setClusterId(clusterId)
                .setSourceId(sourceId)
                .build()
                .toByteArray();
        ByteBuf frame = alloc.buffer(Integer.BYTES + message.length);
        frame.writeInt(message.length).writeBytes(message);
        return frame;
    }

    /** Parses a frame (without its length prefix) as a HamokMessage; does not release it. */
    static HamokMessage decode(ByteBuf frame) throws InvalidProtocolBufferException {
        try (ByteBufInputStream in = new ByteBufInputStream(frame.duplicate())) {
            return HamokMessage.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    /**
     * Checks what every handshake must carry.
     *
     * @return why the handshake is refused, or {@code null} when the type, version and cluster match
     */
    static String mismatch(HamokMessage message, String clusterId) {
        if (message.getType() != MessageType.HANDSHAKE) {
            return "expected a HANDSHAKE, received " + message.getType();
        }
        if (message.getProtocolVersion() != NettyTransport.PROTOCOL_VERSION) {
            return "protocol version " + message.getProtocolVersion() + ", expected "
                    + NettyTransport.PROTOCOL_VERSION;
        }
        if (!message.getClusterId().equals(clusterId)) {
            return "cluster id '" + message.getClusterId() + "', expected '" + clusterId + "'";
        }
        return null;
    }
}
