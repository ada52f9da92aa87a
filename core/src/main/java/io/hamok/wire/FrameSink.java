// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import org.agrona.DirectBuffer;

/**
 * Takes encoded frames for a peer: an outbound ring buffer, a socket's write queue, a simulated
 * network. The bytes are valid only during the call; a sink copies what it keeps. Called on the
 * loop thread; must not block; may drop a frame when its budget is full (Raft resends).
 */
@FunctionalInterface
public interface FrameSink {
    void onFrame(String to, DirectBuffer buffer, int offset, int length);
}
