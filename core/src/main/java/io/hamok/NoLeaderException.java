// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * No leader is known (an election is going on, or this peer is cut off from the majority) and the
 * operation could not be handed to one within its timeout. Nothing was sent, so a write was not
 * applied ({@link #mayHaveBeenApplied()} is false). Retry later.
 */
public class NoLeaderException extends HamokException {
    private static final long serialVersionUID = 1L;

    public NoLeaderException(String message) {
        super(message, false);
    }
}
