// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class BackoffTest {
    @Test
    void shouldDoubleDelayUpToMaximumWithoutJitter() {
        Backoff backoff = new Backoff(50, 300, 0.0, new SplittableRandom(1));

        assertEquals(50, backoff.nextDelayMs());
        assertEquals(100, backoff.nextDelayMs());
        assertEquals(200, backoff.nextDelayMs());
        assertEquals(300, backoff.nextDelayMs());
        assertEquals(300, backoff.nextDelayMs());
    }

    @Test
    void shouldStartOverAfterReset() {
        Backoff backoff = new Backoff(50, 300, 0.0, new SplittableRandom(1));
        backoff.nextDelayMs();
        backoff.nextDelayMs();

        backoff.reset();

        assertEquals(50, backoff.nextDelayMs());
    }

    @Test
    void shouldShortenDelayByAtMostTheJitterFraction() {
        Backoff backoff = new Backoff(1000, 1000, 0.25, new SplittableRandom(7));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long delay = backoff.nextDelayMs();
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }

        assertTrue(min >= 750 && max <= 1000, min + ".." + max);
        assertTrue(max - min > 200, "no spread: " + min + ".." + max);
    }
}
