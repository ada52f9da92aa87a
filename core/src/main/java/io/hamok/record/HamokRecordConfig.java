// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.record;

/**
 * The immutable configuration of a {@link HamokRecord}. Build with {@link #builder()}:
 *
 * <pre>{@code
 * HamokRecordConfig<Room> config = HamokRecordConfig.<Room>builder()
 *         .recordId("room-1")
 *         .codec(JsonRecordCodec.of(Room.class))
 *         .build();
 * }</pre>
 *
 * @param <T> the record's type
 */
public final class HamokRecordConfig<T> {
    /** Default of {@link Builder#requestTimeoutMs(long)}. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

    private final String recordId;
    private final RecordCodec<T> codec;
    private final long requestTimeoutMs;

    private HamokRecordConfig(Builder<T> b) {
        this.recordId = b.recordId;
        this.codec = b.codec;
        this.requestTimeoutMs = b.requestTimeoutMs;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The storage id shared by every peer's instance of this record. */
    public String recordId() {
        return recordId;
    }

    public RecordCodec<T> codec() {
        return codec;
    }

    /** How long a write or linearizable read may take before it fails with {@link io.hamok.HamokTimeoutException}. */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    @Override
    public String toString() {
        return "HamokRecordConfig{recordId='" + recordId + "', codec=" + codec + ", requestTimeoutMs="
                + requestTimeoutMs + '}';
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder<T> {
        private String recordId;
        private RecordCodec<T> codec;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;

        private Builder() {
        }

        /** Required, non-blank: the id every peer uses for this record. */
        public Builder<T> recordId(String recordId) {
            this.recordId = recordId;
            return this;
        }

        /** Required: encodes the properties, e.g. {@code JsonRecordCodec.of(Room.class)}. */
        public Builder<T> codec(RecordCodec<T> codec) {
            this.codec = codec;
            return this;
        }

        /** Milliseconds, greater than 0; default {@value HamokRecordConfig#DEFAULT_REQUEST_TIMEOUT_MS}. */
        public Builder<T> requestTimeoutMs(long requestTimeoutMs) {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field
         */
        public HamokRecordConfig<T> build() {
            if (recordId == null || recordId.isBlank()) {
                throw new IllegalArgumentException("recordId must be a non-blank string, was "
                        + (recordId == null ? "null" : "'" + recordId + "'"));
            }
            if (codec == null) {
                throw new IllegalArgumentException("codec is required (e.g. JsonRecordCodec.of(MyType.class))");
            }
            if (requestTimeoutMs <= 0) {
                throw new IllegalArgumentException("requestTimeoutMs must be > 0, was " + requestTimeoutMs);
            }
            return new HamokRecordConfig<>(this);
        }
    }
}
