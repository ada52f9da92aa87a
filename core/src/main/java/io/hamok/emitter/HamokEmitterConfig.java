// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import io.hamok.Codec;

/**
 * The immutable configuration of a {@link HamokEmitter}. Build with {@link #builder()}:
 *
 * <pre>{@code
 * HamokEmitterConfig<String> config = HamokEmitterConfig.<String>builder()
 *         .emitterId("prices")
 *         .metadataCodec(Codecs.string())       // optional: subscriptions without metadata need none
 *         .build();
 * }</pre>
 *
 * Payload codecs are per event ({@link EmitterEvent}), not here.
 *
 * @param <M> the subscription metadata type
 */
public final class HamokEmitterConfig<M> {
    /** Default of {@link Builder#requestTimeoutMs(long)}. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
    /** Default of {@link Builder#publishTimeoutMs(long)}. */
    public static final long DEFAULT_PUBLISH_TIMEOUT_MS = 5_000;

    private final String emitterId;
    private final Codec<M> metadataCodec;
    private final long requestTimeoutMs;
    private final long publishTimeoutMs;
    private final boolean autoClean;

    private HamokEmitterConfig(Builder<M> b) {
        this.emitterId = b.emitterId;
        this.metadataCodec = b.metadataCodec;
        this.requestTimeoutMs = b.requestTimeoutMs;
        this.publishTimeoutMs = b.publishTimeoutMs;
        this.autoClean = b.autoClean;
    }

    public static <M> Builder<M> builder() {
        return new Builder<>();
    }

    /** The storage id shared by every peer's instance of this emitter. */
    public String emitterId() {
        return emitterId;
    }

    /** Encodes subscription metadata; {@code null} when none was configured (metadata must then be {@code null}). */
    public Codec<M> metadataCodec() {
        return metadataCodec;
    }

    /** How long a change of the subscription table (subscribe, unsubscribe, ...) may take before it fails. */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /** How long {@link HamokEmitter#publish} waits for answers unless the call gives its own timeout. */
    public long publishTimeoutMs() {
        return publishTimeoutMs;
    }

    /** Whether this peer, while it leads, removes the subscriptions of peers that left the configuration. */
    public boolean autoClean() {
        return autoClean;
    }

    @Override
    public String toString() {
        return "HamokEmitterConfig{emitterId='" + emitterId + "', metadataCodec=" + metadataCodec
                + ", requestTimeoutMs=" + requestTimeoutMs + ", publishTimeoutMs=" + publishTimeoutMs
                + ", autoClean=" + autoClean + '}';
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder<M> {
        private String emitterId;
        private Codec<M> metadataCodec;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
        private long publishTimeoutMs = DEFAULT_PUBLISH_TIMEOUT_MS;
        private boolean autoClean = true;

        private Builder() {
        }

        /** Required, non-blank: the id every peer uses for this emitter. */
        public Builder<M> emitterId(String emitterId) {
            this.emitterId = emitterId;
            return this;
        }

        /** Optional: encodes subscription metadata (conditional updates compare the encoded bytes). */
        public Builder<M> metadataCodec(Codec<M> metadataCodec) {
            this.metadataCodec = metadataCodec;
            return this;
        }

        /** Milliseconds, greater than 0; default {@value HamokEmitterConfig#DEFAULT_REQUEST_TIMEOUT_MS}. */
        public Builder<M> requestTimeoutMs(long requestTimeoutMs) {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        /** Milliseconds, greater than 0; default {@value HamokEmitterConfig#DEFAULT_PUBLISH_TIMEOUT_MS}. */
        public Builder<M> publishTimeoutMs(long publishTimeoutMs) {
            this.publishTimeoutMs = publishTimeoutMs;
            return this;
        }

        /**
         * Default true: while this peer leads, it removes through the log the subscriptions of peers
         * that are not in the configuration, when it becomes leader and whenever the configuration
         * changes. Open the emitter with {@code autoClean} on every peer that may lead.
         */
        public Builder<M> autoClean(boolean autoClean) {
            this.autoClean = autoClean;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field
         */
        public HamokEmitterConfig<M> build() {
            if (emitterId == null || emitterId.isBlank()) {
                throw new IllegalArgumentException("emitterId must be a non-blank string, was "
                        + (emitterId == null ? "null" : "'" + emitterId + "'"));
            }
            if (requestTimeoutMs <= 0) {
                throw new IllegalArgumentException("requestTimeoutMs must be > 0, was " + requestTimeoutMs);
            }
            if (publishTimeoutMs <= 0) {
                throw new IllegalArgumentException("publishTimeoutMs must be > 0, was " + publishTimeoutMs);
            }
            return new HamokEmitterConfig<>(this);
        }
    }
}
