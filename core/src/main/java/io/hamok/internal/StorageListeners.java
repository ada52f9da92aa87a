// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The listeners of one typed storage: registration from any thread, delivery in registration order
 * until the storage closes, and a listener that throws is logged without stopping the others.
 *
 * @param <L> the storage's listener type
 */
public final class StorageListeners<L> {
    private static final Logger LOG = LoggerFactory.getLogger(StorageListeners.class);

    private final String owner;
    private final AtomicBoolean closed;
    private final List<L> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param owner  how log lines name the storage, e.g. {@code map 'stock'}
     * @param closed the storage's closed flag: delivery stops once it is set
     */
    public StorageListeners(String owner, AtomicBoolean closed) {
        this.owner = owner;
        this.closed = closed;
    }

    public void add(L listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public boolean remove(L listener) {
        return listeners.remove(Objects.requireNonNull(listener, "listener"));
    }

    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /** Calls every listener while the storage is open. */
    public void deliver(String event, Consumer<L> call) {
        for (L listener : listeners) {
            if (closed.get()) {
                return;
            }
            callSafely(listener, event, call);
        }
    }

    /**
     * Closes the storage {@code storageId} once: sets the closed flag, stops its events ({@code sink}),
     * tells the backend, then calls {@code onClosed} of every listener and forgets them. Idempotent.
     */
    public void closeStorage(StorageBackend backend, String storageId, Consumer<io.hamok.state.StorageEvent> sink,
                      Consumer<L> onClosed) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        backend.unsubscribe(storageId, sink);
        backend.closed(storageId);
        closeAll(onClosed);
    }

    /** Calls every listener once more (the storage just closed), then forgets them. */
    public void closeAll(Consumer<L> onClosed) {
        for (L listener : listeners) {
            callSafely(listener, "onClosed", onClosed);
        }
        listeners.clear();
    }

    private void callSafely(L listener, String event, Consumer<L> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener {} failed on {}", owner, listener, event, e);
        }
    }
}
