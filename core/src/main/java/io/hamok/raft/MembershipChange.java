// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/** The answer of {@link RaftNode} to a membership change or a leadership transfer request. */
public enum MembershipChange {
    /** The change is in the log (or the transfer has started); watch the membership or leader for the outcome. */
    ACCEPTED,
    /** Only the leader changes membership; ask {@link RaftNode#leaderId()}. */
    NOT_LEADER,
    /**
     * An earlier change is not committed yet, or the leader has not committed an entry of its own
     * term yet (thesis §4.1); retry after the next commit.
     */
    IN_PROGRESS,
    /** Nothing to do: the peer already has the requested role. */
    UNCHANGED,
    /** The peer is not a member (remove, transfer) or the change would leave no voter. */
    REJECTED,
    /**
     * Add refused: the peer is already a member with another address (or with none, when one was
     * given). Remove it first to give it a new address. Adding a member again with its own address,
     * or with none, is {@link #UNCHANGED}.
     */
    ADDRESS_CONFLICT
}
