// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * A simulated disk that writes behind: the {@link RaftLogs} of one simulated node when the
 * cluster runs with write-behind disks. The node reads and writes a <em>live</em> log at once (a
 * {@link MemoryRaftLogs}, as the page cache would serve it); every mutation gets the next write
 * sequence and waits in a queue until a sync replays it onto the <em>durable</em> log (a second
 * {@code MemoryRaftLogs}, what survives a power cut).
 *
 * <p><b>Syncs.</b> The first write after the disk went idle schedules a sync {@code 0 ..}
 * {@link #maxSyncMs()} virtual milliseconds later (seeded; {@link #DEFAULT_MAX_SYNC_MS} unless the
 * disk is {@link #slow(long) slow}). At that time, {@link SimCluster} calls {@link #sync()}, which
 * makes a prefix of the pending writes durable: all of them, or now and then only some (a sync that
 * started before the later writes), and schedules the next sync if any write is left; the cluster
 * then flushes the node, which is when its {@code DurabilityGate} lets the answers go that waited
 * for these writes. {@link #durableSequence()} counts the durable writes, and
 * {@link #durableIndex()} is the end of the durable log, lowered by every pending truncation (and
 * snapshot install that dropped the log) to the point where the live log stopped agreeing with it:
 * entries truncated and appended again are not claimed before the new ones are durable.
 *
 * <p><b>Crashes.</b> {@link #crash()} loses every write not yet durable (a seeded prefix of them
 * may still make it, as a sync torn by the crash): the live log is rebuilt from the durable one, so
 * the node restarts on exactly its durable term, vote, entries and snapshot. The write sequence
 * then continues from the durable one.
 */
public final class SimDisk implements RaftLogs {
    /** A write waits at most this many virtual milliseconds for its sync, unless the disk is slow. */
    public static final long DEFAULT_MAX_SYNC_MS = 5;
    /** No sync is scheduled. */
    public static final long NEVER = Long.MAX_VALUE;

    private static final long MS = 1_000_000;
    /** Small segments: the simulation holds few, small entries per log, and rebuilds logs at every crash. */
    private static final int SEGMENT_BYTES = 16 * 1024;

    /** One mutation waiting for its sync. */
    private abstract static class Write {
        long sequence;

        abstract void applyTo(RaftLogs logs);

        /**
         * The highest index the durable log can still vouch for, as the live log holds it, while this
         * write is pending ({@code Long.MAX_VALUE} when it changes no held entry).
         */
        long cap() {
            return Long.MAX_VALUE;
        }
    }

    private static final class TermAndVote extends Write {
        final long term;
        final String votedFor;

        TermAndVote(long term, String votedFor) {
            this.term = term;
            this.votedFor = votedFor;
        }

        @Override
        void applyTo(RaftLogs logs) {
            logs.storeTermAndVote(term, votedFor);
        }
    }

    private static final class EmptyLogGuard extends Write {
        final boolean on;

        EmptyLogGuard(boolean on) {
            this.on = on;
        }

        @Override
        void applyTo(RaftLogs logs) {
            logs.storeEmptyLogGuard(on);
        }
    }

    private static final class Append extends Write {
        final long term;
        final long timestampMs;
        final byte type;
        final UnsafeBuffer payload;

        Append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
            this.term = term;
            this.timestampMs = timestampMs;
            this.type = type;
            final byte[] copy = new byte[length];
            payload.getBytes(offset, copy);
            this.payload = new UnsafeBuffer(copy);
        }

        @Override
        void applyTo(RaftLogs logs) {
            logs.append(term, timestampMs, type, payload, 0, payload.capacity());
        }
    }

    private static final class Truncate extends Write {
        final long index;

        Truncate(long index) {
            this.index = index;
        }

        @Override
        void applyTo(RaftLogs logs) {
            logs.truncateFrom(index);
        }

        @Override
        long cap() {
            return index - 1;
        }
    }

    private static final class StoreSnapshot extends Write {
        final RaftSnapshot snapshot;
        final long compactUntil;

        StoreSnapshot(RaftSnapshot snapshot, long compactUntil) {
            this.snapshot = snapshot;
            this.compactUntil = compactUntil;
        }

        @Override
        void applyTo(RaftLogs logs) {
            logs.storeSnapshot(snapshot, compactUntil);
        }
    }

    private static final class InstallSnapshot extends Write {
        final RaftSnapshot snapshot;
        final long cap;

        InstallSnapshot(RaftSnapshot snapshot, long cap) {
            this.snapshot = snapshot;
            this.cap = cap;
        }

        @Override
        void applyTo(RaftLogs logs) {
            logs.installSnapshot(snapshot);
        }

        @Override
        long cap() {
            return cap;
        }
    }

    private final SimClock clock;
    private final SplittableRandom random;
    private final MemoryRaftLogs durable = new MemoryRaftLogs(SEGMENT_BYTES);
    private final ArrayDeque<Write> pending = new ArrayDeque<>();
    private MemoryRaftLogs live = new MemoryRaftLogs(SEGMENT_BYTES);
    private BiConsumer<Long, String> durableVotes = (term, vote) -> {
    };
    private long written;
    private long synced;
    /** Pending writes with a {@link Write#cap()}: truncations, and installs that dropped the log. */
    private int capping;
    private long syncAtNs = NEVER;
    private long maxSyncMs = DEFAULT_MAX_SYNC_MS;
    private long syncs;
    private long lostWrites;

    public SimDisk(SimClock clock, SplittableRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** Called with {@code (term, candidate)} when a vote becomes durable. */
    public void onDurableVote(BiConsumer<Long, String> listener) {
        this.durableVotes = listener;
    }

    // ------------------------------------------------------------------ the disk

    /** When the next sync is due, {@link #NEVER} when nothing waits for one. */
    public long syncAtNs() {
        return syncAtNs;
    }

    /** The longest a write waits for its sync now, in virtual milliseconds. */
    public long maxSyncMs() {
        return maxSyncMs;
    }

    /** From now on a write waits up to {@code maxSyncMs} for its sync (a slow disk); {@link #fast()} undoes it. */
    public void slow(long maxSyncMs) {
        this.maxSyncMs = Math.max(DEFAULT_MAX_SYNC_MS, maxSyncMs);
    }

    /** Back to syncs within {@link #DEFAULT_MAX_SYNC_MS}; a sync already scheduled later is moved up. */
    public void fast() {
        maxSyncMs = DEFAULT_MAX_SYNC_MS;
        if (syncAtNs != NEVER) {
            syncAtNs = Math.min(syncAtNs, clock.nowNs() + DEFAULT_MAX_SYNC_MS * MS);
        }
    }

    /**
     * Makes a prefix of the pending writes durable (all of them, or with probability 1/4 a seeded
     * share) and schedules the next sync if any is left.
     *
     * @return whether anything became durable
     */
    public boolean sync() {
        if (pending.isEmpty()) {
            syncAtNs = NEVER;
            return false;
        }
        return sync(random.nextInt(4) == 0 ? 1 + random.nextInt(pending.size()) : pending.size());
    }

    /** Makes the first {@code count} pending writes durable (fewer when fewer wait); see {@link #sync()}. */
    boolean sync(int count) {
        syncAtNs = NEVER;
        if (pending.isEmpty()) {
            return false;
        }
        makeDurable(Math.min(count, pending.size()));
        syncs++;
        if (!pending.isEmpty()) {
            schedule();
        }
        return true;
    }

    /**
     * A power cut: the writes not yet durable are lost (with probability 1/2 a seeded prefix of them
     * still made it), and the live log becomes the durable one. The node must be restarted on it.
     */
    public void crash() {
        crash(!pending.isEmpty() && random.nextBoolean() ? random.nextInt(pending.size() + 1) : 0);
    }

    /** A power cut while the first {@code torn} pending writes were still made durable; see {@link #crash()}. */
    void crash(int torn) {
        makeDurable(Math.min(torn, pending.size()));
        lostWrites += pending.size();
        if (!pending.isEmpty()) {
            pending.clear();
            capping = 0;
            live = copyOf(durable);
        }
        written = synced;
        syncAtNs = NEVER;
    }

    private void makeDurable(int count) {
        for (int i = 0; i < count; i++) {
            final Write w = pending.poll();
            w.applyTo(durable);
            synced = w.sequence;
            if (w.cap() != Long.MAX_VALUE) {
                capping--;
            }
            if (w instanceof TermAndVote tv && tv.votedFor != null) {
                durableVotes.accept(tv.term, tv.votedFor);
            }
        }
    }

    private void wrote(Write w) {
        w.sequence = ++written;
        pending.add(w);
        if (w.cap() != Long.MAX_VALUE) {
            capping++;
        }
        if (syncAtNs == NEVER) {
            schedule();
        }
    }

    private void schedule() {
        syncAtNs = clock.nowNs() + random.nextLong(maxSyncMs * MS + 1);
    }

    /** What survives a crash now: read only (the durable term, vote, entries and snapshot). */
    public RaftLogs durable() {
        return durable;
    }

    /** Writes waiting for a sync. */
    public int pendingWrites() {
        return pending.size();
    }

    /** Syncs that made something durable. */
    public long syncs() {
        return syncs;
    }

    /** Writes lost in crashes. */
    public long lostWrites() {
        return lostWrites;
    }

    /**
     * A new {@link MemoryRaftLogs} with the same term, vote, log start, entries and snapshot as
     * {@code from} (which must hold {@code firstIndex() - 1 <= snapshotIndex()}, as every
     * {@code RaftLogs} does).
     */
    static MemoryRaftLogs copyOf(RaftLogs from) {
        final MemoryRaftLogs to = new MemoryRaftLogs(SEGMENT_BYTES);
        to.storeTermAndVote(from.currentTerm(), from.votedFor());
        to.storeEmptyLogGuard(from.emptyLogGuard());
        final RaftSnapshot snapshot = from.snapshot();
        final long start = from.firstIndex() - 1;
        if (snapshot == null && start != 0) {
            throw new IllegalStateException("a log without a snapshot starts at index 1, not " + (start + 1));
        }
        final boolean atSnapshot = snapshot != null && snapshot.index() == start;
        if (atSnapshot) {
            to.installSnapshot(snapshot);
        } else if (start > 0) {
            // a stand-in snapshot at the log start, replaced by the real one (which covers held entries) below
            to.installSnapshot(RaftSnapshot.of(start, from.termAt(start), snapshot.membership(), new byte[0]));
        }
        final LogEntryView view = new LogEntryView();
        for (long i = start + 1; i <= from.lastIndex(); i++) {
            final LogEntryView e = from.read(i, view);
            to.append(e.term(), e.timestampMs(), e.type(), e.payload(), 0, e.payloadLength());
        }
        if (snapshot != null && !atSnapshot) {
            to.storeSnapshot(snapshot, start);
        }
        return to;
    }

    // ------------------------------------------------------------------ durability (RaftLogs SPI)

    @Override
    public long writeSequence() {
        return written;
    }

    @Override
    public long durableSequence() {
        return synced;
    }

    @Override
    public long durableIndex() {
        long index = Math.min(durable.lastIndex(), live.lastIndex());
        if (capping > 0) {
            for (Write w : pending) {
                index = Math.min(index, w.cap());
            }
        }
        return index;
    }

    // ------------------------------------------------------------------ mutations: live at once, durable at the sync

    @Override
    public void storeTermAndVote(long term, String votedFor) {
        live.storeTermAndVote(term, votedFor);
        wrote(new TermAndVote(term, votedFor));
    }

    @Override
    public boolean emptyLogGuard() {
        return live.emptyLogGuard();
    }

    @Override
    public void storeEmptyLogGuard(boolean on) {
        live.storeEmptyLogGuard(on);
        wrote(new EmptyLogGuard(on));
    }

    @Override
    public long append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
        final long index = live.append(term, timestampMs, type, payload, offset, length);
        wrote(new Append(term, timestampMs, type, payload, offset, length));
        return index;
    }

    @Override
    public void truncateFrom(long index) {
        live.truncateFrom(index);
        wrote(new Truncate(index));
    }

    @Override
    public void storeSnapshot(RaftSnapshot snapshot, long compactUntil) {
        live.storeSnapshot(snapshot, compactUntil);
        wrote(new StoreSnapshot(snapshot, compactUntil));
    }

    @Override
    public void installSnapshot(RaftSnapshot snapshot) {
        final long index = snapshot.index();
        final boolean keepsEntries = index <= live.lastIndex() && live.termAt(index) == snapshot.term();
        // a dropped log: the durable log vouches for nothing beyond the old log start (a leader never installs)
        final long cap = keepsEntries ? Long.MAX_VALUE : live.firstIndex() - 1;
        live.installSnapshot(snapshot);
        wrote(new InstallSnapshot(snapshot, cap));
    }

    // ------------------------------------------------------------------ reads: the live log

    @Override
    public long currentTerm() {
        return live.currentTerm();
    }

    @Override
    public String votedFor() {
        return live.votedFor();
    }

    @Override
    public long firstIndex() {
        return live.firstIndex();
    }

    @Override
    public long lastIndex() {
        return live.lastIndex();
    }

    @Override
    public long termAt(long index) {
        return live.termAt(index);
    }

    @Override
    public LogEntryView read(long index, LogEntryView view) {
        return live.read(index, view);
    }

    @Override
    public long sizeInBytes() {
        return live.sizeInBytes();
    }

    @Override
    public long snapshotIndex() {
        return live.snapshotIndex();
    }

    @Override
    public long snapshotTerm() {
        return live.snapshotTerm();
    }

    @Override
    public RaftSnapshot snapshot() {
        return live.snapshot();
    }

    @Override
    public String toString() {
        return "SimDisk{written=" + written + ", durable=" + synced + ", durableIndex=" + durableIndex()
                + ", lastIndex=" + live.lastIndex() + ", syncAt=" + (syncAtNs == NEVER ? "never"
                : SimClock.format(syncAtNs)) + "}";
    }
}
