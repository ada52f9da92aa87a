// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

/**
 * Hears the changes of a {@link HamokEmitter}'s replicated subscription table, on every peer, in log
 * order (the original's {@code added}, {@code updated}, {@code removed}). Implement what you need.
 *
 * <p>Threads: as {@link io.hamok.map.MapListener}: the loop thread (or the instance's event executor), one change
 * at a time; must not block; an exception is logged and does not stop other listeners.
 * {@link #onClosed()} runs on the thread that closes the emitter.
 *
 * @param <M> the subscription metadata type ({@code null} = no metadata)
 */
public interface SubscriptionListener<M> {
    /** {@code peerId} subscribed to {@code event}. */
    default void onAdded(String event, String peerId, M metadata) {
    }

    /** {@code peerId}'s subscription to {@code event} got other metadata. */
    default void onUpdated(String event, String peerId, M oldMetadata, M newMetadata) {
    }

    /** {@code peerId} no longer subscribes to {@code event} (it unsubscribed, cleared, or was cleaned up). */
    default void onRemoved(String event, String peerId, M metadata) {
    }

    /** This emitter object was closed; changes stop. */
    default void onClosed() {
    }
}
