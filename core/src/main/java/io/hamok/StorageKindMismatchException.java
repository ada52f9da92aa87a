// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The storage id is already used by a storage of another kind (for example a record where a map
 * was asked for). Pick another id. Nothing was changed ({@link #mayHaveBeenApplied()} is false): a
 * request of the wrong kind that reached the log is refused there, on every replica.
 */
public class StorageKindMismatchException extends HamokException {
    private static final long serialVersionUID = 1L;

    public StorageKindMismatchException(String message) {
        super(message);
    }
}
