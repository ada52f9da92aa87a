// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.RaftSnapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of the files in a file log's directory (all integers little-endian); see
 * docs/design.md, "The file log".
 *
 * <pre>
 * log-&lt;firstIndex&gt;.seg   header [magic "HMKS" int][version int][firstIndex long][0 int][crc int]
 *                        then records [crc int][length int][index long][term long][timestampMs long][type byte][payload]
 *                        (length counts the bytes after the length field; crc covers length .. end of payload)
 * meta                   [magic "HMKM" int][version int, 2][term long][logStart long][termBeforeLogStart long]
 *                        [flags int: bit 0 the empty-log guard][voteLength int, -1 for none][vote UTF-8]
 *                        [crc int over all before it]
 * snapshot-&lt;i&gt;-&lt;t&gt;.snap  [magic "HMKP" int][version int][index long][term long][length int][dataCrc int]
 *                        [headerCrc int over the 32 bytes before it][RaftSnapshot byte form]
 * </pre>
 */
final class FileFormat {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int VERSION = 1;
    /** Version 2 of {@code meta} added the flags (the empty-log guard); version 1 is refused. */
    static final int META_VERSION = 2;
    private static final int META_GUARD = 1;

    static final int SEGMENT_MAGIC = 0x534b4d48; // "HMKS" read little-endian
    static final int SEGMENT_HEADER_LENGTH = 24;
    static final String SEGMENT_PREFIX = "log-";
    static final String SEGMENT_SUFFIX = ".seg";

    /** Bytes a record takes besides its payload. */
    static final int RECORD_OVERHEAD = 33;
    /** Smallest value of a record's length field (a record with an empty payload). */
    static final int MIN_RECORD_LENGTH = RECORD_OVERHEAD - 8;
    static final int RECORD_CRC = 0;
    static final int RECORD_LENGTH = 4;
    static final int RECORD_INDEX = 8;
    static final int RECORD_TERM = 16;
    static final int RECORD_TIMESTAMP = 24;
    static final int RECORD_TYPE = 32;

    static final int META_MAGIC = 0x4d4b4d48; // "HMKM"
    static final String META = "meta";
    static final String META_TMP = "meta.tmp";

    static final int SNAPSHOT_MAGIC = 0x504b4d48; // "HMKP"
    static final int SNAPSHOT_HEADER_LENGTH = 36;
    static final String SNAPSHOT_PREFIX = "snapshot-";
    static final String SNAPSHOT_SUFFIX = ".snap";
    static final String TMP_SUFFIX = ".tmp";

    private FileFormat() {
    }

    static String segmentName(long firstIndex) {
        return SEGMENT_PREFIX + String.format("%020d", firstIndex) + SEGMENT_SUFFIX;
    }

    /** The first index in a segment file's name, or -1 when the name is not a segment's. */
    static long segmentIndexOf(String name) {
        if (!name.startsWith(SEGMENT_PREFIX) || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        return parseOrMinusOne(name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length()));
    }

    static String snapshotName(long index, long term) {
        return SNAPSHOT_PREFIX + index + "-" + term + SNAPSHOT_SUFFIX;
    }

    /** The index in a snapshot file's name, or -1 when the name is not a snapshot's. */
    static long snapshotIndexOf(String name) {
        if (!name.startsWith(SNAPSHOT_PREFIX) || !name.endsWith(SNAPSHOT_SUFFIX)) {
            return -1;
        }
        final String middle = name.substring(SNAPSHOT_PREFIX.length(), name.length() - SNAPSHOT_SUFFIX.length());
        final int dash = middle.indexOf('-');
        return dash < 0 ? -1 : parseOrMinusOne(middle.substring(0, dash));
    }

    private static long parseOrMinusOne(String digits) {
        if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // beyond a long: not one of ours
        }
    }

    static void putSegmentHeader(ByteBuffer dst, long firstIndex) {
        final int at = dst.position();
        dst.putInt(SEGMENT_MAGIC).putInt(VERSION).putLong(firstIndex).putInt(0);
        dst.putInt(crc(dst, at, 20));
    }

    /** CRC-32C of {@code length} bytes of {@code buffer} from {@code from}; position and limit are kept. */
    static int crc(ByteBuffer buffer, int from, int length) {
        final CRC32C crc = new CRC32C();
        return crc(crc, buffer, from, length);
    }

    static int crc(CRC32C crc, ByteBuffer buffer, int from, int length) {
        final int position = buffer.position();
        final int limit = buffer.limit();
        buffer.limit(from + length).position(from);
        crc.reset();
        crc.update(buffer);
        buffer.limit(limit).position(position);
        return (int) crc.getValue();
    }

    static int crc(byte[] bytes, int from, int length) {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }

    /** Writes a new file beside {@code name}, forces it, renames it over {@code name}, forces the directory. */
    static void writeAtomically(FileIo io, String name, ByteBuffer... parts) throws IOException {
        final String tmp = name + TMP_SUFFIX;
        try (FileIo.Handle handle = io.open(tmp)) {
            handle.truncate(0);
            long at = 0;
            for (ByteBuffer part : parts) {
                final int length = part.remaining();
                handle.write(part, at);
                at += length;
            }
            handle.force();
        }
        io.rename(tmp, name);
        io.syncDirectory();
    }

    // ------------------------------------------------------------------ metadata

    /** The contents of the {@code meta} file. */
    record Meta(long term, String votedFor, boolean emptyLogGuard, long logStart, long termBeforeLogStart) {
        static final Meta EMPTY = new Meta(0, null, false, 1, 0);

        ByteBuffer encode() {
            final byte[] vote = votedFor == null ? null : votedFor.getBytes(StandardCharsets.UTF_8);
            final int length = 40 + (vote == null ? 0 : vote.length) + 4;
            final ByteBuffer bytes = ByteBuffer.allocate(length).order(ORDER);
            bytes.putInt(META_MAGIC).putInt(META_VERSION).putLong(term).putLong(logStart).putLong(termBeforeLogStart);
            bytes.putInt(emptyLogGuard ? META_GUARD : 0);
            bytes.putInt(vote == null ? -1 : vote.length);
            if (vote != null) {
                bytes.put(vote);
            }
            bytes.putInt(crc(bytes.array(), 0, length - 4));
            return bytes.flip();
        }

        static Meta decode(byte[] data, String file) throws FileLogCorruptException {
            final ByteBuffer bytes = ByteBuffer.wrap(data).order(ORDER);
            if (data.length < 44 || bytes.getInt(0) != META_MAGIC) {
                throw new FileLogCorruptException(file, 0, "not a metadata file (" + data.length + " bytes)");
            }
            if (bytes.getInt(4) != META_VERSION) {
                throw new FileLogCorruptException(file, 4, "unknown format version " + bytes.getInt(4));
            }
            final int voteLength = bytes.getInt(36);
            if (voteLength < -1 || 40 + Math.max(0, voteLength) + 4 != data.length) {
                throw new FileLogCorruptException(file, 36, "bad vote length " + voteLength);
            }
            final int end = data.length - 4;
            if (crc(data, 0, end) != bytes.getInt(end)) {
                throw new FileLogCorruptException(file, end, "checksum mismatch");
            }
            final int flags = bytes.getInt(32);
            if ((flags & ~META_GUARD) != 0) {
                throw new FileLogCorruptException(file, 32, "unknown flags " + flags);
            }
            final String vote = voteLength < 0 ? null : new String(data, 40, voteLength, StandardCharsets.UTF_8);
            return new Meta(bytes.getLong(8), vote, (flags & META_GUARD) != 0, bytes.getLong(16), bytes.getLong(24));
        }
    }

    // ------------------------------------------------------------------ snapshots

    static ByteBuffer snapshotHeader(RaftSnapshot snapshot) {
        final ByteBuffer header = ByteBuffer.allocate(SNAPSHOT_HEADER_LENGTH).order(ORDER);
        header.putInt(SNAPSHOT_MAGIC).putInt(VERSION).putLong(snapshot.index()).putLong(snapshot.term())
            .putInt(snapshot.length()).putInt(snapshot.checksum());
        header.putInt(crc(header.array(), 0, 32));
        return header.flip();
    }

    /**
     * Reads a snapshot file back.
     *
     * @throws IOException naming the file and offset when it is damaged
     */
    static RaftSnapshot decodeSnapshot(byte[] data, String file) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(data).order(ORDER);
        if (data.length < SNAPSHOT_HEADER_LENGTH || bytes.getInt(0) != SNAPSHOT_MAGIC) {
            throw new FileLogCorruptException(file, 0, "not a snapshot file (" + data.length + " bytes)");
        }
        if (bytes.getInt(4) != VERSION) {
            throw new FileLogCorruptException(file, 4, "unknown format version " + bytes.getInt(4));
        }
        if (crc(data, 0, 32) != bytes.getInt(32)) {
            throw new FileLogCorruptException(file, 32, "header checksum mismatch");
        }
        final int length = bytes.getInt(24);
        if (length != data.length - SNAPSHOT_HEADER_LENGTH) {
            throw new FileLogCorruptException(file, 24,
                "snapshot length " + length + " but " + (data.length - SNAPSHOT_HEADER_LENGTH) + " bytes follow");
        }
        if (crc(data, SNAPSHOT_HEADER_LENGTH, length) != bytes.getInt(28)) {
            throw new FileLogCorruptException(file, SNAPSHOT_HEADER_LENGTH, "snapshot checksum mismatch");
        }
        final byte[] form = new byte[length];
        System.arraycopy(data, SNAPSHOT_HEADER_LENGTH, form, 0, length);
        try {
            return RaftSnapshot.fromBytes(bytes.getLong(8), bytes.getLong(16), form);
        } catch (IllegalArgumentException e) {
            throw new FileLogCorruptException(file, SNAPSHOT_HEADER_LENGTH, "malformed snapshot: " + e.getMessage());
        }
    }
}
