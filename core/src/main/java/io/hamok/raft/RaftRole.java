// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/** The role a {@link RaftNode} plays right now. */
public enum RaftRole {
    /** Follows a leader (or waits for one); learners are always followers. */
    FOLLOWER,
    /** Asks for pre-votes (thesis §9.6) without changing its term. */
    PRE_CANDIDATE,
    /** Campaigns in a new term (paper §5.2). */
    CANDIDATE,
    /** Leads its term. */
    LEADER
}
