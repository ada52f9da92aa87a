// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.map.MapListener;
import io.hamok.Codec;
import io.hamok.HamokException;
import io.hamok.state.ByteKey;
import io.hamok.state.StorageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A map's key and value codecs with the rules every map applies: {@code null} is never a key or a
 * value (a {@link NullPointerException} naming the argument), a codec must not return {@code null},
 * and bytes that do not decode fail with a {@link HamokException} naming the map and the key. Immutable;
 * any thread.
 */
public final class MapCodec<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(MapCodec.class);

    private final String owner;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;

    /** @param owner how messages name the map, e.g. {@code map 'stock'} */
    public MapCodec(String owner, Codec<K> keyCodec, Codec<V> valueCodec) {
        this.owner = owner;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
    }

    public byte[] encodeKey(K key, String argument) {
        Objects.requireNonNull(key, argument);
        return Objects.requireNonNull(keyCodec.encode(key), () -> "keyCodec returned null for " + key);
    }

    public byte[] encodeValue(V value, String argument) {
        Objects.requireNonNull(value, argument);
        return Objects.requireNonNull(valueCodec.encode(value), () -> "valueCodec returned null for " + value);
    }

    /** The encoded keys, in order, each mapped to its key (a later duplicate wins). */
    public Map<ByteKey, K> encodeKeys(Collection<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        final Map<ByteKey, K> out = new LinkedHashMap<>();
        for (K key : keys) {
            out.put(new ByteKey(encodeKey(key, "keys element")), key);
        }
        return out;
    }

    /** Encodes the entries; fills {@code originals} (encoded key to key) and returns the values aligned with it. */
    public List<byte[]> encodeEntries(Map<? extends K, ? extends V> entries, Map<ByteKey, K> originals) {
        Objects.requireNonNull(entries, "entries");
        final Map<ByteKey, byte[]> values = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            final ByteKey k = new ByteKey(encodeKey(key, "entries key"));
            if (value == null) {
                throw new NullPointerException("entries value of key " + key);
            }
            originals.put(k, key);
            values.put(k, encodeValue(value, "entries value"));
        });
        return new ArrayList<>(values.values());
    }

    /** The key an encoded key stands for: the caller's own object if it passed it, else decoded. */
    public K originalKey(Map<ByteKey, K> originals, byte[] encoded) {
        final K key = originals.get(new ByteKey(encoded));
        return key != null ? key : decodeKey(encoded);
    }

    public static List<byte[]> keyBytes(Map<ByteKey, ?> encoded) {
        final List<byte[]> out = new ArrayList<>(encoded.size());
        encoded.keySet().forEach(k -> out.add(k.bytes()));
        return out;
    }

    public K decodeKey(byte[] bytes) {
        try {
            return Objects.requireNonNull(keyCodec.decode(bytes), "keyCodec decoded null");
        } catch (RuntimeException e) {
            throw new HamokException(owner + ": cannot decode the key " + hex(bytes) + ": " + e.getMessage(), e);
        }
    }

    /** @param ofAppliedWrite the value is in the result of a write that was applied (the exception says so) */
    public V decodeValue(K key, byte[] bytes, boolean ofAppliedWrite) {
        try {
            return Objects.requireNonNull(valueCodec.decode(bytes), "valueCodec decoded null");
        } catch (RuntimeException e) {
            throw new HamokException(owner + ": cannot decode the value of key '" + key + "'"
                    + (ofAppliedWrite ? " in the result of a write that was applied" : "") + ": " + e.getMessage(),
                    e, ofAppliedWrite);
        }
    }

    /**
     * Decodes a change and hands it to every listener; the event is the state machine's reused one, so
     * it is decoded here, during the call. An event that does not decode is logged, not delivered.
     *
     * @param onUnknown what an {@link StorageEvent.Type#UNKNOWN} change calls on a listener
     */
    public <L extends MapListener<K, V>> void deliver(StorageEvent event, StorageListeners<L> listeners,
                                               BiConsumer<L, K> onUnknown) {
        if (listeners.isEmpty()) {
            return;
        }
        final K key;
        final V oldValue;
        final V newValue;
        try {
            key = event.key() == null ? null : decodeKey(event.key());
            oldValue = event.oldValue() == null ? null : decodeValue(key, event.oldValue(), false);
            newValue = event.newValue() == null ? null : decodeValue(key, event.newValue(), false);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot decode a {} event, listeners not called", owner, event.type(), e);
            return;
        }
        final StorageEvent.Type type = event.type(); // the event is reused once this call returns
        listeners.deliver(type.name(), listener -> {
            switch (type) {
                case INSERTED -> listener.onInserted(key, newValue);
                case UPDATED -> listener.onUpdated(key, oldValue, newValue);
                case REMOVED -> listener.onRemoved(key, oldValue);
                case CLEARED -> listener.onCleared();
                default -> onUnknown.accept(listener, key);
            }
        });
    }

    private static String hex(byte[] bytes) {
        final StringBuilder sb = new StringBuilder("0x");
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
