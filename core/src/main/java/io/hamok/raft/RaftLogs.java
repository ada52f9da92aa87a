// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;

/**
 * The durable state of one Raft node: current term, vote, log entries and the latest snapshot.
 * {@link MemoryRaftLogs} keeps it in memory; a file-backed implementation follows the same
 * contract.
 *
 * <p>Indexes are 1-based. The log holds entries {@link #firstIndex()} .. {@link #lastIndex()}.
 * The <em>log start</em> and the <em>snapshot</em> are separate: {@link #storeSnapshot} keeps the
 * entries after its {@code compactUntil}, so the latest snapshot may cover held entries. Always
 * {@code firstIndex() - 1 <= snapshotIndex() <= lastIndex()}: everything below
 * {@code firstIndex()} is covered by the snapshot, and {@code termAt(firstIndex() - 1)} is known.
 * An empty log without a snapshot has {@code firstIndex() == 1} and {@code lastIndex() == 0}.
 *
 * <p>Contract: called by the loop thread only, never concurrently. A mutating method takes effect
 * at once for every reader of this object, but need not be durable when it returns: an
 * implementation may write behind, on its own thread. It then numbers its mutations
 * ({@link #writeSequence()}) and says how many are durable ({@link #durableSequence()}); the loop
 * sends a vote or an acknowledgement only once every mutation before it is durable (paper Figure 2,
 * "Persistent state": persist before send), and a leader counts its own log toward a commit only up
 * to {@link #durableIndex()}. An implementation that is durable when methods return (the in-memory
 * log, for the lifetime of its object) keeps the defaults.
 */
public interface RaftLogs {
    /** Term returned by {@link #termAt(long)} for an index the log cannot answer for. */
    long UNKNOWN_TERM = -1;

    /** The latest term this node has seen (0 at first boot). */
    long currentTerm();

    /** The candidate this node voted for in {@link #currentTerm()}, or {@code null}. */
    String votedFor();

    /** Stores term and vote together, durably. */
    void storeTermAndVote(long term, String votedFor);

    /**
     * The empty-log guard's flag (see docs/design.md §4.9): set by a node that booted with no durable
     * state, cleared once a leader has given it a log holding everything that leader knew committed.
     * Kept durably so that a node whose state was lost stays guarded across restarts, also after it
     * has adopted a term. {@code false} in a new, empty log.
     */
    boolean emptyLogGuard();

    /** Sets or clears {@link #emptyLogGuard()}: a mutation ordered after the ones before it, like the others. */
    void storeEmptyLogGuard(boolean on);

    /**
     * Index of the first entry held: {@code compactUntil + 1} after {@link #storeSnapshot}, the
     * snapshot's index + 1 after {@link #installSnapshot}, 1 before any compaction. Entries below it
     * are covered by the snapshot ({@code firstIndex() - 1 <= snapshotIndex()}), and
     * {@code termAt(firstIndex() - 1)} is known.
     */
    long firstIndex();

    /**
     * Index of the last entry held, or {@code firstIndex() - 1} (which then equals
     * {@link #snapshotIndex()}) when no entry is held.
     */
    long lastIndex();

    /**
     * Term of the entry at {@code index}: the entry's own term for a held entry, the snapshot's
     * term for {@link #snapshotIndex()}, the last compacted entry's term for
     * {@code firstIndex() - 1}, 0 for index 0, and {@link #UNKNOWN_TERM} otherwise (compacted
     * earlier or beyond the end).
     */
    long termAt(long index);

    /**
     * Wraps {@code view} over the entry at {@code index}; the view stays valid until the next
     * mutation of this log.
     *
     * @throws IndexOutOfBoundsException when the entry is not held
     */
    LogEntryView read(long index, LogEntryView view);

    /**
     * Appends an entry at {@code lastIndex() + 1}, copying the payload.
     *
     * @return the index of the new entry
     */
    long append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length);

    /**
     * Removes the entries {@code index .. lastIndex()} (conflict truncation, paper §5.3).
     *
     * @throws IllegalArgumentException unless {@code snapshotIndex() < index <= lastIndex() + 1}
     */
    void truncateFrom(long index);

    /** Bytes the held entries take (payloads plus per-entry overhead). */
    long sizeInBytes();

    /**
     * Index of the last entry the latest snapshot covers, 0 without a snapshot. At least
     * {@code firstIndex() - 1}; may be higher, since entries after a snapshot's
     * {@code compactUntil} stay held.
     */
    long snapshotIndex();

    /** Term of the entry at {@link #snapshotIndex()}, 0 without a snapshot. */
    long snapshotTerm();

    /** The latest snapshot, or {@code null}. */
    RaftSnapshot snapshot();

    /**
     * Stores a snapshot taken by this node from its own applied state, and drops the entries up to
     * {@code compactUntil} (inclusive). {@code compactUntil <= snapshot.index()}; entries after it
     * stay so that followers can still be sent them. {@code compactUntil} may be below the current
     * {@link #snapshotIndex()} (the log may keep entries the snapshot covers), and the snapshot may be
     * the one already kept (then only the log is compacted). Afterwards {@link #snapshotIndex()} is
     * {@code snapshot.index()} and {@link #firstIndex()} is {@code max(firstIndex(), compactUntil + 1)}.
     *
     * @throws IllegalArgumentException unless
     *     {@code firstIndex() - 1 <= compactUntil <= snapshot.index() <= lastIndex()},
     *     {@code snapshot.index() >= snapshotIndex()} and
     *     {@code snapshot.term() == termAt(snapshot.index())}
     */
    void storeSnapshot(RaftSnapshot snapshot, long compactUntil);

    /**
     * Installs a snapshot received from the leader (paper §7): when the log holds an entry with the
     * snapshot's index and term, the entries after it are kept; otherwise the whole log is dropped
     * and {@link #lastIndex()} becomes the snapshot's index. Afterwards {@link #snapshotIndex()} is
     * the snapshot's index and {@link #firstIndex()} the next one.
     *
     * @throws IllegalArgumentException when the snapshot is older than {@link #snapshotIndex()}
     */
    void installSnapshot(RaftSnapshot snapshot);

    /**
     * Mutations (term and vote, append, truncate, snapshot) made so far: increases by at least one
     * with every mutating call. 0 for a log that is durable when its methods return.
     */
    default long writeSequence() {
        return 0;
    }

    /**
     * How many of the {@link #writeSequence() mutations} are durable; never more than
     * {@link #writeSequence()}, never decreasing. Read on the loop thread; it may advance between
     * two reads without a call, as a write-behind thread completes.
     */
    default long durableSequence() {
        return writeSequence();
    }

    /**
     * The highest index such that every entry up to it, as the log holds them now, is durable:
     * {@link #lastIndex()} for a log durable when methods return. After a truncation it is at most
     * the index before the truncation point until the entries appended since are durable.
     */
    default long durableIndex() {
        return lastIndex();
    }

    /**
     * Registers what to call, on the log's own thread, whenever {@link #durableSequence()} advances
     * without a call on the loop thread (a write-behind log); the loop passes its wake-up so that
     * waiting answers leave and the leader commits without delay. Called once, before the loop runs.
     * A log durable when its methods return ignores it.
     */
    default void durabilityListener(Runnable listener) {
    }

    /**
     * Why the log can make nothing durable any more (an I/O error, a full disk), or {@code null}. The
     * node halts once it sees one (see {@link RaftListener#onHalted}): it can no longer keep the
     * promises a vote or an acknowledgement makes.
     */
    default Throwable failure() {
        return null;
    }
}
