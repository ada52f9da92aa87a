package io.hamok.raft;

import org.agrona.DirectBuffer;

/**
 * A follower's side of a chunked InstallSnapshot (paper §7): collects the chunks of one snapshot
 * in order and hands out the snapshot once its length and CRC-32C check out.
 */
final class SnapshotReceiver {
    private long index = -1;
    private long term;
    private int checksum;
    private byte[] bytes;
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
            // Deliberate allocation: one buffer per snapshot transfer.
            this.index = snapshotIndex;
            this.term = snapshotTerm;
            this.checksum = checksum;
            this.bytes = new byte[(int) length];
            this.received = 0;
        } else if (snapshotIndex != index || snapshotTerm != term || offset != received
                || bytes == null || length != bytes.length) {
            return -1;
        }
        if (dataLength > bytes.length - received) {
            bytes = null;
            index = -1;
            return -1;
        }
        data.getBytes(dataOffset, bytes, (int) received, dataLength);
        received += dataLength;
        return received;
    }

    /** Where the current transfer stands (0 when there is none). */
    long expectedOffset() {
        return bytes == null ? 0 : received;
    }

    /** The finished snapshot, or {@code null} when its length or checksum is wrong or it does not parse. */
    RaftSnapshot complete() {
        final byte[] b = bytes;
        bytes = null;
        if (b == null || received != b.length || RaftSnapshot.crc32c(b, 0, b.length) != checksum) {
            return null;
        }
        try {
            return RaftSnapshot.fromBytes(index, term, b);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
