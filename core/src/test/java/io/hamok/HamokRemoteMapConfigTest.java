// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.remotemap.MemoryRemoteMap;
import io.hamok.remotemap.RemoteMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HamokRemoteMapConfigTest {
    private static final RemoteMap STORE = new MemoryRemoteMap();

    private static HamokRemoteMapConfig.Builder<String, Integer> valid() {
        return HamokRemoteMapConfig.<String, Integer>builder().mapId("m").keyCodec(Codecs.string())
                .valueCodec(Codecs.integer()).remoteMap(STORE);
    }

    private static String failure(HamokRemoteMapConfig.Builder<String, Integer> builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void shouldDefaultTheRequestTimeoutTo5000MsAndEventsOn() {
        final HamokRemoteMapConfig<String, Integer> config = valid().build();

        assertEquals(5000, config.requestTimeoutMs());
        assertEquals("m", config.mapId());
        assertSame(Codecs.string(), config.keyCodec());
        assertSame(Codecs.integer(), config.valueCodec());
        assertSame(STORE, config.remoteMap());
        assertFalse(config.noEvents());
        assertTrue(valid().noEvents(true).build().noEvents());
    }

    @Test
    void shouldNameTheBadFieldWhenValidationFails() {
        assertTrue(failure(valid().mapId(null)).startsWith("mapId"));
        assertTrue(failure(valid().mapId(" ")).startsWith("mapId"));
        assertTrue(failure(valid().keyCodec(null)).startsWith("keyCodec"));
        assertTrue(failure(valid().valueCodec(null)).startsWith("valueCodec"));
        assertTrue(failure(valid().remoteMap(null)).startsWith("remoteMap"));
        assertTrue(failure(valid().requestTimeoutMs(0)).startsWith("requestTimeoutMs"));
    }
}
