// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * {@code getOrCreateMap} or {@code getOrCreateRecord} found the storage already open on this
 * instance with other codecs than the configuration asks for: the open object would decode with
 * its own codecs, and a caller expecting other types would fail later, far from the cause. Use the
 * same codec objects as the open storage (or codecs that are {@code equals} to them), or close the
 * open one first. Nothing was changed ({@link #mayHaveBeenApplied()} is false).
 */
public class StorageCodecMismatchException extends HamokException {
    private static final long serialVersionUID = 1L;

    public StorageCodecMismatchException(String message) {
        super(message, false);
    }
}
