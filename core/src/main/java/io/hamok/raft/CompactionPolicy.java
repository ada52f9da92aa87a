// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * When a node snapshots its state machine and how much log it drops (paper §7, and the original's
 * {@code logEntriesExpirationTimeInMs} kept as a policy).
 *
 * <ul>
 *   <li><b>By count:</b> a snapshot when {@code snapshotThresholdEntries} entries were applied since
 *   the last one. The log then keeps the last {@code snapshotThresholdEntries / 2} applied entries, so
 *   that a follower a little behind catches up from the log instead of a snapshot, unless they expired.
 *   <li><b>By age:</b> entries older than {@code logEntriesExpirationTimeMs} (leader timestamps,
 *   against the newest applied entry: replicated time, so every replica decides alike) are dropped.
 *   Expired entries that the current snapshot already covers are dropped without a new snapshot; a new
 *   snapshot for expired entries beyond it is taken at most once per half expiration time, so that a
 *   steady trickle of writes does not snapshot the whole state machine on every apply.
 * </ul>
 *
 * Nothing unapplied is ever dropped, and the log never starts after the snapshot it keeps
 * ({@code firstIndex() - 1 <= snapshotIndex()}), so neither rule can cause divergence.
 */
final class CompactionPolicy {
    private final RaftConfig config;
    private final RaftLogs logs;
    private final StateMachine stateMachine;
    private final LogEntryView view = new LogEntryView();
    /** Replicated time (the newest applied entry's timestamp) of the last snapshot taken for age. */
    private long lastAgeSnapshotMs = Long.MIN_VALUE;
    private long snapshotsTaken;

    CompactionPolicy(RaftConfig config, RaftLogs logs, StateMachine stateMachine) {
        this.config = config;
        this.logs = logs;
        this.stateMachine = stateMachine;
    }

    /** Called after entries were applied, up to {@code lastApplied}. */
    void maybeSnapshot(long lastApplied, long lastAppliedTimestampMs, MembershipLog memberships) {
        final long snapshotIndex = logs.snapshotIndex();
        if (lastApplied <= snapshotIndex && logs.firstIndex() > snapshotIndex) {
            return;
        }
        final long expiredUntil = lastExpiredIndex(lastApplied, lastAppliedTimestampMs);
        final boolean byCount = lastApplied - snapshotIndex >= config.snapshotThresholdEntries();
        if (byCount || (expiredUntil > snapshotIndex && ageSnapshotDue(lastAppliedTimestampMs))) {
            final long retained = lastApplied - config.snapshotThresholdEntries() / 2;
            final long compactUntil = Math.min(lastApplied, Math.max(logs.firstIndex() - 1, Math.max(retained,
                    expiredUntil)));
            if (!byCount) {
                lastAgeSnapshotMs = lastAppliedTimestampMs;
            }
            // Deliberate allocation: a snapshot is rare (every snapshotThresholdEntries entries, or by age at
            // most once per half expiration time).
            final RaftSnapshot snapshot = RaftSnapshot.of(
                    lastApplied, logs.termAt(lastApplied), memberships.at(lastApplied), stateMachine.snapshot());
            logs.storeSnapshot(snapshot, compactUntil);
            snapshotsTaken++;
        } else if (expiredUntil >= logs.firstIndex() && snapshotIndex >= logs.firstIndex()) {
            // Expired entries the current snapshot covers: drop them, no new snapshot needed.
            logs.storeSnapshot(logs.snapshot(), Math.min(expiredUntil, snapshotIndex));
        }
    }

    /** Snapshots this policy has taken (for tests and stats). */
    long snapshotsTaken() {
        return snapshotsTaken;
    }

    private boolean ageSnapshotDue(long lastAppliedTimestampMs) {
        return lastAgeSnapshotMs == Long.MIN_VALUE
                || lastAppliedTimestampMs - lastAgeSnapshotMs >= config.logEntriesExpirationTimeMs() / 2;
    }

    /** The last applied entry older than the expiration time, or {@code firstIndex() - 1} when none is. */
    private long lastExpiredIndex(long lastApplied, long lastAppliedTimestampMs) {
        final long expirationMs = config.logEntriesExpirationTimeMs();
        long index = logs.firstIndex() - 1;
        if (expirationMs <= 0) {
            return index;
        }
        final long cutoffMs = lastAppliedTimestampMs - expirationMs;
        while (index < lastApplied && logs.read(index + 1, view).timestampMs() < cutoffMs) {
            index++;
        }
        return index;
    }
}
