// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/** Observer of role, leader and membership changes; called on the loop thread, must not block. */
public interface RaftListener {
    default void onRoleChanged(RaftRole role, long term) {
    }

    default void onLeaderChanged(String leaderId, long term) {
    }

    default void onMembershipChanged(Membership membership) {
    }

    /**
     * The leader's autopilot decided something about {@code peerId} (the configuration change, if any,
     * is already appended; {@link #onMembershipChanged} came first). {@code reason} says why, for a
     * log line. Leader only; rare.
     */
    default void onAutopilot(AutopilotDecision decision, String peerId, String reason) {
    }

    /** An entry of any type was applied (NORMAL ones after the state machine applied them). */
    default void onApplied(long index, long term) {
    }

    /** The state machine was replaced by a snapshot from the leader, covering entries up to {@code index}. */
    default void onSnapshotInstalled(long index) {
    }

    /**
     * A read requested with {@link RaftNode#requestReadIndex} may be served (thesis §6.4) once the state
     * machine has applied {@code readIndex}: this node was still leader after the request.
     */
    default void onReadIndex(long context, long readIndex) {
    }

    /** A read requested with {@link RaftNode#requestReadIndex} will never be released: this node stopped leading. */
    default void onReadIndexFailed(long context) {
    }

    /**
     * This node stopped for good: continuing would break Raft's safety (for example a leader asked it
     * to replace an entry it has committed, so the replicas have diverged). It takes no further input
     * and sends nothing; {@code reason} says what happened. An operator must look at the data.
     */
    default void onHalted(String reason) {
    }
}
