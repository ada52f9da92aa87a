// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * Why a {@link RaftNode} refused an inbound message (docs/design.md §4.8). A refused message changes
 * nothing on the node; it is counted in {@link RaftCounters}, and the loop logs each cause at most
 * once per interval.
 */
public enum RaftRefusal {
    /** A term below 0 (a uint64 of 2^63 or more) or above {@link RaftLimits#MAX_TERM}. */
    TERM_OUT_OF_RANGE("a term outside [0, 2^62)"),
    /** An index, snapshot offset or snapshot length below 0 or above {@link RaftLimits#MAX_INDEX}. */
    INDEX_OUT_OF_RANGE("an index, offset or length outside [0, 2^62)"),
    /** Fields that contradict each other: a log or entry term above the message's term, entry terms going down. */
    INCONSISTENT_FIELDS("fields that contradict each other (a log or entry term above the message term, or entry terms going down)"),
    /** An InstallSnapshot announcing more than {@link RaftConfig#maxSnapshotBytes()}. */
    SNAPSHOT_TOO_LARGE("a snapshot announced larger than maxSnapshotBytes"),
    /** A snapshot chunk larger than {@link RaftConfig#snapshotChunkBytes()} or reaching past the announced length. */
    SNAPSHOT_CHUNK_REFUSED("a snapshot chunk larger than snapshotChunkBytes or reaching past the announced length"),
    /** The state machine threw while restoring a received snapshot; the node kept its log and state. */
    SNAPSHOT_RESTORE_FAILED("a received snapshot the state machine could not restore; log and state were kept"),
    /** AppendEntries or InstallSnapshot of this leader's own term: two leaders in one term cannot exist (paper §5.2). */
    APPEND_TO_LEADER("an AppendEntries or InstallSnapshot of this leader's own term (two leaders in one term cannot exist)"),
    /**
     * A TimeoutNow not from the leader this node follows and heard from recently, or of another term
     * (thesis §3.10): late after an abandoned transfer, or after a restart. It would depose a healthy leader.
     */
    STALE_TIMEOUT_NOW("a TimeoutNow that is stale (another term, not from the leader followed, or that leader not heard from recently)");

    private final String description;

    RaftRefusal(String description) {
        this.description = description;
    }

    /** One line for operators. */
    public String description() {
        return description;
    }
}
