// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * {@link RaftLogs} kept in memory: durable for as long as the process lives, which is what a
 * cluster of in-memory replicas needs.
 *
 * <p><b>Layout.</b> Entries are stored as bytes, not objects, in fixed-size segments (1 MiB by
 * default, see {@link LogSegments}), one record per entry:
 * {@code [term long][timestampMs long][type byte][length int][payload]}. A record never crosses a
 * segment boundary; a record larger than the segment size gets an oversized segment of its own.
 * Two {@code long} rings, indexed by {@code index & mask}, map an entry index to its record's
 * position (segment sequence and offset) and to the running byte count before it, so that
 * {@link #read}, {@link #termAt} and {@link #sizeInBytes()} are O(1) without boxing.
 *
 * <p><b>No allocation in steady state.</b> The index rings grow by doubling and never shrink;
 * segments freed by compaction or truncation go to a small pool that later appends draw from.
 * Once the rings and pool have grown to the working size, {@code append}, {@code read},
 * {@code termAt}, {@code truncateFrom} and the append/{@code storeSnapshot} cycle allocate nothing.
 * Only exception messages (failure paths) allocate.
 *
 * <p><b>Log start and snapshot.</b> Two notions are kept apart: the <em>log start</em>
 * ({@link #firstIndex()}, entries after the last compaction point) and the <em>snapshot</em>
 * ({@link #snapshotIndex()}), which may be newer because {@link #storeSnapshot} keeps the entries
 * after {@code compactUntil}. Always {@code firstIndex() - 1 <= snapshotIndex() <= lastIndex()},
 * and the term of entry {@code firstIndex() - 1} is remembered when it is compacted.
 *
 * <p>Not thread-safe: owned by the loop thread, as the {@link RaftLogs} contract says.
 */
public final class MemoryRaftLogs implements RaftLogs {
    /** Default segment size: 1 MiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 1 << 20;
    /** Smallest segment size accepted: room for one record header. */
    public static final int MIN_SEGMENT_BYTES = 64;

    static final int TERM_OFFSET = 0;
    static final int TIMESTAMP_OFFSET = 8;
    static final int TYPE_OFFSET = 16;
    static final int LENGTH_OFFSET = 17;
    /** Bytes a record takes besides its payload. */
    static final int HEADER_LENGTH = 21;
    private static final int MAX_PAYLOAD_LENGTH = Integer.MAX_VALUE - 64;
    private static final int INITIAL_INDEX_CAPACITY = 1024;

    private final LogSegments segments;
    private long[] positions = new long[INITIAL_INDEX_CAPACITY];
    private long[] bytesBefore = new long[INITIAL_INDEX_CAPACITY];
    private long firstIndex = 1;
    private long lastIndex;
    private long termBeforeFirst;
    private long appendedBytes;
    private RaftSnapshot snapshot;
    private long snapshotIndex;
    private long snapshotTerm;
    private long currentTerm;
    private String votedFor;
    private boolean emptyLogGuard;

    /** A log with {@link #DEFAULT_SEGMENT_BYTES} segments. */
    public MemoryRaftLogs() {
        this(DEFAULT_SEGMENT_BYTES);
    }

    /**
     * @param segmentBytes size of one segment in bytes, at least {@link #MIN_SEGMENT_BYTES}
     * @throws IllegalArgumentException when {@code segmentBytes} is too small
     */
    public MemoryRaftLogs(int segmentBytes) {
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException(
                "segmentBytes must be at least " + MIN_SEGMENT_BYTES + ", got " + segmentBytes);
        }
        this.segments = new LogSegments(segmentBytes);
    }

    @Override
    public long currentTerm() {
        return currentTerm;
    }

    @Override
    public String votedFor() {
        return votedFor;
    }

    @Override
    public void storeTermAndVote(long term, String votedFor) {
        this.currentTerm = term;
        this.votedFor = votedFor;
    }

    @Override
    public boolean emptyLogGuard() {
        return emptyLogGuard;
    }

    @Override
    public void storeEmptyLogGuard(boolean on) {
        emptyLogGuard = on;
    }

    @Override
    public long firstIndex() {
        return firstIndex;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public long termAt(long index) {
        if (index >= firstIndex && index <= lastIndex) {
            return recordAt(index).getLong(recordOffset(index) + TERM_OFFSET);
        }
        if (index == 0) {
            return 0;
        }
        if (index == snapshotIndex) {
            return snapshotTerm;
        }
        return index == firstIndex - 1 ? termBeforeFirst : UNKNOWN_TERM;
    }

    @Override
    public LogEntryView read(long index, LogEntryView view) {
        if (index < firstIndex || index > lastIndex) {
            throw new IndexOutOfBoundsException(
                "entry " + index + " is not held: the log holds [" + firstIndex + ".." + lastIndex + "]");
        }
        final UnsafeBuffer segment = recordAt(index);
        final int at = recordOffset(index);
        return view.wrap(segment.getLong(at + TERM_OFFSET), segment.getLong(at + TIMESTAMP_OFFSET),
            segment.getByte(at + TYPE_OFFSET), segment, at + HEADER_LENGTH, segment.getInt(at + LENGTH_OFFSET));
    }

    @Override
    public long append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
        if (length < 0 || length > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("payload length out of range [0.." + MAX_PAYLOAD_LENGTH + "]: " + length);
        }
        final long index = lastIndex + 1;
        ensureIndexCapacity(index - firstIndex + 1);
        final int recordLength = HEADER_LENGTH + length;
        final long position = segments.claim(recordLength);
        final UnsafeBuffer segment = segments.segmentAt(position);
        final int at = LogSegments.offsetOf(position);
        segment.putLong(at + TERM_OFFSET, term);
        segment.putLong(at + TIMESTAMP_OFFSET, timestampMs);
        segment.putByte(at + TYPE_OFFSET, type);
        segment.putInt(at + LENGTH_OFFSET, length);
        if (length > 0) {
            segment.putBytes(at + HEADER_LENGTH, payload, offset, length);
        }
        positions[slot(index)] = position;
        bytesBefore[slot(index)] = appendedBytes;
        appendedBytes += recordLength;
        lastIndex = index;
        return index;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless {@code snapshotIndex() < index <= lastIndex() + 1}
     */
    @Override
    public void truncateFrom(long index) {
        if (index <= snapshotIndex || index > lastIndex + 1) {
            throw new IllegalArgumentException("cannot truncate from " + index + ": the index must be in ("
                + snapshotIndex + ".." + (lastIndex + 1) + "], after the snapshot and at most lastIndex + 1");
        }
        if (index == firstIndex) {
            lastIndex = index - 1;
            clearEntries();
        } else if (index <= lastIndex) {
            segments.rewindTo(positions[slot(index)]);
            appendedBytes = bytesBefore[slot(index)];
            lastIndex = index - 1;
        }
    }

    @Override
    public long sizeInBytes() {
        return lastIndex < firstIndex ? 0 : appendedBytes - bytesBefore[slot(firstIndex)];
    }

    @Override
    public long snapshotIndex() {
        return snapshotIndex;
    }

    @Override
    public long snapshotTerm() {
        return snapshotTerm;
    }

    @Override
    public RaftSnapshot snapshot() {
        return snapshot;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless
     *     {@code firstIndex() - 1 <= compactUntil <= snapshot.index() <= lastIndex()}, the snapshot is
     *     not older than the one kept, and its term is the log's term at its index
     */
    @Override
    public void storeSnapshot(RaftSnapshot snapshot, long compactUntil) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (compactUntil < firstIndex - 1 || compactUntil > snapshot.index() || snapshot.index() > lastIndex
            || snapshot.index() < snapshotIndex) {
            throw new IllegalArgumentException("cannot store snapshot at " + snapshot.index() + " compacting until "
                + compactUntil + ": need firstIndex - 1 (" + (firstIndex - 1) + ") <= compactUntil <= snapshot index"
                + " <= lastIndex (" + lastIndex + ") and snapshot index >= the kept snapshot's (" + snapshotIndex + ")");
        }
        final long term = termAt(snapshot.index());
        if (term != snapshot.term()) {
            throw new IllegalArgumentException("snapshot term " + snapshot.term() + " does not match term " + term
                + " of entry " + snapshot.index());
        }
        dropUpTo(compactUntil);
        keep(snapshot);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the snapshot is older than {@link #snapshotIndex()}
     */
    @Override
    public void installSnapshot(RaftSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        final long index = snapshot.index();
        if (index < snapshotIndex) {
            throw new IllegalArgumentException(
                "cannot install snapshot at " + index + ": older than the current snapshot at " + snapshotIndex);
        }
        if (index <= lastIndex && termAt(index) == snapshot.term()) {
            dropUpTo(index);
        } else {
            firstIndex = index + 1;
            lastIndex = index;
            termBeforeFirst = snapshot.term();
            clearEntries();
        }
        keep(snapshot);
    }

    /** Segments in use; for tests. */
    int segmentCount() {
        return segments.segmentCount();
    }

    /** Freed segments waiting for reuse; for tests. */
    int pooledSegmentCount() {
        return segments.pooledCount();
    }

    private void keep(RaftSnapshot snapshot) {
        this.snapshot = snapshot;
        this.snapshotIndex = snapshot.index();
        this.snapshotTerm = snapshot.term();
    }

    /** Drops entries {@code firstIndex .. index}; {@code firstIndex - 1 <= index <= lastIndex}. */
    private void dropUpTo(long index) {
        if (index < firstIndex) {
            return;
        }
        termBeforeFirst = termAt(index);
        firstIndex = index + 1;
        if (firstIndex > lastIndex) {
            clearEntries();
        } else {
            segments.releaseBefore(positions[slot(firstIndex)]);
        }
    }

    /** Releases all segments once no entry is held ({@code lastIndex == firstIndex - 1}). */
    private void clearEntries() {
        segments.clear();
        appendedBytes = 0;
    }

    private void ensureIndexCapacity(long count) {
        if (count <= positions.length) {
            return;
        }
        final int capacity = positions.length * 2;
        final long[] grownPositions = new long[capacity];
        final long[] grownBytesBefore = new long[capacity];
        for (long index = firstIndex; index <= lastIndex; index++) {
            final int to = (int) (index & (capacity - 1));
            grownPositions[to] = positions[slot(index)];
            grownBytesBefore[to] = bytesBefore[slot(index)];
        }
        positions = grownPositions;
        bytesBefore = grownBytesBefore;
    }

    private UnsafeBuffer recordAt(long index) {
        return segments.segmentAt(positions[slot(index)]);
    }

    private int recordOffset(long index) {
        return LogSegments.offsetOf(positions[slot(index)]);
    }

    private int slot(long index) {
        return (int) (index & (positions.length - 1));
    }
}
