// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test of the leak check: a buffer that is never released must be reported. */
@Timeout(60)
class LeakDetectionSelfTest {
    @Test
    void shouldReportBufferThatIsNeverReleased() throws InterruptedException {
        assertTrue(LeakRecordingDetector.installed(), "leak detector not installed by surefire");
        LeakCheckExtension.collectLeaks(); // start clean

        leakOneBuffer();

        List<String> leaks = LeakCheckExtension.collectLeaks();
        assertFalse(leaks.isEmpty(), "a leaked buffer was not reported");
        assertTrue(leaks.get(0).contains("leakOneBuffer"), leaks.get(0));
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42); // touched here, never released
    }
}
