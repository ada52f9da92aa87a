// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The leader accepted the entry, then lost leadership before it was committed, and the new leader
 * committed a different entry at its index: the write did not happen and can be retried
 * ({@link #mayHaveBeenApplied()} is false).
 */
public class EntryLostException extends HamokException {
    private static final long serialVersionUID = 1L;

    public EntryLostException(String message) {
        super(message, false);
    }
}
