// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.map;

/**
 * Hears about changes of a {@link HamokMap}'s local replica. Every replica reports the same changes
 * in the same (log) order, whichever peer made them. Implement the methods you need.
 *
 * <p>Threads: called on the Hamok loop thread (or the instance's event executor), one event at a
 * time. Must not block: a slow listener delays every storage of the instance. An exception thrown
 * by a listener is logged and does not stop other listeners. {@link #onClosed()} is called on the
 * thread that closes the map.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface MapListener<K, V> {
    /** {@code key} was absent and now has {@code value}. */
    default void onInserted(K key, V value) {
    }

    /** {@code key} had {@code oldValue} and now has {@code newValue}. */
    default void onUpdated(K key, V oldValue, V newValue) {
    }

    /** {@code key} had {@code oldValue} and was removed (by delete, remove, removeIf). */
    default void onRemoved(K key, V oldValue) {
    }

    /** The map was cleared. */
    default void onCleared() {
    }

    /** This map object was closed; events stop (see {@link HamokMap#close()}). */
    default void onClosed() {
    }
}
