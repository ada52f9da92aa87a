// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.map.MapListener;
import io.hamok.StorageClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Configuration shared by every instance of a cluster, with change events on every instance: a
 * {@link HamokMap} of string keys and values, one per configuration name.
 *
 * <p><b>Guarantees.</b> Every change is one log entry, so every instance applies the same changes in
 * the same order, whichever instance made them, and tells its listeners about each with the old and
 * the new value as they were at that point of the log: the same values on every instance. A change
 * completes ({@link #set}, {@link #compareAndSet}, {@link #remove}) once it is committed and applied on
 * the instance that made it; other instances apply it a moment later, each in its own time. Reads:
 * {@link #get} and {@link #snapshot} read this instance's replica (possibly a little behind);
 * {@link #current} waits until this instance has applied everything committed before the call, so a new
 * or restarted instance sees the current configuration through it.
 *
 * <p><b>Limits.</b> A listener hears the changes applied while it is registered; it is not told the
 * configuration that was there before (read {@link #snapshot} or {@link #current} after adding it). An
 * instance that catches up from a Raft snapshot (it was far behind) hears one change per key that
 * differs, from the value it had to the value it now has, not every value in between. Change the map
 * only through this class: a {@code clear()} of the underlying map is not reported per key.
 *
 * <p><b>Threads.</b> Any thread. Futures complete, and listeners are called, on the instance's loop
 * thread (or its event executor): they must not block.
 */
public final class SharedConfig implements AutoCloseable {
    /** Hears every change of the configuration, in log order, on the loop thread. */
    public interface ChangeListener {
        /**
         * {@code key} changed from {@code oldValue} to {@code newValue}; {@code oldValue} is {@code null}
         * when the key was added, {@code newValue} when it was removed.
         */
        void onChange(String key, String oldValue, String newValue);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SharedConfig.class);

    private final Hamok hamok;
    private final HamokMap<String, String> entries;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final MapListener<String, String> relay = new MapListener<>() {
        @Override
        public void onInserted(String key, String value) {
            changed(key, null, value);
        }

        @Override
        public void onUpdated(String key, String oldValue, String newValue) {
            changed(key, oldValue, newValue);
        }

        @Override
        public void onRemoved(String key, String oldValue) {
            changed(key, oldValue, null);
        }
    };

    private SharedConfig(Hamok hamok, String name) {
        this.hamok = hamok;
        this.entries = hamok.getOrCreateMap(HamokMapConfig.<String, String>builder().mapId("recipes.config." + name)
                .keyCodec(Codecs.string()).valueCodec(Codecs.string()).build());
        entries.addListener(relay);
    }

    /** The configuration {@code name} of the cluster {@code hamok} belongs to. */
    public static SharedConfig open(Hamok hamok, String name) {
        return new SharedConfig(Objects.requireNonNull(hamok, "hamok"), Objects.requireNonNull(name, "name"));
    }

    /** This instance's value of {@code key}, or {@code null}. */
    public String get(String key) {
        return entries.get(key);
    }

    /** This instance's configuration, a copy. */
    public Map<String, String> snapshot() {
        return entries.export();
    }

    /** The configuration as of a linearizable read point: every change completed before the call is in it. */
    public CompletableFuture<Map<String, String>> current() {
        return hamok.waitUntilCommitHead(Duration.ofMillis(hamok.config().requestTimeoutMs()))
                .thenApply(ignored -> snapshot());
    }

    /** Sets {@code key}; completes with the previous value, or {@code null}. */
    public CompletableFuture<String> set(String key, String value) {
        return entries.set(key, value);
    }

    /**
     * Sets {@code key} to {@code value} only if it has {@code expected} ({@code null}: only if absent);
     * completes with whether it did. Of several instances racing from the same value, one wins.
     */
    public CompletableFuture<Boolean> compareAndSet(String key, String expected, String value) {
        return expected == null
                ? entries.putIfAbsent(key, value).thenApply(Objects::isNull)
                : entries.replace(key, expected, value);
    }

    /** Removes {@code key}; completes with the value it had, or {@code null}. */
    public CompletableFuture<String> remove(String key) {
        return entries.removeAll(List.of(key)).thenApply(removed -> removed.get(key));
    }

    public void addListener(ChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ChangeListener listener) {
        listeners.remove(listener);
    }

    /** Stops the events of this object; the configuration stays. */
    @Override
    public void close() {
        listeners.clear();
        try {
            entries.removeListener(relay);
        } catch (StorageClosedException instanceClosed) {
            // the instance closed its storages, listeners included
        }
    }

    private void changed(String key, String oldValue, String newValue) {
        for (ChangeListener listener : listeners) {
            try {
                listener.onChange(key, oldValue, newValue);
            } catch (RuntimeException e) {
                LOG.warn("config '{}': a listener threw on a change of '{}'", entries.id(), key, e);
            }
        }
    }
}
