// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The small record type the simulation replicates in a {@link HamokRecord}: two string properties,
 * with a {@link RecordCodec} that stores each as UTF-8 (deterministic bytes, so conditions compare
 * what the workload expects).
 */
record HamokSimSettings(String color, String owner) {
    static final List<String> PROPERTIES = List.of("color", "owner");

    static final RecordCodec<HamokSimSettings> CODEC = new RecordCodec<>() {
        @Override
        public Map<String, byte[]> encodeProperties(HamokSimSettings value) {
            final Map<String, byte[]> out = new HashMap<>();
            if (value.color() != null) {
                out.put("color", utf8(value.color()));
            }
            if (value.owner() != null) {
                out.put("owner", utf8(value.owner()));
            }
            return out;
        }

        @Override
        public HamokSimSettings decode(Map<String, byte[]> properties) {
            final byte[] color = properties.get("color");
            final byte[] owner = properties.get("owner");
            return new HamokSimSettings(color == null ? null : string(color), owner == null ? null : string(owner));
        }

        @Override
        public byte[] encodeValue(String property, Object value) {
            if (!PROPERTIES.contains(property) || !(value instanceof String s)) {
                throw new IllegalArgumentException("no string property '" + property + "' = " + value);
            }
            return utf8(s);
        }

        @Override
        public Object decodeValue(String property, byte[] bytes) {
            return string(bytes);
        }
    };

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
