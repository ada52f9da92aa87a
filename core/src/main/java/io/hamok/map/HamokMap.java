// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.map;

import io.hamok.internal.MapCodec;
import io.hamok.Codec;
import io.hamok.HamokException;
import io.hamok.StorageClosedException;
import io.hamok.StorageKindMismatchException;
import io.hamok.internal.StorageBackend;
import io.hamok.internal.StorageListeners;
import io.hamok.state.ByteKey;
import io.hamok.state.EntriesView;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A key-value map replicated on every peer that has a map with the same id. Get one from
 * {@code Hamok}; configure it with a {@link HamokMapConfig}.
 *
 * <p><b>Reads</b> ({@link #get}, {@link #size}, {@link #keySet}, {@link #export}, ...) read this
 * peer's replica: any thread, never blocking, possibly stale (they see a prefix of the log). Use
 * {@link #getLinearizable} / {@link #getAllLinearizable} for a read that reflects every write
 * completed anywhere before the call.
 *
 * <p><b>Writes</b> encode on the caller's thread and return a {@link CompletableFuture} that
 * completes once the request is committed and applied on this peer (the Hamok loop thread completes
 * it: do not block in dependent stages). Every write is one atomic log entry; failures complete the
 * future with a {@link HamokException}: {@link io.hamok.HamokTimeoutException} (outcome unknown),
 * {@link io.hamok.NoLeaderException}, {@link io.hamok.BackPressureException}, {@link io.hamok.HamokClosedException},
 * {@link StorageKindMismatchException}; {@link HamokException#mayHaveBeenApplied()} says whether the
 * write may have happened anyway. A write given an empty collection completes at once without a
 * request.
 *
 * <p><b>Compare-and-set</b>: {@link #replace(Object, Object, Object)}, {@link #putIfAbsent} and
 * {@link #remove(Object, Object)} take their arguments in {@code ConcurrentMap}'s order and answer
 * as it does; they are the same replicated operations as the original's {@link #updateIf} (new
 * value first), {@link #insert} and {@link #removeIf}.
 *
 * <p><b>Presence is exact</b>: any value the value codec encodes ({@code 0}, {@code ""},
 * {@code false}, ...) is a value; a key is absent only when it is not in the map. {@code null} is
 * never a key or value: every method throws {@link NullPointerException} naming the argument.
 * Conditional operations compare encoded bytes and always answer.
 *
 * <p><b>Decoding</b>: when stored bytes cannot be decoded (another peer used another codec for the
 * same id) a read throws, and a future fails, with a {@link HamokException} naming the key (a
 * write is applied even when its result, the old value, then fails to decode). A listener is not
 * called for an event it cannot decode; that is logged.
 *
 * <p><b>Closing</b> with {@link #close()} detaches this object only; the replicated data stays.
 * Afterwards every method except {@code close}, {@link #isClosed} and {@link #id} throws
 * {@link StorageClosedException}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class HamokMap<K, V> implements AutoCloseable {
    private final StorageBackend backend;
    private final String mapId;
    private final MapCodec<K, V> codec;
    private final HamokMapConfig<K, V> config;
    private final long requestTimeoutMs;
    private final Consumer<StorageEvent> eventSink = this::onEvent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StorageListeners<MapListener<K, V>> listeners;

    /** Internal: get one from {@link io.hamok.Hamok#createMap}. */
    public HamokMap(StorageBackend backend, HamokMapConfig<K, V> config) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.mapId = config.mapId();
        this.listeners = new StorageListeners<>("map '" + mapId + "'", closed);
        this.codec = new MapCodec<>("map '" + mapId + "'", config.keyCodec(), config.valueCodec());
        this.config = config;
        this.requestTimeoutMs = config.requestTimeoutMs();
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

    /** The configuration this object was created with. */
    public HamokMapConfig<K, V> config() {
        return config;
    }

    // ---------------------------------------------------------------- local reads

    /** The local value of {@code key}, or {@code null} when absent. */
    public V get(K key) {
        ensureOpen();
        final byte[] value = view().get(codec.encodeKey(key, "key"));
        return value == null ? null : codec.decodeValue(key, value, false);
    }

    /** The local entries of the given keys that are present (absent keys are left out); a new map. */
    public Map<K, V> getAll(Collection<? extends K> keys) {
        ensureOpen();
        final Map<ByteKey, K> encoded = codec.encodeKeys(keys);
        return readAll(encoded);
    }

    public boolean containsKey(K key) {
        ensureOpen();
        return view().containsKey(codec.encodeKey(key, "key"));
    }

    /** The number of local entries. */
    public int size() {
        ensureOpen();
        return view().size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** A point-in-time copy of the local keys, not backed by the map. */
    public Set<K> keySet() {
        ensureOpen();
        final Set<K> keys = new HashSet<>();
        for (ByteKey key : view().copy().keySet()) {
            keys.add(codec.decodeKey(key.bytes()));
        }
        return keys;
    }

    /** A point-in-time copy of the local values, in no particular order. */
    public List<V> values() {
        return new ArrayList<>(export().values());
    }

    /** A point-in-time copy of the local entries, not backed by the map. */
    public Set<Map.Entry<K, V>> entrySet() {
        return new HashSet<>(export().entrySet());
    }

    /** An immutable point-in-time copy of the local replica. */
    public Map<K, V> export() {
        ensureOpen();
        final Map<K, V> out = new HashMap<>();
        view().copy().forEach((key, value) -> {
            final K k = codec.decodeKey(key.bytes());
            out.put(k, codec.decodeValue(k, value, false));
        });
        return Collections.unmodifiableMap(out);
    }

    // ---------------------------------------------------------------- linearizable reads

    /** The value of {@code key} as of a linearizable read point, or {@code null} when absent. */
    public CompletableFuture<V> getLinearizable(K key) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        return backend.readBarrier(requestTimeoutMs).thenApply(ignored -> {
            final byte[] value = view().get(k);
            return value == null ? null : codec.decodeValue(key, value, false);
        });
    }

    /** The present entries among {@code keys} as of a linearizable read point. */
    public CompletableFuture<Map<K, V>> getAllLinearizable(Collection<? extends K> keys) {
        ensureOpen();
        final Map<ByteKey, K> encoded = codec.encodeKeys(keys);
        return backend.readBarrier(requestTimeoutMs).thenApply(ignored -> readAll(encoded));
    }

    // ---------------------------------------------------------------- writes

    /** Sets {@code key} to {@code value}; completes with the previous value, or {@code null} if it was absent. */
    public CompletableFuture<V> set(K key, V value) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] v = codec.encodeValue(value, "value");
        return submit(RequestType.SET, List.of(k), List.of(v), null).thenApply(r -> singleValue(key, r));
    }

    /** Sets every entry (one atomic request); completes with the previous values of the keys that existed. */
    public CompletableFuture<Map<K, V>> setAll(Map<? extends K, ? extends V> entries) {
        return writeAll(RequestType.SET, entries);
    }

    /**
     * Sets {@code key} only if it is absent; completes with {@code null} when this call inserted it,
     * otherwise with the existing value (unchanged). Of two concurrent inserts exactly one wins.
     */
    public CompletableFuture<V> insert(K key, V value) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] v = codec.encodeValue(value, "value");
        return submit(RequestType.INSERT, List.of(k), List.of(v), null).thenApply(r -> singleValue(key, r));
    }

    /** Inserts every absent key (one atomic request); completes with the entries that already existed. */
    public CompletableFuture<Map<K, V>> insertAll(Map<? extends K, ? extends V> entries) {
        return writeAll(RequestType.INSERT, entries);
    }

    /** Removes {@code key}; completes with whether it existed. */
    public CompletableFuture<Boolean> delete(K key) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        return submit(RequestType.DELETE, List.of(k), List.of(), null).thenApply(r -> !r.keys().isEmpty());
    }

    /** Removes the keys (one atomic request); completes with those that existed. */
    public CompletableFuture<Set<K>> deleteAll(Collection<? extends K> keys) {
        ensureOpen();
        final Map<ByteKey, K> encoded = codec.encodeKeys(keys);
        if (encoded.isEmpty()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        return submit(RequestType.DELETE, new ArrayList<>(MapCodec.keyBytes(encoded)), List.of(), null).thenApply(r -> {
            final Set<K> deleted = new LinkedHashSet<>();
            r.keys().forEach(k -> deleted.add(codec.originalKey(encoded, k)));
            return deleted;
        });
    }

    /** Removes {@code key}; completes with whether it was removed (that is, whether it existed). */
    public CompletableFuture<Boolean> remove(K key) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        return submit(RequestType.REMOVE, List.of(k), List.of(), null).thenApply(r -> !r.keys().isEmpty());
    }

    /** Removes the keys (one atomic request); completes with the removed entries and their values. */
    public CompletableFuture<Map<K, V>> removeAll(Collection<? extends K> keys) {
        ensureOpen();
        final Map<ByteKey, K> encoded = codec.encodeKeys(keys);
        if (encoded.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return submit(RequestType.REMOVE, new ArrayList<>(MapCodec.keyBytes(encoded)), List.of(), null)
                .thenApply(r -> entriesOf(encoded, r));
    }

    /**
     * {@link java.util.concurrent.ConcurrentMap#replace(Object, Object, Object)}: sets {@code key} to
     * {@code newValue} only if it is present with {@code expectedValue} (compared as encoded bytes);
     * completes with whether it did. Of two concurrent calls expecting the same value, exactly one
     * completes with {@code true}. An absent key is never replaced.
     *
     * <pre>{@code
     * // sell one apple: the stock goes from 10 to 9, only if it is still 10
     * boolean sold = stock.replace("apples", 10L, 9L).get();
     * }</pre>
     *
     * The same replicated operation as {@code updateIf(key, newValue, expectedValue)}.
     */
    public CompletableFuture<Boolean> replace(K key, V expectedValue, V newValue) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] old = codec.encodeValue(expectedValue, "expectedValue");
        final byte[] v = codec.encodeValue(newValue, "newValue");
        return submit(RequestType.SET, List.of(k), List.of(v), old).thenApply(StorageResult::applied);
    }

    /**
     * The original's compare-and-set, <b>new value first</b> (the reverse of
     * {@link #replace(Object, Object, Object)}, which is easier to get right): sets {@code key} to
     * {@code newValue} only if it is present with {@code oldValue} (compared as encoded bytes);
     * completes with whether it did. Of two concurrent calls expecting the same old value, exactly
     * one completes with {@code true}.
     *
     * <pre>{@code
     * // sell one apple: the stock goes from 10 to 9, only if it is still 10
     * boolean sold = stock.updateIf("apples", 9L, 10L).get();   // new value 9, expected 10
     * }</pre>
     */
    public CompletableFuture<Boolean> updateIf(K key, V newValue, V oldValue) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] v = codec.encodeValue(newValue, "newValue");
        final byte[] old = codec.encodeValue(oldValue, "oldValue");
        return submit(RequestType.SET, List.of(k), List.of(v), old).thenApply(StorageResult::applied);
    }

    /**
     * {@link java.util.concurrent.ConcurrentMap#putIfAbsent}: sets {@code key} to {@code value}
     * only if it is absent; completes with the value it already had (left unchanged), or
     * {@code null} when this call inserted it. Of two concurrent calls exactly one gets {@code null}.
     *
     * <pre>{@code
     * // claim a seat: only the first caller gets null
     * String owner = seats.putIfAbsent("12A", "alice").get();
     * boolean mine = owner == null;
     * }</pre>
     *
     * The same replicated operation as {@link #insert}.
     */
    public CompletableFuture<V> putIfAbsent(K key, V value) {
        return insert(key, value);
    }

    /**
     * {@link java.util.concurrent.ConcurrentMap#remove(Object, Object)}: removes {@code key} only if
     * it is present with {@code expectedValue} (compared as encoded bytes); completes with whether it
     * did. Of two concurrent calls expecting the same value, exactly one completes with {@code true}.
     *
     * <pre>{@code
     * // release the seat only if alice still holds it
     * boolean released = seats.remove("12A", "alice").get();
     * }</pre>
     *
     * The same replicated operation as {@link #removeIf}.
     */
    public CompletableFuture<Boolean> remove(K key, V expectedValue) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] old = codec.encodeValue(expectedValue, "expectedValue");
        return submit(RequestType.REMOVE, List.of(k), List.of(), old).thenApply(StorageResult::applied);
    }

    /**
     * Removes {@code key} only if it is present with {@code oldValue} (compared as encoded bytes);
     * completes with whether it did (never times out just because the condition failed). Same
     * as {@link #remove(Object, Object)}.
     */
    public CompletableFuture<Boolean> removeIf(K key, V oldValue) {
        ensureOpen();
        final byte[] k = codec.encodeKey(key, "key");
        final byte[] old = codec.encodeValue(oldValue, "oldValue");
        return submit(RequestType.REMOVE, List.of(k), List.of(), old).thenApply(StorageResult::applied);
    }

    /** Removes every entry; listeners get one {@link MapListener#onCleared()}. */
    public CompletableFuture<Void> clear() {
        ensureOpen();
        return submit(RequestType.CLEAR, List.of(), List.of(), null).thenApply(r -> null);
    }

    /**
     * Replaces the replicated content with {@code entries}: a {@link #clear()} followed by a
     * {@link #setAll}. These are two log entries, not one atomic step: other peers may observe (and
     * write into) the empty map in between. Completes when both are applied here.
     */
    public CompletableFuture<Void> importEntries(Map<? extends K, ? extends V> entries) {
        ensureOpen();
        final Map<K, V> copy = new LinkedHashMap<>(Objects.requireNonNull(entries, "entries"));
        codec.encodeEntries(copy, new HashMap<>()); // fails on a bad entry before anything is submitted
        return clear().thenCompose(ignored -> setAll(copy)).thenApply(ignored -> null);
    }

    // ---------------------------------------------------------------- events and lifecycle

    /**
     * Adds a listener for changes of the local replica (see {@link MapListener} for threads). Adding
     * the same listener twice makes it called twice.
     */
    public void addListener(MapListener<K, V> listener) {
        ensureOpen();
        listeners.add(listener);
    }

    /** Removes one registration of {@code listener}; returns whether it was registered. */
    public boolean removeListener(MapListener<K, V> listener) {
        ensureOpen();
        return listeners.remove(listener);
    }

    /**
     * Detaches this object from the replicated map: stops events, tells the backend, and calls
     * {@link MapListener#onClosed()} of each listener once, on this thread. Idempotent. The replicated
     * data stays on every peer. A write already submitted still completes. An event that the loop
     * thread is delivering at this moment may still reach a listener.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        backend.unsubscribe(mapId, eventSink);
        backend.closed(mapId);
        listeners.closeAll(l -> l.onClosed());
    }

    @Override
    public String toString() {
        return "HamokMap{" + mapId + (closed.get() ? ", closed}" : "}");
    }

    private void onEvent(StorageEvent event) {
        if (!closed.get()) {
            codec.deliver(event, listeners, (listener, key) -> {
            });
        }
    }

    // ---------------------------------------------------------------- helpers

    private CompletableFuture<Map<K, V>> writeAll(RequestType type, Map<? extends K, ? extends V> entries) {
        ensureOpen();
        final Map<ByteKey, K> originals = new LinkedHashMap<>();
        final List<byte[]> values = codec.encodeEntries(entries, originals);
        if (originals.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return submit(type, new ArrayList<>(MapCodec.keyBytes(originals)), values, null)
                .thenApply(r -> entriesOf(originals, r));
    }

    private CompletableFuture<StorageResult> submit(RequestType type, List<byte[]> keys, List<byte[]> values,
                                                    byte[] prevValue) {
        return backend.submit(StorageKind.MAP, mapId, type, keys, values, prevValue, requestTimeoutMs)
                .thenApply(this::requireAccepted);
    }

    private StorageResult requireAccepted(StorageResult result) {
        if (result.error() != null) {
            throw new StorageKindMismatchException("map '" + mapId + "': request refused: " + result.error());
        }
        return result;
    }

    private V singleValue(K key, StorageResult result) {
        return result.values().isEmpty() ? null : codec.decodeValue(key, result.values().get(0), true);
    }

    private Map<K, V> entriesOf(Map<ByteKey, K> originals, StorageResult result) {
        final Map<K, V> out = new LinkedHashMap<>();
        for (int i = 0; i < result.keys().size(); i++) {
            final K key = codec.originalKey(originals, result.keys().get(i));
            out.put(key, codec.decodeValue(key, result.values().get(i), true));
        }
        return out;
    }

    private Map<K, V> readAll(Map<ByteKey, K> keys) {
        final EntriesView view = view();
        final Map<K, V> out = new LinkedHashMap<>();
        keys.forEach((encoded, key) -> {
            final byte[] value = view.get(encoded.bytes());
            if (value != null) {
                out.put(key, codec.decodeValue(key, value, false));
            }
        });
        return out;
    }

    private EntriesView view() {
        return backend.view(mapId);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageClosedException("map '" + mapId + "' is closed");
        }
    }
}
