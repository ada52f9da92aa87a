// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.ClusterMembers;
import io.hamok.Hamok;
import io.hamok.HamokListener;
import io.hamok.raft.RaftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.hamok.transport.netty.TcpHamoks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, the autopilot over TCP: three voters and a learner kept as a learner by
 * {@code maxVoters = 3}; one voter is killed, the leader removes it after {@code deadPeerTimeoutMs}
 * and promotes the learner in its place; writes go on, and every member hears the events.
 */
@Timeout(90)
class HamokAutopilotTest {
    private static final Duration WAIT = TcpHamoks.WAIT;
    private static final RaftConfig RAFT = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
            .electionTimeoutMs(600).maxVoters(3).minQuorumVoters(3).stabilizationMs(500).deadPeerTimeoutMs(1500)
            .build();

    private final TcpHamoks hamoks = new TcpHamoks(RAFT);

    @AfterEach
    void closeAll() {
        hamoks.close();
    }

    @Test
    void shouldRemoveAKilledVoterAndPromoteTheLearnerInItsPlace() throws Exception {
        final List<Hamok> founders = hamoks.startCluster("a", "b", "c");
        final Hamok d = hamoks.joiner("d", "a");
        final Map<String, Recorder> events = new LinkedHashMap<>();
        for (Hamok h : hamoks.running()) {
            events.put(h.localPeerId(), Recorder.on(h));
        }
        d.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        map(founders.get(0)).set("before", 1L).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        d.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1L, map(d).get("before"), "the learner replicates");

        final Hamok leader = leaderOf(founders);
        // a learner, caught up: the voters are at maxVoters (the rule tests show it stays one)
        Await.until(() -> leader.stats().replicationLag().getOrDefault("d", 1L) == 0L, WAIT, "d caught up");
        final ClusterMembers parked = leader.clusterConfiguration();
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(parked.voters()), parked.toString());
        assertEquals(List.of("d"), parked.learners(), parked.toString());
        assertTrue(parked.committed(), parked.toString());
        assertEquals(hamoks.address("d"), parked.address("d"));

        final Hamok victim = founders.stream().filter(h -> h != leader).findFirst().orElseThrow();
        final String dead = victim.localPeerId();
        victim.close();

        final List<Hamok> alive = hamoks.running().stream().filter(h -> !h.isClosed()).toList();
        for (Hamok h : alive) {
            Await.until(() -> {
                final ClusterMembers m = h.clusterConfiguration();
                return m.committed() && m.isVoter("d") && !m.isMember(dead) && m.learners().isEmpty();
            }, WAIT, h.localPeerId() + " to see " + dead + " removed and d promoted");
        }
        final Set<String> voters = Set.copyOf(leader.clusterConfiguration().voters());
        assertEquals(3, voters.size(), voters.toString());
        assertTrue(voters.contains("d") && !voters.contains(dead), voters.toString());

        map(d).set("after", 2L).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (Hamok h : alive) {
            h.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(2L, map(h).get("after"), h.localPeerId() + " has the write made after the replacement");
        }
        assertTrue(events.get(leader.localPeerId()).silent.contains(dead), "no-heartbeat-from " + dead);
        for (Hamok h : alive) {
            final Recorder r = events.get(h.localPeerId());
            Await.until(() -> r.left.contains(dead), WAIT, h.localPeerId() + ": remote-peer-left " + dead);
            if (h != d) {
                assertEquals(List.of("d"), r.promoted, h.localPeerId() + ": remote-peer-promoted d, once");
                assertTrue(r.joined.contains("d"), h.localPeerId() + ": remote-peer-joined d");
            }
        }
    }

    /** Events as they arrive. */
    private static final class Recorder implements HamokListener {
        final List<String> joined = new CopyOnWriteArrayList<>();
        final List<String> left = new CopyOnWriteArrayList<>();
        final List<String> promoted = new CopyOnWriteArrayList<>();
        final List<String> silent = new CopyOnWriteArrayList<>();

        static Recorder on(Hamok h) {
            final Recorder r = new Recorder();
            h.addListener(r);
            return r;
        }

        @Override
        public void onRemotePeerJoined(String peerId) {
            joined.add(peerId);
        }

        @Override
        public void onRemotePeerLeft(String peerId) {
            left.add(peerId);
        }

        @Override
        public void onRemotePeerPromoted(String peerId) {
            promoted.add(peerId);
        }

        @Override
        public void onNoHeartbeatFrom(String peerId) {
            silent.add(peerId);
        }
    }

    private static Hamok leaderOf(List<Hamok> founders) throws Exception {
        Await.until(() -> founders.stream().anyMatch(Hamok::isLeader), WAIT, "a leader");
        return founders.stream().filter(Hamok::isLeader).findFirst().orElseThrow();
    }
}
