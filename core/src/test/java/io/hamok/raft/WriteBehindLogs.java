// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;

/**
 * A {@link MemoryRaftLogs} that numbers its mutations and makes them durable only when a test says
 * so ({@link #makeDurable()}): the contract of a write-behind log such as the file log, without files.
 */
final class WriteBehindLogs implements RaftLogs {
    final MemoryRaftLogs mirror = new MemoryRaftLogs();
    private long written;
    private long durable;
    private long durableIndex;
    /** Last index after each mutation, by sequence (tests make few). */
    private final java.util.List<Long> lastIndexAfter = new java.util.ArrayList<>(java.util.List.of(0L));

    /** Everything written so far becomes durable. */
    void makeDurable() {
        durable = written;
        durableIndex = lastIndexAfter.get((int) durable);
    }

    private void wrote() {
        written++;
        lastIndexAfter.add(mirror.lastIndex());
        // a truncation lowers what is durable as the log holds it now
        durableIndex = Math.min(durableIndex, mirror.lastIndex());
    }

    @Override
    public long writeSequence() {
        return written;
    }

    @Override
    public long durableSequence() {
        return durable;
    }

    @Override
    public long durableIndex() {
        return Math.min(durableIndex, mirror.lastIndex());
    }

    @Override
    public long currentTerm() {
        return mirror.currentTerm();
    }

    @Override
    public String votedFor() {
        return mirror.votedFor();
    }

    @Override
    public boolean emptyLogGuard() {
        return mirror.emptyLogGuard();
    }

    @Override
    public void storeEmptyLogGuard(boolean on) {
        mirror.storeEmptyLogGuard(on);
        wrote();
    }

    @Override
    public void storeTermAndVote(long term, String votedFor) {
        mirror.storeTermAndVote(term, votedFor);
        wrote();
    }

    @Override
    public long firstIndex() {
        return mirror.firstIndex();
    }

    @Override
    public long lastIndex() {
        return mirror.lastIndex();
    }

    @Override
    public long termAt(long index) {
        return mirror.termAt(index);
    }

    @Override
    public LogEntryView read(long index, LogEntryView view) {
        return mirror.read(index, view);
    }

    @Override
    public long append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
        final long index = mirror.append(term, timestampMs, type, payload, offset, length);
        wrote();
        return index;
    }

    @Override
    public void truncateFrom(long index) {
        mirror.truncateFrom(index);
        wrote();
    }

    @Override
    public long sizeInBytes() {
        return mirror.sizeInBytes();
    }

    @Override
    public long snapshotIndex() {
        return mirror.snapshotIndex();
    }

    @Override
    public long snapshotTerm() {
        return mirror.snapshotTerm();
    }

    @Override
    public RaftSnapshot snapshot() {
        return mirror.snapshot();
    }

    @Override
    public void storeSnapshot(RaftSnapshot snapshot, long compactUntil) {
        mirror.storeSnapshot(snapshot, compactUntil);
        wrote();
    }

    @Override
    public void installSnapshot(RaftSnapshot snapshot) {
        mirror.installSnapshot(snapshot);
        wrote();
    }
}
