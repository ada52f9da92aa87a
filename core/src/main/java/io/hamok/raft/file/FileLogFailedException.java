// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

/**
 * A mutation was refused because the log's writer thread failed (a write or an fsync threw, for
 * example because the disk is full). From that failure on nothing more is reported durable, so
 * nothing more is acknowledged; the cause is the original failure, also available from
 * {@link FileRaftLogs#failure()}. The node must stop (and be restarted once the disk is fixed):
 * the in-memory view may be ahead of the files.
 */
public final class FileLogFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    FileLogFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
