// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class FileRaftLogsTest {
    private static final Membership MEMBERS = Membership.ofVoters("a", "b", "c");
    private static final int SMALL_SEGMENT_BYTES = FileLogConfig.MIN_SEGMENT_BYTES;

    @TempDir
    Path dir;

    private final LogEntryView view = new LogEntryView();

    static FileLogConfig config(FsyncPolicy policy) {
        return FileLogConfig.builder().fsyncPolicy(policy).segmentBytes(SMALL_SEGMENT_BYTES)
            .journalBytes(FileLogConfig.MIN_JOURNAL_BYTES).build();
    }

    static UnsafeBuffer payload(int length, int seed) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return new UnsafeBuffer(bytes);
    }

    static long append(RaftLogs logs, long term, int length, int seed) {
        return logs.append(term, 1000L + seed, LogEntryView.NORMAL, payload(length, seed), 0, length);
    }

    @Test
    void shouldStartEmptyInAnEmptyDirectory() throws IOException {
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertEquals(LogState.of(new MemoryRaftLogs()), LogState.of(logs));
            assertEquals(0, logs.writeSequence());
            assertEquals(0, logs.durableSequence());
            assertEquals(0, logs.durableIndex());
        }
    }

    @Test
    void shouldKeepEntriesTermAndVoteAcrossCloseAndReopen() throws IOException {
        final LogState before;
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            logs.storeTermAndVote(3, "b");
            for (int i = 0; i < 500; i++) {
                append(logs, 3, i % 150, i);
            }
            before = LogState.of(logs);
        }
        assertTrue(Files.list(dir).filter(f -> f.toString().endsWith(".seg")).count() > 3, "rolled segments");
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertEquals(before, LogState.of(logs));
            assertEquals(500, logs.recoveredEntries());
            assertEquals(0, logs.tornTailsTruncated());
            assertEquals(3, logs.currentTerm());
            assertEquals("b", logs.votedFor());
        }
    }

    @Test
    void shouldKeepTheEmptyLogGuardWithTermAndVoteAcrossReopen() throws IOException {
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertFalse(logs.emptyLogGuard(), "a new log is not guarded");
            logs.storeEmptyLogGuard(true);
            logs.storeTermAndVote(2, "c");
        }
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertTrue(logs.emptyLogGuard(), "the guard survives a restart, also after a term was stored");
            assertEquals(2, logs.currentTerm());
            assertEquals("c", logs.votedFor());
            logs.storeEmptyLogGuard(false);
        }
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.NEVER))) {
            assertFalse(logs.emptyLogGuard());
            assertEquals(2, logs.currentTerm());
            assertEquals("c", logs.votedFor());
        }
    }

    @Test
    void shouldKeepEntriesAppendedAfterTwoInstallsOfTheSameIndexThatEachDropTheLog() throws IOException {
        final MemoryRaftLogs model = new MemoryRaftLogs();
        SimFileSystem disk = new SimFileSystem();
        final FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false);
        for (RaftLogs l : List.of(model, logs)) {
            l.storeTermAndVote(3, null);
            for (int i = 0; i < 20; i++) {
                append(l, 3, 40, i);
            }
            l.installSnapshot(RaftSnapshot.of(30, 4, MEMBERS, new byte[] {1}));
            for (int i = 0; i < 4; i++) {
                append(l, 4, 40, 100 + i);
            }
            l.installSnapshot(RaftSnapshot.of(30, 5, MEMBERS, new byte[] {2}));
            for (int i = 0; i < 4; i++) {
                append(l, 5, 40, 200 + i);
            }
            l.truncateFrom(34);
            l.storeTermAndVote(5, null);
        }
        logs.close();
        disk = disk.restart();
        try (FileRaftLogs reopened = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            assertEquals(LogState.of(model), LogState.of(reopened));
        }
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameDirectoryUntilTheFirstIsClosed() throws IOException {
        try (FileRaftLogs first = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            append(first, 1, 10, 1);
            final DataDirectoryInUseException e = assertThrows(DataDirectoryInUseException.class,
                    () -> FileRaftLogs.open(dir, config(FsyncPolicy.BATCH)));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertEquals(1, first.lastIndex(), "the first log is untouched");
        }
        try (FileRaftLogs again = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertEquals(1, again.lastIndex(), "closing released the directory");
        }
    }

    @Test
    void shouldPickTheSnapshotThatMetaNamesWhenTwoShareTheNewestIndex() throws IOException {
        final Path older = dir.resolve("older");
        try (FileRaftLogs logs = FileRaftLogs.open(older, config(FsyncPolicy.BATCH))) {
            logs.installSnapshot(RaftSnapshot.of(30, 4, MEMBERS, new byte[] {1}));
        }
        final Path current = dir.resolve("current");
        final LogState before;
        try (FileRaftLogs logs = FileRaftLogs.open(current, config(FsyncPolicy.BATCH))) {
            logs.installSnapshot(RaftSnapshot.of(30, 4, MEMBERS, new byte[] {1}));
            logs.installSnapshot(RaftSnapshot.of(30, 5, MEMBERS, new byte[] {2}));
            for (int i = 0; i < 3; i++) {
                append(logs, 5, 40, i);
            }
            before = LogState.of(logs);
        }
        // The process stopped after meta was written and before the replaced file was deleted.
        Files.copy(older.resolve(FileFormat.snapshotName(30, 4)), current.resolve(FileFormat.snapshotName(30, 4)));
        try (FileRaftLogs logs = FileRaftLogs.open(current, config(FsyncPolicy.BATCH))) {
            assertEquals(before, LogState.of(logs), "the entries appended after the install are kept");
            assertEquals(5, logs.snapshotTerm());
        }
    }

    @Test
    void shouldReportEveryMutationDurableWithEachPolicy() throws IOException {
        for (FsyncPolicy policy : FsyncPolicy.values()) {
            final Path sub = dir.resolve(policy.name());
            try (FileRaftLogs logs = FileRaftLogs.open(sub, config(policy))) {
                logs.storeTermAndVote(1, "a");
                for (int i = 0; i < 100; i++) {
                    append(logs, 1, 10, i);
                }
                assertEquals(101, logs.writeSequence());
                while (logs.durableSequence() < logs.writeSequence()) {
                    Thread.onSpinWait(); // the writer thread publishes; no timing asserted
                }
                assertEquals(100, logs.durableIndex(), policy.name());
            }
        }
    }

    @Test
    void shouldRunTheDurableCallbackOnTheWriterThread() throws IOException {
        final Thread test = Thread.currentThread();
        final long[] calls = new long[1];
        final Thread[] caller = new Thread[1];
        final FileLogConfig config = FileLogConfig.builder().onDurable(() -> {
            calls[0]++;
            caller[0] = Thread.currentThread();
            java.util.concurrent.locks.LockSupport.unpark(test);
        }).build();
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config)) {
            append(logs, 1, 10, 1);
            while (logs.durableSequence() < 1) {
                java.util.concurrent.locks.LockSupport.park();
            }
        }
        assertTrue(calls[0] >= 1);
        assertEquals("hamok-filelog-writer", caller[0].getName());
    }

    @Test
    void shouldLowerDurableIndexBelowATruncationUntilItIsDurable() throws IOException {
        final SimFileSystem disk = new SimFileSystem();
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            for (int i = 0; i < 10; i++) {
                append(logs, 1, 10, i);
            }
            logs.writer().doWork();
            assertEquals(10, logs.durableIndex());
            logs.truncateFrom(6);
            append(logs, 2, 10, 100);
            append(logs, 2, 10, 101);
            append(logs, 2, 10, 102);
            assertEquals(5, logs.durableIndex(), "entries 6.. are new and not durable");
            logs.writer().doWork();
            assertEquals(8, logs.durableIndex());
            assertEquals(logs.writeSequence(), logs.durableSequence());
        }
    }

    @Test
    void shouldKeepTruncationAcrossReopen() throws IOException {
        final LogState expected;
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.ALWAYS))) {
            for (int i = 0; i < 300; i++) {
                append(logs, 1, 100, i);
            }
            logs.truncateFrom(40); // several segments go
            for (int i = 0; i < 20; i++) {
                append(logs, 2, 50, 1000 + i);
            }
            logs.truncateFrom(55);
            expected = LogState.of(logs);
        }
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.ALWAYS))) {
            assertEquals(expected, LogState.of(logs));
            assertEquals(54, logs.lastIndex());
            assertEquals(2, logs.termAt(54));
        }
    }

    @Test
    void shouldKeepSnapshotAndCompactionAcrossReopenAndDeleteOldSegmentsAndSnapshots() throws IOException {
        final LogState expected;
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            for (int i = 0; i < 300; i++) {
                append(logs, 1 + i / 100, 100, i);
            }
            logs.storeSnapshot(RaftSnapshot.of(150, 2, MEMBERS, new byte[] {1, 2, 3}), 120);
            logs.storeSnapshot(RaftSnapshot.of(250, 3, MEMBERS, new byte[] {4, 5}), 200);
            expected = LogState.of(logs);
        }
        final List<String> snapshots = Files.list(dir).map(f -> f.getFileName().toString())
            .filter(n -> n.endsWith(".snap")).toList();
        assertEquals(List.of("snapshot-250-3.snap"), snapshots);
        final long firstSegment = Files.list(dir).map(f -> f.getFileName().toString())
            .mapToLong(FileFormat::segmentIndexOf).filter(i -> i >= 0).min().orElseThrow();
        assertTrue(firstSegment > 100 && firstSegment <= 201, "segments below the log start are gone: " + firstSegment);
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertEquals(expected, LogState.of(logs));
            assertEquals(201, logs.firstIndex());
            assertEquals(250, logs.snapshotIndex());
            assertArrayEquals(new byte[] {4, 5}, logs.snapshot().stateMachineData());
            assertEquals(MEMBERS.voters(), logs.snapshot().membership().voters());
        }
    }

    @Test
    void shouldKeepInstalledSnapshotAcrossReopenWhetherTheLogMatchesOrNot() throws IOException {
        final LogState expected;
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            for (int i = 0; i < 100; i++) {
                append(logs, 1, 100, i);
            }
            logs.installSnapshot(RaftSnapshot.of(60, 1, MEMBERS, new byte[] {9})); // matches: keeps 61..100
            assertEquals(61, logs.firstIndex());
            logs.installSnapshot(RaftSnapshot.of(500, 4, MEMBERS, new byte[] {8})); // beyond: drops everything
            append(logs, 4, 20, 7);
            expected = LogState.of(logs);
        }
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertEquals(expected, LogState.of(logs));
            assertEquals(501, logs.lastIndex());
            assertEquals(500, logs.snapshotIndex());
        }
    }

    @Test
    void shouldCarryEntriesLargerThanTheJournalAndTheSegment() throws IOException {
        final int big = FileLogConfig.MIN_JOURNAL_BYTES; // more than an eighth of the journal
        final LogState expected;
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            append(logs, 1, 10, 1);
            append(logs, 1, big, 2);
            append(logs, 1, 3 * SMALL_SEGMENT_BYTES, 3);
            append(logs, 1, 0, 4);
            expected = LogState.of(logs);
        }
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            assertEquals(expected, LogState.of(logs));
            logs.read(2, view);
            assertEquals(big, view.payloadLength());
        }
    }

    @Test
    void shouldMatchMemoryModelAcrossReopensUnderRandomOperations() throws IOException {
        final long seed = Long.getLong("hamok.filelog.seed", 20240807L);
        final SplittableRandom random = new SplittableRandom(seed);
        final MemoryRaftLogs model = new MemoryRaftLogs();
        SimFileSystem disk = new SimFileSystem();
        FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false);
        try {
            for (int op = 0; op < 6000; op++) {
                RandomOps.step(random, logs, model);
                if (random.nextInt(8) == 0) {
                    logs.writer().doWork();
                }
                if (op % 250 == 249) {
                    logs.close();
                    disk = disk.restart();
                    logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false);
                    assertEquals(LogState.of(model), LogState.of(logs), "seed " + seed + " op " + op);
                }
            }
        } finally {
            logs.close();
        }
    }

    @Test
    void shouldMatchMemoryModelOnARealDirectory() throws IOException {
        final SplittableRandom random = new SplittableRandom(7);
        final MemoryRaftLogs model = new MemoryRaftLogs();
        FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.NEVER));
        try {
            for (int op = 0; op < 3000; op++) {
                RandomOps.step(random, logs, model);
                if (op % 500 == 499) {
                    logs.close();
                    logs = FileRaftLogs.open(dir, config(FsyncPolicy.NEVER));
                    assertEquals(LogState.of(model), LogState.of(logs), "op " + op);
                }
            }
        } finally {
            logs.close();
        }
    }

    // ---------------------------------------------------------------- damage

    @Test
    void shouldCutATornTailAndKeepEverythingBeforeIt() throws IOException {
        final SimFileSystem disk = new SimFileSystem();
        final LogState expected;
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            for (int i = 0; i < 20; i++) {
                append(logs, 1, 50, i);
            }
            expected = LogState.of(logs);
        }
        final String segment = FileFormat.segmentName(1);
        final byte[] content = disk.content(segment);
        final byte[] partial = new byte[content.length + 40]; // a record header and part of a payload
        System.arraycopy(content, 0, partial, 0, content.length);
        ByteBuffer.wrap(partial, content.length, 40).order(ByteOrder.LITTLE_ENDIAN).putInt(0x1234).putInt(75)
            .putLong(21).putLong(1);
        disk.replace(segment, partial);
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            assertEquals(expected, LogState.of(logs));
            assertEquals(1, logs.tornTailsTruncated());
            assertEquals(40, logs.tornBytesTruncated());
            append(logs, 1, 50, 20);
        }
        assertEquals(content.length + 33 + 50, disk.content(segment).length, "the next record went where the torn one was");
    }

    @Test
    void shouldCutALastRecordThatFailsItsChecksum() throws IOException {
        final SimFileSystem disk = new SimFileSystem();
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            for (int i = 0; i < 20; i++) {
                append(logs, 1, 50, i);
            }
        }
        final String segment = FileFormat.segmentName(1);
        final byte[] content = disk.content(segment);
        content[content.length - 3] ^= 0x40; // inside the last record's payload
        disk.replace(segment, content);
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            assertEquals(19, logs.lastIndex());
            assertEquals(1, logs.tornTailsTruncated());
            assertEquals(83, logs.tornBytesTruncated());
        }
    }

    @Test
    void shouldRefuseABadRecordFollowedByValidDataNamingFileAndOffset() throws IOException {
        final SimFileSystem disk = new SimFileSystem();
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            for (int i = 0; i < 20; i++) {
                append(logs, 1, 50, i);
            }
        }
        final String segment = FileFormat.segmentName(1);
        final byte[] content = disk.content(segment);
        final int fifth = FileFormat.SEGMENT_HEADER_LENGTH + 4 * 83;
        content[fifth + 40] ^= 0x01;
        disk.replace(segment, content);
        final FileLogCorruptException e = assertThrows(FileLogCorruptException.class,
            () -> FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false));
        assertEquals("sim:" + segment, e.file());
        assertEquals(fifth, e.offset());
        assertTrue(e.getMessage().contains("sim:" + segment + " at byte " + fifth), e.getMessage());
        assertArrayEquals(content, disk.content(segment), "nothing was cut");
    }

    @Test
    void shouldRefuseABadRecordInAnEarlierSegment() throws IOException {
        final SimFileSystem disk = new SimFileSystem();
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            for (int i = 0; i < 200; i++) {
                append(logs, 1, 100, i);
            }
        }
        final String segment = FileFormat.segmentName(1);
        final byte[] content = disk.content(segment);
        content[content.length - 1] ^= 0x01; // the last record of the first segment
        disk.replace(segment, content);
        final FileLogCorruptException e = assertThrows(FileLogCorruptException.class,
            () -> FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false));
        assertEquals("sim:" + segment, e.file());
        assertEquals(content.length - 133, e.offset());
    }

    @Test
    void shouldRefuseAGapBetweenSegments() throws IOException {
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            for (int i = 0; i < 200; i++) {
                append(logs, 1, 100, i);
            }
        }
        final List<Path> segments = Files.list(dir).filter(f -> f.toString().endsWith(".seg")).sorted().toList();
        assertTrue(segments.size() >= 3);
        Files.delete(segments.get(1));
        final FileLogCorruptException e = assertThrows(FileLogCorruptException.class,
            () -> FileRaftLogs.open(dir, config(FsyncPolicy.BATCH)));
        assertEquals(segments.get(2).toString(), e.file());
        assertTrue(e.getMessage().contains("gap"), e.getMessage());
    }

    @Test
    void shouldRefuseDamagedMetadata() throws IOException {
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH))) {
            logs.storeTermAndVote(5, "c");
        }
        final byte[] meta = Files.readAllBytes(dir.resolve(FileFormat.META));
        meta[10] ^= 1;
        Files.write(dir.resolve(FileFormat.META), meta);
        final FileLogCorruptException e = assertThrows(FileLogCorruptException.class,
            () -> FileRaftLogs.open(dir, config(FsyncPolicy.BATCH)));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    // ---------------------------------------------------------------- failures and lifecycle

    @Test
    void shouldSurfaceAFullDiskAsATypedFailureAndReportNothingMoreDurable() throws IOException {
        final SimFileSystem disk = new SimFileSystem();
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            for (int i = 0; i < 10; i++) {
                append(logs, 1, 50, i);
            }
            logs.writer().doWork();
            assertEquals(10, logs.durableSequence());
            disk.failWritesFrom(disk.points() + 1);
            append(logs, 1, 50, 10);
            logs.storeTermAndVote(2, "a");
            logs.writer().doWork();

            assertNotNull(logs.failure());
            assertTrue(logs.failure().getMessage().contains("No space left"), logs.failure().getMessage());
            assertEquals(10, logs.durableSequence());
            assertEquals(10, logs.durableIndex());
            final FileLogFailedException refused = assertThrows(FileLogFailedException.class,
                () -> append(logs, 2, 50, 11));
            assertInstanceOf(IOException.class, refused.getCause());
            assertTrue(refused.getMessage().contains("No space left"), refused.getMessage());
            assertThrows(FileLogFailedException.class, () -> logs.storeTermAndVote(3, null));
            assertThrows(FileLogFailedException.class, () -> logs.truncateFrom(5));
            assertEquals(11, logs.lastIndex(), "the refused mutations changed nothing");
            assertEquals(2, logs.currentTerm());
            logs.writer().doWork();
            assertEquals(10, logs.durableSequence());
        }
        try (FileRaftLogs logs = FileRaftLogs.open(disk.restart(), config(FsyncPolicy.BATCH), false)) {
            assertEquals(10, logs.lastIndex());
            assertEquals(0, logs.currentTerm());
        }
    }

    @Test
    void shouldRefuseMutationsOnceClosedButStillAnswerReads() throws IOException {
        final FileRaftLogs logs = FileRaftLogs.open(dir, config(FsyncPolicy.BATCH));
        append(logs, 1, 10, 1);
        logs.close();
        logs.close();
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> append(logs, 1, 10, 2));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(1, logs.lastIndex());
        assertEquals(logs.writeSequence(), logs.durableSequence(), "close drained and forced");
    }

    @Test
    void shouldRejectInvalidMutationsWithoutJournalingThem() throws IOException {
        final SimFileSystem disk = new SimFileSystem();
        try (FileRaftLogs logs = FileRaftLogs.open(disk, config(FsyncPolicy.BATCH), false)) {
            append(logs, 1, 10, 1);
            assertThrows(IllegalArgumentException.class, () -> logs.truncateFrom(5));
            assertThrows(IllegalArgumentException.class,
                () -> logs.storeSnapshot(RaftSnapshot.of(3, 1, MEMBERS, new byte[0]), 1));
            assertThrows(IllegalArgumentException.class,
                () -> logs.append(1, 0, LogEntryView.NORMAL, payload(1, 1), 0, -1));
            assertEquals(1, logs.writeSequence());
            logs.writer().doWork();
            assertEquals(1, logs.durableSequence());
        }
    }

    /**
     * Steady state on the loop thread: append, read, termAt, the durability getters, a short
     * truncation and a snapshot with compaction, while the writer thread writes the files. As in
     * {@code MemoryRaftLogsTest}, one allocation-free window of cycles is required (the JIT may allocate
     * a little on this thread while compiling). The one deliberate allocation is the side-queue node that
     * carries each new snapshot to the writer (24 bytes a cycle).
     */
    @Test
    void shouldNotAllocateOnTheLoopThreadInSteadyState() throws IOException {
        final int entriesPerCycle = 10_000;
        final int warmupCycles = 40;
        final int cyclesPerWindow = 10;
        final int windows = 5;
        final RaftSnapshot[] snapshots = new RaftSnapshot[warmupCycles + windows * cyclesPerWindow];
        for (int cycle = 0; cycle < snapshots.length; cycle++) {
            snapshots[cycle] = RaftSnapshot.of((long) (cycle + 1) * entriesPerCycle, cycle + 1, MEMBERS, new byte[0]);
        }
        final UnsafeBuffer payload = payload(100, 7);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final long[] allocatedPerWindow = new long[windows];
        final FileLogConfig config = FileLogConfig.builder().fsyncPolicy(FsyncPolicy.NEVER).segmentBytes(4 << 20).build();
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config)) {
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
                + java.util.Arrays.toString(allocatedPerWindow));
            assertTrue(checksum > 0, "the reads were used");
            assertNull(logs.failure());
        }
    }

    /**
     * Steady state on both sides: the writer is driven on the test thread (no writer thread), so the
     * thread allocation counter sees the loop side and the writer together. Segments of 1 MiB roll
     * about once per cycle of 10,000 entries and compaction deletes them, so what remains is per cycle
     * (the new segment file, the snapshot and meta files, the snapshot's queue node), not per entry:
     * about 1 byte an entry here. Before the writer reused the offsets arrays of deleted segments, each
     * new segment grew its own by doubling: about 18 bytes an entry here. The least of a few windows
     * counts (the JIT may allocate a little while compiling).
     */
    @Test
    void shouldNotAllocatePerEntryOnTheWriterSideInSteadyState() throws IOException {
        final int entriesPerCycle = 10_000;
        final int warmupCycles = 30;
        final int cyclesPerWindow = 5;
        final int windows = 5;
        final RaftSnapshot[] snapshots = new RaftSnapshot[warmupCycles + windows * cyclesPerWindow];
        for (int cycle = 0; cycle < snapshots.length; cycle++) {
            snapshots[cycle] = RaftSnapshot.of((long) (cycle + 1) * entriesPerCycle, 1, MEMBERS, new byte[0]);
        }
        final UnsafeBuffer payload = payload(100, 3);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final double[] bytesPerEntry = new double[windows];
        final FileLogConfig config = FileLogConfig.builder().fsyncPolicy(FsyncPolicy.NEVER).segmentBytes(1 << 20).build();
        try (FileRaftLogs logs = FileRaftLogs.open(new RealFileIo(dir), config, false)) {
            int cycle = 0;
            while (cycle < warmupCycles) {
                appendWriteAndCompact(logs, snapshots[cycle++], payload, entriesPerCycle);
            }
            threads.getCurrentThreadAllocatedBytes();
            double fewest = Double.MAX_VALUE;
            for (int window = 0; window < windows && fewest >= 2.0; window++) {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < cyclesPerWindow; i++) {
                    appendWriteAndCompact(logs, snapshots[cycle++], payload, entriesPerCycle);
                }
                bytesPerEntry[window] = (threads.getCurrentThreadAllocatedBytes() - before)
                    / (double) (cyclesPerWindow * entriesPerCycle);
                fewest = Math.min(fewest, bytesPerEntry[window]);
            }
            assertTrue(fewest < 2.0, "bytes allocated per entry, loop and writer side, per window of "
                + cyclesPerWindow + " cycles: " + java.util.Arrays.toString(bytesPerEntry));
            assertTrue(logs.writer().fsyncs() > 0, "segments were rolled");
            assertNull(logs.failure());
            assertEquals(logs.lastIndex(), logs.durableIndex());
        }
    }

    private static void appendWriteAndCompact(FileRaftLogs logs, RaftSnapshot snapshot, UnsafeBuffer payload, int count) {
        for (int i = 0; i < count; i++) {
            logs.append(snapshot.term(), i, LogEntryView.NORMAL, payload, 0, payload.capacity());
            if ((i & 1023) == 1023) {
                logs.writer().doWork();
            }
        }
        logs.storeSnapshot(snapshot, snapshot.index() - count / 2);
        while (logs.writer().doWork() > 0) {
            // drain
        }
    }

    private long appendAndCompact(FileRaftLogs logs, RaftSnapshot snapshot, UnsafeBuffer payload, int count) {
        final long term = snapshot.term();
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            final long index = logs.append(term, i, LogEntryView.NORMAL, payload, 0, payload.capacity());
            checksum += logs.read(index, view).payloadLength() + logs.termAt(index) + logs.durableIndex()
                + logs.durableSequence();
        }
        logs.truncateFrom(logs.lastIndex() - 9);
        for (int i = 0; i < 10; i++) {
            logs.append(term, i, LogEntryView.NORMAL, payload, 0, payload.capacity());
        }
        logs.storeSnapshot(snapshot, snapshot.index() - count / 10);
        return checksum + logs.sizeInBytes();
    }

    @Test
    void shouldRejectBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> FileLogConfig.builder().segmentBytes(100).build());
        assertThrows(IllegalArgumentException.class, () -> FileLogConfig.builder().journalBytes(100_000).build());
        assertNull(FileLogConfig.defaults().onDurable());
        assertEquals(FsyncPolicy.BATCH, FileLogConfig.defaults().fsyncPolicy());
    }
}
