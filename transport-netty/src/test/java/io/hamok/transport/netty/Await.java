// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition on counters or connection state, which have no event to wait on; frames
 * are awaited through {@link RecordingInboundFrames} instead. Polls every millisecond up to a
 * deadline; fails with {@code what} when the deadline passes.
 */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, Duration timeout, String what) throws TimeoutException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs > 0) {
                throw new TimeoutException("waited " + timeout + " for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
