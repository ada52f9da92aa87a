// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The request was applied, but this peer learnt it from a snapshot (it had fallen behind and
 * caught up by InstallSnapshot), so the result it would have computed is not known here. The write
 * happened ({@link #mayHaveBeenApplied()} is true); read the storage to see its effect.
 */
public class ResultUnknownException extends HamokException {
    private static final long serialVersionUID = 1L;

    public ResultUnknownException(String message) {
        super(message, true);
    }
}
