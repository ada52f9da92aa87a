// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The storage was closed; create or get it again from its {@link Hamok} instance to use it. Thrown
 * before anything is sent ({@link #mayHaveBeenApplied()} is false).
 */
public class StorageClosedException extends HamokException {
    private static final long serialVersionUID = 1L;

    public StorageClosedException(String message) {
        super(message);
    }
}
