package io.hamok;

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

    private final String mapId;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final RemoteMap remoteMap;
    private final long requestTimeoutMs;
    private final boolean noEvents;

    private HamokRemoteMapConfig(Builder<K, V> b) {
        this.mapId = b.mapId;
        this.keyCodec = b.keyCodec;
        this.valueCodec = b.valueCodec;
        this.remoteMap = b.remoteMap;
        this.requestTimeoutMs = b.requestTimeoutMs;
        this.noEvents = b.noEvents;
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

    /** The external store. */
    public RemoteMap remoteMap() {
        return remoteMap;
    }

    /** How long a write may take (log, execution by the leader, the outcome back) before it fails. */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /** Whether this peer, when it leads, reports its executions without events (see {@link Builder#noEvents}). */
    public boolean noEvents() {
        return noEvents;
    }

    @Override
    public String toString() {
        return "HamokRemoteMapConfig{mapId='" + mapId + "', keyCodec=" + keyCodec + ", valueCodec=" + valueCodec
                + ", remoteMap=" + remoteMap + ", requestTimeoutMs=" + requestTimeoutMs + ", noEvents=" + noEvents + '}';
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
            if (remoteMap == null) {
                throw new IllegalArgumentException("remoteMap is required (the external store, e.g. a RedisRemoteMap,"
                        + " or a MemoryRemoteMap for tests)");
            }
            if (requestTimeoutMs <= 0) {
                throw new IllegalArgumentException("requestTimeoutMs must be > 0, was " + requestTimeoutMs);
            }
            return new HamokRemoteMapConfig<>(this);
        }
    }
}
