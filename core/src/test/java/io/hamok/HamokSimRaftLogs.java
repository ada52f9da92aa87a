// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The "disk" of one simulated peer: a {@link MemoryRaftLogs} that outlives crashes (a restarted
 * instance gets the same object), and that reports every appended entry to the cluster's
 * {@link Ground} truth. The payloads of the entries every peer ever appended are enough to
 * rebuild the committed log after the run, even though the peers compact their logs.
 */
final class HamokSimRaftLogs implements RaftLogs {
    /**
     * Every entry any peer appended, one per (index, term) (Log Matching, paper §5.3: two entries with
     * the same index and term hold the same command and are preceded by the same entries), each with
     * the term of the entry before it in the log it was appended to.
     *
     * <p>The committed log is <em>not</em> "the highest term at every index": a leader of term 3 may
     * append at index i over an uncommitted entry of term 2 and be deposed, after which a leader of
     * term 4 that holds the term-2 entry commits it together with an entry of its own (paper Figure 8,
     * (c) to (e)); the term-3 entry then sits at i beside the committed one. Leader Completeness only
     * speaks of leaders of terms after the commit. The committed log is the final leader's log, and
     * the leader compacts, so {@link #committed} walks it back from its entry at the commit index:
     * each (index, term) names the term of its predecessor, which Log Matching makes unique.
     */
    static final class Ground {
        record Entry(long index, long term, long prevTerm, byte type, byte[] payload) {
        }

        /** index -> term -> the entry appended there in that term. */
        private final Map<Long, Map<Long, Entry>> byIndex = new HashMap<>();
        private final List<String> violations = new ArrayList<>();

        void appended(String peer, long index, long term, long prevTerm, byte type, DirectBuffer payload, int offset,
                      int length) {
            final Map<Long, Entry> byTerm = byIndex.computeIfAbsent(index, k -> new HashMap<>());
            final byte[] bytes = new byte[length];
            payload.getBytes(offset, bytes);
            final Entry known = byTerm.get(term);
            if (known == null) {
                byTerm.put(term, new Entry(index, term, prevTerm, type, bytes));
            } else if (known.type() != type || known.prevTerm() != prevTerm || !Arrays.equals(known.payload(), bytes)) {
                violations.add("log matching: " + peer + " appended another entry at index " + index + " term " + term
                        + " (after term " + prevTerm + ", the known one after term " + known.prevTerm() + ")");
            }
        }

        /**
         * Entries 1..commitIndex of the log whose entry at commitIndex has term {@code commitTerm} (the
         * final leader's): the committed log.
         */
        List<Entry> committed(long commitIndex, long commitTerm) {
            final Entry[] out = new Entry[(int) commitIndex];
            long term = commitTerm;
            for (long i = commitIndex; i >= 1; i--) {
                final Entry e = byIndex.getOrDefault(i, Map.of()).get(term);
                if (e == null) {
                    throw new AssertionError("no peer ever appended the committed entry at index " + i + " term " + term);
                }
                out[(int) i - 1] = e;
                term = e.prevTerm();
            }
            return List.of(out);
        }

        /** Every entry any peer appended, of every term. */
        List<Entry> all() {
            final List<Entry> out = new ArrayList<>();
            byIndex.values().forEach(byTerm -> out.addAll(byTerm.values()));
            return out;
        }

        List<String> violations() {
            return violations;
        }
    }

    private final String peerId;
    private final MemoryRaftLogs store = new MemoryRaftLogs(64 * 1024);
    /** The indexes of the configuration entries in the log (not those a snapshot covers). */
    private final java.util.TreeSet<Long> configIndexes = new java.util.TreeSet<>();
    private final Ground ground;
    private int snapshotsInstalled;

    HamokSimRaftLogs(String peerId, Ground ground) {
        this.peerId = peerId;
        this.ground = ground;
    }

    /** Snapshots received from a leader and installed, over every incarnation. */
    int snapshotsInstalled() {
        return snapshotsInstalled;
    }

    @Override
    public long append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
        final long prevTerm = store.termAt(store.lastIndex());
        final long index = store.append(term, timestampMs, type, payload, offset, length);
        ground.appended(peerId, index, term, prevTerm, type, payload, offset, length);
        if (type == LogEntryView.CONFIG) {
            configIndexes.add(index);
        }
        return index;
    }

    @Override
    public void installSnapshot(RaftSnapshot snapshot) {
        store.installSnapshot(snapshot);
        snapshotsInstalled++;
        configIndexes.headSet(store.firstIndex()).clear();
        configIndexes.tailSet(store.lastIndex(), false).clear();
    }

    /** The indexes of the configuration entries in the log now, ascending (a live view). */
    java.util.NavigableSet<Long> configIndexes() {
        return configIndexes;
    }

    @Override
    public long currentTerm() {
        return store.currentTerm();
    }

    @Override
    public String votedFor() {
        return store.votedFor();
    }

    @Override
    public boolean emptyLogGuard() {
        return store.emptyLogGuard();
    }

    @Override
    public void storeEmptyLogGuard(boolean on) {
        store.storeEmptyLogGuard(on);
    }

    @Override
    public void storeTermAndVote(long term, String votedFor) {
        store.storeTermAndVote(term, votedFor);
    }

    @Override
    public long firstIndex() {
        return store.firstIndex();
    }

    @Override
    public long lastIndex() {
        return store.lastIndex();
    }

    @Override
    public long termAt(long index) {
        return store.termAt(index);
    }

    @Override
    public LogEntryView read(long index, LogEntryView view) {
        return store.read(index, view);
    }

    @Override
    public void truncateFrom(long index) {
        store.truncateFrom(index);
        configIndexes.tailSet(index, true).clear();
    }

    @Override
    public long sizeInBytes() {
        return store.sizeInBytes();
    }

    @Override
    public long snapshotIndex() {
        return store.snapshotIndex();
    }

    @Override
    public long snapshotTerm() {
        return store.snapshotTerm();
    }

    @Override
    public RaftSnapshot snapshot() {
        return store.snapshot();
    }

    @Override
    public void storeSnapshot(RaftSnapshot snapshot, long compactUntil) {
        store.storeSnapshot(snapshot, compactUntil);
        configIndexes.headSet(store.firstIndex()).clear();
    }
}
