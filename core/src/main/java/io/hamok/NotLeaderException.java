// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The operation needs the leader and this node is not it. {@link #leaderHint()} names the leader
 * this node knows of, or is {@code null} during an election: retry there, or later. Nothing was
 * appended ({@link #mayHaveBeenApplied()} is false).
 */
public class NotLeaderException extends HamokException {
    private static final long serialVersionUID = 1L;
    private final String leaderHint;

    public NotLeaderException(String localPeerId, String leaderHint) {
        super(localPeerId + " is not the leader; " + (leaderHint == null
                ? "no leader is known right now (election in progress), retry later"
                : "retry on " + leaderHint));
        this.leaderHint = leaderHint;
    }

    /** The leader this node knows of, or {@code null}. */
    public String leaderHint() {
        return leaderHint;
    }
}
