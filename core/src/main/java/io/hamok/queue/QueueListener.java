// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.queue;

/**
 * Hears about changes of a {@link HamokQueue}'s local replica. Every replica reports the same changes
 * in the same (log) order, whichever peer made them. Implement the methods you need.
 *
 * <p>For one request the events come in this order: a push reports {@link #onAdded} per item, then
 * {@link #onNotEmpty()} if the queue was empty; a pop reports {@link #onRemoved}, then
 * {@link #onEmpty()} if it took the last item; a clear reports {@link #onCleared()} (also when the
 * queue was empty already), then {@link #onEmpty()} if it had items; an import is a clear followed by
 * a push. A peer that catches up by snapshot reports the items that left meanwhile as removed and
 * those that came as added.
 *
 * <p>Threads: called on the Hamok loop thread (or the instance's event executor), one event at a
 * time. Must not block: a slow listener delays every storage of the instance. A listener on the loop
 * thread may read the queue ({@code size}, {@code peek}): it sees the state after the request. An
 * exception thrown by a listener is logged and does not stop other listeners. {@link #onClosed()}
 * is called on the thread that closes the queue.
 *
 * @param <T> item type
 */
public interface QueueListener<T> {
    /** {@code item} was pushed (it is now the last item). */
    default void onAdded(T item) {
    }

    /** {@code item} was popped (it was the head). */
    default void onRemoved(T item) {
    }

    /** The queue was cleared (its items, if any, are gone without an {@link #onRemoved} each). */
    default void onCleared() {
    }

    /** The queue had items and has none now (a pop took the last one, or a clear). */
    default void onEmpty() {
    }

    /** The queue was empty and has items now. */
    default void onNotEmpty() {
    }

    /** This queue object was closed; events stop (see {@link HamokQueue#close()}). */
    default void onClosed() {
    }
}
