// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.RaftSnapshot;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import static io.hamok.raft.file.FileFormat.ORDER;
import static io.hamok.raft.file.FileFormat.RECORD_LENGTH;
import static io.hamok.raft.file.FileFormat.SEGMENT_HEADER_LENGTH;

/**
 * The writer thread's side of a {@link FileRaftLogs}: reads journal records in order, writes them
 * to the files, forces them per {@link FsyncPolicy} and publishes the durable sequence. It owns every
 * file; the loop thread never touches one.
 *
 * <p>Journal records (message type, then the body, little-endian):
 * <ul>
 *   <li>{@link #APPEND}: {@code [index long][term long][timestampMs long][type byte][payload]}, the
 *       body of the file record, copied as is;</li>
 *   <li>{@link #BIG_APPEND}: no body; the same bytes wait in the side queue as a {@code byte[]};</li>
 *   <li>{@link #TERM_VOTE}: {@code [term long][guard int, 1 when on][voteLength int, -1 for none][vote UTF-8]}
 *       (term, vote and the empty-log guard after the mutation);</li>
 *   <li>{@link #TRUNCATE}: {@code [index long]};</li>
 *   <li>{@link #SNAPSHOT}: {@code [flags int][firstIndex long][termBeforeFirst long][lastIndex long]}
 *       after the mutation; with {@link #NEW_SNAPSHOT} the snapshot waits in the side queue.</li>
 * </ul>
 *
 * <p>Ordering: every record is written after the ones before it, and before metadata or a snapshot
 * is written the segment is forced, so whatever survives a crash is the state after some prefix of
 * the mutations (a truncation in progress may have removed only part of what it removes).
 */
final class LogWriter implements MessageHandler {
    static final int APPEND = 1;
    static final int BIG_APPEND = 2;
    static final int TERM_VOTE = 3;
    static final int TRUNCATE = 4;
    static final int SNAPSHOT = 5;
    /** Body length of an {@link #APPEND} besides its payload. */
    static final int APPEND_HEADER = 25;
    static final int NEW_SNAPSHOT = 1;
    static final int DROP_ALL = 2;
    static final int SNAPSHOT_BODY = 28;

    private static final int MAX_BATCH = 1 << 16;
    private static final int MIN_STAGE_BYTES = 1 << 20;
    private static final int YIELDS_BEFORE_PARK = 20;
    private static final long PARK_NS = 100_000_000L; // a safety net only: the loop unparks the writer
    /** Offsets arrays of deleted segments kept for the next segments (each as large as a full segment needs). */
    private static final int SPARE_OFFSETS = 2;

    private final FileIo io;
    private final FsyncPolicy policy;
    private final int segmentBytes;
    private final RingBuffer journal;
    private final Queue<Object> sideRecords;
    private final Runnable onDurable;
    /** The loop's wake-up ({@link io.hamok.raft.RaftLogs#durabilityListener}), set once before it runs. */
    private volatile Runnable durabilityListener;
    private final List<Segment> segments;
    private final ByteBuffer stage;
    private final UnsafeBuffer bigRecord = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();
    /**
     * Offsets arrays of deleted segments, for new segments: a segment's array grows (by doubling) to
     * its entry count, 8 bytes an entry, so a new array per segment would leave about 24 bytes of
     * garbage per entry (measured with 64-byte entries). With compaction every rolled segment is
     * eventually deleted, so new segments past the first allocate no offsets.
     */
    private final long[][] spareOffsets = new long[SPARE_OFFSETS][];
    private int spareOffsetsCount;
    private long stagePosition;
    private boolean dirty;

    private long term;
    private String votedFor;
    private boolean emptyLogGuard;
    private long logStart;
    private long termBeforeLogStart;
    private long sequence;
    private long lastIndex;
    /** Written by the writer thread only; volatile so that monitoring may read it from any thread. */
    private volatile long fsyncs;

    private volatile long durableSequence;
    private volatile long durableLastIndex;
    private volatile Throwable failure;
    private volatile boolean sleeping;
    private volatile boolean stopping;

    LogWriter(FileIo io, FileLogConfig config, RingBuffer journal, Queue<Object> sideRecords, Recovery recovery) {
        this.io = io;
        this.policy = config.fsyncPolicy();
        this.segmentBytes = config.segmentBytes();
        this.journal = journal;
        this.sideRecords = sideRecords;
        this.onDurable = config.onDurable();
        this.segments = new ArrayList<>(recovery.segments());
        this.stage = ByteBuffer.allocateDirect(Math.max(MIN_STAGE_BYTES, journal.maxMsgLength() + 64)).order(ORDER);
        final FileFormat.Meta meta = recovery.meta();
        this.term = meta.term();
        this.votedFor = meta.votedFor();
        this.emptyLogGuard = meta.emptyLogGuard();
        this.logStart = recovery.mirror().firstIndex();
        this.termBeforeLogStart = recovery.mirror().termAt(logStart - 1);
        this.lastIndex = recovery.mirror().lastIndex();
        this.durableLastIndex = lastIndex;
        final Segment tail = tail();
        this.stagePosition = tail == null ? 0 : tail.size;
    }

    long durableSequence() {
        return durableSequence;
    }

    long durableLastIndex() {
        return durableLastIndex;
    }

    Throwable failure() {
        return failure;
    }

    /** Fsyncs of segment data so far; any thread may read it. */
    long fsyncs() {
        return fsyncs;
    }

    /** Writes every record waiting (up to a batch limit), forces per policy, publishes. */
    int doWork() {
        int total = 0;
        int read;
        while (total < MAX_BATCH && (read = journal.read(this, MAX_BATCH - total)) > 0) {
            total += read;
        }
        if (total > 0 && failure == null) {
            try {
                flushStage();
                if (policy != FsyncPolicy.NEVER) {
                    forceSegment();
                }
                publish();
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }
        return total;
    }

    /** The writer thread's body: work until asked to stop and the journal is drained, then {@link #finish()}. */
    void run() {
        int idle = 0;
        while (true) {
            if (doWork() > 0) {
                idle = 0;
            } else if (stopping && journal.size() == 0) {
                break;
            } else if (++idle < YIELDS_BEFORE_PARK) {
                Thread.yield();
            } else {
                sleeping = true;
                if (journal.size() == 0 && !stopping) {
                    LockSupport.parkNanos(this, PARK_NS);
                }
                sleeping = false;
            }
        }
        finish();
    }

    /** Whether the writer thread may be parked; the loop unparks it after a full fence. */
    boolean sleeping() {
        return sleeping;
    }

    void stop() {
        stopping = true;
    }

    /** Writes out and forces what is staged, then closes the files. */
    void finish() {
        if (failure == null) {
            try {
                flushStage();
                forceSegment();
                publish();
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }
        for (Segment segment : segments) {
            segment.closeQuietly();
        }
    }

    @Override
    public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        if (failure != null) {
            if (type == BIG_APPEND || type == SNAPSHOT && (buffer.getInt(index, ORDER) & NEW_SNAPSHOT) != 0) {
                sideRecords.poll();
            }
            return; // nothing more is written or published after a failure
        }
        try {
            switch (type) {
                case APPEND -> append(buffer, index, length);
                case BIG_APPEND -> {
                    final byte[] body = (byte[]) sideRecords.poll();
                    bigRecord.wrap(body);
                    append(bigRecord, 0, body.length);
                }
                case TERM_VOTE -> termAndVote(buffer, index);
                case TRUNCATE -> truncate(buffer.getLong(index, ORDER));
                case SNAPSHOT -> snapshot(buffer, index);
                default -> throw new IllegalStateException("unknown journal record type " + type);
            }
            sequence++;
            if (policy == FsyncPolicy.ALWAYS) {
                flushStage();
                forceSegment();
                publish();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void publish() {
        if (durableSequence != sequence) {
            durableLastIndex = lastIndex;
            durableSequence = sequence;
            if (onDurable != null) {
                onDurable.run();
            }
            final Runnable listener = durabilityListener;
            if (listener != null) {
                listener.run();
            }
        }
    }

    void durabilityListener(Runnable listener) {
        durabilityListener = listener;
    }

    // ------------------------------------------------------------------ entries

    private void append(DirectBuffer body, int at, int length) throws IOException {
        final long index = body.getLong(at, ORDER);
        if (index != lastIndex + 1) {
            throw new IllegalStateException("journal out of order: entry " + index + " after " + lastIndex);
        }
        final int recordLength = 8 + length;
        Segment segment = tail();
        if (segment == null || !segment.isEmpty() && stagePosition + stage.position() + recordLength > segmentBytes) {
            segment = roll(index);
        }
        final long offset = stagePosition + stage.position();
        if (recordLength > stage.capacity()) {
            flushStage();
            final ByteBuffer record = ByteBuffer.allocate(recordLength).order(ORDER); // rare: larger than the stage
            body.getBytes(at, record, 8, length);
            seal(record, 0, length);
            segment.open(io).write(record, offset);
            stagePosition += recordLength;
        } else {
            if (stage.remaining() < recordLength) {
                flushStage();
            }
            final int start = stage.position();
            body.getBytes(at, stage, start + 8, length);
            seal(stage, start, length);
            stage.position(start + recordLength);
        }
        segment.added(offset);
        segment.size = offset + recordLength;
        lastIndex = index;
        dirty = true;
    }

    /** Writes length and CRC in front of the {@code bodyLength} body bytes at {@code start + 8}. */
    private void seal(ByteBuffer buffer, int start, int bodyLength) {
        buffer.putInt(start + RECORD_LENGTH, bodyLength);
        buffer.putInt(start, FileFormat.crc(crc, buffer, start + RECORD_LENGTH, bodyLength + 4));
    }

    private Segment roll(long firstIndex) throws IOException {
        flushStage();
        final Segment previous = tail();
        if (previous != null) {
            forceSegment(); // always, whatever the policy: unforced data is only ever in the last segment
            previous.closeQuietly();
        }
        final Segment segment = new Segment(FileFormat.segmentName(firstIndex), firstIndex, SEGMENT_HEADER_LENGTH,
            takeSpareOffsets());
        final FileIo.Handle handle = segment.open(io);
        handle.truncate(0);
        final ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_LENGTH).order(ORDER);
        FileFormat.putSegmentHeader(header, firstIndex);
        handle.write(header.flip(), 0);
        segments.add(segment);
        stagePosition = SEGMENT_HEADER_LENGTH;
        dirty = true;
        io.syncDirectory();
        return segment;
    }

    private void flushStage() throws IOException {
        if (stage.position() == 0) {
            return;
        }
        final int length = stage.position();
        stage.flip();
        try {
            tail().open(io).write(stage, stagePosition);
        } finally {
            stage.clear();
        }
        stagePosition += length;
    }

    private void forceSegment() throws IOException {
        final Segment segment = tail();
        if (dirty && segment != null) {
            segment.open(io).force();
            fsyncs = fsyncs + 1; // single writer
        }
        dirty = false;
    }

    private void truncate(long index) throws IOException {
        flushStage();
        if (index > lastIndex) {
            return;
        }
        // Later segments go first, newest first, so that a crash leaves a prefix of the old log.
        if (deleteTailSegmentsFrom(index)) {
            io.syncDirectory();
        }
        final Segment segment = tail();
        if (segment != null && segment.lastIndex >= index) {
            segment.dropFrom(index);
            segment.open(io).truncate(segment.size);
            dirty = true;
        }
        stagePosition = segment == null ? 0 : segment.size;
        lastIndex = index - 1;
    }

    private boolean deleteTailSegmentsFrom(long index) throws IOException {
        boolean deleted = false;
        while (!segments.isEmpty() && tail().firstIndex >= index) {
            dropSegment(segments.size() - 1);
            deleted = true;
            dirty = false; // the remaining segments were forced when they were rolled
        }
        return deleted;
    }

    // ------------------------------------------------------------------ term, vote, snapshots

    private void termAndVote(DirectBuffer body, int at) throws IOException {
        flushStage();
        forceSegment();
        term = body.getLong(at, ORDER);
        emptyLogGuard = body.getInt(at + 8, ORDER) == 1;
        final int voteLength = body.getInt(at + 12, ORDER);
        if (voteLength < 0) {
            votedFor = null;
        } else {
            final byte[] vote = new byte[voteLength]; // a vote is rare: allocating here is fine
            body.getBytes(at + 16, vote);
            votedFor = new String(vote, StandardCharsets.UTF_8);
        }
        writeMeta();
    }

    private void snapshot(DirectBuffer body, int at) throws IOException {
        flushStage();
        forceSegment();
        final int flags = body.getInt(at, ORDER);
        final long firstIndex = body.getLong(at + 4, ORDER);
        final long termBeforeFirst = body.getLong(at + 12, ORDER);
        final long newLastIndex = body.getLong(at + 20, ORDER);
        String written = null;
        if ((flags & NEW_SNAPSHOT) != 0) {
            final RaftSnapshot snapshot = (RaftSnapshot) sideRecords.poll();
            written = FileFormat.snapshotName(snapshot.index(), snapshot.term());
            FileFormat.writeAtomically(io, written, FileFormat.snapshotHeader(snapshot), snapshot.byteForm());
        }
        if ((flags & DROP_ALL) != 0) {
            if (deleteTailSegmentsFrom(Long.MIN_VALUE)) {
                io.syncDirectory();
            }
            lastIndex = newLastIndex;
            stagePosition = 0;
        }
        if (firstIndex != logStart || termBeforeFirst != termBeforeLogStart) {
            // The term before the log start changes alone when an install replaces a snapshot of the
            // same index: recovery compares it with the snapshot, so it must be on disk before the
            // new entries are (they follow in later records).
            logStart = firstIndex;
            termBeforeLogStart = termBeforeFirst;
            writeMeta();
        }
        // Whole segments below the log start go; a crash that brings one back costs nothing (recovery skips it).
        while (!segments.isEmpty() && segments.get(0).lastIndex < logStart) {
            dropSegment(0);
            if (segments.isEmpty()) {
                dirty = false;
                stagePosition = 0;
            }
        }
        if (written != null) {
            deleteSnapshotsOtherThan(written);
        }
    }

    private void deleteSnapshotsOtherThan(String keep) throws IOException {
        for (String name : io.list()) {
            if (FileFormat.snapshotIndexOf(name) >= 0 && !name.equals(keep)) {
                io.delete(name);
            }
        }
    }

    private void writeMeta() throws IOException {
        FileFormat.writeAtomically(io, FileFormat.META, new FileFormat.Meta(term, votedFor, emptyLogGuard, logStart, termBeforeLogStart).encode());
    }

    /** Closes and deletes the segment at {@code position} of the list, keeping its offsets array. */
    private void dropSegment(int position) throws IOException {
        final Segment segment = segments.remove(position);
        segment.closeQuietly();
        io.delete(segment.name);
        keepSpareOffsets(segment);
    }

    /** Keeps a deleted segment's offsets array for a later segment (the largest ones, up to {@link #SPARE_OFFSETS}). */
    private void keepSpareOffsets(Segment deleted) {
        final long[] offsets = deleted.releaseOffsets();
        if (spareOffsetsCount < SPARE_OFFSETS) {
            spareOffsets[spareOffsetsCount++] = offsets;
            return;
        }
        int smallest = 0;
        for (int i = 1; i < SPARE_OFFSETS; i++) {
            if (spareOffsets[i].length < spareOffsets[smallest].length) {
                smallest = i;
            }
        }
        if (offsets.length > spareOffsets[smallest].length) {
            spareOffsets[smallest] = offsets;
        }
    }

    /** A spare offsets array, the largest, or {@code null} when none is kept. */
    private long[] takeSpareOffsets() {
        if (spareOffsetsCount == 0) {
            return null;
        }
        int largest = 0;
        for (int i = 1; i < spareOffsetsCount; i++) {
            if (spareOffsets[i].length > spareOffsets[largest].length) {
                largest = i;
            }
        }
        final long[] offsets = spareOffsets[largest];
        spareOffsets[largest] = spareOffsets[--spareOffsetsCount];
        spareOffsets[spareOffsetsCount] = null;
        return offsets;
    }

    private Segment tail() {
        return segments.isEmpty() ? null : segments.get(segments.size() - 1);
    }
}
