// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

/**
 * A broken Raft safety invariant found by the simulation. The message names the invariant, the
 * nodes, indexes and terms involved and, once {@link #at(long)} added it, the virtual time.
 */
public final class InvariantViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final String invariant;
    private final String detail;
    private final boolean timed;

    public InvariantViolation(String invariant, String detail) {
        this(invariant, detail, false, null);
    }

    /** A violation found at virtual time {@code nowNs}. */
    public InvariantViolation(String invariant, String detail, long nowNs) {
        this(invariant, detail + " [virtual time " + SimClock.format(nowNs) + "]", true, null);
    }

    private InvariantViolation(String invariant, String detail, boolean timed, Throwable cause) {
        super("Invariant " + invariant + " violated: " + detail, cause);
        this.invariant = invariant;
        this.detail = detail;
        this.timed = timed;
    }

    /** Which invariant, e.g. {@code "(a) at most one leader per term"}. */
    public String invariant() {
        return invariant;
    }

    /** This violation with the virtual time appended to its message (itself when it already has one). */
    public InvariantViolation at(long nowNs) {
        if (timed) {
            return this;
        }
        return new InvariantViolation(invariant, detail + " [virtual time " + SimClock.format(nowNs) + "]", true, this);
    }
}
