// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import java.util.function.Consumer;

/**
 * Reports changes to a sink through one reused {@link StorageEvent} (see its reuse contract): no
 * allocation per change. Loop thread only.
 */
public final class Emitter {
    private final StorageEvent event = new StorageEvent();
    private final Consumer<StorageEvent> sink;

    /** @param sink what hears every change, or {@code null} for nobody */
    public Emitter(Consumer<StorageEvent> sink) {
        this.sink = sink;
    }

    public void emit(StorageEvent.Type type, String storageId, byte[] key, byte[] oldValue, byte[] newValue) {
        if (sink != null) {
            sink.accept(event.set(type, storageId, key, oldValue, newValue));
        }
    }
}
