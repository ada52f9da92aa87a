// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.RaftNode;

import java.util.List;

/**
 * The liveness half of a simulation's verdict, checked once the faults are healed and
 * {@link SimCluster#stabilize()} returned: every proposal a leader accepted is either applied (at
 * the index it was given) and reached by every live member, or provably lost: never applied
 * anywhere, and no longer in the leader's log, which is fully committed, so it never will be.
 */
public final class Liveness {
    /** How the accepted proposals of a run ended. */
    public record Outcome(int applied, int lost) {
    }

    private Liveness() {
    }

    /**
     * @throws AssertionError naming the first proposal that is neither applied everywhere nor lost
     */
    public static Outcome checkProposals(SimCluster cluster) {
        if (!cluster.converged()) {
            throw new AssertionError("liveness check needs a stable cluster; " + cluster.describe());
        }
        final Invariants invariants = cluster.invariants();
        final RaftNode leader = cluster.leader().raft();
        final List<SimNode> members = cluster.liveMembers();
        int applied = 0;
        int lost = 0;
        for (SimClient.Accepted a : cluster.client().accepted()) {
            if (invariants.appliedProposalAt(a.index()) == a.proposalId()) {
                for (SimNode m : members) {
                    if (m.raft().lastApplied() < a.index()) {
                        throw new AssertionError("liveness: " + a + " is applied, but not yet on " + m + "; "
                                + cluster.describe());
                    }
                }
                applied++;
                continue;
            }
            final long elsewhere = invariants.appliedIndexOf(a.proposalId());
            if (elsewhere != Invariants.NONE) {
                throw new AssertionError("liveness: " + a + " was applied at index " + elsewhere
                        + " instead; " + cluster.describe());
            }
            if (leader.logs().termAt(a.index()) == a.term()) {
                throw new AssertionError("liveness: " + a + " is still in the leader's committed log but was never"
                        + " applied; " + cluster.describe());
            }
            lost++;
        }
        return new Outcome(applied, lost);
    }
}
