// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.ClusterMembers;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link io.hamok.Hamok} instance publishes about the cluster's members, for readers on any thread:
 * the configuration ({@link ClusterMembers}) and the remote members' ids (the replication lag is
 * {@link io.hamok.HamokMonitor}'s). It turns configuration changes into the events remote-peer-joined, -left
 * and -promoted, and reports peers the leader does not hear from (no-heartbeat-from), checked ten
 * times a second. Written on the loop thread only; nothing here allocates in a duty cycle in which
 * the configuration and its commit state stay the same.
 */
public final class ClusterView {
    private static final long SILENCE_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String localPeerId;
    private final Events events;
    private final long silenceNs;
    private final Set<String> silent = new HashSet<>();
    private long nextSilenceCheckNs;
    private volatile ClusterMembers members;
    private volatile Set<String> remotePeerIds;

    /** Starts from the configuration {@code node} has (read before the loop starts). */
    public ClusterView(String localPeerId, Events events, RaftNode node, long electionTimeoutMs) {
        this.localPeerId = localPeerId;
        this.events = events;
        this.silenceNs = TimeUnit.MILLISECONDS.toNanos(electionTimeoutMs);
        this.members = membersOf(node);
        this.remotePeerIds = remotesOf(members);
    }

    public ClusterMembers members() {
        return members;
    }

    public Set<String> remotePeerIds() {
        return remotePeerIds;
    }

    /** The configuration in force changed (appended, truncated away, or from a snapshot); loop thread. */
    public void onMembershipChanged(RaftNode node) {
        final ClusterMembers before = members;
        final ClusterMembers now = membersOf(node);
        members = now;
        remotePeerIds = remotesOf(now);
        for (String id : now.voters()) {
            if (!id.equals(localPeerId) && before.isLearner(id)) {
                events.remotePeerPromoted(id);
            }
        }
        for (String id : remotePeerIds) {
            if (!before.isMember(id)) {
                events.remotePeerJoined(id);
            }
        }
        for (String id : remotesOf(before)) {
            if (!now.isMember(id)) {
                events.remotePeerLeft(id);
            }
        }
    }

    /** Once per duty cycle: the commit state of the configuration, and silent peers. */
    public void doWork(RaftNode node, long nowNs) {
        final ClusterMembers current = members;
        if (!current.committed() && node.commitIndex() >= current.index()
                && current.index() == node.membershipIndex()) {
            members = current.asCommitted();
        }
        if (nowNs >= nextSilenceCheckNs) {
            nextSilenceCheckNs = nowNs + SILENCE_CHECK_NS;
            reportSilentPeers(node, nowNs);
        }
    }

    private static ClusterMembers membersOf(RaftNode node) {
        final long index = node.membershipIndex();
        return ClusterMembers.of(node.membership(), index, node.commitIndex() >= index);
    }

    private Set<String> remotesOf(ClusterMembers m) {
        final Set<String> ids = new HashSet<>(m.voters());
        ids.addAll(m.learners());
        ids.remove(localPeerId);
        return Set.copyOf(ids);
    }

    /** 'no-heartbeat-from': once per silence of a peer this leader has not heard for an election timeout. */
    private void reportSilentPeers(RaftNode node, long nowNs) {
        if (node.role() != RaftRole.LEADER) {
            silent.clear();
            return;
        }
        for (String peer : remotePeerIds) {
            final long heard = node.lastHeardFromNs(peer);
            final boolean quiet = heard != Long.MIN_VALUE && nowNs - heard >= silenceNs;
            if (quiet && silent.add(peer)) {
                events.noHeartbeatFrom(peer);
            } else if (!quiet) {
                silent.remove(peer);
            }
        }
    }
}
