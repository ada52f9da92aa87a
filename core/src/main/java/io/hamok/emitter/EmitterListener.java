// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

/**
 * Receives the payloads of one event of a {@link HamokEmitter} that this peer subscribed to.
 *
 * <p>Threads: called on the Hamok loop thread (or the instance's event executor), one payload at a
 * time per loop. Must not block: a slow listener delays the whole instance (and, over TCP, its
 * network I/O). An exception thrown by a listener is logged and does not stop the other listeners;
 * for a publish the peer still counts as delivered.
 *
 * @param <P> the payload type
 */
@FunctionalInterface
public interface EmitterListener<P> {
    /**
     * @param payload    the decoded payload (a new object for every listener call of this peer)
     * @param fromPeerId the peer that published or notified it (this peer for its own)
     */
    void onEvent(P payload, String fromPeerId);
}
