// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.record.HamokRecordConfig;
import io.hamok.record.JsonRecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HamokRecordConfigTest {
    private static HamokRecordConfig.Builder<HamokRecordTest.Doc> valid() {
        return HamokRecordConfig.<HamokRecordTest.Doc>builder().recordId("r")
                .codec(JsonRecordCodec.of(HamokRecordTest.Doc.class));
    }

    private static String failure(HamokRecordConfig.Builder<HamokRecordTest.Doc> builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    @Test
    void shouldDefaultTheRequestTimeoutTo5000Ms() {
        final HamokRecordConfig<HamokRecordTest.Doc> config = valid().build();

        assertEquals(5000, config.requestTimeoutMs());
        assertEquals("r", config.recordId());
    }

    @Test
    void shouldNameTheBadFieldWhenValidationFails() {
        assertTrue(failure(valid().recordId(null)).startsWith("recordId"));
        assertTrue(failure(valid().recordId("")).startsWith("recordId"));
        assertTrue(failure(valid().codec(null)).startsWith("codec"));
        assertTrue(failure(valid().requestTimeoutMs(-1)).startsWith("requestTimeoutMs"));
    }
}
