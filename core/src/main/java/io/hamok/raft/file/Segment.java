// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import java.io.IOException;
import java.util.Arrays;

/**
 * What the writer thread knows of one segment file: its name, the indexes it holds, its size and
 * the byte offset of every record (so that a truncation needs no scan). Owned by the writer thread
 * (and by recovery before it starts).
 */
final class Segment {
    final String name;
    final long firstIndex;
    long lastIndex;
    long size;
    FileIo.Handle handle;
    private long[] offsets;

    Segment(String name, long firstIndex, long size) {
        this(name, firstIndex, size, null);
    }

    /** A segment that keeps its record offsets in {@code offsets} (one a deleted segment gave back), or a new array. */
    Segment(String name, long firstIndex, long size, long[] offsets) {
        this.name = name;
        this.firstIndex = firstIndex;
        this.lastIndex = firstIndex - 1;
        this.size = size;
        this.offsets = offsets != null ? offsets : new long[64];
    }

    boolean isEmpty() {
        return lastIndex < firstIndex;
    }

    /** Records that the next entry, {@code lastIndex + 1}, starts at byte {@code offset}. */
    void added(long offset) {
        final int slot = (int) (lastIndex + 1 - firstIndex);
        if (slot == offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2); // grows to the segment's entry count, then stays
        }
        offsets[slot] = offset;
        lastIndex++;
    }

    /** Byte offset of the record of {@code index}, which this segment holds. */
    long offsetOf(long index) {
        return offsets[(int) (index - firstIndex)];
    }

    /** Forgets the entries from {@code index} on; the file must be truncated to {@link #offsetOf} of it. */
    void dropFrom(long index) {
        size = offsetOf(index);
        lastIndex = index - 1;
    }

    /**
     * Hands over the offsets array of a segment that is gone (deleted), for a new segment to reuse;
     * this segment must not be used afterwards.
     */
    long[] releaseOffsets() {
        final long[] released = offsets;
        offsets = null;
        return released;
    }

    FileIo.Handle open(FileIo io) throws IOException {
        if (handle == null) {
            handle = io.open(name);
        }
        return handle;
    }

    void closeQuietly() {
        if (handle != null) {
            try {
                handle.close();
            } catch (IOException ignored) {
                // closing after a failure or before a delete: nothing more to lose
            }
            handle = null;
        }
    }

    @Override
    public String toString() {
        return name + "[" + firstIndex + ".." + lastIndex + ", " + size + " bytes]";
    }
}
