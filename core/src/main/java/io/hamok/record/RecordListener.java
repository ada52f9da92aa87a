// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.record;

/**
 * Hears about changes of a {@link HamokRecord}'s local replica, property by property. Every replica
 * reports the same changes in the same (log) order, whichever peer made them. Values are decoded by
 * the record's {@link RecordCodec#decodeValue}. Implement the methods you need.
 *
 * <p>Threads: called on the Hamok loop thread (or the instance's event executor), one event at a
 * time. Must not block. An exception thrown by a listener is logged and does not stop other
 * listeners. {@link #onClosed()} is called on the thread that closes the record.
 */
public interface RecordListener {
    /** {@code property} was absent and now has {@code value}. */
    default void onInserted(String property, Object value) {
    }

    /** {@code property} had {@code oldValue} and now has {@code newValue}. */
    default void onUpdated(String property, Object oldValue, Object newValue) {
    }

    /** {@code property} had {@code oldValue} and was deleted. */
    default void onRemoved(String property, Object oldValue) {
    }

    /** Every property was removed. */
    default void onCleared() {
    }

    /** This record object was closed; events stop (see {@link HamokRecord#close()}). */
    default void onClosed() {
    }
}
