// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap;

import io.hamok.map.HamokMapConfig;
import io.hamok.Codec;

/**
 * The immutable configuration of a {@link HamokRemoteMap}. Build with {@link #builder()}:
 *
 * <pre>{@code
 * HamokRemoteMapConfig<String, Long> config = HamokRemoteMapConfig.<String, Long>builder()
 *         .mapId("sessions")
 *         .keyCodec(Codecs.string())
 *         .valueCodec(Codecs.longs())
 *         .remoteMap(new RedisRemoteMap(RedisRemoteMapConfig.builder().url("redis://127.0.0.1:6379")
 *                 .keyPrefix("sessions").build()))
 *         .build();
 * }</pre>
 *
 * Every peer that may lead must open the map with a {@link RemoteMap} of the same store: only the
 * leader executes mutations, and it can only do so with the map open.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class HamokRemoteMapConfig<K, V> {
    /** Default of {@link Builder#requestTimeoutMs(long)}. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

    /** The settings a remote map shares with a map (id, codecs, timeout), validated by its builder. */
    private final HamokMapConfig<K, V> map;
    private final RemoteMap remoteMap;
    private final boolean noEvents;

    private HamokRemoteMapConfig(HamokMapConfig<K, V> map, Builder<K, V> b) {
        this.map = map;
        this.remoteMap = b.remoteMap;
        this.noEvents = b.noEvents;
    }

    public static <K, V> Builder<K, V> builder() {
        return new Builder<>();
    }

    /** The storage id shared by every peer's instance of this map. */
    public String mapId() {
        return map.mapId();
    }

    public Codec<K> keyCodec() {
        return map.keyCodec();
    }

    public Codec<V> valueCodec() {
        return map.valueCodec();
    }

    /** The external store. */
    public RemoteMap remoteMap() {
        return remoteMap;
    }

    /** How long a write may take (log, execution by the leader, the outcome back) before it fails. */
    public long requestTimeoutMs() {
        return map.requestTimeoutMs();
    }

    /** Whether this peer, when it leads, reports its executions without events (see {@link Builder#noEvents}). */
    public boolean noEvents() {
        return noEvents;
    }

    @Override
    public String toString() {
        return "HamokRemoteMapConfig{mapId='" + mapId() + "', keyCodec=" + keyCodec() + ", valueCodec=" + valueCodec()
                + ", remoteMap=" + remoteMap + ", requestTimeoutMs=" + requestTimeoutMs() + ", noEvents=" + noEvents + '}';
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder<K, V> {
        private String mapId;
        private Codec<K> keyCodec;
        private Codec<V> valueCodec;
        private RemoteMap remoteMap;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
        private boolean noEvents;

        private Builder() {
        }

        /** Required, non-blank: the id every peer uses for this map. */
        public Builder<K, V> mapId(String mapId) {
            this.mapId = mapId;
            return this;
        }

        /** Required: encodes keys; must be deterministic, as the store compares keys as bytes. */
        public Builder<K, V> keyCodec(Codec<K> keyCodec) {
            this.keyCodec = keyCodec;
            return this;
        }

        /** Required: encodes values; conditional operations compare the encoded bytes. */
        public Builder<K, V> valueCodec(Codec<V> valueCodec) {
            this.valueCodec = valueCodec;
            return this;
        }

        /** Required: the external store (one instance per map and peer; Hamok does not close it). */
        public Builder<K, V> remoteMap(RemoteMap remoteMap) {
            this.remoteMap = remoteMap;
            return this;
        }

        /** Milliseconds, greater than 0; default {@value HamokRemoteMapConfig#DEFAULT_REQUEST_TIMEOUT_MS}. */
        public Builder<K, V> requestTimeoutMs(long requestTimeoutMs) {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        /**
         * The original's {@code noEvents}; default false. When this peer leads, the outcomes it appends
         * carry a "no events" flag, and no peer reports those executions to its listeners (the results
         * still reach the requesters). Give every peer the same setting: what counts is the setting of
         * the peer that executes.
         */
        public Builder<K, V> noEvents(boolean noEvents) {
            this.noEvents = noEvents;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field
         */
        public HamokRemoteMapConfig<K, V> build() {
            final HamokMapConfig<K, V> map = HamokMapConfig.<K, V>builder().mapId(mapId).keyCodec(keyCodec)
                    .valueCodec(valueCodec).requestTimeoutMs(requestTimeoutMs).build();
            if (remoteMap == null) {
                throw new IllegalArgumentException("remoteMap is required (the external store, e.g. a RedisRemoteMap,"
                        + " or a MemoryRemoteMap for tests)");
            }
            return new HamokRemoteMapConfig<>(map, this);
        }
    }
}
