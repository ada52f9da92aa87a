// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * An immutable Raft snapshot: the state machine's export at {@link #index()}, the term of that
 * entry, and the cluster configuration in force at that index. Its byte form (what
 * InstallSnapshot sends in chunks) is {@code [int configLength][config][stateMachineData]},
 * protected by a CRC-32C {@link #checksum()}.
 */
public final class RaftSnapshot {
    private final long index;
    private final long term;
    private final Membership membership;
    private final byte[] bytes;
    private final int checksum;
    private final int dataOffset;

    private RaftSnapshot(long index, long term, Membership membership, byte[] bytes, int dataOffset) {
        this.index = index;
        this.term = term;
        this.membership = membership;
        this.bytes = bytes;
        this.dataOffset = dataOffset;
        this.checksum = crc32c(bytes, 0, bytes.length);
    }

    /** A snapshot of {@code stateMachineData} taken at {@code index}. */
    public static RaftSnapshot of(long index, long term, Membership membership, byte[] stateMachineData) {
        final byte[] config = membership.toBytes();
        final byte[] bytes = new byte[4 + config.length + stateMachineData.length];
        ByteBuffer.wrap(bytes).putInt(config.length).put(config).put(stateMachineData);
        return new RaftSnapshot(index, term, membership, bytes, 4 + config.length);
    }

    /**
     * Rebuilds a snapshot from its byte form.
     *
     * @throws IllegalArgumentException when the bytes are malformed
     */
    public static RaftSnapshot fromBytes(long index, long term, byte[] bytes) {
        if (bytes.length < 4) {
            throw new IllegalArgumentException("snapshot shorter than its header: " + bytes.length + " bytes");
        }
        final int configLength = ByteBuffer.wrap(bytes).getInt();
        if (configLength < 0 || configLength > bytes.length - 4) {
            throw new IllegalArgumentException("snapshot config length out of range: " + configLength);
        }
        final byte[] config = new byte[configLength];
        System.arraycopy(bytes, 4, config, 0, configLength);
        return new RaftSnapshot(index, term, Membership.fromBytes(config), bytes, 4 + configLength);
    }

    public long index() {
        return index;
    }

    public long term() {
        return term;
    }

    public Membership membership() {
        return membership;
    }

    /** The whole byte form; do not modify. */
    byte[] bytes() {
        return bytes;
    }

    /**
     * The whole byte form as a read-only view, without copying: what a durable log writes to disk
     * and reads back with {@link #fromBytes}.
     */
    public ByteBuffer byteForm() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    public int length() {
        return bytes.length;
    }

    /** A copy of the state machine's part. */
    public byte[] stateMachineData() {
        final byte[] data = new byte[bytes.length - dataOffset];
        System.arraycopy(bytes, dataOffset, data, 0, data.length);
        return data;
    }

    /** CRC-32C of the byte form. */
    public int checksum() {
        return checksum;
    }

    static int crc32c(byte[] bytes, int offset, int length) {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    @Override
    public String toString() {
        return "RaftSnapshot{index=" + index + ", term=" + term + ", " + membership + ", bytes=" + bytes.length + '}';
    }
}
