// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The instance events of the original that are not about storages: message, heartbeat, no-heartbeat-from, rejoining. */
@Timeout(60)
class HamokEventsTest {
    private HamokScenarioCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldDeliverASubmittedRawMessageToEveryPeerInLogOrder() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c").joinAll();
        final Hamok leader = cluster.leader();
        final List<CompletableFuture<String>> received = new CopyOnWriteArrayList<>();
        for (Hamok h : cluster.members()) {
            final CompletableFuture<String> got = new CompletableFuture<>();
            received.add(got);
            h.addListener(new HamokListener() {
                @Override
                public void onMessage(long index, byte[] payload) {
                    got.complete(index + ":" + new String(payload, StandardCharsets.UTF_8));
                }
            });
        }
        final long index = await(leader.submit("hello".getBytes(StandardCharsets.UTF_8)));
        for (CompletableFuture<String> got : received) {
            assertEquals(index + ":hello", await(got));
        }
    }

    @Test
    void shouldRefuseARawMessageOnAFollowerNamingTheLeader() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c").joinAll();
        final Hamok leader = cluster.leader();
        final Hamok follower = cluster.follower();
        final ExecutionException e = assertThrows(ExecutionException.class,
                () -> follower.submit(new byte[] {1}).get(10, TimeUnit.SECONDS));
        final NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class, e.getCause());
        assertEquals(leader.localPeerId(), notLeader.leaderHint());
    }

    @Test
    void shouldEmitHeartbeatsAndReportASilentPeerToTheLeaderOnce() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c").joinAll();
        final Hamok leader = cluster.leader();
        final Hamok follower = cluster.follower();
        final CompletableFuture<Void> heartbeat = new CompletableFuture<>();
        final List<String> silent = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> firstSilent = new CompletableFuture<>();
        leader.addListener(new HamokListener() {
            @Override
            public void onHeartbeat() {
                heartbeat.complete(null);
            }

            @Override
            public void onNoHeartbeatFrom(String peerId) {
                silent.add(peerId);
                firstSilent.complete(peerId);
            }
        });
        await(heartbeat);
        cluster.isolate(follower.localPeerId());
        assertEquals(follower.localPeerId(), await(firstSilent));
        // one report per silence, however long it lasts: wait a few more heartbeats via commits
        for (int i = 0; i < 3; i++) {
            await(leader.submit(new byte[] {(byte) i}));
        }
        assertEquals(List.of(follower.localPeerId()), silent);
        cluster.heal();
    }

    @Test
    void shouldEmitRejoiningWhenJoinIsCalledAgain() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c").joinAll();
        final Hamok a = cluster.get("a");
        final CompletableFuture<Void> rejoining = new CompletableFuture<>();
        a.addListener(new HamokListener() {
            @Override
            public void onRejoining() {
                rejoining.complete(null);
            }
        });
        await(a.join(Duration.ofSeconds(10), 2));
        await(rejoining);
        assertTrue(a.isRunning());
        assertEquals(a, await(a.ready()));
    }
}
