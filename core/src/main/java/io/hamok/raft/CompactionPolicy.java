package io.hamok.raft;

/**
 * When a node snapshots its state machine and how much log it drops (paper §7, and the original's
 * {@code logEntriesExpirationTimeInMs} kept as a policy): snapshot when
 * {@code snapshotThresholdEntries} entries were applied since the last snapshot, or when the oldest
 * entry held is older than {@code logEntriesExpirationTimeMs} (leader timestamps, against the
 * newest applied entry: replicated time, so every replica decides alike). The log keeps the last
 * {@code snapshotThresholdEntries / 2} applied entries, so that a follower a little behind catches
 * up from the log instead of a snapshot, except the expired ones. Nothing unapplied is dropped.
 */
final class CompactionPolicy {
    private final RaftConfig config;
    private final RaftLogs logs;
    private final StateMachine stateMachine;
    private final LogEntryView view = new LogEntryView();

    CompactionPolicy(RaftConfig config, RaftLogs logs, StateMachine stateMachine) {
        this.config = config;
        this.logs = logs;
        this.stateMachine = stateMachine;
    }

    /** Called after entries were applied, up to {@code lastApplied}. */
    void maybeSnapshot(long lastApplied, long lastAppliedTimestampMs, MembershipLog memberships) {
        final long snapshotIndex = logs.snapshotIndex();
        if (lastApplied <= snapshotIndex) {
            return;
        }
        final long expiredUntil = lastExpiredIndex(lastApplied, lastAppliedTimestampMs);
        if (lastApplied - snapshotIndex < config.snapshotThresholdEntries() && expiredUntil < logs.firstIndex()) {
            return;
        }
        final long retained = Math.max(logs.firstIndex() - 1, lastApplied - config.snapshotThresholdEntries() / 2);
        final long compactUntil = Math.max(retained, expiredUntil);
        // Deliberate allocation: a snapshot is rare (every snapshotThresholdEntries entries).
        final RaftSnapshot snapshot = RaftSnapshot.of(
                lastApplied, logs.termAt(lastApplied), memberships.at(lastApplied), stateMachine.snapshot());
        logs.storeSnapshot(snapshot, compactUntil);
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
