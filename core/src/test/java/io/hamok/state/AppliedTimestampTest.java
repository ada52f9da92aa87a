// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.hamok.state.StateFixtures.EMPTY;
import static io.hamok.state.StateFixtures.bs;
import static io.hamok.state.StateFixtures.feed;
import static io.hamok.state.StateFixtures.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Replicated time: the leader's timestamp of the last applied entry, set before the observer hears of it. */
@Timeout(30)
class AppliedTimestampTest {
    private final List<String> seen = new ArrayList<>();
    private ReplicatedStorages state;

    @Test
    void shouldBeZeroBeforeTheFirstEntry() {
        assertEquals(0, new ReplicatedStorages().appliedTimestampMs());
    }

    @Test
    void shouldBeTheTimestampOfTheLastAppliedEntryOfAnyKind() {
        state = new ReplicatedStorages();
        feed(state, 1, map(1, "m", RequestType.SET, bs("a"), bs("1")));   // stamped 1001
        assertEquals(1001, state.appliedTimestampMs());

        feed(state, 2, EMPTY);                                              // not a storage request, stamped 1002
        assertEquals(1002, state.appliedTimestampMs());
    }

    @Test
    void shouldShowTheEntrysOwnTimestampToTheObserverDuringItsEventsAndResult() {
        state = new ReplicatedStorages(new ReplicatedStorages.Observer() {
            @Override
            public void onApplied(RequestView request, ResultView result, long index, long timestampMs) {
                seen.add("applied " + index + " at " + state.appliedTimestampMs() + " stamped " + timestampMs);
            }

            @Override
            public void onDuplicate(RequestView request, long index) {
            }

            @Override
            public void onEvent(StorageEvent event) {
                seen.add("event at " + state.appliedTimestampMs());
            }
        });
        feed(state, 1, map(1, "m", RequestType.SET, bs("a"), bs("1")));
        feed(state, 2, map(2, "m", RequestType.SET, bs("a"), bs("2")));

        assertEquals(List.of("event at 1001", "applied 1 at 1001 stamped 1001",
                "event at 1002", "applied 2 at 1002 stamped 1002"), seen);
    }

    @Test
    void shouldKeepItsValueAcrossARestore() {
        state = new ReplicatedStorages();
        feed(state, 1, map(1, "m", RequestType.SET, bs("a"), bs("1")));
        final byte[] snapshot = state.snapshot();
        feed(state, 2, map(2, "m", RequestType.SET, bs("a"), bs("2")));

        state.restore(snapshot, 1);   // a snapshot carries no timestamp

        assertEquals(1002, state.appliedTimestampMs());
    }
}
