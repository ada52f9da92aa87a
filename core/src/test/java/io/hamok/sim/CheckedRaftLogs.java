// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.DirectBuffer;

/**
 * A {@link RaftLogs} that passes every call to the node's store (a {@code MemoryRaftLogs}, durable
 * when its methods return, or a write-behind {@link SimDisk}) and reports every change of the log
 * to an {@link Observer}: this is how the invariants check log matching incrementally, entry by
 * entry, as logs grow, instead of scanning whole logs after every step. A vote is reported once it
 * is durable: at once for a store durable when its methods return, at the sync for a {@link SimDisk}.
 */
public final class CheckedRaftLogs implements RaftLogs {
    /** Hears about log changes; called synchronously, after the store did the change. */
    public interface Observer {
        /** An entry was stored at {@code index}; {@code prevTerm} is the term of the entry before it. */
        void onAppended(long index, long term, long prevTerm, long contentHash);

        /** Entries from {@code index} on are about to be removed. */
        void onTruncating(long index);

        /** A snapshot from the leader was installed. */
        void onSnapshotInstalled(long index, long term);

        /** The node's vote for {@code candidate} in {@code term} is durable now. */
        void onVoted(long term, String candidate);
    }

    private final String nodeId;
    private final RaftLogs store;
    private Observer observer;

    public CheckedRaftLogs(String nodeId, RaftLogs store, Observer observer) {
        this.nodeId = nodeId;
        this.store = store;
        this.observer = observer;
        if (store instanceof SimDisk disk) {
            disk.onDurableVote((term, candidate) -> this.observer.onVoted(term, candidate));
        }
    }

    /** The wrapped store. */
    public RaftLogs store() {
        return store;
    }

    /** Replaces the observer (e.g. when the node restarts). */
    public void observer(Observer observer) {
        this.observer = observer;
    }

    /** Hash of what makes an entry: its type, leader timestamp and payload bytes. */
    public static long contentHash(long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
        long h = RegisterStateMachine.mix(type * 31L + timestampMs);
        for (int i = 0; i < length; i++) {
            h = h * 1_000_003L + payload.getByte(offset + i);
        }
        return RegisterStateMachine.mix(h ^ length);
    }

    @Override
    public long append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
        final long index = store.append(term, timestampMs, type, payload, offset, length);
        observer.onAppended(index, term, store.termAt(index - 1), contentHash(timestampMs, type, payload, offset,
                length));
        return index;
    }

    @Override
    public void truncateFrom(long index) {
        observer.onTruncating(index);
        store.truncateFrom(index);
    }

    @Override
    public void installSnapshot(RaftSnapshot snapshot) {
        store.installSnapshot(snapshot);
        observer.onSnapshotInstalled(snapshot.index(), snapshot.term());
    }

    @Override
    public long currentTerm() {
        return store.currentTerm();
    }

    @Override
    public String votedFor() {
        return store.votedFor();
    }

    /** Also checks that the term never goes back and that a node votes at most once per term (paper §5.2). */
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
        final long current = store.currentTerm();
        final String vote = store.votedFor();
        if (term < current) {
            throw new InvariantViolation("(a) at most one leader per term", nodeId + "'s stored term goes back from "
                    + current + " to " + term);
        }
        if (term == current && vote != null && !vote.equals(votedFor)) {
            throw new InvariantViolation("(a) at most one leader per term", nodeId + " changes its vote in term "
                    + term + " from " + vote + " to " + votedFor);
        }
        store.storeTermAndVote(term, votedFor);
        if (votedFor != null && !(store instanceof SimDisk)) {
            observer.onVoted(term, votedFor);
        }
    }

    @Override
    public long writeSequence() {
        return store.writeSequence();
    }

    @Override
    public long durableSequence() {
        return store.durableSequence();
    }

    @Override
    public long durableIndex() {
        return store.durableIndex();
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
