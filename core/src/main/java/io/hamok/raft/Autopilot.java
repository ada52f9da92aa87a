// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import java.util.concurrent.TimeUnit;

/**
 * The leader's autopilot (Consul's is the model): which learner becomes a voter and which silent
 * member is removed, one configuration change at a time, through the log like any other change.
 * Part of the pure core: it reads the time the node was given ({@link RaftNode#nowNs}) and decides
 * nothing on any other clock. Each decision goes to {@link RaftListener#onAutopilot}.
 *
 * <ul>
 *   <li><b>Promotion</b> (thesis §4.2.1): a learner is caught up when it finishes a catch-up round
 *       (reaching the leader's last index as of the round's start) within an election timeout and
 *       the leader heard from it within one; it is stable once it has stayed caught up for
 *       {@link RaftConfig#stabilizationMs()}. A stable learner is promoted while the voters are fewer
 *       than {@link RaftConfig#maxVoters()}; otherwise it stays a learner, replicating.</li>
 *   <li><b>Cleanup</b> (checked once per heartbeat): a member the leader has not heard from for
 *       {@link RaftConfig#deadPeerTimeoutMs()} (since it leads, at the latest) is removed. A learner
 *       always; a voter only when the voters left, plus a stable learner that will take the freed place
 *       (the next change), are at least {@link RaftConfig#minQuorumVoters()}, and the voters left that
 *       answered within an election timeout (the leader included) are a majority of them, so the smaller
 *       configuration can commit. Otherwise the removal is held, reported once per silence. The leader
 *       never removes itself, and a leader that is no voter (it is removing itself) removes nobody.</li>
 * </ul>
 * Nothing here allocates unless it decides something.
 */
final class Autopilot {
    /** {@link Progress#stableSinceNs} of a learner that is not caught up. */
    static final long NOT_STABLE = Long.MIN_VALUE;

    private final RaftNode node;
    private final Replicator replicator;
    private final int maxVoters;
    private final int minQuorumVoters;
    private final long stabilizationNs;
    /** 0: cleanup off. */
    private final long deadPeerTimeoutNs;

    Autopilot(RaftNode node, Replicator replicator) {
        this.node = node;
        this.replicator = replicator;
        this.maxVoters = node.config.maxVoters();
        this.minQuorumVoters = node.config.minQuorumVoters();
        this.stabilizationNs = TimeUnit.MILLISECONDS.toNanos(node.config.stabilizationMs());
        this.deadPeerTimeoutNs = TimeUnit.MILLISECONDS.toNanos(node.config.deadPeerTimeoutMs());
    }

    // ------------------------------------------------------------------ promotion

    /**
     * Runs the learners' catch-up rounds and promotes the first stable learner while there is room
     * among the voters. Called at every flush of the leader; does nothing while a change is blocked.
     */
    void maybePromote() {
        final Membership m = node.membership();
        if (m.learnerCount() == 0 || replicator.changeBlocked() != null) {
            return;
        }
        final long now = node.nowNs;
        final long timeoutNs = node.electionTimeoutNs();
        for (int i = 0; i < m.learnerCount(); i++) {
            final Progress p = replicator.find(m.learner(i));
            if (p == null) {
                continue;
            }
            final boolean heard = now - p.lastHeardNs <= timeoutNs;
            if (p.matchIndex < p.roundTargetIndex) {
                if (!heard || now - p.roundStartNs > timeoutNs) {
                    p.stableSinceNs = NOT_STABLE; // the round runs late: not caught up (it may finish later)
                }
                continue;
            }
            if (p.roundTargetIndex > 0 && now - p.roundStartNs <= timeoutNs && heard) {
                if (p.stableSinceNs == NOT_STABLE) {
                    p.stableSinceNs = now;
                }
                if (now - p.stableSinceNs >= stabilizationNs && m.voterCount() < maxVoters) {
                    promote(m, p);
                    return;
                }
            } else {
                p.stableSinceNs = NOT_STABLE;
            }
            p.roundTargetIndex = node.logs.lastIndex();
            p.roundStartNs = now;
        }
    }

    private void promote(Membership m, Progress p) {
        replicator.changeConfiguration(m.promote(p.id));
        node.listener().onAutopilot(AutopilotDecision.PROMOTED, p.id, "caught up for "
                + toMs(node.nowNs - p.stableSinceNs) + " ms (stabilizationMs " + node.config.stabilizationMs()
                + "); voters " + m.voterCount() + " -> " + (m.voterCount() + 1) + " (maxVoters " + maxVoters + ")");
    }

    /** A learner that has stayed caught up for the stabilization time and answers, or null. */
    private Progress stableLearner(Membership m) {
        final long now = node.nowNs;
        for (int i = 0; i < m.learnerCount(); i++) {
            final Progress p = replicator.find(m.learner(i));
            if (p != null && p.stableSinceNs != NOT_STABLE && now - p.stableSinceNs >= stabilizationNs
                    && now - p.lastHeardNs <= node.electionTimeoutNs()) {
                return p;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ cleanup

    /** Removes one member silent for the dead-peer timeout, if the rules allow; voters first. */
    void removeDeadPeers() {
        if (deadPeerTimeoutNs == 0) {
            return;
        }
        final Membership m = node.membership();
        if (!m.isVoter(node.id) || replicator.changeBlocked() != null) {
            return;
        }
        for (int i = 0; i < m.voterCount(); i++) {
            final Progress p = replicator.find(m.voter(i));
            if (p != null && silent(p)) {
                final String held = voterRemovalHeld(m, p.id);
                if (held == null) {
                    remove(m, p, AutopilotDecision.REMOVED_DEAD_VOTER);
                    return;
                }
                if (!p.removalHeld) {
                    p.removalHeld = true;
                    node.listener().onAutopilot(AutopilotDecision.REMOVAL_HELD, p.id, "silent for "
                            + toMs(node.nowNs - p.lastHeardNs) + " ms but kept: " + held);
                }
            }
        }
        for (int i = 0; i < m.learnerCount(); i++) {
            final Progress p = replicator.find(m.learner(i));
            if (p != null && silent(p)) {
                remove(m, p, AutopilotDecision.REMOVED_DEAD_LEARNER);
                return;
            }
        }
    }

    /** Silent for the dead-peer timeout; a member heard again may be reported as held again later. */
    private boolean silent(Progress p) {
        if (node.nowNs - p.lastHeardNs < deadPeerTimeoutNs) {
            p.removalHeld = false;
            return false;
        }
        return true;
    }

    /** Why removing voter {@code dead} is not allowed now, or null when it is. */
    private String voterRemovalHeld(Membership m, String dead) {
        final int left = m.voterCount() - 1;
        final int replacement = left < maxVoters && stableLearner(m) != null ? 1 : 0;
        if (left < 1 || left + replacement < minQuorumVoters) {
            return "it would leave " + left + " voters" + (replacement > 0 ? " and a stable learner" : "")
                    + ", fewer than minQuorumVoters " + minQuorumVoters;
        }
        int responsive = 0;
        for (int i = 0; i < m.voterCount(); i++) {
            final String v = m.voter(i);
            if (v.equals(node.id)) {
                responsive++;
            } else if (!v.equals(dead) && answered(replicator.find(v))) {
                responsive++;
            }
        }
        if (responsive < left / 2 + 1) {
            return "only " + responsive + " of the " + left + " voters left answered within electionTimeoutMs, not a"
                    + " majority: the removal could cost the quorum";
        }
        return null;
    }

    /** The leader heard from this follower within an election timeout (what check-quorum asks too). */
    private boolean answered(Progress p) {
        return p != null && node.nowNs - p.lastHeardNs < node.electionTimeoutNs();
    }

    private void remove(Membership m, Progress p, AutopilotDecision decision) {
        final long silentMs = toMs(node.nowNs - p.lastHeardNs);
        replicator.changeConfiguration(m.without(p.id));
        node.listener().onAutopilot(decision, p.id, "silent for " + silentMs + " ms (deadPeerTimeoutMs "
                + node.config.deadPeerTimeoutMs() + "); voters " + node.membership().voters() + " learners "
                + node.membership().learners());
    }

    private static long toMs(long ns) {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }
}
