// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import java.util.Collection;
import java.util.TreeSet;

/**
 * A write to a {@link io.hamok.record.HamokRecord} named a property its type does not have, or gave a value that is
 * not of the property's type. Thrown on the caller's thread before anything is sent
 * ({@link #mayHaveBeenApplied()} is false). The types come from the record's codec
 * ({@link io.hamok.record.RecordCodec#propertyTypes()}).
 */
public class InvalidPropertyException extends HamokException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final Class<?> expectedType;

    private InvalidPropertyException(String message, String property, Class<?> expectedType) {
        super(message, false);
        this.property = property;
        this.expectedType = expectedType;
    }

    /** The property is not one of {@code known}. */
    public static InvalidPropertyException unknown(String recordId, String property, Collection<String> known) {
        return new InvalidPropertyException("record '" + recordId + "' has no property '" + property
                + "'; its properties are " + new TreeSet<>(known), property, null);
    }

    /** {@code value} is not an instance of {@code expected}. */
    public static InvalidPropertyException wrongType(String recordId, String property, Class<?> expected, Object value) {
        return new InvalidPropertyException("record '" + recordId + "': property '" + property + "' takes a "
                + expected.getName() + ", not a " + value.getClass().getName() + " (" + abbreviated(value) + ")",
                property, expected);
    }

    /** The property named in the write. */
    public String property() {
        return property;
    }

    /** The type the property's values must have, or {@code null} when the property does not exist. */
    public Class<?> expectedType() {
        return expectedType;
    }

    private static String abbreviated(Object value) {
        final String s = String.valueOf(value);
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
