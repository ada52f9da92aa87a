// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import static io.hamok.raft.file.FileFormat.MIN_RECORD_LENGTH;
import static io.hamok.raft.file.FileFormat.ORDER;
import static io.hamok.raft.file.FileFormat.RECORD_INDEX;
import static io.hamok.raft.file.FileFormat.RECORD_LENGTH;
import static io.hamok.raft.file.FileFormat.RECORD_OVERHEAD;
import static io.hamok.raft.file.FileFormat.RECORD_TERM;
import static io.hamok.raft.file.FileFormat.RECORD_TIMESTAMP;
import static io.hamok.raft.file.FileFormat.RECORD_TYPE;
import static io.hamok.raft.file.FileFormat.SEGMENT_HEADER_LENGTH;

/**
 * Rebuilds a log from its directory: metadata, the newest valid snapshot, then the segments in index
 * order. A torn tail (a damaged or partial record at the end of the last segment, with no valid
 * record after it) is cut off and counted; any other damage throws {@link FileLogCorruptException}
 * naming the file and offset. Runs on the thread that opens the log, before the writer starts.
 */
final class Recovery {
    private final FileIo io;
    private final MemoryRaftLogs mirror = new MemoryRaftLogs();
    private final List<Segment> segments = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private FileFormat.Meta meta = FileFormat.Meta.EMPTY;
    private String snapshotFile;
    private int tornTails;
    private long tornBytes;
    private long entriesRead;

    private Recovery(FileIo io) {
        this.io = io;
    }

    static Recovery run(FileIo io) throws IOException {
        final Recovery recovery = new Recovery(io);
        recovery.recover();
        return recovery;
    }

    MemoryRaftLogs mirror() {
        return mirror;
    }

    List<Segment> segments() {
        return segments;
    }

    FileFormat.Meta meta() {
        return meta;
    }

    String snapshotFile() {
        return snapshotFile;
    }

    int tornTails() {
        return tornTails;
    }

    long tornBytes() {
        return tornBytes;
    }

    long entriesRead() {
        return entriesRead;
    }

    private void recover() throws IOException {
        final List<String> names = io.list();
        final List<String> segmentNames = new ArrayList<>();
        final List<String> snapshotNames = new ArrayList<>();
        for (String name : names) {
            if (name.endsWith(FileFormat.TMP_SUFFIX)) {
                io.delete(name); // an atomic write that never reached its rename
            } else if (FileFormat.segmentIndexOf(name) >= 0) {
                segmentNames.add(name);
            } else if (FileFormat.snapshotIndexOf(name) >= 0) {
                snapshotNames.add(name);
            }
        }
        if (names.contains(FileFormat.META)) {
            meta = FileFormat.Meta.decode(io.readAll(FileFormat.META), io.describe(FileFormat.META));
        }
        final RaftSnapshot snapshot = newestSnapshot(snapshotNames);
        if (meta.logStart() > 1) {
            if (snapshot == null || snapshot.index() < meta.logStart() - 1) {
                throw new FileLogCorruptException(io.describe(FileFormat.META), 16, "the log starts at "
                    + meta.logStart() + " but no snapshot covers " + (meta.logStart() - 1) + " (newest: "
                    + snapshotFile + ")");
            }
            // The term of entry logStart - 1 must be known; a placeholder snapshot carries it until the real one.
            mirror.installSnapshot(RaftSnapshot.of(meta.logStart() - 1, meta.termBeforeLogStart(),
                Membership.of(List.of(), List.of()), new byte[0]));
        }
        segmentNames.sort(Comparator.comparingLong(FileFormat::segmentIndexOf));
        for (int i = 0; i < segmentNames.size(); i++) {
            scanSegment(segmentNames.get(i), i == segmentNames.size() - 1);
        }
        if (snapshot != null) {
            final long index = snapshot.index();
            if (index <= mirror.lastIndex() && mirror.termAt(index) == snapshot.term()) {
                mirror.storeSnapshot(snapshot, mirror.firstIndex() - 1);
            } else {
                // The log was being replaced by this snapshot when the process stopped (installSnapshot):
                // finish the job, so that new segments start after the snapshot.
                mirror.installSnapshot(snapshot);
                finishInstall();
            }
        }
        mirror.storeTermAndVote(meta.term(), meta.votedFor());
        mirror.storeEmptyLogGuard(meta.emptyLogGuard());
    }

    /**
     * The newest snapshot file. It must be intact: snapshot files are renamed into place only once
     * forced, so damage is real corruption, and an older snapshot may not cover the log start. Two
     * files of the same index (an install replaced a snapshot by one of another term, and the process
     * stopped before the old file was deleted): the one whose term {@code meta} names before the log
     * start, when the log starts right after it, else the other.
     */
    private RaftSnapshot newestSnapshot(List<String> names) throws IOException {
        if (names.isEmpty()) {
            return null;
        }
        names.sort(Comparator.comparingLong(FileFormat::snapshotIndexOf).reversed());
        snapshotFile = names.get(0);
        final long newest = FileFormat.snapshotIndexOf(snapshotFile);
        final String named = FileFormat.snapshotName(newest, meta.termBeforeLogStart());
        if (meta.logStart() - 1 == newest && names.contains(named)) {
            snapshotFile = named;
        }
        return FileFormat.decodeSnapshot(io.readAll(snapshotFile), io.describe(snapshotFile));
    }

    private void finishInstall() throws IOException {
        for (int i = segments.size() - 1; i >= 0; i--) {
            io.delete(segments.get(i).name);
        }
        segments.clear();
        io.syncDirectory();
        meta = new FileFormat.Meta(meta.term(), meta.votedFor(), meta.emptyLogGuard(), mirror.firstIndex(), mirror.termAt(mirror.firstIndex() - 1));
        FileFormat.writeAtomically(io, FileFormat.META, meta.encode());
    }

    private void scanSegment(String name, boolean last) throws IOException {
        final byte[] data = io.readAll(name);
        final ByteBuffer bytes = ByteBuffer.wrap(data).order(ORDER);
        final long nameIndex = FileFormat.segmentIndexOf(name);
        if (data.length < SEGMENT_HEADER_LENGTH) {
            if (!last) {
                throw new FileLogCorruptException(io.describe(name), 0, "segment shorter than its header");
            }
            cutTornTail(name, data, 0, null); // created, header not yet on disk
            return;
        }
        checkHeader(name, bytes, nameIndex);
        final Segment segment = new Segment(name, nameIndex, data.length);
        final long expectedFirst = segments.isEmpty() ? nameIndex : segments.get(segments.size() - 1).lastIndex + 1;
        if (nameIndex != expectedFirst) {
            throw new FileLogCorruptException(io.describe(name), 0,
                "gap in the log: segment starts at " + nameIndex + " but the previous one ends at " + (expectedFirst - 1));
        }
        int position = SEGMENT_HEADER_LENGTH;
        while (position < data.length) {
            final int length = recordLength(bytes, position);
            if (length < 0) {
                if (!last || validRecordFollows(bytes, position + 1, segment.lastIndex + 1)) {
                    throw new FileLogCorruptException(io.describe(name), position,
                        "damaged record for index " + (segment.lastIndex + 1) + " followed by valid data");
                }
                cutTornTail(name, data, position, segment);
                break;
            }
            final long index = bytes.getLong(position + RECORD_INDEX);
            if (index != segment.lastIndex + 1) {
                throw new FileLogCorruptException(io.describe(name), position,
                    "gap in the log: record for index " + index + " where " + (segment.lastIndex + 1) + " belongs");
            }
            load(name, bytes, position, length, index);
            segment.added(position);
            position += 8 + length;
        }
        segment.size = Math.min(segment.size, position);
        segments.add(segment);
    }

    private void checkHeader(String name, ByteBuffer bytes, long nameIndex) throws FileLogCorruptException {
        if (bytes.getInt(0) != FileFormat.SEGMENT_MAGIC) {
            throw new FileLogCorruptException(io.describe(name), 0, "not a segment file (bad magic)");
        }
        if (bytes.getInt(4) != FileFormat.VERSION) {
            throw new FileLogCorruptException(io.describe(name), 4, "unknown format version " + bytes.getInt(4));
        }
        if (FileFormat.crc(crc, bytes, 0, 20) != bytes.getInt(20)) {
            throw new FileLogCorruptException(io.describe(name), 20, "segment header checksum mismatch");
        }
        if (bytes.getLong(8) != nameIndex) {
            throw new FileLogCorruptException(io.describe(name), 8,
                "header says the segment starts at " + bytes.getLong(8) + ", its name says " + nameIndex);
        }
    }

    /** The length field of a whole, intact record at {@code position}, or -1 when it is partial or damaged. */
    private int recordLength(ByteBuffer bytes, int position) {
        final int available = bytes.capacity() - position;
        if (available < RECORD_OVERHEAD) {
            return -1;
        }
        final int length = bytes.getInt(position + RECORD_LENGTH);
        if (length < MIN_RECORD_LENGTH || length > available - 8) {
            return -1;
        }
        return FileFormat.crc(crc, bytes, position + RECORD_LENGTH, length + 4) == bytes.getInt(position) ? length : -1;
    }

    /**
     * Whether an intact record for an index at or after {@code nextIndex} starts anywhere from
     * {@code from} on: then the damage before it is not a torn tail but corruption.
     */
    private boolean validRecordFollows(ByteBuffer bytes, int from, long nextIndex) {
        for (int position = from; position <= bytes.capacity() - RECORD_OVERHEAD; position++) {
            final long index = bytes.getLong(position + RECORD_INDEX);
            if (index >= nextIndex && index - nextIndex <= (bytes.capacity() - from) / RECORD_OVERHEAD
                && recordLength(bytes, position) >= 0) {
                return true;
            }
        }
        return false;
    }

    private void cutTornTail(String name, byte[] data, int position, Segment segment) throws IOException {
        tornTails++;
        tornBytes += data.length - position;
        if (segment == null) {
            io.delete(name);
            io.syncDirectory();
            return;
        }
        try (FileIo.Handle handle = io.open(name)) {
            handle.truncate(position);
            handle.force();
        }
    }

    private void load(String name, ByteBuffer bytes, int position, int length, long index)
        throws FileLogCorruptException {
        entriesRead++;
        if (index < mirror.firstIndex()) {
            return; // below the log start: compacted, kept only because its segment holds later entries
        }
        if (index != mirror.lastIndex() + 1) {
            throw new FileLogCorruptException(io.describe(name), position, "gap in the log: entry " + index
                + " follows " + mirror.lastIndex() + " (the log starts at " + meta.logStart() + ")");
        }
        final int payloadLength = length - MIN_RECORD_LENGTH;
        if (payloadLength == 0) {
            payload.wrap(0, 0);
        } else {
            payload.wrap(bytes.array(), position + RECORD_OVERHEAD, payloadLength);
        }
        mirror.append(bytes.getLong(position + RECORD_TERM), bytes.getLong(position + RECORD_TIMESTAMP),
            bytes.get(position + RECORD_TYPE), payload, 0, payloadLength);
    }
}
