// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another {@link FileRaftLogs} holds the data directory: another process, or another instance in
 * this JVM, that has not been closed. Two logs in one directory would overwrite each other's files.
 * Stop the other instance, or give this one its own {@code hamok.raft.dataDir}.
 */
public final class DataDirectoryInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    DataDirectoryInUseException(Path dir) {
        super("the Raft log in " + dir + " is in use by another instance (it holds " + dir.resolve(DirectoryLock.NAME)
                + "); stop it first, or give this instance its own data directory");
    }
}
