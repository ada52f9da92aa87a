// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * Base of every exception Hamok completes a future with or throws; the subclass says what happened,
 * and {@link #mayHaveBeenApplied()} says what it means for a write.
 */
public class HamokException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean mayHaveBeenApplied;

    /** A failure of an operation that changed nothing ({@link #mayHaveBeenApplied()} is false). */
    public HamokException(String message) {
        this(message, false);
    }

    /** A failure of an operation that changed nothing ({@link #mayHaveBeenApplied()} is false). */
    public HamokException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param mayHaveBeenApplied see {@link #mayHaveBeenApplied()} */
    public HamokException(String message, boolean mayHaveBeenApplied) {
        super(message);
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    /** @param mayHaveBeenApplied see {@link #mayHaveBeenApplied()} */
    public HamokException(String message, Throwable cause, boolean mayHaveBeenApplied) {
        super(message, cause);
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    /**
     * Whether the write this exception failed may have happened anyway.
     *
     * <ul>
     *   <li>{@code false}: it was not applied and never will be (it never reached a log, or a new
     *       leader threw it away). Retrying cannot apply it twice. Also {@code false} for anything
     *       that is not a write (a read, a join, a storage's creation).</li>
     *   <li>{@code true}: the outcome is unknown. The write may already be in the log, and may be
     *       applied, on every replica, after this exception (or, for
     *       {@link ResultUnknownException}, it was applied). Read the storage before retrying,
     *       or write with a condition ({@code replace}, {@code putIfAbsent}) so that a second
     *       attempt cannot apply the change twice.</li>
     * </ul>
     */
    public boolean mayHaveBeenApplied() {
        return mayHaveBeenApplied;
    }
}
