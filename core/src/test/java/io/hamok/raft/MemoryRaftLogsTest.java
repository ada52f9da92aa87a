// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class MemoryRaftLogsTest {
    private static final int SMALL_SEGMENT_BYTES = 1024;
    private static final Membership MEMBERS = Membership.ofVoters("a", "b", "c");

    private final LogEntryView view = new LogEntryView();

    @Test
    void shouldStartEmptyWithKnownTermOnlyAtIndexZero() {
        final MemoryRaftLogs logs = new MemoryRaftLogs();

        assertEquals(1, logs.firstIndex());
        assertEquals(0, logs.lastIndex());
        assertEquals(0, logs.termAt(0));
        assertEquals(RaftLogs.UNKNOWN_TERM, logs.termAt(1));
        assertEquals(0, logs.snapshotIndex());
        assertEquals(0, logs.snapshotTerm());
        assertNull(logs.snapshot());
        assertEquals(0, logs.sizeInBytes());
        assertEquals(0, logs.currentTerm());
        assertNull(logs.votedFor());
    }

    @Test
    void shouldStoreTermAndVote() {
        final MemoryRaftLogs logs = new MemoryRaftLogs();

        logs.storeTermAndVote(7, "b");
        assertEquals(7, logs.currentTerm());
        assertEquals("b", logs.votedFor());

        logs.storeTermAndVote(8, null);
        assertEquals(8, logs.currentTerm());
        assertNull(logs.votedFor());
    }

    @Test
    void shouldReadBackEntriesWithVariedPayloadSizesIncludingEmptyAndOversized() {
        final MemoryRaftLogs logs = new MemoryRaftLogs(SMALL_SEGMENT_BYTES);
        final int[] lengths = {0, 1, 7, 100, 1000, SMALL_SEGMENT_BYTES - MemoryRaftLogs.HEADER_LENGTH, 0,
            SMALL_SEGMENT_BYTES, 10_000, 3, 5000, 0};
        for (int i = 0; i < lengths.length; i++) {
            final long index = logs.append(i + 1, 1000L + i, (byte) (i % 3), payload(lengths[i], i), 0, lengths[i]);
            assertEquals(i + 1, index);
        }

        for (int i = 0; i < lengths.length; i++) {
            logs.read(i + 1, view);
            assertEquals(i + 1, view.term());
            assertEquals(1000L + i, view.timestampMs());
            assertEquals((byte) (i % 3), view.type());
            assertArrayEquals(bytes(lengths[i], i), copy(view));
            assertEquals(i + 1, logs.termAt(i + 1));
        }
        assertEquals(Arrays.stream(lengths).sum() + lengths.length * MemoryRaftLogs.HEADER_LENGTH, logs.sizeInBytes());
    }

    @Test
    void shouldCopyPayloadFromOffsetOfSource() {
        final MemoryRaftLogs logs = new MemoryRaftLogs();
        final UnsafeBuffer source = new UnsafeBuffer("xxhelloyy".getBytes(StandardCharsets.US_ASCII));

        logs.append(1, 0, LogEntryView.NORMAL, source, 2, 5);
        source.putByte(3, (byte) 'E');

        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), copy(logs.read(1, view)));
    }

    @Test
    void shouldThrowIndexOutOfBoundsNamingIndexAndHeldRange() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(), 1, 1, 2, 2);
        logs.storeSnapshot(RaftSnapshot.of(2, 1, MEMBERS, new byte[0]), 1);

        final IndexOutOfBoundsException beyond = assertThrows(IndexOutOfBoundsException.class, () -> logs.read(5, view));
        assertTrue(beyond.getMessage().contains("5") && beyond.getMessage().contains("[2..4]"), beyond.getMessage());
        final IndexOutOfBoundsException compacted = assertThrows(IndexOutOfBoundsException.class, () -> logs.read(1, view));
        assertTrue(compacted.getMessage().contains("entry 1 "), compacted.getMessage());
    }

    @Test
    void shouldAnswerTermAtForHeldSnapshotAndLastCompactedEntries() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(), 1, 1, 2, 3, 3, 4);

        logs.storeSnapshot(RaftSnapshot.of(5, 3, MEMBERS, new byte[0]), 3);

        assertEquals(4, logs.firstIndex());
        assertEquals(0, logs.termAt(0));
        assertEquals(RaftLogs.UNKNOWN_TERM, logs.termAt(1), "compacted earlier");
        assertEquals(RaftLogs.UNKNOWN_TERM, logs.termAt(2), "compacted earlier");
        assertEquals(2, logs.termAt(3), "last compacted entry, firstIndex - 1");
        assertEquals(3, logs.termAt(4));
        assertEquals(3, logs.termAt(5), "snapshot index, still held");
        assertEquals(4, logs.termAt(6));
        assertEquals(RaftLogs.UNKNOWN_TERM, logs.termAt(7), "beyond the end");
        assertEquals(RaftLogs.UNKNOWN_TERM, logs.termAt(-1));
    }

    @Test
    void shouldRemoveSuffixWhenTruncating() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(), 1, 1, 2, 2, 3);
        final long sizeOfThree = 3L * (MemoryRaftLogs.HEADER_LENGTH + 10);

        logs.truncateFrom(4);

        assertEquals(3, logs.lastIndex());
        assertEquals(RaftLogs.UNKNOWN_TERM, logs.termAt(4));
        assertEquals(sizeOfThree, logs.sizeInBytes());
        assertEquals(4, logs.append(5, 0, LogEntryView.NORMAL, payload(2, 9), 0, 2));
        assertEquals(5, logs.termAt(4));
        assertArrayEquals(bytes(2, 9), copy(logs.read(4, view)));

        logs.truncateFrom(5);
        assertEquals(4, logs.lastIndex(), "truncating from lastIndex + 1 removes nothing");
    }

    @Test
    void shouldTruncateAcrossSegmentsAndReuseTheFreedSpace() {
        final MemoryRaftLogs logs = new MemoryRaftLogs(SMALL_SEGMENT_BYTES);
        appendMany(logs, 100, 1, 200);
        final int segmentsWhenFull = logs.segmentCount();
        assertTrue(segmentsWhenFull > 10, "entries spread over segments: " + segmentsWhenFull);

        logs.truncateFrom(11);

        assertEquals(10, logs.lastIndex());
        assertTrue(logs.segmentCount() <= 3, "later segments released: " + logs.segmentCount());
        assertEquals(segmentsWhenFull - logs.segmentCount(), logs.pooledSegmentCount(),
                "every freed segment is kept for reuse");
        appendMany(logs, 90, 2, 200);
        assertEquals(segmentsWhenFull, logs.segmentCount());
        assertEquals(0, logs.pooledSegmentCount(), "the appends took their segments from the pool");
        for (long index = 1; index <= 100; index++) {
            assertEquals(index <= 10 ? 1 : 2, logs.read(index, view).term());
            assertArrayEquals(bytes(200, (int) index), copy(view));
        }
    }

    @Test
    void shouldTruncateWholeLogBackToTheLogStart() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(SMALL_SEGMENT_BYTES), 1, 1, 2, 2);
        logs.storeSnapshot(RaftSnapshot.of(2, 1, MEMBERS, new byte[0]), 2);

        logs.truncateFrom(3);

        assertEquals(3, logs.firstIndex());
        assertEquals(2, logs.lastIndex());
        assertEquals(0, logs.sizeInBytes());
        assertEquals(0, logs.segmentCount());
        assertEquals(1, logs.termAt(2));
        assertEquals(3, logs.append(3, 0, LogEntryView.NORMAL, payload(4, 1), 0, 4));
        assertArrayEquals(bytes(4, 1), copy(logs.read(3, view)));
    }

    @Test
    void shouldKeepEntriesAfterCompactUntilWhenStoringSnapshot() {
        final MemoryRaftLogs logs = new MemoryRaftLogs(SMALL_SEGMENT_BYTES);
        appendMany(logs, 50, 1, 100);
        final RaftSnapshot snapshot = RaftSnapshot.of(40, 1, MEMBERS, new byte[] {1, 2, 3});

        logs.storeSnapshot(snapshot, 30);

        assertSame(snapshot, logs.snapshot());
        assertEquals(40, logs.snapshotIndex());
        assertEquals(1, logs.snapshotTerm());
        assertEquals(31, logs.firstIndex());
        assertEquals(50, logs.lastIndex());
        assertEquals(20L * (MemoryRaftLogs.HEADER_LENGTH + 100), logs.sizeInBytes());
        for (long index = 31; index <= 50; index++) {
            assertArrayEquals(bytes(100, (int) index), copy(logs.read(index, view)));
        }
        assertEquals(4, logs.segmentCount(), "segments of entries 25..56 stay, earlier ones are released");
    }

    @Test
    void shouldReleaseAllSegmentsWhenCompactingEverything() {
        final MemoryRaftLogs logs = new MemoryRaftLogs(SMALL_SEGMENT_BYTES);
        appendMany(logs, 20, 1, 100);
        logs.append(1, 0, LogEntryView.NORMAL, payload(5000, 0), 0, 5000);

        logs.storeSnapshot(RaftSnapshot.of(21, 1, MEMBERS, new byte[0]), 21);

        assertEquals(22, logs.firstIndex());
        assertEquals(21, logs.lastIndex());
        assertEquals(0, logs.sizeInBytes());
        assertEquals(0, logs.segmentCount());
        assertEquals(3, logs.pooledSegmentCount(), "standard segments pooled, the oversized one dropped");
        assertEquals(22, logs.append(2, 0, LogEntryView.NOOP, payload(0, 0), 0, 0));
        assertEquals(1, logs.termAt(21));
    }

    @Test
    void shouldKeepEntriesAfterSnapshotWhenInstallingMatchingSnapshot() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(), 1, 1, 2, 2, 3);
        final RaftSnapshot snapshot = RaftSnapshot.of(3, 2, MEMBERS, new byte[0]);

        logs.installSnapshot(snapshot);

        assertSame(snapshot, logs.snapshot());
        assertEquals(3, logs.snapshotIndex());
        assertEquals(2, logs.snapshotTerm());
        assertEquals(4, logs.firstIndex());
        assertEquals(5, logs.lastIndex());
        assertEquals(2, logs.termAt(3));
        assertEquals(3, logs.read(5, view).term());
        assertArrayEquals(bytes(10, 4), copy(logs.read(4, view)));
    }

    @Test
    void shouldDropWholeLogWhenInstallingSnapshotWithConflictingTerm() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(), 1, 1, 2, 2, 3);

        logs.installSnapshot(RaftSnapshot.of(3, 4, MEMBERS, new byte[0]));

        assertEquals(4, logs.firstIndex());
        assertEquals(3, logs.lastIndex());
        assertEquals(4, logs.termAt(3));
        assertEquals(RaftLogs.UNKNOWN_TERM, logs.termAt(4));
        assertEquals(0, logs.sizeInBytes());
    }

    @Test
    void shouldDropWholeLogWhenInstallingSnapshotBeyondLastIndex() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(), 1, 1);

        logs.installSnapshot(RaftSnapshot.of(100, 5, MEMBERS, new byte[0]));

        assertEquals(101, logs.firstIndex());
        assertEquals(100, logs.lastIndex());
        assertEquals(100, logs.snapshotIndex());
        assertEquals(5, logs.termAt(100));
        assertEquals(101, logs.append(5, 0, LogEntryView.NORMAL, payload(1, 1), 0, 1));
    }

    @Test
    void shouldRejectInvalidArgumentsWithMessage() {
        final MemoryRaftLogs logs = logWithTerms(new MemoryRaftLogs(), 1, 1, 2, 2, 3);
        logs.storeSnapshot(RaftSnapshot.of(3, 2, MEMBERS, new byte[0]), 2);

        assertRejected(() -> logs.truncateFrom(3), "truncate from 3");
        assertRejected(() -> logs.truncateFrom(7), "truncate from 7");
        assertRejected(() -> logs.storeSnapshot(RaftSnapshot.of(4, 2, MEMBERS, new byte[0]), 1), "compacting until 1");
        assertRejected(() -> logs.storeSnapshot(RaftSnapshot.of(2, 1, MEMBERS, new byte[0]), 2), "kept snapshot's (3)");
        assertRejected(() -> logs.storeSnapshot(RaftSnapshot.of(4, 2, MEMBERS, new byte[0]), 5), "compacting until 5");
        assertRejected(() -> logs.storeSnapshot(RaftSnapshot.of(6, 3, MEMBERS, new byte[0]), 4), "lastIndex (5)");
        assertRejected(() -> logs.storeSnapshot(RaftSnapshot.of(4, 9, MEMBERS, new byte[0]), 4), "term 9");
        assertRejected(() -> logs.installSnapshot(RaftSnapshot.of(2, 1, MEMBERS, new byte[0])), "older");
        assertRejected(() -> logs.append(3, 0, LogEntryView.NORMAL, payload(1, 0), 0, -1), "-1");
        assertRejected(() -> new MemoryRaftLogs(8), "segmentBytes");
        assertEquals(3, logs.firstIndex(), "rejected calls change nothing");
        assertEquals(5, logs.lastIndex());
        assertEquals(3, logs.snapshotIndex());
    }

    @Test
    void shouldMatchListModelUnderRandomOperations() {
        final long seed = 0x5EED_1234L;
        final SplittableRandom random = new SplittableRandom(seed);
        final MemoryRaftLogs logs = new MemoryRaftLogs(256);
        final Model model = new Model();
        for (int op = 0; op < 10_000; op++) {
            final String step = randomStep(random, logs, model);
            final String where = "seed=" + seed + " op=" + op + " " + step;
            assertMatches(logs, model, random, where, op % 500 == 0);
        }
    }

    /**
     * Warm-up grows the index rings, the segment ring and the pool, and lets the JIT settle: while
     * code is being compiled and deoptimised the JVM itself may allocate a few bytes on this
     * thread (none under {@code -Xint}). So the cycles are measured in windows, and one
     * allocation-free window is required; an allocation the log makes recurs in every window.
     */
    @Test
    void shouldNotAllocateInSteadyStateAppendAndCompactCycle() {
        final int entriesPerCycle = 10_000;
        final int warmupCycles = 50;
        final int cyclesPerWindow = 10;
        final int windows = 5;
        final RaftSnapshot[] snapshots = new RaftSnapshot[warmupCycles + windows * cyclesPerWindow];
        for (int cycle = 0; cycle < snapshots.length; cycle++) {
            snapshots[cycle] = RaftSnapshot.of((long) (cycle + 1) * entriesPerCycle, cycle + 1, MEMBERS, new byte[0]);
        }
        final MemoryRaftLogs logs = new MemoryRaftLogs();
        final UnsafeBuffer payload = payload(100, 7);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long[] allocatedPerWindow = new long[windows];

        int cycle = 0;
        while (cycle < warmupCycles) {
            appendAndCompact(logs, snapshots[cycle++], payload, entriesPerCycle);
        }
        threads.getCurrentThreadAllocatedBytes();
        long fewest = Long.MAX_VALUE;
        long checksum = 0;
        for (int window = 0; window < windows && fewest >= 1024; window++) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < cyclesPerWindow; i++) {
                checksum += appendAndCompact(logs, snapshots[cycle++], payload, entriesPerCycle);
            }
            allocatedPerWindow[window] = threads.getCurrentThreadAllocatedBytes() - before;
            fewest = Math.min(fewest, allocatedPerWindow[window]);
        }

        assertTrue(fewest < 1024, "bytes allocated per window of " + cyclesPerWindow + " cycles: "
            + Arrays.toString(allocatedPerWindow));
        assertEquals((long) cycle * entriesPerCycle, logs.lastIndex());
        assertEquals(entriesPerCycle / 10, logs.lastIndex() - logs.firstIndex() + 1);
        assertTrue(checksum > 0, "the reads were used");
    }

    /** One cycle: append a batch, read and look up terms, truncate a little, snapshot and compact. */
    private long appendAndCompact(MemoryRaftLogs logs, RaftSnapshot snapshot, UnsafeBuffer payload, int count) {
        final long term = snapshot.term();
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            final long index = logs.append(term, i, LogEntryView.NORMAL, payload, 0, payload.capacity());
            checksum += logs.read(index, view).payloadLength() + logs.termAt(index) + logs.firstIndex();
        }
        logs.truncateFrom(logs.lastIndex() - 9);
        for (int i = 0; i < 10; i++) {
            logs.append(term, i, LogEntryView.NORMAL, payload, 0, payload.capacity());
        }
        logs.storeSnapshot(snapshot, snapshot.index() - count / 10);
        return checksum + logs.sizeInBytes();
    }

    // ---------------------------------------------------------------- randomized model

    /** The obvious implementation: a list of entries starting at {@code first}. */
    private static final class Model {
        final List<Entry> entries = new ArrayList<>();
        long first = 1;
        long termBeforeFirst;
        long snapshotIndex;
        long snapshotTerm;
        long term = 1;

        long last() {
            return first + entries.size() - 1;
        }

        long termAt(long index) {
            if (index >= first && index <= last()) {
                return entries.get((int) (index - first)).term;
            }
            if (index == 0) {
                return 0;
            }
            if (index == snapshotIndex) {
                return snapshotTerm;
            }
            return index == first - 1 ? termBeforeFirst : RaftLogs.UNKNOWN_TERM;
        }

        void dropUpTo(long index) {
            if (index >= first) {
                termBeforeFirst = termAt(index);
                entries.subList(0, (int) (index - first + 1)).clear();
                first = index + 1;
            }
        }
    }

    private record Entry(long term, long timestampMs, byte type, byte[] payload) {
    }

    private String randomStep(SplittableRandom random, MemoryRaftLogs logs, Model model) {
        final int dice = random.nextInt(100);
        if (dice < 60 || model.entries.size() < 3) {
            return randomAppend(random, logs, model);
        }
        if (dice < 75) {
            final long index = random.nextLong(model.snapshotIndex + 1, model.last() + 2);
            logs.truncateFrom(index);
            model.entries.subList((int) (index - model.first), model.entries.size()).clear();
            return "truncateFrom(" + index + ")";
        }
        if (dice < 90) {
            final long index = random.nextLong(model.snapshotIndex, model.last() + 1);
            final long compactUntil = random.nextLong(Math.min(model.first - 1, index), index + 1);
            logs.storeSnapshot(snapshotAt(index, model.termAt(index)), compactUntil);
            model.dropUpTo(compactUntil);
            keepSnapshot(model, index, model.termAt(index));
            return "storeSnapshot(" + index + ", " + compactUntil + ")";
        }
        return randomInstall(random, logs, model);
    }

    private String randomAppend(SplittableRandom random, MemoryRaftLogs logs, Model model) {
        if (random.nextInt(10) == 0) {
            model.term++;
        }
        final int length = random.nextInt(20) == 0 ? random.nextInt(256, 700) : random.nextInt(0, 120);
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        final long timestampMs = random.nextLong(1_000_000);
        final byte type = (byte) random.nextInt(3);
        final long index = logs.append(model.term, timestampMs, type, new UnsafeBuffer(bytes), 0, length);
        model.entries.add(new Entry(model.term, timestampMs, type, bytes));
        assertEquals(model.last(), index);
        return "append(" + length + " bytes)";
    }

    private String randomInstall(SplittableRandom random, MemoryRaftLogs logs, Model model) {
        final long index = random.nextLong(model.snapshotIndex, model.last() + 20);
        final boolean matching = index <= model.last() && random.nextBoolean();
        final long term = matching ? model.termAt(index) : model.term + random.nextInt(1, 3);
        logs.installSnapshot(snapshotAt(index, term));
        if (index <= model.last() && model.termAt(index) == term) {
            model.dropUpTo(index);
        } else {
            model.entries.clear();
            model.first = index + 1;
            model.termBeforeFirst = term;
        }
        model.term = Math.max(model.term, term);
        keepSnapshot(model, index, term);
        return "installSnapshot(" + index + ", term " + term + ")";
    }

    private static void keepSnapshot(Model model, long index, long term) {
        model.snapshotIndex = index;
        model.snapshotTerm = term;
    }

    private static RaftSnapshot snapshotAt(long index, long term) {
        return RaftSnapshot.of(index, term, MEMBERS, new byte[0]);
    }

    private void assertMatches(MemoryRaftLogs logs, Model model, SplittableRandom random, String where, boolean all) {
        assertEquals(model.first, logs.firstIndex(), where);
        assertEquals(model.last(), logs.lastIndex(), where);
        assertEquals(model.snapshotIndex, logs.snapshotIndex(), where);
        assertEquals(model.snapshotTerm, logs.snapshotTerm(), where);
        long size = 0;
        for (Entry entry : model.entries) {
            size += MemoryRaftLogs.HEADER_LENGTH + entry.payload.length;
        }
        assertEquals(size, logs.sizeInBytes(), where);
        for (long index = Math.max(0, model.first - 3); index <= model.last() + 2; index++) {
            assertEquals(model.termAt(index), logs.termAt(index), where + " termAt(" + index + ")");
        }
        assertEquals(model.termAt(model.snapshotIndex), logs.termAt(model.snapshotIndex), where);
        if (!model.entries.isEmpty()) {
            assertEntry(logs, model, model.first, where);
            assertEntry(logs, model, model.last(), where);
            assertEntry(logs, model, random.nextLong(model.first, model.last() + 1), where);
        }
        for (long index = model.first; all && index <= model.last(); index++) {
            assertEntry(logs, model, index, where);
        }
    }

    private void assertEntry(MemoryRaftLogs logs, Model model, long index, String where) {
        final Entry entry = model.entries.get((int) (index - model.first));
        logs.read(index, view);
        assertEquals(entry.term, view.term(), where + " term of " + index);
        assertEquals(entry.timestampMs, view.timestampMs(), where + " timestamp of " + index);
        assertEquals(entry.type, view.type(), where + " type of " + index);
        assertArrayEquals(entry.payload, copy(view), where + " payload of " + index);
    }

    // ---------------------------------------------------------------- helpers

    private static MemoryRaftLogs logWithTerms(MemoryRaftLogs logs, long... terms) {
        for (int i = 0; i < terms.length; i++) {
            logs.append(terms[i], 0, LogEntryView.NORMAL, payload(10, i + 1), 0, 10);
        }
        return logs;
    }

    /** Appends entries whose payloads are {@code bytes(length, index)}. */
    private static void appendMany(MemoryRaftLogs logs, int count, long term, int length) {
        for (int i = 0; i < count; i++) {
            final long index = logs.lastIndex() + 1;
            logs.append(term, index, LogEntryView.NORMAL, payload(length, (int) index), 0, length);
        }
    }

    private static UnsafeBuffer payload(int length, int seed) {
        return new UnsafeBuffer(bytes(length, seed));
    }

    private static byte[] bytes(int length, int seed) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    private static byte[] copy(LogEntryView view) {
        final byte[] bytes = new byte[view.payloadLength()];
        view.payload().getBytes(0, bytes);
        return bytes;
    }

    private static void assertRejected(Executable call, String expectedInMessage) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage), "message should mention '" + expectedInMessage
            + "': " + e.getMessage());
    }
}
