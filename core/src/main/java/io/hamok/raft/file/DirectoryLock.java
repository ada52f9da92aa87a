// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, held while a {@link FileRaftLogs} is open: an OS file lock
 * on {@code <dir>/lock}, which the OS releases when the process dies (a crash never leaves the
 * directory locked). The file itself stays; its presence means nothing.
 */
final class DirectoryLock implements AutoCloseable {
    static final String NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws DataDirectoryInUseException when another process or another open log in this JVM holds it */
    static DirectoryLock acquire(Path dir) throws IOException {
        final FileChannel channel = FileChannel.open(dir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            final FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new DataDirectoryInUseException(dir);
            }
            return new DirectoryLock(channel, lock);
        } catch (OverlappingFileLockException sameJvm) {
            channel.close();
            throw new DataDirectoryInUseException(dir);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases the lock in any case
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
