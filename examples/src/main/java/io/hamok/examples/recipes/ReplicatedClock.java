package io.hamok.examples.recipes;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokException;
import io.hamok.HamokMap;
import io.hamok.HamokMapConfig;

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
     * A reading of the leader's clock (epoch ms) that is newer than this call: writes a tick and, once
     * it is applied here, returns {@link Hamok#replicatedTimeMs()}. The leader stamped the tick when it
     * appended it, after it received it, so the reading is what some leader's clock showed at a moment
     * between this call and its return (the stamp of a later entry, if one was applied meanwhile, lies
     * in that window too). {@link #NO_READING} when the tick failed (no leader, no answer before the
     * deadline). Blocks; never call it on a Hamok loop thread.
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
