// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.map.MapListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.hamok.HamokScenarioCluster.WAIT;
import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The map scenarios of the original (reference §10.3: 1, 11, 12, 13, 14, and the removeIf bug of
 * §7.3) on real {@link Hamok} instances over a {@code LocalNetwork}.
 */
@Timeout(60)
class HamokScenarioMapTest {
    private HamokScenarioCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static HamokMapConfig<String, Integer> intMap(String mapId) {
        return HamokMapConfig.<String, Integer>builder().mapId(mapId).keyCodec(Codecs.string())
                .valueCodec(JsonCodec.of(Integer.class)).build();
    }

    static HamokMapConfig<String, String> stringMap(String mapId) {
        return HamokMapConfig.<String, String>builder().mapId(mapId).keyCodec(Codecs.string())
                .valueCodec(Codecs.string()).build();
    }

    /** Scenario 1 (common-readme-example): concurrent sets on two instances, both see both keys. */
    @Test
    void shouldShowEachInstanceTheOthersKeyAfterWaitingForTheCommitHead() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2");
        final Hamok server1 = cluster.get("server-1");
        final Hamok server2 = cluster.get("server-2");
        final HamokMap<String, Integer> map1 = server1.createMap(intMap("my-replicated-storage"));
        final HamokMap<String, Integer> map2 = server2.createMap(intMap("my-replicated-storage"));
        cluster.joinAll();

        final CompletableFuture<Integer> set1 = map1.set("key-1", 1);
        final CompletableFuture<Integer> set2 = map2.set("key-2", 2);
        assertNull(await(set1), "key-1 was new");
        assertNull(await(set2), "key-2 was new");
        await(server1.waitUntilCommitHead(WAIT));
        await(server2.waitUntilCommitHead(WAIT));

        assertEquals(2, map1.get("key-2"));
        assertEquals(1, map2.get("key-1"));
        assertEquals(Map.of("key-1", 1, "key-2", 2), map1.export());
        assertEquals(map1.export(), map2.export());

        final List<String> lifecycle = Collections.synchronizedList(new ArrayList<>());
        for (Hamok h : List.of(server1, server2)) {
            h.addListener(new HamokListener() {
                @Override
                public void onLeft() {
                    lifecycle.add(h.localPeerId() + " left");
                }
            });
        }
        // server-2 leaves last, with nobody to hand leadership to: its hand-over wait is bounded by the timeout
        assertNull(await(server1.leave(Duration.ofSeconds(3))));
        assertNull(await(server2.leave(Duration.ofSeconds(3))));
        server1.close();
        server2.close();
        assertTrue(server1.isClosed() && server2.isClosed());
        assertEquals(List.of("server-1 left", "server-2 left"), lifecycle);
    }

    /**
     * Scenario 11 (map-catch-up-example): a map created late on a peer that missed the writes, which
     * the leader has already compacted into a snapshot, sees both values, the stored 0 included.
     * Three peers, so that the other two keep a quorum while the late one is cut off.
     */
    @Test
    void shouldSeeValuesWrittenBeforeTheMapWasCreatedFromTheSnapshot() throws Exception {
        cluster = new HamokScenarioCluster((id, raft) -> raft.snapshotThresholdEntries(4), "a", "b", "c");
        cluster.joinAll();
        final Hamok leader = cluster.leader();
        final Hamok late = cluster.follower();
        final HamokMap<String, Integer> map1 = leader.createMap(intMap("map"));

        cluster.isolate(late.localPeerId());
        assertNull(await(map1.set("key", 0)));
        final long keyIndex = leader.stats().appliedIndex();
        final HamokMap<String, Integer> filler = leader.createMap(intMap("filler"));
        for (int i = 0; i < 12; i++) {
            await(filler.set("f", i));
        }
        assertNull(await(map1.set("key-2", 2)));
        assertTrue(firstLogIndex(leader) > keyIndex,
                "the leader compacted the entry of key=0 (first index " + firstLogIndex(leader) + ", entry " + keyIndex
                        + ")");
        assertTrue(late.stats().appliedIndex() < keyIndex, "the late peer missed key=0");
        cluster.heal();

        await(late.waitUntilCommitHead(WAIT));
        final HamokMap<String, Integer> map2 = late.createMap(intMap("map"));
        assertTrue(map2.containsKey("key"), "0 is a value, so key is present");
        assertEquals(0, map2.get("key"));
        assertEquals(2, map2.get("key-2"));
        assertEquals(Map.of("key", 0, "key-2", 2), map2.export());
        assertEquals(Map.of("key", 0, "key-2", 2), map2.getAll(List.of("key", "key-2", "absent")));

        // The original could iterate a closed map's replica; here closing detaches the object.
        cluster.close();
        assertTrue(map2.isClosed());
        assertThrows(StorageClosedException.class, map2::export);
    }

    /** The first index the peer's log still holds (1 until a snapshot compacted it), read on its loop. */
    private static long firstLogIndex(Hamok hamok) throws Exception {
        final long[] first = new long[1];
        await(hamok.loop().execute(() -> first[0] = hamok.loop().node().logs().firstIndex()));
        return first[0];
    }

    /** Scenario 12 (map-events-example): another peer's operations reach this peer's listener in order. */
    @Test
    void shouldReportAnotherPeersChangesInOrderAndTheCloseLast() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokMap<String, Integer> map1 = cluster.get("server-1").createMap(intMap("map"));
        final HamokMap<String, Integer> map2 = cluster.get("server-2").createMap(intMap("map"));
        final EventLog events = new EventLog(6);
        map1.addListener(events);

        assertNull(await(map2.set("key", 0)));
        assertEquals(0, await(map2.set("key", 1)));
        assertTrue(await(map2.remove("key")));
        assertNull(await(map2.insert("key", 1)));
        assertEquals(1, await(map2.set("key", 2)));
        await(map2.clear());
        await(events.complete);
        map1.close();

        assertEquals(List.of("insert(key,0)", "update(key,0,1)", "remove(key,1)", "insert(key,1)",
                "update(key,1,2)", "clear", "close"), events.snapshot());
    }

    /**
     * Scenario 13 (map-insert-get-example): of two concurrent inserts exactly one wins and the other
     * learns the winner's value; overlapping insertAll calls conflict on the shared key only; a
     * write through the follower reaches the leader; a delete reaches both.
     */
    @Test
    void shouldLetExactlyOneConcurrentInsertWinAndConverge() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2");
        final HamokMap<String, Integer> map1 = cluster.get("server-1").createMap(intMap("map"));
        final HamokMap<String, Integer> map2 = cluster.get("server-2").createMap(intMap("map"));
        cluster.joinAll();

        final CompletableFuture<Integer> insert1 = map1.insert("key", 1);
        final CompletableFuture<Integer> insert2 = map2.insert("key", 2);
        final Integer existing1 = await(insert1);
        final Integer existing2 = await(insert2);
        assertTrue(existing1 == null ^ existing2 == null, "exactly one insert wins: " + existing1 + ", " + existing2);
        final int winner = existing1 == null ? 1 : 2;
        assertEquals(winner, existing1 == null ? existing2 : existing1, "the loser learns the winner's value");
        cluster.syncAll();
        assertEquals(winner, map1.get("key"));
        assertEquals(winner, map2.get("key"));

        final Map<String, Integer> entries1 = new LinkedHashMap<>();
        entries1.put("key-1", 1);
        entries1.put("key-2", 2);
        final Map<String, Integer> entries2 = new LinkedHashMap<>();
        entries2.put("key-2", 3);
        entries2.put("key-3", 4);
        final CompletableFuture<Map<String, Integer>> all1 = map1.insertAll(entries1);
        final CompletableFuture<Map<String, Integer>> all2 = map2.insertAll(entries2);
        final Map<String, Integer> existingAll1 = await(all1);
        final Map<String, Integer> existingAll2 = await(all2);
        assertTrue(existingAll1.isEmpty() ^ existingAll2.isEmpty(),
                "exactly one side sees key-2 as existing: " + existingAll1 + ", " + existingAll2);
        final boolean firstWon = existingAll1.isEmpty();
        assertEquals(firstWon ? Map.of("key-2", 2) : Map.of("key-2", 3), firstWon ? existingAll2 : existingAll1);
        cluster.syncAll();
        final Map<String, Integer> expected = Map.of("key", winner, "key-1", 1, "key-2", firstWon ? 2 : 3, "key-3", 4);
        assertEquals(expected, map1.export());
        assertEquals(expected, map2.export());

        final Hamok leader = cluster.leader();
        final Hamok follower = cluster.follower();
        final HamokMap<String, Integer> leaderMap = leader == cluster.get("server-1") ? map1 : map2;
        final HamokMap<String, Integer> followerMap = leaderMap == map1 ? map2 : map1;
        assertNull(await(followerMap.set("key-4", 3)));
        await(leader.waitUntilCommitHead(WAIT));
        assertEquals(3, leaderMap.get("key-4"), "a write via " + follower.localPeerId() + " is on the leader");

        assertTrue(await(leaderMap.delete("key-4")));
        cluster.syncAll();
        assertNull(map1.get("key-4"));
        assertNull(map2.get("key-4"));
        assertFalse(map2.containsKey("key-4"));
    }

    /** Scenario 14 (map-update-if-example): of two concurrent updateIf calls exactly one claims the job. */
    @Test
    void shouldLetExactlyOneConcurrentUpdateIfClaimTheJob() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokMap<String, String> map1 = cluster.get("server-1").createMap(stringMap("jobs"));
        final HamokMap<String, String> map2 = cluster.get("server-2").createMap(stringMap("jobs"));
        assertNull(await(map1.set("job", "pending")));
        cluster.syncAll();

        final CompletableFuture<Boolean> claim1 = map1.updateIf("job", "running-by-server-1", "pending");
        final CompletableFuture<Boolean> claim2 = map2.updateIf("job", "running-by-server-2", "pending");
        final boolean won1 = await(claim1);
        final boolean won2 = await(claim2);
        assertTrue(won1 ^ won2, "exactly one claim succeeds: " + won1 + ", " + won2);
        cluster.syncAll();
        final String expected = won1 ? "running-by-server-1" : "running-by-server-2";
        assertEquals(expected, map1.get("job"));
        assertEquals(expected, map2.get("job"));
    }

    /** §7.3 bug of the original: a failing removeIf answered nothing and timed out; here it answers false. */
    @Test
    void shouldAnswerFalseWhenRemoveIfConditionFails() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokMap<String, Integer> map1 = cluster.get("server-1").createMap(intMap("map"));
        final HamokMap<String, Integer> map2 = cluster.get("server-2").createMap(intMap("map"));
        assertNull(await(map1.set("key", 1)));

        final long before = System.nanoTime();
        assertFalse(await(map2.removeIf("key", 2)), "wrong old value");
        assertFalse(await(map2.removeIf("absent", 1)), "absent key");
        final long tookMs = (System.nanoTime() - before) / 1_000_000;
        assertTrue(tookMs < HamokMapConfig.DEFAULT_REQUEST_TIMEOUT_MS,
                "answered, not timed out (" + tookMs + " ms)");
        assertEquals(1, await(map2.getLinearizable("key")), "a failed removeIf leaves the value");

        assertTrue(await(map2.removeIf("key", 1)));
        cluster.syncAll();
        assertNull(map1.get("key"));
        assertNull(map2.get("key"));
    }

    /** A write acknowledged on one instance is seen by a linearizable read on the other right after. */
    @Test
    void shouldSeeAnAcknowledgedWriteInALinearizableReadOnTheOtherInstance() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c").joinAll();
        final List<HamokMap<String, Integer>> maps = new ArrayList<>();
        for (Hamok h : cluster.members()) {
            maps.add(h.createMap(intMap("map")));
        }
        for (int i = 0; i < 30; i++) {
            final HamokMap<String, Integer> writer = maps.get(i % 3);
            final HamokMap<String, Integer> reader = maps.get((i + 1) % 3);
            await(writer.set("key", i));
            assertEquals(i, await(reader.getLinearizable("key")), "round " + i);
            assertEquals(Map.of("key", i), await(reader.getAllLinearizable(List.of("key", "other"))));
        }
    }

    /** Records map events as text and completes once {@code expected} events (close excluded) arrived. */
    static final class EventLog implements MapListener<String, Integer> {
        final CompletableFuture<Void> complete = new CompletableFuture<>();
        private final List<String> events = new ArrayList<>();
        private final int expected;

        EventLog(int expected) {
            this.expected = expected;
        }

        synchronized List<String> snapshot() {
            return List.copyOf(events);
        }

        private synchronized void add(String event) {
            events.add(event);
            if (events.size() >= expected) {
                complete.complete(null);
            }
        }

        @Override
        public void onInserted(String key, Integer value) {
            add("insert(" + key + "," + value + ")");
        }

        @Override
        public void onUpdated(String key, Integer oldValue, Integer newValue) {
            add("update(" + key + "," + oldValue + "," + newValue + ")");
        }

        @Override
        public void onRemoved(String key, Integer oldValue) {
            add("remove(" + key + "," + oldValue + ")");
        }

        @Override
        public void onCleared() {
            add("clear");
        }

        @Override
        public void onClosed() {
            add("close");
        }
    }
}
