// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.wire.proto.DedupSourceSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers which requests were applied, per source peer, so that a retried request (same source
 * id and request id) is applied at most once.
 *
 * <p>Request ids are per-source sequence numbers (unsigned 64-bit) that may be applied out of order
 * within a window. For each source the table keeps the highest applied id and a bitmap of the
 * {@code window} ids ending at it: an id inside the window is applied iff its bit is set, an id at or
 * below {@code highest - window} counts as applied. So a source must never reuse an id, and must not
 * start again from a low id after a restart with the same peer id (a fresh incarnation needs a
 * fresh peer id or ids continuing above the old ones).
 *
 * <p>Deterministic: the same calls give the same answers on every replica. Loop thread only.
 * Memory: {@code window / 8} bytes per source ever seen (8 KiB with the default window).
 */
public final class DedupTable {
    /** Default number of recent ids remembered per source. */
    public static final int DEFAULT_WINDOW = 65_536;

    private final Map<String, SourceWindow> sources = new HashMap<>();
    private int window;

    public DedupTable() {
        this(DEFAULT_WINDOW);
    }

    /** @param window ids remembered per source: a power of two, at least 64 */
    public DedupTable(int window) {
        this.window = checkWindow(window);
    }

    public int window() {
        return window;
    }

    /** Number of sources remembered. */
    public int sourceCount() {
        return sources.size();
    }

    /** The highest request id applied from {@code sourceId}, or 0 when none. */
    public long highest(String sourceId) {
        final SourceWindow w = sources.get(sourceId);
        return w == null ? 0 : w.highest;
    }

    /** Whether (sourceId, requestId) counts as applied. */
    public boolean isApplied(String sourceId, long requestId) {
        final SourceWindow w = sources.get(sourceId);
        return w != null && w.isApplied(requestId, window);
    }

    /**
     * Records (sourceId, requestId) as applied.
     *
     * @return {@code true} if it was not applied before (apply it now), {@code false} for a duplicate
     */
    public boolean markApplied(String sourceId, long requestId) {
        final SourceWindow w = sources.get(sourceId);
        if (w == null) {
            final SourceWindow fresh = new SourceWindow(window, requestId);
            fresh.set(requestId);
            sources.put(sourceId, fresh);
            return true;
        }
        if (Long.compareUnsigned(requestId, w.highest) > 0) {
            w.advanceTo(requestId, window);
            w.set(requestId);
            return true;
        }
        if (w.isApplied(requestId, window)) {
            return false;
        }
        w.set(requestId);
        return true;
    }

    /** The table as snapshot messages, sorted by source id. */
    List<DedupSourceSnapshot> toSnapshot() {
        final List<String> ids = new ArrayList<>(sources.keySet());
        Collections.sort(ids);
        final List<DedupSourceSnapshot> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(sources.get(id).toSnapshot(id, window));
        }
        return out;
    }

    /**
     * Replaces the whole table with a snapshot (its window included).
     *
     * @throws IllegalArgumentException when the snapshot is inconsistent; the table is then unchanged
     */
    void restore(int snapshotWindow, List<DedupSourceSnapshot> snapshot) {
        checkWindow(snapshotWindow);
        final Map<String, SourceWindow> restored = new HashMap<>();
        for (DedupSourceSnapshot s : snapshot) {
            restored.put(s.getSourceId(), SourceWindow.of(s, snapshotWindow));
        }
        window = snapshotWindow;
        sources.clear();
        sources.putAll(restored);
    }

    private static int checkWindow(int window) {
        if (window < 64 || Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("dedup window must be a power of two >= 64, got " + window);
        }
        return window;
    }

    /** One source: the highest applied id and a ring bitmap of ids (highest - window, highest]. */
    private static final class SourceWindow {
        private final long[] bits;
        private long highest;

        SourceWindow(int window, long highest) {
            this.bits = new long[window / 64];
            this.highest = highest;
        }

        boolean isApplied(long id, int window) {
            if (Long.compareUnsigned(id, highest) > 0) {
                return false;
            }
            // id <= highest (unsigned), so the difference is exact
            return Long.compareUnsigned(highest - id, window) >= 0 || get(id);
        }

        /** Moves the window up to {@code id}: the slots of the ids it now covers start clear. */
        void advanceTo(long id, int window) {
            final long delta = id - highest;
            if (Long.compareUnsigned(delta, window) >= 0) {
                Arrays.fill(bits, 0L);
            } else {
                for (long x = highest + 1; x != id + 1; x++) {
                    clear(x);
                }
            }
            highest = id;
        }

        boolean get(long id) {
            final int slot = slot(id);
            return (bits[slot >>> 6] & (1L << slot)) != 0;
        }

        void set(long id) {
            final int slot = slot(id);
            bits[slot >>> 6] |= 1L << slot;
        }

        private void clear(long id) {
            final int slot = slot(id);
            bits[slot >>> 6] &= ~(1L << slot);
        }

        private int slot(long id) {
            return (int) (id & (bits.length * 64L - 1));
        }

        DedupSourceSnapshot toSnapshot(String sourceId, int window) {
            final DedupSourceSnapshot.Builder b = DedupSourceSnapshot.newBuilder()
                    .setSourceId(sourceId).setHighest(highest);
            // ids below 0 (unsigned wrap) are never applied, so the window starts at max(0, highest - window + 1)
            final long span = Long.compareUnsigned(highest, window - 1) < 0 ? highest : window - 1;
            long runStart = 0;
            long runLength = 0;
            for (long id = highest - span; ; id++) {
                if (get(id)) {
                    if (runLength == 0) {
                        runStart = id;
                    }
                    runLength++;
                } else if (runLength > 0) {
                    b.addRangeStarts(runStart).addRangeLengths(runLength);
                    runLength = 0;
                }
                if (id == highest) {
                    break;
                }
            }
            if (runLength > 0) {
                b.addRangeStarts(runStart).addRangeLengths(runLength);
            }
            return b.build();
        }

        static SourceWindow of(DedupSourceSnapshot s, int window) {
            final long highest = s.getHighest();
            if (s.getRangeStartsCount() != s.getRangeLengthsCount()) {
                throw new IllegalArgumentException("dedup source '" + s.getSourceId() + "': ranges not aligned");
            }
            final SourceWindow w = new SourceWindow(window, highest);
            for (int i = 0; i < s.getRangeStartsCount(); i++) {
                final long start = s.getRangeStarts(i);
                final long length = s.getRangeLengths(i);
                final long last = start + length - 1;
                if (length <= 0 || length > window || Long.compareUnsigned(last, highest) > 0
                        || Long.compareUnsigned(last, start) < 0 || Long.compareUnsigned(highest - start, window) >= 0) {
                    throw new IllegalArgumentException("dedup source '" + s.getSourceId() + "': range " + start
                            + "+" + length + " outside the window ending at " + highest);
                }
                for (long id = start; id != last + 1; id++) {
                    w.set(id);
                }
            }
            return w;
        }
    }
}
