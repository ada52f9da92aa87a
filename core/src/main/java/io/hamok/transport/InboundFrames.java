// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import org.agrona.DirectBuffer;

/**
 * Where a {@link Transport} puts every frame it receives: the loop's inbound ring buffer. The
 * frame is one encoded {@code HamokMessage} (without the TCP length prefix) from an authenticated
 * peer (the transport has done the handshake).
 *
 * <p>Thread-safe: called from any I/O thread. Copies the bytes before it returns and never
 * blocks. When the inbound budget is full the frame is dropped, counted, and {@code false} is
 * returned; Raft resends what matters.
 */
@FunctionalInterface
public interface InboundFrames {
    /**
     * @param fromPeerId the peer the frame came from, as the transport identified it
     * @return {@code true} if the frame was queued, {@code false} if it was dropped
     */
    boolean offer(String fromPeerId, DirectBuffer buffer, int offset, int length);
}
