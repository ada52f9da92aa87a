// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import java.io.IOException;

/**
 * {@link FileRaftLogs#open} found damage it must not repair: a bad record followed by valid data,
 * a gap in the indexes, a damaged header, metadata or snapshot that is inconsistent with the log.
 * Nothing is dropped silently: the message names the file and the byte offset.
 */
public final class FileLogCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    FileLogCorruptException(String file, long offset, String problem) {
        super(file + " at byte " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file, as the file layer names it. */
    public String file() {
        return file;
    }

    /** Byte offset of the damage in {@link #file()}. */
    public long offset() {
        return offset;
    }
}
