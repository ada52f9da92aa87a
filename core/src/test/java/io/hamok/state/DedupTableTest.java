// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.wire.proto.DedupSourceSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class DedupTableTest {
    private static final int WINDOW = 64;

    @Test
    void shouldApplyAnIdOnceAndReportTheRetryAsDuplicate() {
        final DedupTable t = new DedupTable(WINDOW);

        assertTrue(t.markApplied("a", 1));
        assertFalse(t.markApplied("a", 1));
        assertTrue(t.isApplied("a", 1));
    }

    @Test
    void shouldKeepSourcesApart() {
        final DedupTable t = new DedupTable(WINDOW);

        assertTrue(t.markApplied("a", 7));
        assertTrue(t.markApplied("b", 7));
        assertFalse(t.isApplied("c", 7));
        assertEquals(2, t.sourceCount());
    }

    @Test
    void shouldApplyIdsOutOfOrderInsideTheWindowOnce() {
        final DedupTable t = new DedupTable(WINDOW);
        t.markApplied("a", 100);

        assertTrue(t.markApplied("a", 98));
        assertTrue(t.markApplied("a", 100 - WINDOW + 1), "the oldest id inside the window");
        assertFalse(t.markApplied("a", 98));
        assertFalse(t.isApplied("a", 99));
        assertTrue(t.markApplied("a", 99));
    }

    @Test
    void shouldCountIdsAtOrBelowTheWindowAsApplied() {
        final DedupTable t = new DedupTable(WINDOW);
        t.markApplied("a", 100);

        assertTrue(t.isApplied("a", 100 - WINDOW));
        assertFalse(t.markApplied("a", 100 - WINDOW));
        assertFalse(t.markApplied("a", 1));
    }

    @Test
    void shouldForgetSlotsOfIdsThatLeftTheWindow() {
        final DedupTable t = new DedupTable(WINDOW);
        t.markApplied("a", 5);
        t.markApplied("a", 5 + WINDOW - 1);

        assertTrue(t.markApplied("a", 5 + WINDOW + 3), "advance past 5's slot");
        assertFalse(t.isApplied("a", 5 + WINDOW), "same slot as 5, never applied");
        assertTrue(t.markApplied("a", 5 + WINDOW));
        assertTrue(t.markApplied("a", 10_000), "a jump larger than the window");
        assertFalse(t.isApplied("a", 10_000 - 1));
        assertTrue(t.isApplied("a", 10_000 - WINDOW));
    }

    @Test
    void shouldRefuseAWindowThatIsNotAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new DedupTable(100));
        assertThrows(IllegalArgumentException.class, () -> new DedupTable(32));
    }

    @Test
    void shouldEncodeContiguousIdsAsOneRange() {
        final DedupTable t = new DedupTable(WINDOW);
        for (long id = 1; id <= 10; id++) {
            t.markApplied("a", id);
        }
        t.markApplied("a", 12);

        final DedupSourceSnapshot s = t.toSnapshot().get(0);
        assertEquals(12, s.getHighest());
        assertEquals(List.of(1L, 12L), s.getRangeStartsList());
        assertEquals(List.of(10L, 1L), s.getRangeLengthsList());
    }

    @Test
    void shouldAnswerEveryIdTheSameAfterARestore() {
        final SplittableRandom random = new SplittableRandom(42);
        final DedupTable t = new DedupTable(WINDOW);
        for (int i = 0; i < 500; i++) {
            t.markApplied("s" + random.nextInt(3), random.nextLong(1, 400));
        }

        final DedupTable copy = new DedupTable();
        copy.restore(t.window(), t.toSnapshot());

        assertEquals(WINDOW, copy.window());
        assertEquals(t.toSnapshot(), copy.toSnapshot());
        for (int s = 0; s < 3; s++) {
            for (long id = 0; id < 500; id++) {
                assertEquals(t.isApplied("s" + s, id), copy.isApplied("s" + s, id), "s" + s + "#" + id);
            }
        }
    }

    @Test
    void shouldRejectARangeOutsideTheWindowAndStayUnchanged() {
        final DedupTable t = new DedupTable(WINDOW);
        t.markApplied("a", 3);
        final DedupSourceSnapshot bad = DedupSourceSnapshot.newBuilder().setSourceId("b").setHighest(10)
                .addRangeStarts(11).addRangeLengths(1).build();

        assertThrows(IllegalArgumentException.class, () -> t.restore(WINDOW, List.of(bad)));
        assertTrue(t.isApplied("a", 3));
        assertFalse(t.isApplied("b", 10));
    }
}
