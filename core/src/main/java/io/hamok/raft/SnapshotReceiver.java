// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A follower's side of a chunked InstallSnapshot (paper §7): collects the chunks of one snapshot
 * in order and hands out the snapshot once its length and CRC-32C check out.
 *
 * <p>Memory follows the bytes received, not the length a leader announces: the buffer starts at
 * the first chunk's size and doubles as chunks arrive, never beyond the announced length (which
 * the node has checked against {@code maxSnapshotBytes}). A transfer that fails or is abandoned
 * releases its buffer.
 */
final class SnapshotReceiver {
    private long index = -1;
    private long term;
    private int checksum;
    private byte[] bytes;
    private long length;
    private long received;

    /**
     * Takes one chunk. A chunk at offset 0 starts a new transfer; any other chunk must continue
     * the current one exactly.
     *
     * @return the next expected offset, or -1 when the chunk does not fit (see {@link #expectedOffset()})
     */
    long accept(long snapshotIndex, long snapshotTerm, long offset, DirectBuffer data, int dataOffset, int dataLength,
                long length, int checksum) {
        if (offset == 0) {
            this.index = snapshotIndex;
            this.term = snapshotTerm;
            this.checksum = checksum;
            this.length = length;
            // Deliberate allocation: one buffer per snapshot transfer, grown as chunks arrive.
            this.bytes = new byte[(int) Math.min(length, dataLength)];
            this.received = 0;
        } else if (snapshotIndex != index || snapshotTerm != term || offset != received
                || bytes == null || length != this.length) {
            return -1;
        }
        if (dataLength > this.length - received) {
            abandon();
            return -1;
        }
        ensureCapacity(received + dataLength);
        data.getBytes(dataOffset, bytes, (int) received, dataLength);
        received += dataLength;
        return received;
    }

    private void ensureCapacity(long needed) {
        if (needed > bytes.length) {
            final long doubled = Math.max(needed, 2L * bytes.length);
            bytes = Arrays.copyOf(bytes, (int) Math.min(length, doubled));
        }
    }

    /** Drops the transfer under way and its buffer. */
    void abandon() {
        bytes = null;
        index = -1;
        received = 0;
    }

    /** Bytes held for the transfer under way (its buffer's size); for tests. */
    int bufferedBytes() {
        return bytes == null ? 0 : bytes.length;
    }

    /** Where the current transfer stands (0 when there is none). */
    long expectedOffset() {
        return bytes == null ? 0 : received;
    }

    /** The finished snapshot, or {@code null} when its length or checksum is wrong or it does not parse. */
    RaftSnapshot complete() {
        final byte[] b = bytes;
        final long snapshotIndex = index;
        final long snapshotTerm = term;
        final boolean whole = received == length;
        abandon();
        if (b == null || !whole || b.length != length || RaftSnapshot.crc32c(b, 0, b.length) != checksum) {
            return null;
        }
        try {
            return RaftSnapshot.fromBytes(snapshotIndex, snapshotTerm, b);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
