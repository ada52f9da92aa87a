package io.hamok;

import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link Hamok} instance publishes about the cluster's members, for readers on any thread:
 * the configuration ({@link ClusterMembers}), the remote members' ids and, on the leader, their
 * replication lag. It turns configuration changes into the events remote-peer-joined, -left and
 * -promoted, and reports peers the leader does not hear from (no-heartbeat-from). Written on the
 * loop thread only; nothing here allocates in a duty cycle in which the configuration and its commit
 * state stay the same, except the lag map, ten times a second on the leader.
 */
final class ClusterView {
    private static final long LAG_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String localPeerId;
    private final Events events;
    private final long silenceNs;
    private final Set<String> silent = new HashSet<>();
    private long nextLagNs;
    private volatile ClusterMembers members;
    private volatile Set<String> remotePeerIds;
    private volatile Map<String, Long> replicationLag = Map.of();

    /** Starts from the configuration {@code node} has (read before the loop starts). */
    ClusterView(String localPeerId, Events events, RaftNode node, long electionTimeoutMs) {
        this.localPeerId = localPeerId;
        this.events = events;
        this.silenceNs = TimeUnit.MILLISECONDS.toNanos(electionTimeoutMs);
        this.members = membersOf(node);
        this.remotePeerIds = remotesOf(members);
    }

    ClusterMembers members() {
        return members;
    }

    Set<String> remotePeerIds() {
        return remotePeerIds;
    }

    Map<String, Long> replicationLag() {
        return replicationLag;
    }

    /** The configuration in force changed (appended, truncated away, or from a snapshot); loop thread. */
    void onMembershipChanged(RaftNode node) {
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

    /** Once per duty cycle: the commit state of the configuration, the lag and silent peers. */
    void doWork(RaftNode node, long nowNs) {
        final ClusterMembers current = members;
        if (!current.committed() && node.commitIndex() >= current.index()
                && current.index() == node.membershipIndex()) {
            members = current.asCommitted();
        }
        if (nowNs >= nextLagNs) {
            nextLagNs = nowNs + LAG_INTERVAL_NS;
            replicationLag = lagOf(node);
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

    /** Deliberate allocation, ten times a second: a small map for stats readers. */
    private Map<String, Long> lagOf(RaftNode node) {
        if (node.role() != RaftRole.LEADER) {
            return Map.of();
        }
        final long last = node.logs().lastIndex();
        final Map<String, Long> lag = new TreeMap<>();
        for (String peer : remotePeerIds) {
            final long match = node.matchIndexOf(peer);
            if (match >= 0) {
                lag.put(peer, last - match);
            }
        }
        return Map.copyOf(lag);
    }
}
