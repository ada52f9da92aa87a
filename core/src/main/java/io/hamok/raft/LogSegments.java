// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The byte storage behind {@link MemoryRaftLogs}: a queue of fixed-size segments that records are
 * appended to, with a small pool of freed segments for reuse.
 *
 * <p>A record is addressed by a <em>position</em>, {@code (sequence << 32) | offset}: the segment's
 * sequence number and the record's offset inside it. Live segments are {@code headSeq .. tailSeq}
 * and sit in a power-of-two ring, slot {@code sequence & mask}; new records go to the tail at
 * {@code writeOffset}. A record never crosses a segment boundary: when it does not fit, the next
 * segment starts, and a record larger than the segment size gets an oversized segment of its own.
 *
 * <p>Freed standard-size segments go to a pool and are handed out again before anything is
 * allocated, so an append/compact cycle stops allocating once the ring and the pool have grown.
 * Since a new segment is allocated only when the pool is empty, live plus pooled segments never
 * exceed the log's peak size; the pool keeps at most {@link #MAX_POOLED_BYTES} (at least
 * {@link #MIN_POOLED_SEGMENTS} segments). Oversized segments are left to the garbage collector.
 *
 * <p>Not thread-safe: owned by the loop thread, like the log.
 */
final class LogSegments {
    /** Bytes of freed standard segments kept for reuse; more are left to the garbage collector. */
    static final long MAX_POOLED_BYTES = 64L * 1024 * 1024;
    /** Freed segments kept for reuse whatever their size. */
    static final int MIN_POOLED_SEGMENTS = 4;
    private static final int INITIAL_RING_CAPACITY = 16;

    private final int segmentBytes;
    private final int maxPooled;
    private UnsafeBuffer[] pool = new UnsafeBuffer[MIN_POOLED_SEGMENTS];
    private int pooled;
    private UnsafeBuffer[] ring = new UnsafeBuffer[INITIAL_RING_CAPACITY];
    private long headSeq;
    private long tailSeq = -1;
    private int writeOffset;

    LogSegments(int segmentBytes) {
        this.segmentBytes = segmentBytes;
        this.maxPooled = (int) Math.max(MIN_POOLED_SEGMENTS, Math.min(1 << 20, MAX_POOLED_BYTES / segmentBytes));
    }

    static long sequenceOf(long position) {
        return position >>> 32;
    }

    static int offsetOf(long position) {
        return (int) position;
    }

    /** Reserves {@code length} contiguous bytes at the write position and returns their position. */
    long claim(int length) {
        if (tailSeq < headSeq || segment(tailSeq).capacity() - writeOffset < length) {
            addSegment(length);
        }
        final long position = (tailSeq << 32) | writeOffset;
        writeOffset += length;
        return position;
    }

    /** The segment holding {@code position}; valid until that segment is released. */
    UnsafeBuffer segmentAt(long position) {
        return segment(sequenceOf(position));
    }

    /** Releases the segments before the one holding {@code position}. */
    void releaseBefore(long position) {
        final long sequence = sequenceOf(position);
        while (headSeq < sequence) {
            release(headSeq++);
        }
    }

    /** Moves the write position back to {@code position}, releasing the segments after it. */
    void rewindTo(long position) {
        final long sequence = sequenceOf(position);
        while (tailSeq > sequence) {
            release(tailSeq--);
        }
        writeOffset = offsetOf(position);
    }

    /** Releases every segment; the next claim starts a fresh one. */
    void clear() {
        while (tailSeq >= headSeq) {
            release(tailSeq--);
        }
        headSeq = 0;
        tailSeq = -1;
        writeOffset = 0;
    }

    int segmentCount() {
        return (int) (tailSeq - headSeq + 1);
    }

    int pooledCount() {
        return pooled;
    }

    private void addSegment(int length) {
        if (tailSeq - headSeq + 1 == ring.length) {
            growRing();
        }
        tailSeq++;
        ring[slot(tailSeq)] = length > segmentBytes ? new UnsafeBuffer(new byte[length]) : standardSegment();
        writeOffset = 0;
    }

    private UnsafeBuffer standardSegment() {
        if (pooled > 0) {
            final UnsafeBuffer segment = pool[--pooled];
            pool[pooled] = null;
            return segment;
        }
        return new UnsafeBuffer(new byte[segmentBytes]);
    }

    private void release(long sequence) {
        final int slot = slot(sequence);
        final UnsafeBuffer segment = ring[slot];
        ring[slot] = null;
        if (segment.capacity() == segmentBytes && pooled < maxPooled) {
            if (pooled == pool.length) {
                pool = Arrays.copyOf(pool, Math.min(maxPooled, pool.length * 2));
            }
            pool[pooled++] = segment;
        }
    }

    private void growRing() {
        final UnsafeBuffer[] grown = new UnsafeBuffer[ring.length * 2];
        for (long sequence = headSeq; sequence <= tailSeq; sequence++) {
            grown[(int) (sequence & (grown.length - 1))] = segment(sequence);
        }
        ring = grown;
    }

    private UnsafeBuffer segment(long sequence) {
        return ring[slot(sequence)];
    }

    private int slot(long sequence) {
        return (int) (sequence & (ring.length - 1));
    }
}
