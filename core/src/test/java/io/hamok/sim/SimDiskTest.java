// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated write-behind disk: live at once, durable at the sync, and a crash keeps only what is durable. */
@Timeout(10)
class SimDiskTest {
    private static final long MS = 1_000_000;

    private final SimClock clock = new SimClock();
    private final SimDisk disk = new SimDisk(clock, new SplittableRandom(1));

    private static long append(RaftLogs logs, long term, String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return logs.append(term, 0, LogEntryView.NORMAL, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String text(RaftLogs logs, long index) {
        final LogEntryView e = logs.read(index, new LogEntryView());
        final byte[] bytes = new byte[e.payloadLength()];
        e.payload().getBytes(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void shouldServeWritesAtOnceAndMakeThemDurableAtTheSync() {
        disk.storeTermAndVote(1, "a");
        append(disk, 1, "x");
        assertEquals(1, disk.lastIndex(), "the live log has the entry at once");
        assertEquals("a", disk.votedFor());
        assertEquals(2, disk.writeSequence());
        assertEquals(0, disk.durableSequence());
        assertEquals(0, disk.durableIndex());
        assertTrue(disk.syncAtNs() <= SimDisk.DEFAULT_MAX_SYNC_MS * MS, "a sync is scheduled within 5 ms");

        disk.sync(1);
        assertEquals(1, disk.durableSequence(), "a prefix: term and vote");
        assertEquals(0, disk.durableIndex());
        assertEquals("a", disk.durable().votedFor());
        assertTrue(disk.syncAtNs() != SimDisk.NEVER, "the rest waits for the next sync");

        disk.sync(Integer.MAX_VALUE);
        assertEquals(2, disk.durableSequence());
        assertEquals(1, disk.durableIndex());
        assertEquals(SimDisk.NEVER, disk.syncAtNs(), "idle");
    }

    @Test
    void shouldRestartOnExactlyTheDurableStateAfterACrash() {
        disk.storeTermAndVote(1, "a");
        append(disk, 1, "x");
        append(disk, 1, "y");
        disk.sync(Integer.MAX_VALUE);
        disk.storeTermAndVote(2, "b");
        append(disk, 2, "z");
        disk.truncateFrom(2);

        disk.crash(0);
        assertEquals(1, disk.currentTerm(), "the term and vote of term 2 were not durable");
        assertEquals("a", disk.votedFor());
        assertEquals(2, disk.lastIndex(), "the truncation was lost too");
        assertEquals("y", text(disk, 2));
        assertEquals(3, disk.lostWrites());
        assertEquals(disk.durableSequence(), disk.writeSequence(), "nothing pending after a crash");
        assertEquals(2, disk.durableIndex());
    }

    @Test
    void shouldKeepATornPrefixInACrash() {
        append(disk, 1, "x");
        append(disk, 1, "y");
        append(disk, 1, "z");
        disk.crash(2);
        assertEquals(2, disk.lastIndex());
        assertEquals(1, disk.lostWrites());
    }

    @Test
    void shouldNotClaimEntriesTruncatedAndAppendedAgainBeforeTheyAreDurable() {
        append(disk, 1, "x");
        append(disk, 1, "y");
        append(disk, 1, "z");
        disk.sync(Integer.MAX_VALUE);
        assertEquals(3, disk.durableIndex());

        disk.truncateFrom(2);
        append(disk, 2, "y2");
        append(disk, 2, "z2");
        append(disk, 2, "w2");
        assertEquals(4, disk.lastIndex());
        assertEquals(1, disk.durableIndex(), "entries 2 and 3 are durable, but not as the log holds them now");

        disk.sync(2);
        assertEquals(2, disk.durableIndex(), "the truncation and y2 are durable");
        disk.sync(Integer.MAX_VALUE);
        assertEquals(4, disk.durableIndex());
    }

    @Test
    void shouldLoseAnUnsyncedSnapshotAndKeepASyncedOne() {
        for (int i = 1; i <= 6; i++) {
            append(disk, 1, "e" + i);
        }
        final Membership m = Membership.ofVoters("a", "b", "c");
        disk.storeSnapshot(RaftSnapshot.of(4, 1, m, new byte[] {4}), 2);
        disk.sync(Integer.MAX_VALUE);
        disk.storeSnapshot(RaftSnapshot.of(6, 1, m, new byte[] {6}), 6);
        disk.crash(0);
        assertEquals(4, disk.snapshotIndex());
        assertEquals(3, disk.firstIndex(), "the log start of the durable compaction, below the snapshot");
        assertEquals(6, disk.lastIndex());
        assertEquals("e3", text(disk, 3));
        assertEquals(1, disk.termAt(2), "the term before the log start is known");
        assertEquals(4, disk.snapshot().stateMachineData()[0]);
    }

    @Test
    void shouldCopyEveryLayoutOfALog() {
        final Membership m = Membership.ofVoters("a");
        final MemoryRaftLogs empty = new MemoryRaftLogs();
        final MemoryRaftLogs copyOfEmpty = SimDisk.copyOf(empty);
        assertEquals(0, copyOfEmpty.lastIndex());
        assertNull(copyOfEmpty.snapshot());

        final MemoryRaftLogs installed = new MemoryRaftLogs();
        installed.storeTermAndVote(3, "a");
        installed.installSnapshot(RaftSnapshot.of(10, 3, m, new byte[0]));
        append(installed, 3, "k");
        final MemoryRaftLogs copy = SimDisk.copyOf(installed);
        assertEquals(11, copy.firstIndex());
        assertEquals(11, copy.lastIndex());
        assertEquals(10, copy.snapshotIndex());
        assertEquals(3, copy.termAt(10));
        assertEquals("k", text(copy, 11));
        assertEquals("a", copy.votedFor());

        final MemoryRaftLogs covered = new MemoryRaftLogs();
        for (int i = 1; i <= 5; i++) {
            append(covered, i <= 2 ? 1 : 2, "e" + i);
        }
        covered.storeSnapshot(RaftSnapshot.of(4, 2, m, new byte[0]), 0);
        final MemoryRaftLogs copy2 = SimDisk.copyOf(covered);
        assertEquals(1, copy2.firstIndex(), "nothing compacted: entries the snapshot covers stay");
        assertEquals(4, copy2.snapshotIndex());
        assertEquals(5, copy2.lastIndex());
        assertEquals("e1", text(copy2, 1));
    }
}
