// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.map;

import io.hamok.Codec;

/**
 * The immutable configuration of a {@link HamokMap}. Build with {@link #builder()}:
 *
 * <pre>{@code
 * HamokMapConfig<String, Integer> config = HamokMapConfig.<String, Integer>builder()
 *         .mapId("scores")
 *         .keyCodec(Codecs.string())
 *         .valueCodec(Codecs.integer())
 *         .build();
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class HamokMapConfig<K, V> {
    /** Default of {@link Builder#requestTimeoutMs(long)}. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

    private final String mapId;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final long requestTimeoutMs;

    private HamokMapConfig(Builder<K, V> b) {
        this.mapId = b.mapId;
        this.keyCodec = b.keyCodec;
        this.valueCodec = b.valueCodec;
        this.requestTimeoutMs = b.requestTimeoutMs;
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    /** The storage id shared by every peer's instance of this map. */
    public String mapId() {
        return mapId;
    }

    public Codec<K> keyCodec() {
        return keyCodec;
    }

    public Codec<V> valueCodec() {
        return valueCodec;
    }

    /** How long a write or linearizable read may take before it fails with {@link io.hamok.HamokTimeoutException}. */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    @Override
    public String toString() {
        return "HamokMapConfig{mapId='" + mapId + "', keyCodec=" + keyCodec + ", valueCodec=" + valueCodec
                + ", requestTimeoutMs=" + requestTimeoutMs + '}';
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder<K, V> {
        private String mapId;
        private Codec<K> keyCodec;
        private Codec<V> valueCodec;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;

        private Builder() {
        }

        /** Required, non-blank: the id every peer uses for this map. */
        public Builder<K, V> mapId(String mapId) {
            this.mapId = mapId;
            return this;
        }

        /** Required: encodes keys; must be deterministic, as keys are compared as bytes. */
        public Builder<K, V> keyCodec(Codec<K> keyCodec) {
            this.keyCodec = keyCodec;
            return this;
        }

        /** Required: encodes values; conditional operations compare the encoded bytes. */
        public Builder<K, V> valueCodec(Codec<V> valueCodec) {
            this.valueCodec = valueCodec;
            return this;
        }

        /** Milliseconds, greater than 0; default {@value HamokMapConfig#DEFAULT_REQUEST_TIMEOUT_MS}. */
        public Builder<K, V> requestTimeoutMs(long requestTimeoutMs) {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field
         */
        public HamokMapConfig<K, V> build() {
            if (mapId == null || mapId.isBlank()) {
                throw new IllegalArgumentException("mapId must be a non-blank string, was "
                        + (mapId == null ? "null" : "'" + mapId + "'"));
            }
            if (keyCodec == null) {
                throw new IllegalArgumentException("keyCodec is required (e.g. Codecs.string())");
            }
            if (valueCodec == null) {
                throw new IllegalArgumentException("valueCodec is required (e.g. Codecs.string())");
            }
            if (requestTimeoutMs <= 0) {
                throw new IllegalArgumentException("requestTimeoutMs must be > 0, was " + requestTimeoutMs);
            }
            return new HamokMapConfig<>(this);
        }
    }
}
