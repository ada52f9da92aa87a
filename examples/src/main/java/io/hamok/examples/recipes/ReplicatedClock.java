// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokException;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the leader's clock through the log. Replicated time ({@link Hamok#replicatedTimeMs()}) only
 * moves when entries are applied, so a reader that needs a fresh reading writes an entry of its own: a
 * tick, this peer's tick count in a small map.
 */
final class ReplicatedClock {
    /** {@link #now} when the tick failed: no reading. */
    static final long NO_READING = Long.MIN_VALUE;

    private final Hamok hamok;
    private final HamokMap<String, Long> ticks;
    private final AtomicLong count = new AtomicLong();

    ReplicatedClock(Hamok hamok, String mapId) {
        this.hamok = hamok;
        this.ticks = hamok.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId(mapId)
                .keyCodec(Codecs.string()).valueCodec(Codecs.longs()).build());
    }

    /**
     * A reading of the leader's clock (epoch ms) taken after everything committed before this call was
     * appended: writes a tick and, once it is applied here, returns {@link Hamok#replicatedTimeMs()}, the
     * stamp of the tick or of an entry applied after it. A leader stamps an entry with its clock as its
     * loop read it at the start of the duty cycle that appended the entry, or of the cycle before
     * ({@link io.hamok.state.ReplicatedStorages#appliedTimestampMs()}), so the reading is what a leader's
     * clock showed no later than this method returns and no earlier than about one duty cycle before the
     * tick reached it. {@link #NO_READING} when the tick failed (no leader, no answer before the deadline).
     * Blocks; never call it on a Hamok loop thread.
     */
    long now(long deadlineNs) throws InterruptedException {
        try {
            Waits.result(ticks.set(hamok.localPeerId(), count.incrementAndGet()), deadlineNs);
        } catch (HamokException e) {
            return NO_READING;
        }
        return hamok.replicatedTimeMs();
    }
}
