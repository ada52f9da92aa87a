// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The Hamok instance (or the part of it the operation needs) is closed.
 *
 * <p>An operation started after the close did not run ({@link #mayHaveBeenApplied()} false). A
 * write still waiting when the instance closed says whether it had been sent: if it had reached
 * a leader (this node or another), it may still be committed and applied on the other replicas,
 * so the outcome is unknown (true); if no leader ever had it, it was not applied (false).
 */
public class HamokClosedException extends HamokException {
    private static final long serialVersionUID = 1L;

    /** The operation did not run. */
    public HamokClosedException(String message) {
        this(message, false);
    }

    /** @param mayHaveBeenApplied whether the write had reached a leader before the close */
    public HamokClosedException(String message, boolean mayHaveBeenApplied) {
        super(message, mayHaveBeenApplied);
    }
}
