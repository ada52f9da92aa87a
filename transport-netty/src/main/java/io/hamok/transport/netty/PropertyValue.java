// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

/** One {@code key=value} of a properties file and its conversions, each failing with the key, value and form. */
record PropertyValue(String key, String raw) {
    String trimmed() {
        return raw.trim();
    }

    String nonBlank() {
        if (raw.isBlank()) {
            throw invalid("expected a non-blank value");
        }
        return raw.trim();
    }

    int intValue() {
        long v = longValue();
        if (v > Integer.MAX_VALUE) {
            throw invalid("expected a non-negative integer up to " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    long longValue() {
        String s = raw.trim();
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid("expected a non-negative integer (decimal digits)");
        }
        if (v < 0) {
            throw invalid("expected a non-negative integer, not a negative one");
        }
        return v;
    }

    boolean booleanValue() {
        String s = raw.trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid("expected true or false");
    }

    double fraction() {
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid("expected a fraction in [0, 1], e.g. 0.2");
        }
        if (!(v >= 0.0 && v <= 1.0)) {
            throw invalid("expected a fraction in [0, 1], e.g. 0.2");
        }
        return v;
    }

    /** An exception whose message names this key and value, then why it is wrong. */
    IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(prefix() + why);
    }

    /** How every message of {@link #invalid} starts. */
    String prefix() {
        return "invalid " + key + "=" + raw + ": ";
    }
}
