// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.record;

import java.util.Map;

/**
 * Turns an object of type {@code T} into separately stored properties (property name to encoded
 * value) and back, for a {@link HamokRecord}. {@link JsonRecordCodec} is the standard
 * implementation (Jackson); implement this interface to use another format.
 *
 * <p>Contract: {@code encodeValue(p, v)} gives the same bytes as the entry {@code p} of
 * {@code encodeProperties(x)} for an {@code x} whose property {@code p} is {@code v}, and encoding is
 * deterministic: conditional operations compare encoded bytes. {@code decodeValue(p,
 * encodeValue(p, v))} equals {@code v}. No method is given {@code null} or returns {@code null}
 * values: a {@code null} property is an absent one.
 *
 * <p>Threads: encoding runs on the caller's thread, decoding on a reader's thread or the Hamok loop
 * thread; implementations must be thread-safe and must not block. Failures throw
 * {@link IllegalArgumentException} (or a {@link io.hamok.HamokException}).
 *
 * @param <T> the record's type
 */
public interface RecordCodec<T> {
    /**
     * Encodes every non-null property of {@code value} (a full object or a partial one whose unset
     * properties are {@code null}); {@code null} properties are left out.
     *
     * @return a new map the caller owns, property name to encoded value
     */
    Map<String, byte[]> encodeProperties(T value);

    /**
     * Builds an object from stored properties; missing properties become {@code null} (or the
     * default of a primitive), properties the type does not know are ignored.
     *
     * @param properties property name to encoded value; must not be modified
     * @return never {@code null}
     */
    T decode(Map<String, byte[]> properties);

    /** Encodes one property's value (never {@code null}). */
    byte[] encodeValue(String property, Object value);

    /** Decodes one property's stored value into the property's type; never returns {@code null}. */
    Object decodeValue(String property, byte[] bytes);

    /**
     * The properties of {@code T} and the class each one's values must be instances of (the
     * wrapper for a primitive: {@code Integer} for {@code int}). {@link HamokRecord} checks every
     * write that names a property ({@code set}, {@code insert}, {@code replace}, {@code updateIf},
     * the expected values of {@code updateInstanceIf}) against it on the caller's thread, and
     * refuses an unknown name or a value of another class with an {@link io.hamok.InvalidPropertyException}
     * before anything is sent. Only the class is checked, not type arguments ({@code List<String>}
     * accepts any {@code List}).
     *
     * @return an unmodifiable map, the same on every call; or {@code null} (the default) when the
     *         codec does not say, and then nothing is checked
     */
    default Map<String, Class<?>> propertyTypes() {
        return null;
    }
}
