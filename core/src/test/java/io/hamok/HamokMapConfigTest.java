// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HamokMapConfigTest {
    private static HamokMapConfig.Builder<String, Integer> valid() {
        return HamokMapConfig.<String, Integer>builder().mapId("m").keyCodec(Codecs.string())
                .valueCodec(Codecs.integer());
    }

    private static String failure(HamokMapConfig.Builder<String, Integer> builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void shouldDefaultTheRequestTimeoutTo5000Ms() {
        final HamokMapConfig<String, Integer> config = valid().build();

        assertEquals(5000, config.requestTimeoutMs());
        assertEquals("m", config.mapId());
        assertSame(Codecs.string(), config.keyCodec());
        assertSame(Codecs.integer(), config.valueCodec());
    }

    @Test
    void shouldNameTheBadFieldWhenValidationFails() {
        assertTrue(failure(valid().mapId(null)).startsWith("mapId"));
        assertTrue(failure(valid().mapId(" ")).startsWith("mapId"));
        assertTrue(failure(valid().keyCodec(null)).startsWith("keyCodec"));
        assertTrue(failure(valid().valueCodec(null)).startsWith("valueCodec"));
        assertTrue(failure(valid().requestTimeoutMs(0)).startsWith("requestTimeoutMs"));
        assertEquals(1, valid().requestTimeoutMs(1).build().requestTimeoutMs());
    }
}
