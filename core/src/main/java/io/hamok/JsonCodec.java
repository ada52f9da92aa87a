// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.util.Objects;

/**
 * A {@link Codec} that writes values as JSON (UTF-8) with Jackson. Needs
 * {@code com.fasterxml.jackson.core:jackson-databind} on the class path: it is an optional
 * dependency of hamok-core, and no other Hamok class needs it.
 *
 * <p>Works with anything the {@link ObjectMapper} can write and read: Java records, POJOs, boxed
 * primitives, strings, lists and maps (via {@link #of(TypeReference)}). Conditional operations
 * compare encoded bytes, so the encoding must be deterministic: the default mapper writes map
 * entries sorted by key ({@code ORDER_MAP_ENTRIES_BY_KEYS}); a mapper you pass should do the same
 * if map values take part in {@code updateIf}/{@code removeIf}.
 * JSON {@code 0}, {@code false} and {@code ""} are values like any other.
 *
 * <p>Thread-safe (Jackson readers and writers are immutable). Failures throw
 * {@link IllegalArgumentException} with the target type and Jackson's message.
 *
 * @param <T> the type of the values
 */
public final class JsonCodec<T> implements Codec<T> {
    /** Map entries sorted by key, so that equal maps give equal bytes (conditions compare bytes). */
    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final ObjectMapper mapper;
    private final JavaType type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonCodec(ObjectMapper mapper, JavaType type) {
        this.mapper = mapper;
        this.type = type;
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
    }

    /** A codec for {@code type} with a default {@link ObjectMapper}. */
    public static <T> JsonCodec<T> of(Class<T> type) {
        return of(type, DEFAULT_MAPPER);
    }

    /** A codec for a generic type, e.g. {@code new TypeReference<List<String>>() {}}. */
    public static <T> JsonCodec<T> of(TypeReference<T> type) {
        return of(type, DEFAULT_MAPPER);
    }

    /** A codec for {@code type} with the given mapper (which must not be reconfigured afterwards). */
    public static <T> JsonCodec<T> of(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }

    /** A codec for a generic type with the given mapper (which must not be reconfigured afterwards). */
    public static <T> JsonCodec<T> of(TypeReference<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }

    @Override
    public byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        final T value;
        try {
            value = reader.readValue(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode JSON as " + type + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("cannot decode JSON as " + type + ": the JSON is null or empty");
        }
        return value;
    }

    /** Codecs for the same type with the same {@link ObjectMapper} instance are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof JsonCodec<?> other && other.type.equals(type) && other.mapper == mapper;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + System.identityHashCode(mapper);
    }

    @Override
    public String toString() {
        return "JsonCodec[" + type + "]";
    }
}
