// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link RecordCodec} that stores each property as its JSON value (UTF-8), with Jackson. Works
 * with Java records and POJOs (getters/setters or fields, as the {@link ObjectMapper} sees them);
 * property names are the JSON names. Needs {@code com.fasterxml.jackson.core:jackson-databind} on
 * the class path: it is an optional dependency of hamok-core.
 *
 * <p>Partial objects: a {@code null} property is absent, so use boxed types ({@code Integer}, not
 * {@code int}) for properties a partial object may leave out; a primitive is always encoded.
 * Decoding a record with missing properties gives {@code null} (or a primitive's default);
 * properties the type does not know are ignored.
 *
 * <p>{@link #decodeValue} returns the property's declared type (e.g. {@code Integer} for an
 * {@code int} component); a property the type does not declare decodes as Jackson's natural type
 * ({@code String}, {@code Integer}, {@code Map}, {@code List}, ...). Encoding goes through Jackson's
 * tree model so that a property encoded alone and as part of an object give the same bytes
 * (property-level annotations such as {@code @JsonFormat} are the exception: avoid them on
 * properties used in conditions).
 *
 * <p>The default mapper writes map entries sorted by key, so equal maps give equal bytes.
 *
 * <p>Thread-safe. Failures throw {@link IllegalArgumentException} naming the type and property.
 *
 * @param <T> the record's type
 */
public final class JsonRecordCodec<T> implements RecordCodec<T> {
    /** Map entries sorted by key, so that equal maps give equal bytes (conditions compare bytes). */
    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final ObjectMapper mapper;
    private final JavaType type;
    private final ObjectReader reader;
    private final ObjectReader anyReader;
    private final Map<String, ObjectReader> propertyReaders;
    private final Map<String, Class<?>> propertyTypes;

    private JsonRecordCodec(ObjectMapper mapper, JavaType type) {
        this.mapper = mapper;
        this.type = type;
        this.reader = mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.anyReader = mapper.readerFor(Object.class);
        final Map<String, ObjectReader> readers = new HashMap<>();
        final Map<String, Class<?>> types = new HashMap<>();
        final BeanDescription description = mapper.getSerializationConfig().introspect(type);
        for (BeanPropertyDefinition property : description.findProperties()) {
            if (property.couldSerialize()) {
                readers.put(property.getName(), mapper.readerFor(property.getPrimaryType()));
                types.put(property.getName(), boxed(property.getPrimaryType().getRawClass()));
            }
        }
        this.propertyReaders = Map.copyOf(readers);
        this.propertyTypes = declaresItsProperties(mapper, type, types) ? Map.copyOf(types) : null;
    }

    /**
     * Whether the type's properties are all known in advance: not for a map or collection, a type
     * with an any-setter (it takes any name), or one without properties (not a bean).
     */
    private static boolean declaresItsProperties(ObjectMapper mapper, JavaType type, Map<String, Class<?>> types) {
        if (types.isEmpty() || type.isContainerType() || JsonNode.class.isAssignableFrom(type.getRawClass())) {
            return false;
        }
        return mapper.getDeserializationConfig().introspect(type).findAnySetterAccessor() == null;
    }

    private static Class<?> boxed(Class<?> type) {
        return type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
    }

    /** A codec for {@code type} with a default {@link ObjectMapper}. */
    public static <T> JsonRecordCodec<T> of(Class<T> type) {
        return of(type, DEFAULT_MAPPER);
    }

    /** A codec for {@code type} with the given mapper (which must not be reconfigured afterwards). */
    public static <T> JsonRecordCodec<T> of(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JsonRecordCodec<>(mapper, mapper.constructType(type));
    }

    @Override
    public Map<String, byte[]> encodeProperties(T value) {
        Objects.requireNonNull(value, "value");
        final JsonNode tree;
        try {
            tree = mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot encode " + type + " as JSON: " + e.getMessage(), e);
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException("cannot encode " + type + " as properties: its JSON is a "
                    + tree.getNodeType() + ", not an object");
        }
        final Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : tree.properties()) {
            if (!property.getValue().isNull()) {
                out.put(property.getKey(), write(property.getKey(), property.getValue()));
            }
        }
        return out;
    }

    @Override
    public T decode(Map<String, byte[]> properties) {
        final ObjectNode tree = mapper.createObjectNode();
        properties.forEach((name, bytes) -> tree.set(name, readTree(name, bytes)));
        final T value;
        try {
            value = reader.readValue(tree);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode " + type + " from its properties " + properties.keySet()
                    + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("cannot decode " + type + ": Jackson returned null");
        }
        return value;
    }

    @Override
    public byte[] encodeValue(String property, Object value) {
        Objects.requireNonNull(value, "value");
        final JsonNode tree;
        try {
            tree = mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot encode property '" + property + "' of " + type + " as JSON: "
                    + e.getMessage(), e);
        }
        return write(property, tree);
    }

    @Override
    public Object decodeValue(String property, byte[] bytes) {
        final Object value;
        try {
            value = propertyReaders.getOrDefault(property, anyReader).readValue(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode property '" + property + "' of " + type + ": "
                    + e.getMessage(), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("cannot decode property '" + property + "' of " + type
                    + ": the JSON is null or empty");
        }
        return value;
    }

    /**
     * The JSON properties of the type (as Jackson serializes it) and their declared classes, boxed;
     * {@code null} for a map or collection type, a type with an {@code @JsonAnySetter} and a type
     * without properties, where any name may be written.
     */
    @Override
    public Map<String, Class<?>> propertyTypes() {
        return propertyTypes;
    }

    /** Codecs for the same type with the same {@link ObjectMapper} instance are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof JsonRecordCodec<?> other && other.type.equals(type) && other.mapper == mapper;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + System.identityHashCode(mapper);
    }

    @Override
    public String toString() {
        return "JsonRecordCodec[" + type + "]";
    }

    private byte[] write(String property, JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode property '" + property + "' of " + type + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private JsonNode readTree(String property, byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode property '" + property + "' of " + type
                    + " as JSON: " + e.getMessage(), e);
        }
    }
}
