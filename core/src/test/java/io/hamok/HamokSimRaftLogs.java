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
     * Every entry any peer appended, the one with the highest term per index. An entry at index i
     * with a term above that of the committed entry at i cannot exist (a leader of a later term holds
     * the committed entry and appends only after its log end), so for i up to the commit index the
     * highest-term entry is the committed one (paper §5.4, leader completeness).
     */
    static final class Ground {
        record Entry(long index, long term, byte type, byte[] payload) {
        }

        private final Map<Long, Entry> byIndex = new HashMap<>();
        private final List<String> violations = new ArrayList<>();

        void appended(String peer, long index, long term, byte type, DirectBuffer payload, int offset, int length) {
            final Entry known = byIndex.get(index);
            if (known != null && known.term() > term) {
                return;
            }
            final byte[] bytes = new byte[length];
            payload.getBytes(offset, bytes);
            if (known != null && known.term() == term && (known.type() != type || !Arrays.equals(known.payload(), bytes))) {
                violations.add("log matching: " + peer + " appended another entry at index " + index + " term " + term);
                return;
            }
            byIndex.put(index, new Entry(index, term, type, bytes));
        }

        /** Entries 1..commitIndex as committed. */
        List<Entry> committed(long commitIndex) {
            final List<Entry> out = new ArrayList<>();
            for (long i = 1; i <= commitIndex; i++) {
                final Entry e = byIndex.get(i);
                if (e == null) {
                    throw new AssertionError("no peer ever appended the committed index " + i);
                }
                out.add(e);
            }
            return out;
        }

        /** The highest-term entry of every index any peer appended. */
        List<Entry> all() {
            return new ArrayList<>(byIndex.values());
        }

        List<String> violations() {
            return violations;
        }
    }

    private final String peerId;
    private final MemoryRaftLogs store = new MemoryRaftLogs(64 * 1024);
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
        final long index = store.append(term, timestampMs, type, payload, offset, length);
        ground.appended(peerId, index, term, type, payload, offset, length);
        return index;
    }

    @Override
    public void installSnapshot(RaftSnapshot snapshot) {
        store.installSnapshot(snapshot);
        snapshotsInstalled++;
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
    }
}
