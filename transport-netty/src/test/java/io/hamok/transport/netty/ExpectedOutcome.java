// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.hamok.wire.HandshakeReader;
import io.hamok.wire.proto.MessageType;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.hamok.transport.netty.FuzzInputs.PEER_MAX;
import static io.hamok.transport.netty.FuzzInputs.STRANGER_MAX;

/**
 * What a connection of {@link PipelineFuzzTest} must end as, by a model of the protocol written
 * independently of the pipeline: 4-byte big-endian lengths, at most 1 KiB before the handshake and
 * {@link FuzzInputs#PEER_MAX} after; the first frame of a stranger read by {@link HandshakeReader}
 * (itself checked against protobuf) must be a HANDSHAKE of this version and cluster from the
 * expected peer. Either refused with a cause, or a link still open that handed on {@code frames},
 * or a link closed by a bad length after handing on {@code frames}. A peer's empty frames are
 * keepalives: counted, never handed on. An acceptor also takes a HANDSHAKE that says it joins, from
 * any other id ({@code peer}: the id the connection was accepted as).
 */
record ExpectedOutcome(ConnectionRefusal refusal, boolean open, List<byte[]> frames, int keepalives, String peer) {
    /** @param from the one peer that may open the connection; {@code handshaken}: it already did */
    static ExpectedOutcome of(byte[] s, String from, boolean handshaken, boolean acceptor) {
        HandshakeReader reader = new HandshakeReader();
        List<byte[]> frames = new ArrayList<>();
        int keepalives = 0;
        boolean peer = handshaken;
        String as = from;
        for (int pos = 0; s.length - pos >= Integer.BYTES; ) {
            int length = ByteBuffer.wrap(s, pos, Integer.BYTES).getInt();
            if (length < 0 || length > (peer ? PEER_MAX : STRANGER_MAX)) {
                return new ExpectedOutcome(peer ? null : ConnectionRefusal.HANDSHAKE_MALFORMED, false, frames,
                        keepalives, as);
            }
            if (s.length - pos - Integer.BYTES < length) {
                break;
            }
            pos += Integer.BYTES;
            if (peer && length == 0) {
                keepalives++; // a peer's empty frame is a keepalive, never handed on
            } else if (peer) {
                frames.add(Arrays.copyOfRange(s, pos, pos + length));
            } else if (reader.read(new UnsafeBuffer(s), pos, length) != HandshakeReader.OK) {
                return new ExpectedOutcome(ConnectionRefusal.HANDSHAKE_MALFORMED, false, frames, keepalives, from);
            } else if (reader.type() != MessageType.HANDSHAKE_VALUE
                    || reader.protocolVersion() != NettyTransport.PROTOCOL_VERSION
                    || !reader.clusterId().equals(EmbeddedConnection.CLUSTER)
                    || !(reader.sourceId().equals(from) || joinsAt(reader, acceptor))) {
                return new ExpectedOutcome(ConnectionRefusal.HANDSHAKE_MISMATCH, false, frames, keepalives, from);
            } else {
                peer = true;
                as = reader.sourceId();
            }
            pos += length;
        }
        return peer ? new ExpectedOutcome(null, true, frames, keepalives, as)
                : new ExpectedOutcome(ConnectionRefusal.HANDSHAKE_TIMEOUT, false, frames, keepalives, from);
    }

    /** An acceptor takes any other id that says it joins (as a guest when it is not a member). */
    private static boolean joinsAt(HandshakeReader reader, boolean acceptor) {
        return acceptor && reader.joining() && !reader.sourceId().isEmpty()
                && !reader.sourceId().equals(EmbeddedConnection.LOCAL);
    }

    String name() {
        return refusal != null ? "refused " + refusal : open ? "link open" : "link closed by a bad frame";
    }
}
