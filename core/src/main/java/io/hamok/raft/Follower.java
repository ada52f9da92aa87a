// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;

/**
 * The follower's half of a {@link RaftNode}: AppendEntries (paper §5.3: the prevLog check, conflict
 * truncation, the conflict hint, the commit index), InstallSnapshot (paper §7: chunks collected by the
 * {@link SnapshotReceiver}, restored before the log is replaced), and the check that a leader never
 * contradicts an entry this node committed (issue 8: a contradiction halts the node). Every answer to
 * an append echoes the request's term, append id and read round. Lives as long as its node; loop
 * thread only.
 */
final class Follower {
    private final RaftNode node;
    private final RaftLogs logs;
    private final RaftOutbox outbox;
    private final SnapshotReceiver snapshotReceiver = new SnapshotReceiver();
    private final LogEntryView applyView = new LogEntryView();
    // The AppendEntries being handled: what its answer echoes.
    private long requestTerm;
    private long requestAppendId;
    private long requestReadRound;

    Follower(RaftNode node) {
        this.node = node;
        this.logs = node.logs;
        this.outbox = node.outbox;
    }

    /** Bytes of an incoming snapshot held now; for tests. */
    long snapshotBufferedBytes() {
        return snapshotReceiver.bufferedBytes();
    }

    /** A snapshot transfer of the old role's leader will not go on. */
    void abandonSnapshot() {
        snapshotReceiver.abandon();
    }

    /**
     * AppendEntries (paper §5.3); every answer, accepting or not, echoes {@code readRound} (thesis
     * §6.4), the request's term and its {@code appendId}, so the leader can tell which append it answers.
     */
    void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                         EntryBatch entries, long readRound, long appendId) {
        requestTerm = term;
        requestAppendId = appendId;
        requestReadRound = readRound;
        if (!node.checks.appendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries)) {
            return;
        }
        if (term < node.term()) {
            respondAppend(from, false, prevLogIndex, logs.lastIndex(), 0, 0);
            return;
        }
        if (!node.heardFromLeader(from, term)) {
            return;
        }
        if (prevLogIndex < node.commitIndex()) {
            // Everything up to the commit index is committed here and must match the leader's log
            // (§5.4.3): compare what is still held, then skip the part of the batch it covers.
            final long skip = Math.min(node.commitIndex() - prevLogIndex, entries.count());
            if (contradictsCommitted(from, prevLogIndex, prevLogTerm, entries, (int) skip)) {
                return;
            }
            acceptEntries(from, prevLogIndex, leaderCommit, entries, (int) skip);
            return;
        }
        final long localTerm = logs.termAt(prevLogIndex);
        if (localTerm != prevLogTerm && node.breakage != RaftNode.Breakage.SKIP_PREV_LOG_CHECK) {
            if (prevLogIndex <= node.commitIndex() && contradictsCommitted(from, prevLogIndex, prevLogTerm, entries, 0)) {
                return;
            }
            rejectAppend(from, prevLogIndex, localTerm);
            return;
        }
        acceptEntries(from, prevLogIndex, leaderCommit, entries, 0);
    }

    /**
     * Whether the leader's log, as this append shows it, contradicts an entry this node has committed
     * (its term at prevLogIndex, or at one of the first {@code skip} entries, where this node still
     * holds the term). That cannot happen in a correct cluster: it means lost or corrupted state
     * somewhere, so this node halts instead of skipping the entries silently.
     */
    private boolean contradictsCommitted(String from, long prevLogIndex, long prevLogTerm, EntryBatch entries,
                                         int skip) {
        final long localPrevTerm = logs.termAt(prevLogIndex);
        if (localPrevTerm != RaftLogs.UNKNOWN_TERM && localPrevTerm != prevLogTerm) {
            node.halt("leader " + from + " of term " + node.term() + " has term " + prevLogTerm + " at index " + prevLogIndex
                    + ", but this node committed term " + localPrevTerm + " there (commit index " + node.commitIndex()
                    + "): the replicas have diverged");
            return true;
        }
        for (int i = 0; i < skip; i++) {
            final long index = prevLogIndex + 1 + i;
            final long local = logs.termAt(index);
            final long theirs = entries.read(i, applyView).term();
            if (local != RaftLogs.UNKNOWN_TERM && local != theirs) {
                node.halt("leader " + from + " of term " + node.term() + " sent entry " + index + " of term " + theirs
                        + ", but this node committed entry " + index + " of term " + local + " (commit index "
                        + node.commitIndex() + "): the replicas have diverged");
                return true;
            }
        }
        return false;
    }

    /** Answers the AppendEntries being handled (its term, append id and read round are echoed). */
    private void respondAppend(String to, boolean success, long prevLogIndex, long matchIndex, long conflictTerm,
                               long conflictIndex) {
        outbox.sendAppendEntriesResponse(to, node.term(), success, prevLogIndex, matchIndex, conflictTerm, conflictIndex,
                requestReadRound, requestTerm, requestAppendId);
    }

    private void rejectAppend(String from, long prevLogIndex, long localTerm) {
        final long lastIndex = logs.lastIndex();
        if (prevLogIndex > lastIndex || localTerm == RaftLogs.UNKNOWN_TERM) {
            respondAppend(from, false, prevLogIndex, lastIndex, 0, lastIndex + 1);
            return;
        }
        // Conflict hint (paper §5.3, end): the first index of the conflicting term.
        long first = prevLogIndex;
        while (first - 1 > node.commitIndex() && logs.termAt(first - 1) == localTerm) {
            first--;
        }
        respondAppend(from, false, prevLogIndex, lastIndex, localTerm, first);
    }

    private void acceptEntries(String from, long prevLogIndex, long leaderCommit, EntryBatch entries, int skip) {
        final int count = entries.count();
        for (int i = skip; i < count; i++) {
            final long index = prevLogIndex + 1 + i;
            final LogEntryView e = entries.read(i, applyView);
            if (index <= logs.lastIndex()) {
                if (logs.termAt(index) == e.term()) {
                    continue;
                }
                if (index <= node.commitIndex()) {
                    node.halt("leader " + from + " of term " + node.term() + " sent entry " + index + " of term " + e.term()
                            + ", but this node committed entry " + index + " of term " + logs.termAt(index)
                            + " (commit index " + node.commitIndex() + "): the replicas have diverged");
                    return;
                }
                logs.truncateFrom(index);
                node.memberships.truncatedFrom(index);
                node.listener().onMembershipChanged(node.membership());
            }
            appendReceived(e);
        }
        final long lastNew = Math.min(prevLogIndex + count, logs.lastIndex());
        final long newCommit = Math.min(leaderCommit, lastNew);
        if (newCommit > node.commitIndex()) {
            node.commitTo(newCommit);
        }
        node.voter.onLeaderLog(lastNew, leaderCommit);
        respondAppend(from, true, prevLogIndex, lastNew, 0, 0);
    }

    private void appendReceived(LogEntryView e) {
        final long index = logs.append(e.term(), e.timestampMs(), e.type(), e.payload(), 0, e.payloadLength());
        if (e.type() == LogEntryView.CONFIG) {
            node.memberships.appended(index, Membership.fromEntry(e));
            node.listener().onMembershipChanged(node.membership());
        }
    }

    /** One chunk of a snapshot (paper §7); the last one installs it. */
    void onInstallSnapshot(String from, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                           DirectBuffer data, int dataOffset, int dataLength, boolean done, long snapshotLength,
                           int checksum) {
        if (!node.checks.installSnapshot(from, term, snapshotIndex, snapshotTerm, chunkOffset, snapshotLength)) {
            return;
        }
        if (term < node.term()) {
            outbox.sendInstallSnapshotResponse(from, node.term(), false, snapshotIndex, 0);
            return;
        }
        if (!node.heardFromLeader(from, term)) {
            return;
        }
        final long localSnapshotTerm = logs.termAt(snapshotIndex);
        if (snapshotIndex <= node.commitIndex() && localSnapshotTerm != RaftLogs.UNKNOWN_TERM
                && localSnapshotTerm != snapshotTerm) {
            node.halt("leader " + from + " of term " + node.term() + " sent a snapshot ending at index " + snapshotIndex
                    + " of term " + snapshotTerm + ", but this node committed term " + localSnapshotTerm
                    + " there (commit index " + node.commitIndex() + "): the replicas have diverged");
            return;
        }
        if (snapshotIndex <= node.commitIndex() || localSnapshotTerm == snapshotTerm) {
            // Already has everything it covers: by Log Matching its log agrees up to snapshotIndex.
            outbox.sendInstallSnapshotResponse(from, node.term(), true, snapshotIndex, snapshotLength);
            return;
        }
        if (!node.checks.snapshotChunk(from, node.config, chunkOffset, dataLength, snapshotLength)) {
            return; // no answer: the leader resends at most once per heartbeat
        }
        final long next = snapshotReceiver.accept(snapshotIndex, snapshotTerm, chunkOffset, data, dataOffset,
                dataLength, snapshotLength, checksum);
        if (next < 0) {
            outbox.sendInstallSnapshotResponse(from, node.term(), false, snapshotIndex, snapshotReceiver.expectedOffset());
            return;
        }
        if (!done || next < snapshotLength) {
            outbox.sendInstallSnapshotResponse(from, node.term(), true, snapshotIndex, next);
            return;
        }
        final RaftSnapshot snapshot = snapshotReceiver.complete();
        if (snapshot == null) {
            outbox.sendInstallSnapshotResponse(from, node.term(), false, snapshotIndex, 0);
            return;
        }
        final boolean installed = installSnapshot(from, snapshot);
        outbox.sendInstallSnapshotResponse(from, node.term(), installed, snapshotIndex, installed ? snapshotLength : 0);
    }

    /**
     * Restores the state machine first and replaces the log only once that worked: a state machine
     * that cannot take the snapshot (its {@code restore} throws, leaving its state as it was) leaves
     * the node on its previous log and state, still a working follower. False then, counted.
     */
    private boolean installSnapshot(String from, RaftSnapshot snapshot) {
        try {
            node.stateMachine.restore(snapshot.stateMachineData(), snapshot.index());
        } catch (RuntimeException e) {
            node.counters.restoreFailed(from, snapshot.index(), e);
            return false;
        }
        logs.installSnapshot(snapshot);
        node.memberships.snapshotInstalled(snapshot.index(), snapshot.membership());
        node.memberships.truncatedFrom(logs.lastIndex() + 1);
        node.snapshotApplied(snapshot.index());
        node.listener().onSnapshotInstalled(snapshot.index());
        node.listener().onMembershipChanged(node.membership());
        return true;
    }
}
