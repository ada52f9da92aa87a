// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.queue.HamokQueueConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HamokQueueConfigTest {
    private static HamokQueueConfig.Builder<String> valid() {
        return HamokQueueConfig.<String>builder().queueId("q").codec(Codecs.string());
    }

    private static String failure(HamokQueueConfig.Builder<String> builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void shouldDefaultTheRequestTimeoutTo5000Ms() {
        final HamokQueueConfig<String> config = valid().build();

        assertEquals(5000, config.requestTimeoutMs());
        assertEquals("q", config.queueId());
        assertSame(Codecs.string(), config.codec());
    }

    @Test
    void shouldNameTheBadFieldWhenValidationFails() {
        assertTrue(failure(valid().queueId(null)).startsWith("queueId"));
        assertTrue(failure(valid().queueId(" ")).startsWith("queueId"));
        assertTrue(failure(valid().codec(null)).startsWith("codec"));
        assertTrue(failure(valid().requestTimeoutMs(-1)).startsWith("requestTimeoutMs"));
        assertEquals(1, valid().requestTimeoutMs(1).build().requestTimeoutMs());
    }
}
