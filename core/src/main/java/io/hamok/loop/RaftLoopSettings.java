// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import java.util.concurrent.TimeUnit;

/**
 * Budgets and limits of a {@link RaftLoop}; set through {@link RaftLoopBuilder}.
 *
 * @param inboundBufferBytes   capacity of the inbound ring buffer (a power of two); frames that do
 *                             not fit are dropped and counted. Default 4 MiB.
 * @param commandQueueCapacity commands (proposals, membership calls, waits) queued at most; more
 *                             fail at once with BackPressureException. Default 65536.
 * @param maxFramesPerCycle    inbound frames handled per duty cycle. Default 1024.
 * @param maxCommandsPerCycle  commands handled per duty cycle. Default 1024.
 * @param maxAppliedPerCycle   committed entries applied per duty cycle. Default 4096.
 * @param proposalTimeoutMs    a proposal not committed within this fails with HamokTimeoutException
 *                             (outcome unknown). Default 10000.
 */
public record RaftLoopSettings(int inboundBufferBytes, int commandQueueCapacity, int maxFramesPerCycle,
                               int maxCommandsPerCycle, int maxAppliedPerCycle, long proposalTimeoutMs) {

    public static RaftLoopSettings defaults() {
        return new RaftLoopSettings(4 * 1024 * 1024, 65_536, 1024, 1024, 4096, 10_000);
    }

    /**
     * @throws IllegalArgumentException naming the first invalid field
     */
    public RaftLoopSettings {
        if (inboundBufferBytes <= 0 || Integer.bitCount(inboundBufferBytes) != 1) {
            throw new IllegalArgumentException("inboundBufferBytes must be a positive power of two, was "
                    + inboundBufferBytes);
        }
        positive("commandQueueCapacity", commandQueueCapacity);
        positive("maxFramesPerCycle", maxFramesPerCycle);
        positive("maxCommandsPerCycle", maxCommandsPerCycle);
        positive("maxAppliedPerCycle", maxAppliedPerCycle);
        positive("proposalTimeoutMs", proposalTimeoutMs);
    }

    long proposalTimeoutNs() {
        return TimeUnit.MILLISECONDS.toNanos(proposalTimeoutMs);
    }

    private static void positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be greater than 0, was " + value);
        }
    }
}
