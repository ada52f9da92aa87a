// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import static io.hamok.raft.RaftLimits.isIndex;
import static io.hamok.raft.RaftLimits.isTerm;

/**
 * The range and consistency checks every inbound Raft message passes before a {@link RaftNode}
 * acts on it (docs/design.md §4.8). Each method answers true when the message may be handled, or
 * counts the first problem it finds in {@link RaftCounters} and answers false: the node then drops
 * the message without an answer and without any other effect.
 *
 * <p>The rules: every term in [0, {@link RaftLimits#MAX_TERM}] and every index, offset and length in
 * [0, {@link RaftLimits#MAX_INDEX}], so that {@code term + 1} and {@code index + count} never
 * overflow; no log or entry term above the term of the message that carries it; entry terms never
 * going down (from prevLogTerm on). Read rounds (thesis §6.4) are only echoed and compared, never
 * used in arithmetic, so they are not checked.
 *
 * <p>Loop thread only; no allocation.
 */
final class InboundChecks {
    private final RaftCounters counters;
    private final LogEntryView view = new LogEntryView();

    InboundChecks(RaftCounters counters) {
        this.counters = counters;
    }

    boolean voteRequest(String from, long term, long lastLogIndex, long lastLogTerm) {
        return terms(from, term, lastLogTerm) && index(from, lastLogIndex) && notAbove(from, lastLogTerm, term);
    }

    boolean term(String from, long term) {
        if (isTerm(term)) {
            return true;
        }
        counters.refuse(RaftRefusal.TERM_OUT_OF_RANGE, from, term);
        return false;
    }

    boolean appendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                          EntryBatch entries) {
        if (!terms(from, term, prevLogTerm) || !index(from, prevLogIndex) || !index(from, leaderCommit)
                || !notAbove(from, prevLogTerm, term)) {
            return false;
        }
        long previous = prevLogTerm;
        for (int i = 0; i < entries.count(); i++) {
            final long entryTerm = entries.read(i, view).term();
            if (entryTerm < previous || entryTerm > term) {
                counters.refuse(RaftRefusal.INCONSISTENT_FIELDS, from, entryTerm);
                return false;
            }
            previous = entryTerm;
        }
        return true;
    }

    boolean appendEntriesResponse(String from, long term, long prevLogIndex, long matchIndex, long conflictTerm,
                                  long conflictIndex) {
        return terms(from, term, conflictTerm) && index(from, prevLogIndex) && index(from, matchIndex)
                && index(from, conflictIndex);
    }

    boolean installSnapshot(String from, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                            long snapshotLength) {
        return terms(from, term, snapshotTerm) && index(from, snapshotIndex) && index(from, chunkOffset)
                && index(from, snapshotLength) && notAbove(from, snapshotTerm, term);
    }

    /**
     * The snapshot budget, checked once the chunk is known to be for this node's leader: the announced
     * length within {@code maxSnapshotBytes}, the chunk within {@code snapshotChunkBytes} and within
     * the announced length.
     */
    boolean snapshotChunk(String from, RaftConfig config, long chunkOffset, int dataLength, long snapshotLength) {
        if (snapshotLength > config.maxSnapshotBytes()) {
            counters.refuse(RaftRefusal.SNAPSHOT_TOO_LARGE, from, snapshotLength);
            return false;
        }
        if (dataLength > config.snapshotChunkBytes() || chunkOffset + dataLength > snapshotLength) {
            counters.refuse(RaftRefusal.SNAPSHOT_CHUNK_REFUSED, from, dataLength);
            return false;
        }
        return true;
    }

    boolean installSnapshotResponse(String from, long term, long snapshotIndex, long nextOffset) {
        return term(from, term) && index(from, snapshotIndex) && index(from, nextOffset);
    }

    private boolean terms(String from, long a, long b) {
        return term(from, a) && term(from, b);
    }

    private boolean index(String from, long index) {
        if (isIndex(index)) {
            return true;
        }
        counters.refuse(RaftRefusal.INDEX_OUT_OF_RANGE, from, index);
        return false;
    }

    /** A log term carried by a message cannot be later than the message's own term. */
    private boolean notAbove(String from, long logTerm, long term) {
        if (logTerm <= term) {
            return true;
        }
        counters.refuse(RaftRefusal.INCONSISTENT_FIELDS, from, logTerm);
        return false;
    }
}
