// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap;

import io.hamok.map.MapListener;

/**
 * Hears about the changes a {@link HamokRemoteMap}'s leader made to the external store. Every peer
 * reports the same changes in the same order, the order of the log, whichever peer asked for them and
 * whichever peer executed them.
 *
 * <p>The changes are what the store reported when the leader executed each mutation: an insert
 * ({@link #onInserted}), an update with the old value ({@link #onUpdated}), a removal
 * ({@link #onRemoved}), a clear ({@link #onCleared}). When a result was lost (the leader that executed
 * a mutation lost leadership before reporting it, or the store failed mid-call), what changed is not
 * known: {@link #onUnknownChange} names the key (or {@code null}: anything), and a listener that keeps
 * a view of the store should read it again.
 *
 * <p>Threads: as {@link MapListener} (the Hamok loop thread or the instance's event executor; must
 * not block).
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface RemoteMapListener<K, V> extends MapListener<K, V> {
    /** {@code key} (or, when {@code null}, any key) may have changed in the store, in a way nobody reported. */
    default void onUnknownChange(K key) {
    }
}
