// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.util.SplittableRandom;

/**
 * Redial delays: start at {@code initialMs}, double per failed attempt up to {@code maxMs}, each
 * shortened by a random fraction up to {@code jitter} so that peers do not redial in lockstep.
 * Not thread-safe: used on one event loop. (This module is not under the determinism rule; the
 * random source is still injected so tests can fix it.)
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final double jitter;
    private final SplittableRandom random;
    private long nextMs;

    Backoff(long initialMs, long maxMs, double jitter, SplittableRandom random) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.jitter = jitter;
        this.random = random;
        this.nextMs = initialMs;
    }

    /** The delay before the next attempt; doubles the one after it (capped). */
    long nextDelayMs() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        long delay = (long) (base * (1.0 - jitter * random.nextDouble()));
        return Math.max(1, delay);
    }

    /** After a successful connection: the next failure starts over at {@code initialMs}. */
    void reset() {
        nextMs = initialMs;
    }
}
