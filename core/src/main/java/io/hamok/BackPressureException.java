// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * A bounded queue or buffer is full, so the operation was refused at once instead of waiting:
 * slow down (fewer operations in flight) and retry.
 *
 * <p>Usually nothing was applied ({@link #mayHaveBeenApplied()} false). The exception: a write
 * that had already been sent to an earlier leader, and that the next leader refused when it was
 * sent again; the first copy may still be committed, so the outcome is unknown (true).
 */
public class BackPressureException extends HamokException {
    private static final long serialVersionUID = 1L;

    /** The operation was refused before anything was sent or appended. */
    public BackPressureException(String message) {
        this(message, false);
    }

    /** @param mayHaveBeenApplied whether an earlier copy of the write may be in the log */
    public BackPressureException(String message, boolean mayHaveBeenApplied) {
        super(message, mayHaveBeenApplied);
    }
}
