// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap;

import io.hamok.map.MapListener;
import io.hamok.internal.StorageListeners;
import io.hamok.internal.StorageBackend;
import io.hamok.HamokException;
import io.hamok.RemoteStoreException;
import io.hamok.ResultUnknownException;
import io.hamok.StorageClosedException;
import io.hamok.StorageKindMismatchException;
import io.hamok.internal.MapCodec;
import io.hamok.state.ByteKey;
import io.hamok.remotemap.RemoteMapState;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageResult;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A map whose entries live in an external store (a {@link RemoteMap}: Redis, a database), with its
 * mutations ordered by Raft and executed once, by the leader. Get one from {@code Hamok}; configure it
 * with a {@link HamokRemoteMapConfig}. Every peer that may lead must open it.
 *
 * <p><b>Reads</b> ({@link #get}, {@link #getAll}, {@link #size}, {@link #keySet}, {@link #forEach}) go
 * straight to the store, from any thread, not through the log; their futures complete on the store's
 * threads and fail with {@link RemoteStoreException} when the store fails.
 *
 * <p><b>Writes</b> encode on the caller's thread and go through the log like a {@link io.hamok.map.HamokMap}'s. Once
 * committed, a write waits as a pending mutation of the map (numbered 1, 2, ... on every peer alike).
 * The leader executes pending mutations against the store one at a time, in that order, recording the
 * mutation's number as the store's applied index in the same atomic step, and appends the outcome to
 * the log; the write's future completes when that outcome is applied on the caller's peer (the Hamok
 * loop thread completes it: do not block in dependent stages). A mutation is executed at most once,
 * also across leader changes: a new leader fences the store and continues after its applied index.
 *
 * <p><b>Failures</b> ({@link HamokException#mayHaveBeenApplied()} as everywhere):
 * {@link RemoteStoreException} when the store failed to execute it (false: not executed and never will
 * be; true: it may have been executed); {@link ResultUnknownException} when it was executed but the
 * result was lost with a leader change (true); {@link io.hamok.HamokTimeoutException} when no outcome came
 * within the request timeout (true: it may still be executed, for example once a leader with the map
 * open is elected); the grid's own failures ({@link io.hamok.NoLeaderException}, {@link io.hamok.BackPressureException},
 * {@link io.hamok.HamokClosedException}, {@link StorageKindMismatchException}) as for a {@link io.hamok.map.HamokMap}.
 *
 * <p><b>Semantics</b>: exact presence (any encoded value is a value), {@link #insert} never overwrites,
 * conditional writes compare encoded bytes in the store and always answer. <b>Events</b>
 * ({@link RemoteMapListener}) are reported on every peer in log order, from the leader's reported
 * results; none when the executing leader's map has {@code noEvents}.
 *
 * <p><b>Closing</b> detaches this object (and, on the leader, stops executing); the store and the
 * pending mutations stay. The {@link RemoteMap} is not closed: it belongs to the caller.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class HamokRemoteMap<K, V> implements AutoCloseable {
    private final StorageBackend backend;
    private final String mapId;
    private final HamokRemoteMapConfig<K, V> config;
    private final RemoteMap store;
    private final MapCodec<K, V> codec;
    private final Consumer<StorageEvent> eventSink = this::onEvent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StorageListeners<RemoteMapListener<K, V>> listeners;
    private final Runnable onClose;

    public HamokRemoteMap(StorageBackend backend, HamokRemoteMapConfig<K, V> config, Runnable onClose) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.mapId = config.mapId();
        this.config = config;
        this.store = config.remoteMap();
        this.codec = new MapCodec<>("remote map '" + mapId + "'", config.keyCodec(), config.valueCodec());
        this.listeners = new StorageListeners<>("remote map '" + mapId + "'", closed);
        this.onClose = onClose;
        backend.subscribe(mapId, eventSink);
    }

    /** The map id (works after close). */
    public String id() {
        return mapId;
    }

    /** Whether {@link #close()} was called (works after close). */
    public boolean isClosed() {
        return closed.get();
    }

    public HamokRemoteMapConfig<K, V> config() {
        return config;
    }

    // ---------------------------------------------------------------- reads: straight to the store

    /** The value of {@code key} in the store, or {@code null} when absent. */
    public CompletableFuture<V> get(K key) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        return read("get", () -> store.get(k)).thenApply(v -> v == null ? null : codec.decodeValue(key, v, false));
    }

    /** The present entries among {@code keys}, in their order. */
    public CompletableFuture<Map<K, V>> getAll(Collection<? extends K> keys) {
        ensureOpen();
        final Map<ByteKey, K> encoded = codec.encodeKeys(keys);
        final List<byte[]> asked = MapCodec.keyBytes(encoded);
        return read("getAll", () -> store.getAll(asked)).thenApply(values -> {
            final Map<K, V> out = new LinkedHashMap<>();
            int i = 0;
            for (K key : encoded.values()) {
                final byte[] v = i < values.size() ? values.get(i) : null;
                i++;
                if (v != null) {
                    out.put(key, codec.decodeValue(key, v, false));
                }
            }
            return out;
        });
    }

    /** The number of entries in the store. */
    public CompletableFuture<Long> size() {
        ensureOpen();
        return read("size", store::size);
    }

    public CompletableFuture<Boolean> isEmpty() {
        return size().thenApply(n -> n == 0);
    }

    /** The store's keys (a copy). */
    public CompletableFuture<Set<K>> keySet() {
        ensureOpen();
        return read("keys", store::keys).thenApply(keys -> {
            final Set<K> out = new HashSet<>();
            keys.forEach(k -> out.add(codec.decodeKey(k)));
            return out;
        });
    }

    /** Calls {@code action} for every entry of the store (on a store thread), then completes. */
    public CompletableFuture<Void> forEach(BiConsumer<? super K, ? super V> action) {
        ensureOpen();
        Objects.requireNonNull(action, "action");
        return read("forEach", () -> store.forEach((k, v) -> {
            final K key = codec.decodeKey(k);
            action.accept(key, codec.decodeValue(key, v, false));
        }));
    }

    /** The store's entries (a copy). */
    public CompletableFuture<Map<K, V>> export() {
        final Map<K, V> out = new java.util.concurrent.ConcurrentHashMap<>();
        return forEach(out::put).thenApply(ignored -> Map.copyOf(out));
    }

    // ---------------------------------------------------------------- writes: through the log, executed by the leader

    /** Sets {@code key}; completes with the previous value, or {@code null} if it was absent. */
    public CompletableFuture<V> set(K key, V value) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] v = codec.encodeValue(value, "value");
        return submit(RequestType.SET, List.of(k), List.of(v), null).thenApply(r -> firstValue(key, r));
    }

    /** Sets every entry (one mutation); completes with the previous values of the keys that existed. */
    public CompletableFuture<Map<K, V>> setAll(Map<? extends K, ? extends V> entries) {
        return writeAll(RequestType.SET, entries);
    }

    /**
     * Sets {@code key} only if it is absent in the store (never overwrites); completes with {@code null}
     * when this call inserted it, otherwise with the existing value, unchanged.
     */
    public CompletableFuture<V> insert(K key, V value) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] v = codec.encodeValue(value, "value");
        return submit(RequestType.INSERT, List.of(k), List.of(v), null).thenApply(r -> firstValue(key, r));
    }

    /** {@link java.util.concurrent.ConcurrentMap#putIfAbsent}: the same as {@link #insert}. */
    public CompletableFuture<V> putIfAbsent(K key, V value) {
        return insert(key, value);
    }

    /** Inserts every absent key (one mutation); completes with the entries that already existed. */
    public CompletableFuture<Map<K, V>> insertAll(Map<? extends K, ? extends V> entries) {
        return writeAll(RequestType.INSERT, entries);
    }

    /** Removes {@code key}; completes with whether it existed. */
    public CompletableFuture<Boolean> delete(K key) {
        ensureOpen();
        return submit(RequestType.DELETE, List.of(codec.encodeKey(key, "key")), List.of(), null)
                .thenApply(r -> r.keys().size() > 1);
    }

    /** Removes the keys (one mutation); completes with those that existed. */
    public CompletableFuture<Set<K>> deleteAll(Collection<? extends K> keys) {
        return removeKeys(RequestType.DELETE, keys).thenApply(removed -> new LinkedHashSet<>(removed.keySet()));
    }

    /** Removes {@code key}; completes with whether it was removed. */
    public CompletableFuture<Boolean> remove(K key) {
        ensureOpen();
        return submit(RequestType.REMOVE, List.of(codec.encodeKey(key, "key")), List.of(), null)
                .thenApply(r -> r.keys().size() > 1);
    }

    /** Removes the keys (one mutation); completes with the removed entries and their values. */
    public CompletableFuture<Map<K, V>> removeAll(Collection<? extends K> keys) {
        return removeKeys(RequestType.REMOVE, keys);
    }

    /**
     * {@link java.util.concurrent.ConcurrentMap#replace(Object, Object, Object)}: sets {@code key} to
     * {@code newValue} only if the store holds exactly {@code expectedValue} (encoded bytes) for it;
     * completes with whether it did. Of racing calls expecting the same value, exactly one wins.
     */
    public CompletableFuture<Boolean> replace(K key, V expectedValue, V newValue) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] expected = codec.encodeValue(expectedValue, "expectedValue");
        final byte[] v = codec.encodeValue(newValue, "newValue");
        return submit(RequestType.SET, List.of(k), List.of(v), expected).thenApply(StorageResult::applied);
    }

    /** The original's {@code updateIf}, <b>new value first</b>: the same as {@code replace(key, oldValue, newValue)}. */
    public CompletableFuture<Boolean> updateIf(K key, V newValue, V oldValue) {
        return replace(key, oldValue, newValue);
    }

    /** {@link java.util.concurrent.ConcurrentMap#remove(Object, Object)}: removes {@code key} only if it holds {@code expectedValue}. */
    public CompletableFuture<Boolean> remove(K key, V expectedValue) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] expected = codec.encodeValue(expectedValue, "expectedValue");
        return submit(RequestType.REMOVE, List.of(k), List.of(), expected).thenApply(StorageResult::applied);
    }

    /** The original's {@code removeIf}: the same as {@link #remove(Object, Object)}. */
    public CompletableFuture<Boolean> removeIf(K key, V oldValue) {
        return remove(key, oldValue);
    }

    /** Removes every entry of the store; listeners get one {@link MapListener#onCleared()}. */
    public CompletableFuture<Void> clear() {
        ensureOpen();
        return submit(RequestType.CLEAR, List.of(), List.of(), null).thenApply(r -> null);
    }

    // ---------------------------------------------------------------- events and lifecycle

    /** Adds a listener (see {@link RemoteMapListener} for threads and order). */
    public void addListener(RemoteMapListener<K, V> listener) {
        ensureOpen();
        listeners.add(listener);
    }

    /** Removes one registration of {@code listener}; returns whether it was registered. */
    public boolean removeListener(RemoteMapListener<K, V> listener) {
        ensureOpen();
        return listeners.remove(listener);
    }

    /**
     * Detaches this object: stops events and, on the leader, executing (another peer with the map open
     * takes over when it leads); calls {@link MapListener#onClosed()} once per listener. Idempotent. The
     * store and the pending mutations stay; the {@link RemoteMap} is not closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.run();
        backend.unsubscribe(mapId, eventSink);
        backend.closed(mapId);
        listeners.closeAll(MapListener::onClosed);
    }

    @Override
    public String toString() {
        return "HamokRemoteMap{" + mapId + (closed.get() ? ", closed}" : "}");
    }

    private void onEvent(StorageEvent event) {
        if (!closed.get()) {
            codec.deliver(event, listeners, RemoteMapListener::onUnknownChange);
        }
    }

    // ---------------------------------------------------------------- helpers

    private <T> CompletableFuture<T> read(String what, java.util.function.Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.exceptionallyCompose(e -> {
            final Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof HamokException h && !h.mayHaveBeenApplied() ? h
                    : new RemoteStoreException("remote map '" + mapId + "': " + what + " failed in the store: " + cause,
                    cause, false));
        });
    }

    private CompletableFuture<Map<K, V>> writeAll(RequestType type, Map<? extends K, ? extends V> entries) {
        ensureOpen();
        final Map<ByteKey, K> originals = new LinkedHashMap<>();
        final List<byte[]> values = codec.encodeEntries(entries, originals);
        if (originals.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return submit(type, MapCodec.keyBytes(originals), values, null).thenApply(r -> entries(originals, r));
    }

    private CompletableFuture<Map<K, V>> removeKeys(RequestType type, Collection<? extends K> keys) {
        ensureOpen();
        final Map<ByteKey, K> encoded = codec.encodeKeys(keys);
        if (encoded.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return submit(type, MapCodec.keyBytes(encoded), List.of(), null).thenApply(r -> entries(encoded, r));
    }

    /** Submits a mutation; completes with the store's result once the leader's outcome is applied here. */
    private CompletableFuture<StorageResult> submit(RequestType type, List<byte[]> keys, List<byte[]> values,
                                                    byte[] expected) {
        return backend.submit(StorageKind.REMOTE_MAP, mapId, type, keys, values, expected, config.requestTimeoutMs())
                .thenApply(this::outcome);
    }

    /** Turns the outcome (the result's first key and value, see {@link RemoteMapState}) into the result or a failure. */
    private StorageResult outcome(StorageResult r) {
        if (r.error() != null) {
            throw new StorageKindMismatchException("remote map '" + mapId + "': request refused: " + r.error());
        }
        if (!r.applied()) {
            return r; // a condition that did not hold
        }
        if (r.keys().isEmpty() || r.keys().get(0).length != 1) {
            throw new HamokException("remote map '" + mapId + "': the outcome of a write cannot be read", true);
        }
        final String message = "remote map '" + mapId + "': "
                + new String(r.values().get(0), StandardCharsets.UTF_8);
        return switch (r.keys().get(0)[0]) {
            case RemoteMapState.OUTCOME_OK -> r;
            case RemoteMapState.OUTCOME_NOT_EXECUTED -> throw new RemoteStoreException(message, false);
            case RemoteMapState.OUTCOME_MAYBE_EXECUTED -> throw new RemoteStoreException(message, true);
            default -> throw new ResultUnknownException(message);
        };
    }

    /** The first entry of the store's result (after the outcome), decoded. */
    private V firstValue(K key, StorageResult r) {
        return r.values().size() < 2 ? null : codec.decodeValue(key, r.values().get(1), true);
    }

    private Map<K, V> entries(Map<ByteKey, K> originals, StorageResult r) {
        final Map<K, V> out = new LinkedHashMap<>();
        for (int i = 1; i < r.keys().size(); i++) {
            final K key = codec.originalKey(originals, r.keys().get(i));
            out.put(key, codec.decodeValue(key, r.values().get(i), true));
        }
        return out;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageClosedException("remote map '" + mapId + "' is closed");
        }
    }

    /** This peer's replicated state of the map (its mutation numbers), or null before the first mutation. */
    public RemoteMapState replicatedState() {
        return backend.state(mapId) instanceof RemoteMapState s ? s : null;
    }
}
