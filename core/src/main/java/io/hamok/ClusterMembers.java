// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.Membership;

import java.util.List;
import java.util.Map;

/**
 * The cluster configuration as one member knows it ({@link Hamok#clusterConfiguration()}): the
 * latest in its log, committed or not, which is the one Raft uses (thesis §4.1). Immutable.
 *
 * @param voters    the members that vote and count for the quorum, this peer included if it is one
 * @param learners  the members that receive the log and serve local reads but do not vote: new
 *                  members until the leader promotes them, and members beyond {@code maxVoters}
 * @param addresses where members are reached, by peer id (only members that have an address)
 * @param index     the log index of the entry that holds this configuration; 0 for the bootstrap
 *                  configuration (the peer list) or none
 * @param committed whether that entry is committed as far as this member knows (a configuration
 *                  that is not may still be replaced by a new leader); the bootstrap one counts as
 *                  committed
 */
public record ClusterMembers(List<String> voters, List<String> learners, Map<String, String> addresses, long index,
                             boolean committed) {
    public ClusterMembers {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
        addresses = Map.copyOf(addresses);
    }

    public static ClusterMembers of(Membership m, long index, boolean committed) {
        return new ClusterMembers(m.voters(), m.learners(), m.addresses(), index, committed);
    }

    public boolean isVoter(String peerId) {
        return voters.contains(peerId);
    }

    public boolean isLearner(String peerId) {
        return learners.contains(peerId);
    }

    public boolean isMember(String peerId) {
        return isVoter(peerId) || isLearner(peerId);
    }

    /** Where {@code peerId} is reached, or {@code null} when it has no address or is no member. */
    public String address(String peerId) {
        return addresses.get(peerId);
    }

    /** The same configuration, committed. */
    public ClusterMembers asCommitted() {
        return new ClusterMembers(voters, learners, addresses, index, true);
    }
}
