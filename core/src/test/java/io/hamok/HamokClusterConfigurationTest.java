// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.hamok.HamokScenarioCluster.JOIN_TIMEOUT;
import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, part 5: the configuration is observable ({@link Hamok#clusterConfiguration()}), a
 * promotion is an event, and role and leader events carry their term.
 */
@Timeout(60)
class HamokClusterConfigurationTest {
    private HamokScenarioCluster cluster;
    private final List<Hamok> extra = new ArrayList<>();

    @AfterEach
    void closeAll() {
        extra.forEach(Hamok::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldGiveRoleAndLeaderEventsTheTermTheyHappenIn() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c");
        final Map<String, List<String>> roles = new ConcurrentHashMap<>();
        final Map<String, List<String>> leaders = new ConcurrentHashMap<>();
        for (Hamok h : cluster.members()) {
            final List<String> r = roles.computeIfAbsent(h.localPeerId(), id -> new CopyOnWriteArrayList<>());
            final List<String> l = leaders.computeIfAbsent(h.localPeerId(), id -> new CopyOnWriteArrayList<>());
            h.addListener(new HamokListener() {
                @Override
                public void onStateChanged(RaftRole state, RaftRole previous, long term) {
                    r.add(state + "@" + term);
                }

                @Override
                public void onLeaderChanged(String leaderId, String previousLeaderId, long term) {
                    l.add(leaderId + "@" + term);
                }
            });
        }
        cluster.joinAll();
        final Hamok leader = cluster.leader();
        final long term = leader.stats().term();
        final List<String> leaderRoles = roles.get(leader.localPeerId());
        assertEquals(RaftRole.LEADER + "@" + term, leaderRoles.get(leaderRoles.size() - 1), leaderRoles.toString());
        assertTrue(leaderRoles.contains(RaftRole.CANDIDATE + "@" + term), "the candidate's own term: " + leaderRoles);
        for (Hamok h : cluster.members()) {
            final List<String> seen = leaders.get(h.localPeerId());
            assertEquals(leader.localPeerId() + "@" + term, seen.get(seen.size() - 1), h.localPeerId() + ": " + seen);
        }
    }

    @Test
    void shouldPublishTheConfigurationAndAnnounceAPromotion() throws Exception {
        cluster = new HamokScenarioCluster((id, raft) -> raft.stabilizationMs(300), "a", "b", "c").joinAll();
        final Hamok leader = cluster.leader();
        final ClusterMembers first = leader.clusterConfiguration();
        assertEquals(List.of("a", "b", "c"), first.voters());
        assertEquals(List.of(), first.learners());
        assertTrue(first.committed(), first.toString());

        final Map<String, CompletableFuture<String>> promoted = new ConcurrentHashMap<>();
        final List<String> joined = new CopyOnWriteArrayList<>();
        for (Hamok h : cluster.members()) {
            final CompletableFuture<String> seen = new CompletableFuture<>();
            promoted.put(h.localPeerId(), seen);
            h.addListener(new HamokListener() {
                @Override
                public void onRemotePeerJoined(String peerId) {
                    joined.add(h.localPeerId() + " " + peerId);
                }

                @Override
                public void onRemotePeerPromoted(String peerId) {
                    seen.complete(peerId);
                }
            });
        }
        final Hamok d = Hamok.create(HamokConfig.builder().peerId("d").peers(List.of())
                .transport(cluster.network.transport("d"))
                .raftConfig(HamokScenarioCluster.scenarioRaft().stabilizationMs(300).build()).build());
        extra.add(d);
        final CompletableFuture<Void> dJoined = d.join(JOIN_TIMEOUT); // completes once the leader adds it
        assertEquals(MembershipChange.ACCEPTED, await(leader.addRemotePeerId("d")));

        final ClusterMembers added = leader.clusterConfiguration();
        assertEquals(List.of("d"), added.learners(), "a learner first: " + added);
        assertFalse(added.isVoter("d"));
        assertTrue(added.committed() && added.index() > first.index(), "published committed when the add completes: "
                + added);
        assertTrue(leader.remotePeerIds().contains("d"), "remotePeerIds counts learners too");
        await(dJoined);

        for (Hamok h : cluster.members()) {
            assertEquals("d", await(promoted.get(h.localPeerId())), h.localPeerId() + ": remote-peer-promoted");
            assertTrue(joined.contains(h.localPeerId() + " d"), h.localPeerId() + ": remote-peer-joined first");
        }
        final ClusterMembers now = leader.clusterConfiguration();
        assertEquals(List.of("a", "b", "c", "d"), now.voters());
        assertTrue(now.index() > added.index(), now.toString());
        await(d.waitUntilCommitHead(HamokScenarioCluster.WAIT));
        assertTrue(d.clusterConfiguration().isVoter("d"), "the new member sees itself a voter: "
                + d.clusterConfiguration());
    }
}
