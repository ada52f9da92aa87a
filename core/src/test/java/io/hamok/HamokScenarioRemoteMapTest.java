// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.remotemap.MemoryRemoteMap;
import io.hamok.remotemap.RemoteMap;
import io.hamok.remotemap.RemoteMapListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.hamok.HamokRemoteMapTest.recorder;
import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The remote map scenarios of the original (reference §10.3: 22, 23, 25/26 in small), its bugs
 * (§12.3 item 27: a map created on a peer that already leads never executed; insert overwrote;
 * noEvents was ignored; an operation around a leader change could run twice or never), and a leader
 * change in the middle of a stream of writes: real {@link Hamok} instances on a {@code LocalNetwork},
 * one {@link MemoryRemoteMap} playing the external store that every peer's map uses.
 */
@Timeout(90)
class HamokScenarioRemoteMapTest {
    private final MemoryRemoteMap store = new MemoryRemoteMap();
    private HamokScenarioCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private HamokRemoteMapConfig<String, Integer> config(String id) {
        return HamokRemoteMapTest.config(id, store);
    }

    private static HamokRemoteMapConfig<String, String> stringConfig(String id, RemoteMap store) {
        return HamokRemoteMapConfig.<String, String>builder().mapId(id).keyCodec(Codecs.string())
                .valueCodec(Codecs.string()).remoteMap(store).build();
    }

    /**
     * A stream of writes from every peer; in the middle the leader has executed a mutation but its answer
     * is held (it never reports it), many more mutations are committed and wait, and the leader is closed.
     * The next leader finds the executed one by the store's applied index (its requester learns that it
     * was applied, result unknown) and executes every other one exactly once, in order. Whichever peer
     * executes when the answers are held is the one closed (every peer's client holds until one does).
     */
    @Test
    void shouldExecuteEveryAcknowledgedWriteExactlyOnceWhenTheLeaderChangesInTheMiddleOfAStream() throws Exception {
        final Stream stream = new Stream("stream");
        stream.write(0, 40);
        stream.awaitAll();
        stream.gates.values().forEach(g -> g.holdAnswers = true);
        for (String id : stream.maps.keySet()) {
            stream.writeFrom(id, "held-" + id, 40);
        }
        final String executing = stream.firstHeld();
        stream.write(40, 100);
        awaitPending(cluster.get(executing), stream.maps.get(executing), 60);
        cluster.get(executing).close();
        stream.write(100, 200);
        stream.awaitAll();

        assertTrue(!cluster.leader().localPeerId().equals(executing), "a new leader took over");
        stream.checkExactlyOnce();
        final String held = stream.gates.get(executing).heldKey;
        if (held != null && !held.equals("held-" + executing)) { // executed, its requester alive: result unknown
            assertInstanceOf(ResultUnknownException.class, stream.failed.get(held), "the held execution " + held);
        }
        assertTrue(stream.acknowledged.size() >= 2 * 160, stream.acknowledged.size() + " acknowledged");
        final int executed = store.executedIndexes().size();
        stream.gates.get(executing).release();
        assertEquals(executed, store.executedIndexes().size(), "the late answer changed nothing");
    }

    /**
     * As above, but the old leader's call is held before it reaches the store, and let go only after the
     * new leader has executed everything: the store refuses it (fenced), nothing runs twice.
     */
    @Test
    void shouldRefuseAStaleLeadersLateCallByItsFencingToken() throws Exception {
        final Stream stream = new Stream("fenced");
        stream.write(0, 20);
        stream.awaitAll();
        stream.gates.values().forEach(g -> g.holdCalls = true);
        stream.write(20, 80);
        final String executing = stream.firstHeld();
        awaitPending(cluster.get(executing), stream.maps.get(executing), 40);
        cluster.get(executing).close();
        stream.write(80, 120);
        stream.awaitAll();
        final long executedBefore = store.executedIndexes().size();
        final RemoteMap.Execution late = stream.gates.get(executing).release().get(10, TimeUnit.SECONDS);
        assertEquals(RemoteMap.Status.FENCED, late.status(), "the old leader's token is below the new one's");
        assertEquals(executedBefore, store.executedIndexes().size());
        stream.checkExactlyOnce();
        assertEquals(0, stream.failures(ResultUnknownException.class));
    }

    /** Three peers, each with its own client ({@link GatedRemoteMap}) of the one store, writing unique keys. */
    private final class Stream {
        final Map<String, GatedRemoteMap> gates = new LinkedHashMap<>();
        final Map<String, HamokRemoteMap<String, Integer>> maps = new LinkedHashMap<>();
        final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        final Map<String, Throwable> failed = new ConcurrentHashMap<>();
        final List<CompletableFuture<?>> writes = new ArrayList<>();

        Stream(String mapId) throws Exception {
            cluster = new HamokScenarioCluster("a", "b", "c");
            for (Hamok h : cluster.members()) {
                final GatedRemoteMap gate = new GatedRemoteMap(store);
                gates.put(h.localPeerId(), gate);
                maps.put(h.localPeerId(), h.createRemoteMap(HamokRemoteMapTest.config(mapId, gate)));
            }
            cluster.joinAll();
        }

        void writeFrom(String peer, String key, int value) {
            track(key, value, maps.get(peer).set(key, value));
        }

        private void track(String key, int value, CompletableFuture<Integer> write) {
            writes.add(write.whenComplete((old, error) -> {
                if (error == null) {
                    acknowledged.put(key, value);
                } else {
                    failed.put(key, error instanceof java.util.concurrent.CompletionException c ? c.getCause() : error);
                }
            }));
        }

        void write(int from, int to) {
            for (int i = from; i < to; i++) {
                for (Map.Entry<String, HamokRemoteMap<String, Integer>> e : maps.entrySet()) {
                    if (cluster.get(e.getKey()).isClosed()) {
                        continue;
                    }
                    final String key = e.getKey() + "-" + i;
                    track(key, i, e.getValue().set(key, i));
                }
            }
        }

        void awaitAll() throws Exception {
            HamokScenarioRemoteMapTest.awaitAll(writes);
        }

        /**
         * Waits until some peer's client holds a call (that peer executes: it leads), lets every other
         * client work normally from then on, and returns the holding peer's id.
         */
        String firstHeld() throws Exception {
            final CompletableFuture<?>[] entered = gates.values().stream().map(g -> g.entered)
                    .toArray(CompletableFuture<?>[]::new);
            await(CompletableFuture.anyOf(entered));
            String holder = null;
            for (Map.Entry<String, GatedRemoteMap> e : gates.entrySet()) {
                if (holder == null && e.getValue().entered.isDone()) {
                    holder = e.getKey();
                } else {
                    e.getValue().holdAnswers = false;
                    e.getValue().holdCalls = false;
                    e.getValue().release(); // a peer that led before the holder and got stuck too goes on
                }
            }
            return holder;
        }

        long failures(Class<?> type) {
            return failed.values().stream().filter(type::isInstance).count();
        }

        /** Executed in order, each at most once; acknowledged ones exactly once; "not applied" ones never. */
        void checkExactlyOnce() {
            final List<Long> journal = store.executedIndexes();
            for (int i = 1; i < journal.size(); i++) {
                assertTrue(journal.get(i) > journal.get(i - 1), "executed in order, none twice: " + journal);
            }
            final Map<String, Integer> content = decode(store);
            assertEquals(journal.size(), content.size(), "one execution per key written: nothing ran twice");
            acknowledged.forEach((key, value) -> assertEquals(value, content.get(key), "acknowledged " + key));
            content.keySet().forEach(key -> assertTrue(acknowledged.containsKey(key)
                    || ((HamokException) failed.get(key)).mayHaveBeenApplied(), key + " ran, yet failed as not applied"));
            failed.forEach((key, error) -> {
                if (error instanceof ResultUnknownException) {
                    assertTrue(content.containsKey(key), key + " was applied, result unknown");
                } else if (!((HamokException) error).mayHaveBeenApplied()) {
                    assertFalse(content.containsKey(key), key + " failed as not applied, yet it is in the store");
                }
            });
        }
    }

    /** Waits (on the loop, no polling here) until {@code hamok} holds at least {@code count} pending mutations. */
    private static void awaitPending(Hamok hamok, HamokRemoteMap<String, Integer> map, int count) throws Exception {
        await(hamok.loop().await(loop -> map.replicatedState() != null
                && map.replicatedState().lastSequence() - map.replicatedState().executedSequence() >= count));
    }

    /** One peer's client of the store: can hold the answers of executed calls, or the calls themselves. */
    static final class GatedRemoteMap extends ForwardingRemoteMap {
        private final CompletableFuture<Void> gate = new CompletableFuture<>();
        private final CompletableFuture<RemoteMap.Execution> held = new CompletableFuture<>();
        final CompletableFuture<Void> entered = new CompletableFuture<>();
        volatile boolean holdAnswers;
        volatile boolean holdCalls;
        /** The first key of the first mutation held, or null (a fence was held). */
        volatile String heldKey;

        GatedRemoteMap(RemoteMap store) {
            super(store);
        }

        @Override
        public CompletableFuture<Execution> setAll(long token, long index, List<byte[]> keys, List<byte[]> values) {
            if ((holdCalls || holdAnswers) && !entered.isDone()) {
                heldKey = Codecs.string().decode(keys.get(0));
            }
            return super.setAll(token, index, keys, values);
        }

        @Override
        protected CompletableFuture<Execution> mutation(java.util.function.Supplier<CompletableFuture<Execution>> call) {
            if (holdCalls || holdAnswers) {
                entered.complete(null);
            }
            if (holdCalls) {
                return gate.thenCompose(ignored -> call.get()).whenComplete((e, error) -> held.complete(e));
            }
            if (holdAnswers) {
                final CompletableFuture<Execution> done = call.get();
                return gate.thenCompose(ignored -> done);
            }
            return call.get();
        }

        /** Lets held calls and answers go; completes with the first held call's execution (holdCalls). */
        CompletableFuture<RemoteMap.Execution> release() {
            gate.complete(null);
            return holdCalls ? held : CompletableFuture.completedFuture(null);
        }
    }

    /** Every peer reports the same events, in log order, whichever peer wrote and whichever executed. */
    @Test
    void shouldGiveEveryPeerTheSameEventsInLogOrder() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c");
        final Map<String, List<String>> events = new LinkedHashMap<>();
        final Map<String, HamokRemoteMap<String, Integer>> maps = new LinkedHashMap<>();
        for (Hamok h : cluster.members()) {
            final List<String> list = Collections.synchronizedList(new ArrayList<>());
            events.put(h.localPeerId(), list);
            final HamokRemoteMap<String, Integer> map = h.createRemoteMap(config("ordered"));
            map.addListener(recorder(list));
            maps.put(h.localPeerId(), map);
        }
        cluster.joinAll();
        final List<CompletableFuture<?>> writes = new ArrayList<>();
        final List<HamokRemoteMap<String, Integer>> writers = new ArrayList<>(maps.values());
        for (int i = 0; i < 60; i++) {
            final HamokRemoteMap<String, Integer> writer = writers.get(i % writers.size());
            final String key = "k" + (i % 4);
            writes.add(switch (i % 5) {
                case 0, 1 -> writer.set(key, i);
                case 2 -> writer.insert(key, i);
                case 3 -> writer.remove(key);
                default -> writer.replace(key, i - 1, i);
            });
        }
        awaitAll(writes);
        cluster.syncAll();
        final List<String> first = events.get("a");
        assertFalse(first.isEmpty());
        events.forEach((peer, list) -> assertEquals(first, list, peer + " saw other events or another order"));
        final Map<String, Integer> replay = replay(first);
        assertEquals(replay, decode(store), "the events describe exactly what the store did");
    }

    /** Reference §12.3 item 27: insert overwrote in the original; of racing inserts exactly one wins here. */
    @Test
    void shouldInsertOnlyOnceAmongRacingPeers() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2");
        final HamokRemoteMap<String, Integer> map1 = cluster.get("server-1").createRemoteMap(config("insert"));
        final HamokRemoteMap<String, Integer> map2 = cluster.get("server-2").createRemoteMap(config("insert"));
        cluster.joinAll();
        final CompletableFuture<Integer> one = map1.insert("key", 1);
        final CompletableFuture<Integer> two = map2.insert("key", 2);
        final Integer a = await(one);
        final Integer b = await(two);
        assertTrue((a == null) != (b == null), "exactly one insert wins: " + a + ", " + b);
        final int winner = a == null ? 1 : 2;
        assertEquals(winner, a == null ? b : a, "the loser learns the winner's value");
        assertEquals(winner, await(map1.get("key")));
        assertEquals(winner, await(map2.get("key")), "nothing overwrote it");
    }

    /** Reference §12.3 item 27: noEvents was not wired; here no peer reports a noEvents leader's executions. */
    @Test
    void shouldReportNoEventsAnywhereWhenEveryPeerHasNoEvents() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c");
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<HamokRemoteMap<String, Integer>> maps = new ArrayList<>();
        for (Hamok h : cluster.members()) {
            final HamokRemoteMap<String, Integer> map = h.createRemoteMap(HamokRemoteMapConfig
                    .<String, Integer>builder().mapId("quiet").keyCodec(Codecs.string()).valueCodec(Codecs.integer())
                    .remoteMap(store).noEvents(true).build());
            map.addListener(recorder(events));
            maps.add(map);
        }
        cluster.joinAll();
        assertNull(await(maps.get(0).set("k", 1)));
        assertEquals(1, await(maps.get(1).set("k", 2)));
        assertEquals(2, await(maps.get(2).insert("k", 3)));
        assertTrue(await(maps.get(0).remove("k")));
        await(maps.get(1).clear());
        cluster.syncAll();
        assertEquals(List.of(), events);
        assertEquals(5, store.executedIndexes().size());
    }

    /** Reference §12.3 item 27: a remote map created on a peer that already leads never executed in the original. */
    @Test
    void shouldExecuteInAMapTheLeaderOpensAfterItWasElected() throws Exception {
        // only "a" may lead, so the write cannot be executed by a follower that took over meanwhile
        cluster = new HamokScenarioCluster((id, raft) -> id.equals("a") ? raft : raft.onlyFollower(true), "a", "b",
                "c");
        cluster.joinAll();
        final Hamok leader = cluster.leader();
        final Hamok follower = cluster.follower();
        final HamokRemoteMap<String, Integer> fromFollower = follower.createRemoteMap(config("late"));
        final CompletableFuture<Integer> waiting = fromFollower.set("k", 1); // committed; the leader has no map yet
        cluster.syncAll();
        assertFalse(waiting.isDone(), "no peer with the map open leads: the write waits");
        final HamokRemoteMap<String, Integer> onLeader = leader.createRemoteMap(config("late"));
        assertNull(await(waiting), "the leader executes once it opens the map");
        assertEquals(1, await(onLeader.set("k", 2)));
    }

    /** Scenario 22 (redis-remote-map-example): writes from both peers, the same events on both. */
    @Test
    void shouldShowBothPeersTheEventsOfTheLeadersExecutions() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2");
        final List<String> events1 = Collections.synchronizedList(new ArrayList<>());
        final List<String> events2 = Collections.synchronizedList(new ArrayList<>());
        final HamokRemoteMap<String, String> map1 = cluster.get("server-1").createRemoteMap(stringConfig("example", store));
        final HamokRemoteMap<String, String> map2 = cluster.get("server-2").createRemoteMap(stringConfig("example", store));
        map1.addListener(recorder(events1));
        map2.addListener(recorder(events2));
        cluster.joinAll();
        assertNull(await(map1.set("foo", "bar")));
        assertEquals("bar", await(map2.set("foo", "baz")));
        assertEquals("baz", await(map1.get("foo")));
        assertTrue(await(map2.remove("foo")));
        assertNull(await(map1.set("foo", "qux")));
        await(map2.clear());
        await(map1.clear());
        cluster.syncAll();
        final List<String> expected = List.of("inserted foo=bar", "updated foo bar->baz", "removed foo=baz",
                "inserted foo=qux", "cleared", "cleared");
        assertEquals(expected, events1);
        assertEquals(expected, events2);
        assertEquals(0L, await(map2.size()));
    }

    /** Scenario 23 (redis-remote-requestmap-example): requests stored in a remote map, answered by other peers. */
    @Test
    void shouldServeRequestsThroughTheEventsOfARemoteMap() throws Exception {
        cluster = new HamokScenarioCluster("owner", "worker-1", "worker-2");
        final Map<String, HamokRemoteMap<String, String>> maps = new HashMap<>();
        for (Hamok h : cluster.members()) {
            maps.put(h.localPeerId(), h.createRemoteMap(stringConfig("requests", store)));
        }
        // each worker handles one kind of request: it answers by writing the result into the request's entry
        for (String worker : List.of("worker-1", "worker-2")) {
            final HamokRemoteMap<String, String> map = maps.get(worker);
            final String kind = worker.equals("worker-1") ? "echo" : "answer";
            map.addListener(new RemoteMapListener<>() {
                @Override
                public void onInserted(String key, String value) {
                    if (value.startsWith(kind + ":")) {
                        map.replace(key, value, kind.equals("echo") ? "result" : "42");
                    }
                }
            });
        }
        final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
        final HamokRemoteMap<String, String> owner = maps.get("owner");
        owner.addListener(new RemoteMapListener<>() {
            @Override
            public void onUpdated(String key, String oldValue, String newValue) {
                final CompletableFuture<String> answer = answers.remove(key);
                if (answer != null) {
                    answer.complete(newValue);
                    owner.delete(key);
                }
            }
        });
        cluster.joinAll();
        answers.put("req-1", new CompletableFuture<>());
        answers.put("req-2", new CompletableFuture<>());
        final CompletableFuture<String> first = answers.get("req-1");
        final CompletableFuture<String> second = answers.get("req-2");
        assertNull(await(owner.insert("req-1", "echo:hello")));
        assertNull(await(owner.insert("req-2", "answer:life")));
        assertEquals("result", await(first));
        assertEquals("42", await(second));
        cluster.syncAll();
        assertEquals(0L, await(owner.size()), "the owner deleted the answered requests");
    }

    /** Scenario 25/26 in small (redis-job-*): racing claims of one pending job, exactly one wins. */
    @Test
    void shouldLetExactlyOnePeerClaimAJob() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c");
        final List<HamokRemoteMap<String, String>> maps = new ArrayList<>();
        for (Hamok h : cluster.members()) {
            maps.add(h.createRemoteMap(stringConfig("jobs", store)));
        }
        cluster.joinAll();
        assertNull(await(maps.get(0).set("job-1", "pending")));
        final List<CompletableFuture<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            claims.add(maps.get(i).updateIf("job-1", "running-by-" + i, "pending"));
        }
        int winners = 0;
        int winner = -1;
        for (int i = 0; i < claims.size(); i++) {
            if (await(claims.get(i))) {
                winners++;
                winner = i;
            }
        }
        assertEquals(1, winners);
        assertEquals("running-by-" + winner, await(maps.get(2).get("job-1")));
        assertTrue(await(maps.get(winner).replace("job-1", "running-by-" + winner, "completed")));
    }

    /** The store is down: the write fails as not applied on the requester, and later writes go on. */
    @Test
    void shouldFailAWriteOfAFollowerWithATypedExceptionWhileTheStoreIsDown() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c");
        final Map<String, HamokRemoteMap<String, Integer>> maps = new HashMap<>();
        for (Hamok h : cluster.members()) {
            maps.put(h.localPeerId(), h.createRemoteMap(config("down")));
        }
        cluster.joinAll();
        final HamokRemoteMap<String, Integer> fromFollower = maps.get(cluster.follower().localPeerId());
        assertNull(await(fromFollower.set("k", 1)));
        store.available(false);
        final ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> fromFollower.set("k", 2).get(HamokScenarioCluster.WAIT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(RemoteStoreException.class, e.getCause());
        assertFalse(((HamokException) e.getCause()).mayHaveBeenApplied());
        store.available(true);
        assertEquals(1, await(fromFollower.set("k", 3)));
        assertEquals(List.of(1L, 3L), store.executedIndexes());
    }

    // ---------------------------------------------------------------- helpers

    private static void awaitAll(List<CompletableFuture<?>> futures) throws Exception {
        for (CompletableFuture<?> f : futures) {
            try {
                f.get(HamokScenarioCluster.WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException expectedForSome) {
                assertNotNull(expectedForSome.getCause());
            }
        }
        futures.clear();
    }

    private static Map<String, Integer> decode(MemoryRemoteMap store) {
        final Map<String, Integer> out = new HashMap<>();
        store.copy().forEach((k, v) -> out.put(Codecs.string().decode(k.bytes()), Codecs.integer().decode(v)));
        return out;
    }

    /** The map the events describe, replayed from empty. */
    private static Map<String, Integer> replay(List<String> events) {
        final Map<String, Integer> map = new HashMap<>();
        for (String e : events) {
            final String[] p = e.split(" ");
            switch (p[0]) {
                case "inserted" -> {
                    final String[] kv = p[1].split("=");
                    assertNull(map.put(kv[0], Integer.valueOf(kv[1])), e);
                }
                case "updated" -> {
                    final String[] change = p[2].split("->");
                    assertEquals(Integer.valueOf(change[0]), map.put(p[1], Integer.valueOf(change[1])), e);
                }
                case "removed" -> {
                    final String[] kv = p[1].split("=");
                    assertEquals(Integer.valueOf(kv[1]), map.remove(kv[0]), e);
                }
                case "cleared" -> map.clear();
                default -> throw new AssertionError("unexpected event " + e);
            }
        }
        return map;
    }
}
