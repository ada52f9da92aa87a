// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.LogEntryView;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulation's reconstruction of the committed log ({@link HamokSimRaftLogs.Ground}) after the
 * shape of paper Figure 8, where an uncommitted entry of a later term shares its index with the
 * entry that is committed in the end. Found by seed 2774 of {@link HamokSimulationTest}: the checker
 * took the entry of the highest term at every index and replayed entries that no replica applied.
 */
class HamokSimGroundTest {
    private final HamokSimRaftLogs.Ground ground = new HamokSimRaftLogs.Ground();
    private final HamokSimRaftLogs s1 = new HamokSimRaftLogs("s1", ground);
    private final HamokSimRaftLogs s2 = new HamokSimRaftLogs("s2", ground);
    private final HamokSimRaftLogs s5 = new HamokSimRaftLogs("s5", ground);

    @Test
    void shouldTakeTheFinalLeadersEntryNotTheHighestTermAtAnIndex() {
        // term 1: everyone holds "a" at 1; term 2: s1 leads and gets "b" to s2 only (not committed)
        append(s1, 1, "a");
        append(s2, 1, "a");
        append(s5, 1, "a");
        append(s1, 2, "b");
        append(s2, 2, "b");
        // term 3: s5 leads with votes of nodes not shown, appends "c" at 2 and is deposed before committing it
        append(s5, 3, "c");
        // term 4: s1 leads, appends "d" at 3 and commits it with s2 (and a third node): index 2 is "b", term 2
        append(s1, 4, "d");
        append(s2, 4, "d");

        final List<HamokSimRaftLogs.Ground.Entry> committed = ground.committed(3, 4);
        assertEquals(List.of("a", "b", "d"), committed.stream().map(HamokSimGroundTest::text).toList());
        assertEquals(List.of(1L, 2L, 4L), committed.stream().map(HamokSimRaftLogs.Ground.Entry::term).toList());
        assertEquals(4, ground.all().size(), "both entries at index 2 are kept: " + ground.all());
        assertTrue(ground.violations().isEmpty(), ground.violations().toString());

        // s5 follows s1 now: its "c" is overwritten; its log gives the same committed log
        s5.truncateFrom(2);
        append(s5, 2, "b");
        append(s5, 4, "d");
        assertEquals(committed, ground.committed(3, s5.termAt(3)));
        assertTrue(ground.violations().isEmpty(), ground.violations().toString());
    }

    @Test
    void shouldReportTwoEntriesWithTheSameIndexAndTermAsALogMatchingViolation() {
        append(s1, 1, "a");
        append(s1, 2, "b");
        append(s2, 1, "a");
        append(s2, 2, "x");
        append(s5, 2, "y");
        append(s5, 2, "b"); // the same entry at index 2 term 2, but after another entry: a different prefix
        assertEquals(2, ground.violations().size(), ground.violations().toString());
        assertTrue(ground.violations().get(0).startsWith("log matching: s2"), ground.violations().toString());
        assertTrue(ground.violations().get(1).startsWith("log matching: s5"), ground.violations().toString());
    }

    @Test
    void shouldFailWhenNoPeerAppendedACommittedEntry() {
        append(s1, 1, "a");
        assertThrows(AssertionError.class, () -> ground.committed(2, 1));
        assertThrows(AssertionError.class, () -> ground.committed(1, 2));
    }

    private static void append(HamokSimRaftLogs logs, long term, String payload) {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        logs.append(term, 0, LogEntryView.NORMAL, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String text(HamokSimRaftLogs.Ground.Entry e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }
}
