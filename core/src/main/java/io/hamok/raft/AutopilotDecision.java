// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/** What the leader's autopilot decided about a member ({@link RaftListener#onAutopilot}). */
public enum AutopilotDecision {
    /** A learner that stayed caught up for the stabilization time became a voter. */
    PROMOTED,
    /** A voter silent for the dead-peer timeout was removed from the configuration. */
    REMOVED_DEAD_VOTER,
    /** A learner silent for the dead-peer timeout was removed from the configuration. */
    REMOVED_DEAD_LEARNER,
    /**
     * A voter silent for the dead-peer timeout stays, for now: removing it would leave fewer voters
     * than minQuorumVoters, or the voters left that answer would not be a majority. Reported once per
     * silence and leadership.
     */
    REMOVAL_HELD
}
