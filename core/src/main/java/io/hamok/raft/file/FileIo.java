// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Every file operation of the file log, in one directory, so that tests can put a disk with a page
 * cache, power cuts and full disks underneath ({@code SimDisk} in the tests). {@link RealFileIo} is
 * the real one. Names are plain file names inside the directory.
 */
interface FileIo {
    /** An open file. Not thread-safe. */
    interface Handle extends AutoCloseable {
        long size() throws IOException;

        /** Writes all of {@code src} at {@code position}. */
        void write(ByteBuffer src, long position) throws IOException;

        /** Reads up to {@code dst.remaining()} bytes at {@code position}; -1 at the end. */
        int read(ByteBuffer dst, long position) throws IOException;

        void truncate(long size) throws IOException;

        /** Forces written data (and the size) to the device: fdatasync. */
        void force() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Opens {@code name} for reading and writing, creating it (empty) if absent. */
    Handle open(String name) throws IOException;

    /** Names of the files in the directory. */
    List<String> list() throws IOException;

    /** Deletes {@code name}; nothing happens if it does not exist. */
    void delete(String name) throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to}. */
    void rename(String from, String to) throws IOException;

    /** Makes creations, deletions and renames in the directory durable. */
    void syncDirectory() throws IOException;

    /** How a message names {@code name} (the full path for real files). */
    String describe(String name);

    /** The whole content of {@code name}. */
    default byte[] readAll(String name) throws IOException {
        try (Handle handle = open(name)) {
            final long size = handle.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(describe(name) + " is too large to read: " + size + " bytes");
            }
            final byte[] bytes = new byte[(int) size];
            final ByteBuffer dst = ByteBuffer.wrap(bytes);
            while (dst.hasRemaining()) {
                if (handle.read(dst, dst.position()) < 0) {
                    throw new IOException(describe(name) + " shrank while being read");
                }
            }
            return bytes;
        }
    }
}
