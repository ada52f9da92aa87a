// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

/**
 * The virtual clock of one simulation: nanoseconds since the start of the run, advanced only by
 * {@link SimCluster}'s step loop. Every node reads the same time, so a run does not depend on the
 * machine that executes it.
 */
public final class SimClock {
    /** The epoch milliseconds that virtual time 0 corresponds to (a fixed date, so runs replay exactly). */
    public static final long EPOCH_BASE_MS = 1_700_000_000_000L;

    private long nowNs;

    /** Virtual time now, in nanoseconds since the start of the run. */
    public long nowNs() {
        return nowNs;
    }

    /** Virtual wall clock now, in epoch milliseconds (what the leader stamps on entries). */
    public long epochMs() {
        return EPOCH_BASE_MS + nowNs / 1_000_000;
    }

    /**
     * Moves time forward.
     *
     * @throws IllegalArgumentException when {@code timeNs} lies in the past
     */
    public void advanceTo(long timeNs) {
        if (timeNs < nowNs) {
            throw new IllegalArgumentException("virtual time must not go back: " + timeNs + " < " + nowNs);
        }
        nowNs = timeNs;
    }

    /** Time as text for failure messages, e.g. {@code "12.345 ms"}. */
    public static String format(long timeNs) {
        return String.format(java.util.Locale.ROOT, "%.3f ms", timeNs / 1e6);
    }
}
