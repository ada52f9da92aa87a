// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.queue;

import io.hamok.Codec;
import io.hamok.map.HamokMapConfig;

/**
 * The immutable configuration of a {@link HamokQueue}. Build with {@link #builder()}:
 *
 * <pre>{@code
 * HamokQueueConfig<String> config = HamokQueueConfig.<String>builder()
 *         .queueId("jobs")
 *         .codec(Codecs.string())
 *         .build();
 * }</pre>
 *
 * @param <T> item type
 */
public final class HamokQueueConfig<T> {
    /** Default of {@link Builder#requestTimeoutMs(long)}. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = HamokMapConfig.DEFAULT_REQUEST_TIMEOUT_MS;

    private final String queueId;
    private final Codec<T> codec;
    private final long requestTimeoutMs;

    private HamokQueueConfig(Builder<T> b) {
        this.queueId = b.queueId;
        this.codec = b.codec;
        this.requestTimeoutMs = b.requestTimeoutMs;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The storage id shared by every peer's instance of this queue. */
    public String queueId() {
        return queueId;
    }

    /** Encodes and decodes the items. */
    public Codec<T> codec() {
        return codec;
    }

    /** How long a push, pop, clear or linearizable read may take before it fails with {@link io.hamok.HamokTimeoutException}. */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    @Override
    public String toString() {
        return "HamokQueueConfig{queueId='" + queueId + "', codec=" + codec + ", requestTimeoutMs=" + requestTimeoutMs
                + '}';
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder<T> {
        private String queueId;
        private Codec<T> codec;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;

        private Builder() {
        }

        /** Required, non-blank: the id every peer uses for this queue. */
        public Builder<T> queueId(String queueId) {
            this.queueId = queueId;
            return this;
        }

        /** Required: encodes items (any bytes, an empty array included, are an item). */
        public Builder<T> codec(Codec<T> codec) {
            this.codec = codec;
            return this;
        }

        /** Milliseconds, greater than 0; default {@value HamokQueueConfig#DEFAULT_REQUEST_TIMEOUT_MS}. */
        public Builder<T> requestTimeoutMs(long requestTimeoutMs) {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field
         */
        public HamokQueueConfig<T> build() {
            if (queueId == null || queueId.isBlank()) {
                throw new IllegalArgumentException("queueId must be a non-blank string, was "
                        + (queueId == null ? "null" : "'" + queueId + "'"));
            }
            if (codec == null) {
                throw new IllegalArgumentException("codec is required (e.g. Codecs.string())");
            }
            if (requestTimeoutMs <= 0) {
                throw new IllegalArgumentException("requestTimeoutMs must be > 0, was " + requestTimeoutMs);
            }
            return new HamokQueueConfig<>(this);
        }
    }
}
