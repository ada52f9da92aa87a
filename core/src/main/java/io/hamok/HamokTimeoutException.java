// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The operation did not complete within its timeout. For a write this usually means "outcome
 * unknown" ({@link #mayHaveBeenApplied()} true): it reached a leader and may still be committed
 * and applied later. It is false when the write never reached a leader (every attempt to send it
 * was refused by the transport), and for a read, which writes nothing.
 */
public class HamokTimeoutException extends HamokException {
    private static final long serialVersionUID = 1L;

    /** A write's timeout: outcome unknown. */
    public HamokTimeoutException(String message) {
        this(message, true);
    }

    /** @param mayHaveBeenApplied whether the write may be in the log */
    public HamokTimeoutException(String message, boolean mayHaveBeenApplied) {
        super(message, mayHaveBeenApplied);
    }
}
