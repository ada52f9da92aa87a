// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * Settings of one Raft node. Immutable; built by {@link #builder()}, validated once in
 * {@link Builder#build()} with a message that names the bad field. Every duration carries its
 * unit in its name.
 */
public final class RaftConfig {
    /** The largest byte array a JVM reliably allocates. */
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private final long followerMaxIdleMs;
    private final long electionTimeoutMs;
    private final long heartbeatMs;
    private final boolean onlyFollower;
    private final boolean preVote;
    private final boolean checkQuorum;
    private final int maxEntriesPerAppend;
    private final int maxBytesPerAppend;
    private final int maxInflightAppends;
    private final int snapshotChunkBytes;
    private final int maxSnapshotBytes;
    private final boolean neverVoteWhileEmpty;
    private final boolean skipEmptyLogGuard;
    private final long snapshotThresholdEntries;
    private final long logEntriesExpirationTimeMs;
    private final int maxPendingProposals;
    private final int maxVoters;
    private final int minQuorumVoters;
    private final long stabilizationMs;
    private final long deadPeerTimeoutMs;

    private RaftConfig(Builder b) {
        followerMaxIdleMs = b.followerMaxIdleMs;
        electionTimeoutMs = b.electionTimeoutMs;
        heartbeatMs = b.heartbeatMs;
        onlyFollower = b.onlyFollower;
        preVote = b.preVote;
        checkQuorum = b.checkQuorum;
        maxEntriesPerAppend = b.maxEntriesPerAppend;
        maxBytesPerAppend = b.maxBytesPerAppend;
        maxInflightAppends = b.maxInflightAppends;
        snapshotChunkBytes = b.snapshotChunkBytes;
        maxSnapshotBytes = b.maxSnapshotBytes;
        neverVoteWhileEmpty = b.neverVoteWhileEmpty;
        skipEmptyLogGuard = b.skipEmptyLogGuard;
        snapshotThresholdEntries = b.snapshotThresholdEntries;
        logEntriesExpirationTimeMs = b.logEntriesExpirationTimeMs;
        maxPendingProposals = b.maxPendingProposals;
        maxVoters = b.maxVoters;
        minQuorumVoters = b.minQuorumVoters;
        stabilizationMs = b.stabilizationMs;
        deadPeerTimeoutMs = b.deadPeerTimeoutMs;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A follower that hears nothing from a leader for a random time in
     * [followerMaxIdleMs, 2 x followerMaxIdleMs) starts an election (with pre-vote first). A voter
     * that heard from a leader within followerMaxIdleMs refuses to vote for others (leader
     * stickiness, thesis §4.2.3). Default 1000.
     */
    public long followerMaxIdleMs() {
        return followerMaxIdleMs;
    }

    /**
     * A (pre-)candidate that has not won within a random time in
     * [electionTimeoutMs, 2 x electionTimeoutMs) starts over; a leader that has not heard from a
     * quorum within electionTimeoutMs steps down (check-quorum, thesis §6.2). Default 3000.
     */
    public long electionTimeoutMs() {
        return electionTimeoutMs;
    }

    /** Interval of the leader's heartbeats (empty AppendEntries). Default 100. */
    public long heartbeatMs() {
        return heartbeatMs;
    }

    /** A voting member that never campaigns. Default false. */
    public boolean onlyFollower() {
        return onlyFollower;
    }

    /** Ask for pre-votes before raising the term (thesis §9.6). Default true. */
    public boolean preVote() {
        return preVote;
    }

    /** A leader steps down without a quorum's contact (thesis §6.2). Default true. */
    public boolean checkQuorum() {
        return checkQuorum;
    }

    /** Upper bound of entries in one AppendEntries. Default 256. */
    public int maxEntriesPerAppend() {
        return maxEntriesPerAppend;
    }

    /** Upper bound of entry payload bytes in one AppendEntries (at least one entry is always sent). Default 256 KiB. */
    public int maxBytesPerAppend() {
        return maxBytesPerAppend;
    }

    /** AppendEntries a leader may have outstanding to one follower (pipelining window). Default 32. */
    public int maxInflightAppends() {
        return maxInflightAppends;
    }

    /**
     * Bytes of snapshot in one InstallSnapshot chunk; also the largest chunk a follower accepts (a
     * larger one is refused and counted), so every member should use the same value. Default 64 KiB.
     */
    public int snapshotChunkBytes() {
        return snapshotChunkBytes;
    }

    /**
     * The largest snapshot, in bytes, a follower accepts from a leader: an InstallSnapshot announcing
     * more is refused and counted, so a corrupt or hostile length cannot make it allocate. Memory for
     * a transfer grows with the bytes actually received, never to the announced length up front. Size
     * it above the largest state you expect, on every member. At most 2^31 - 9 (a Java array).
     * Default 256 MiB.
     */
    public int maxSnapshotBytes() {
        return maxSnapshotBytes;
    }

    /**
     * The empty-log guard, stricter. A node that boots with no durable state is guarded (see
     * {@link #skipEmptyLogGuard()}): by default it votes, while its log is empty, only for candidates
     * whose log is empty too, so that a new cluster elects its first leader. Set this to {@code true}
     * when restarting a node whose state was lost (or an in-memory log under the same id): a node
     * with an empty log then neither votes nor campaigns until a leader has given it a log. Never set
     * it on every node of a new cluster: nobody could be elected. Default false.
     */
    public boolean neverVoteWhileEmpty() {
        return neverVoteWhileEmpty;
    }

    /**
     * The operator's word that this node never lost durable state (a new cluster, or a node that
     * crashed before anything it wrote became durable), which turns the empty-log guard off for it.
     * Guarded, a node that booted with no durable state votes and campaigns only while its log is
     * empty and only for empty-log candidates, until a leader has given it a log holding everything
     * that leader knew committed; the guard survives restarts. That keeps a node whose disk was lost
     * from electing a candidate that lacks entries it helped commit, and may leave a cluster without a
     * leader when guarded nodes are needed for every majority (docs/design.md §4.9). Setting this on
     * a node whose state was really lost can lose committed entries. Default false.
     */
    public boolean skipEmptyLogGuard() {
        return skipEmptyLogGuard;
    }

    /** A node snapshots its state machine once this many entries were applied since its last snapshot. Default 10000. */
    public long snapshotThresholdEntries() {
        return snapshotThresholdEntries;
    }

    /**
     * Log entries older than this (by the leader timestamp they carry, against the newest applied
     * entry's) are compacted into a snapshot even below {@link #snapshotThresholdEntries()}; 0
     * disables the age rule. Only applied entries covered by a snapshot are dropped. Default 300000.
     */
    public long logEntriesExpirationTimeMs() {
        return logEntriesExpirationTimeMs;
    }

    /** Entries a leader accepts beyond its commit index before {@code propose} answers busy. Default 65536. */
    public int maxPendingProposals() {
        return maxPendingProposals;
    }

    /**
     * Autopilot: the leader promotes a stable learner to voter only while the configuration has fewer
     * voters than this; the other members stay learners, which replicate the log and serve local reads
     * but do not vote (more voters tolerate more failures and make every commit wait for more acks).
     * Voters beyond it (a longer bootstrap list) are never demoted. At least 1. Default 5.
     */
    public int maxVoters() {
        return maxVoters;
    }

    /**
     * Autopilot: the leader removes a dead voter ({@link #deadPeerTimeoutMs()}) only when the voters
     * left, plus a stable learner it will promote into the freed place, are at least this many. A
     * floor of redundancy: too low, and a cluster whose members fail one by one (or that a partition
     * makes look dead) shrinks to a size where one more loss stops it or one disk holds every copy.
     * At least 1 and at most {@link #maxVoters()}. Default 3.
     */
    public int minQuorumVoters() {
        return minQuorumVoters;
    }

    /**
     * Autopilot: how long a learner must stay caught up (finishing each catch-up round within
     * {@link #electionTimeoutMs()} and answering the leader) before it is promoted to voter, so that
     * a flapping node does not become a voter the quorum depends on. 0 promotes after the first
     * catch-up round. Default 10000 (Consul's server stabilization time).
     */
    public long stabilizationMs() {
        return stabilizationMs;
    }

    /**
     * Autopilot: the leader removes a member it has not heard from for this long: a learner at once,
     * a voter only within {@link #minQuorumVoters()} and when the voters that answered it within
     * {@link #electionTimeoutMs()} stay a majority of the smaller configuration (so a removal cannot
     * cost the quorum); the leader never removes itself. A removed peer must join again to come back.
     * 0 turns the cleanup off; otherwise at least {@link #electionTimeoutMs()}. Too short, and a slow
     * restart or a long GC pause removes a healthy member. Default 30000.
     */
    public long deadPeerTimeoutMs() {
        return deadPeerTimeoutMs;
    }

    /** Builder with the defaults documented at each getter. */
    public static final class Builder {
        private long followerMaxIdleMs = 1000;
        private long electionTimeoutMs = 3000;
        private long heartbeatMs = 100;
        private boolean onlyFollower;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private int maxEntriesPerAppend = 256;
        private int maxBytesPerAppend = 256 * 1024;
        private int maxInflightAppends = 32;
        private int snapshotChunkBytes = 64 * 1024;
        private int maxSnapshotBytes = 256 * 1024 * 1024;
        private boolean neverVoteWhileEmpty;
        private boolean skipEmptyLogGuard;
        private long snapshotThresholdEntries = 10_000;
        private long logEntriesExpirationTimeMs = 300_000;
        private int maxPendingProposals = 65_536;
        private int maxVoters = 5;
        private int minQuorumVoters = 3;
        private long stabilizationMs = 10_000;
        private long deadPeerTimeoutMs = 30_000;

        private Builder() {
        }

        public Builder followerMaxIdleMs(long v) {
            followerMaxIdleMs = v;
            return this;
        }

        public Builder electionTimeoutMs(long v) {
            electionTimeoutMs = v;
            return this;
        }

        public Builder heartbeatMs(long v) {
            heartbeatMs = v;
            return this;
        }

        public Builder onlyFollower(boolean v) {
            onlyFollower = v;
            return this;
        }

        public Builder preVote(boolean v) {
            preVote = v;
            return this;
        }

        public Builder checkQuorum(boolean v) {
            checkQuorum = v;
            return this;
        }

        public Builder maxEntriesPerAppend(int v) {
            maxEntriesPerAppend = v;
            return this;
        }

        public Builder maxBytesPerAppend(int v) {
            maxBytesPerAppend = v;
            return this;
        }

        public Builder maxInflightAppends(int v) {
            maxInflightAppends = v;
            return this;
        }

        public Builder snapshotChunkBytes(int v) {
            snapshotChunkBytes = v;
            return this;
        }

        public Builder neverVoteWhileEmpty(boolean v) {
            neverVoteWhileEmpty = v;
            return this;
        }

        public Builder skipEmptyLogGuard(boolean v) {
            skipEmptyLogGuard = v;
            return this;
        }

        public Builder maxSnapshotBytes(int v) {
            maxSnapshotBytes = v;
            return this;
        }

        public Builder snapshotThresholdEntries(long v) {
            snapshotThresholdEntries = v;
            return this;
        }

        public Builder logEntriesExpirationTimeMs(long v) {
            logEntriesExpirationTimeMs = v;
            return this;
        }

        public Builder maxPendingProposals(int v) {
            maxPendingProposals = v;
            return this;
        }

        public Builder maxVoters(int v) {
            maxVoters = v;
            return this;
        }

        public Builder minQuorumVoters(int v) {
            minQuorumVoters = v;
            return this;
        }

        public Builder stabilizationMs(long v) {
            stabilizationMs = v;
            return this;
        }

        public Builder deadPeerTimeoutMs(long v) {
            deadPeerTimeoutMs = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field
         */
        public RaftConfig build() {
            positive("heartbeatMs", heartbeatMs);
            positive("followerMaxIdleMs", followerMaxIdleMs);
            positive("electionTimeoutMs", electionTimeoutMs);
            if (followerMaxIdleMs <= heartbeatMs) {
                throw new IllegalArgumentException("followerMaxIdleMs must be greater than heartbeatMs ("
                        + heartbeatMs + "), was " + followerMaxIdleMs);
            }
            if (electionTimeoutMs <= heartbeatMs) {
                throw new IllegalArgumentException("electionTimeoutMs must be greater than heartbeatMs ("
                        + heartbeatMs + "), was " + electionTimeoutMs);
            }
            positive("maxEntriesPerAppend", maxEntriesPerAppend);
            positive("maxBytesPerAppend", maxBytesPerAppend);
            positive("maxInflightAppends", maxInflightAppends);
            positive("snapshotChunkBytes", snapshotChunkBytes);
            positive("maxSnapshotBytes", maxSnapshotBytes);
            if (maxSnapshotBytes > MAX_ARRAY_BYTES) {
                throw new IllegalArgumentException("maxSnapshotBytes must be at most " + MAX_ARRAY_BYTES
                        + " (the largest Java array), was " + maxSnapshotBytes);
            }
            positive("snapshotThresholdEntries", snapshotThresholdEntries);
            positive("maxPendingProposals", maxPendingProposals);
            if (neverVoteWhileEmpty && skipEmptyLogGuard) {
                throw new IllegalArgumentException("neverVoteWhileEmpty and skipEmptyLogGuard contradict each other:"
                        + " set at most one");
            }
            if (logEntriesExpirationTimeMs < 0) {
                throw new IllegalArgumentException("logEntriesExpirationTimeMs must be 0 (off) or positive, was "
                        + logEntriesExpirationTimeMs);
            }
            checkAutopilot();
            return new RaftConfig(this);
        }

        private void checkAutopilot() {
            positive("maxVoters", maxVoters);
            positive("minQuorumVoters", minQuorumVoters);
            if (minQuorumVoters > maxVoters) {
                throw new IllegalArgumentException("minQuorumVoters must be at most maxVoters (" + maxVoters
                        + "), was " + minQuorumVoters);
            }
            if (stabilizationMs < 0) {
                throw new IllegalArgumentException("stabilizationMs must be 0 or positive, was " + stabilizationMs);
            }
            if (deadPeerTimeoutMs != 0 && deadPeerTimeoutMs < electionTimeoutMs) {
                throw new IllegalArgumentException("deadPeerTimeoutMs must be 0 (off) or at least electionTimeoutMs ("
                        + electionTimeoutMs + "), was " + deadPeerTimeoutMs);
            }
        }

        private static void positive(String field, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(field + " must be greater than 0, was " + value);
            }
        }
    }
}
