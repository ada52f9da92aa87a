// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftMessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The codec's promise: no allocation per message once warmed up. */
@Timeout(60)
class RaftWireAllocationTest {
    private static final int ROUNDS = 10_000;
    /** Slack for the measurement itself; the codec's share is expected to be 0. */
    private static final long TOLERANCE_BYTES = 1024;

    private final RaftWireEncoder encoder = new RaftWireEncoder();
    private final RaftWireDecoder decoder = new RaftWireDecoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16 * 1024);
    private final EntryBatch batch = ArrayEntryBatch.fixed(64, 64);
    private final PrimitiveHandler handler = new PrimitiveHandler();

    @Test
    void shouldNotAllocateWhenEncodingAndDecodingInSteadyState() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        for (int i = 0; i < 5 * ROUNDS; i++) {
            round(i);
        }
        final long baselineStart = threads.getCurrentThreadAllocatedBytes();
        final long baseline = threads.getCurrentThreadAllocatedBytes() - baselineStart;
        handler.clear();

        final long start = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            round(i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - start - baseline;

        assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes in " + ROUNDS + " rounds");
        assertEquals(ROUNDS * 7L, handler.calls, "every message reached the handler");
        assertEquals(ROUNDS * 64L, handler.entries);
        assertEquals(ROUNDS * 64L * 64, handler.payloadBytes);
    }

    /** One AppendEntries of 64 entries of 64 bytes, its response, and the vote and snapshot messages. */
    private void round(int i) {
        int length = encoder.encodeAppendEntries(buffer, 0, 5, 1000 + i, 5, 999 + i, batch, 1L << 40 | i);
        check(decoder.decode(buffer, 0, length, "leader", handler));
        length = encoder.encodeAppendEntriesResponse(buffer, 0, 5, true, 1000 + i, 1064 + i, 0, 0, 1L << 40 | i);
        check(decoder.decode(buffer, 0, length, "follower", handler));
        length = encoder.encodeVoteRequest(buffer, 0, 6 + i, 1064 + i, 5, i % 2 == 0, false);
        check(decoder.decode(buffer, 0, length, "candidate", handler));
        length = encoder.encodeVoteResponse(buffer, 0, 6 + i, true, i % 2 == 0);
        check(decoder.decode(buffer, 0, length, "voter", handler));
        length = encoder.encodeInstallSnapshot(buffer, 0, 5, 900, 4, i, buffer, 8000, 128, false, 1 << 20, -i);
        check(decoder.decode(buffer, 0, length, "leader", handler));
        length = encoder.encodeInstallSnapshotResponse(buffer, 0, 5, true, 900, i + 128);
        check(decoder.decode(buffer, 0, length, "follower", handler));
        length = encoder.encodeTimeoutNow(buffer, 0, 7);
        check(decoder.decode(buffer, 0, length, "leader", handler));
    }

    private static void check(int status) {
        if (status != RaftWireDecoder.OK) {
            throw new AssertionError(RaftWireDecoder.describe(status));
        }
    }

    /** Keeps only primitives, and reads every entry through a reused view. */
    private static final class PrimitiveHandler implements RaftMessageHandler {
        private final LogEntryView view = new LogEntryView();
        long calls;
        long entries;
        long payloadBytes;
        long sum;

        void clear() {
            calls = 0;
            entries = 0;
            payloadBytes = 0;
        }

        @Override
        public void onVoteRequest(String from, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                                  boolean leadershipTransfer) {
            calls++;
            sum += term + lastLogIndex + lastLogTerm;
        }

        @Override
        public void onVoteResponse(String from, long term, boolean granted, boolean preVote) {
            calls++;
            sum += term;
        }

        @Override
        public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                    EntryBatch batch) {
            calls++;
            for (int i = 0; i < batch.count(); i++) {
                final LogEntryView entry = batch.read(i, view);
                entries++;
                payloadBytes += entry.payloadLength();
                sum += entry.term() + entry.payload().getByte(0);
            }
        }

        @Override
        public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex,
                                            long matchIndex, long conflictTerm, long conflictIndex) {
            calls++;
            sum += matchIndex;
        }

        @Override
        public void onInstallSnapshot(String from, long term, long snapshotIndex, long snapshotTerm,
                                      long chunkOffset, DirectBuffer data, int dataOffset, int dataLength,
                                      boolean done, long snapshotLength, int checksum) {
            calls++;
            sum += data.getByte(dataOffset) + dataLength + checksum;
        }

        @Override
        public void onInstallSnapshotResponse(String from, long term, boolean success, long snapshotIndex,
                                              long nextOffset) {
            calls++;
            sum += nextOffset;
        }

        @Override
        public void onTimeoutNow(String from, long term) {
            calls++;
            sum += term;
        }
    }
}
