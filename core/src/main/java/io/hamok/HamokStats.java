// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * A point-in-time view of a {@link Hamok} instance's counters.
 *
 * @param pendingRequests writes and linearizable reads waiting on the cluster
 * @param logSizeBytes    bytes the Raft log holds in memory
 * @param commitIndex     highest index known committed
 * @param appliedIndex    highest index applied to the storages here
 * @param term            current Raft term
 * @param replicationLag  on the leader: per remote peer, how many log entries it is behind the
 *                        leader's last entry; empty on other roles
 */
public record HamokStats(int pendingRequests, long logSizeBytes, long commitIndex, long appliedIndex, long term,
                         java.util.Map<String, Long> replicationLag) {
}
