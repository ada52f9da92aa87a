// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.remotemap.MemoryRemoteMap;
import io.hamok.remotemap.RemoteMap;
import io.hamok.remotemap.RemoteMapListener;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.LocalNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HamokRemoteMap} on one {@link Hamok} instance that leads alone, over a shared
 * {@link MemoryRemoteMap}: the operations and their results, events, the store's applied index, store
 * failures, noEvents, and the storage rules (kinds, codecs, close).
 */
@Timeout(30)
class HamokRemoteMapTest {
    private final MemoryRemoteMap store = new MemoryRemoteMap();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private Hamok hamok;
    private HamokRemoteMap<String, Integer> map;

    static HamokRemoteMapConfig<String, Integer> config(String id, RemoteMap store) {
        return HamokRemoteMapConfig.<String, Integer>builder().mapId(id).keyCodec(Codecs.string())
                .valueCodec(Codecs.integer()).remoteMap(store).build();
    }

    static <K, V> RemoteMapListener<K, V> recorder(List<String> events) {
        return new RemoteMapListener<>() {
            @Override
            public void onInserted(K key, V value) {
                events.add("inserted " + key + "=" + value);
            }

            @Override
            public void onUpdated(K key, V oldValue, V newValue) {
                events.add("updated " + key + " " + oldValue + "->" + newValue);
            }

            @Override
            public void onRemoved(K key, V oldValue) {
                events.add("removed " + key + "=" + oldValue);
            }

            @Override
            public void onCleared() {
                events.add("cleared");
            }

            @Override
            public void onUnknownChange(K key) {
                events.add("unknown " + key);
            }

            @Override
            public void onClosed() {
                events.add("closed");
            }
        };
    }

    @BeforeEach
    void setUp() throws Exception {
        hamok = Hamok.create(HamokConfig.builder().peerId("solo").peers(List.of("solo"))
                .transport(new LocalNetwork().transport("solo"))
                .raftConfig(RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600).build())
                .build());
        hamok.join(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        map = hamok.createRemoteMap(config("m", store));
        map.addListener(recorder(events));
    }

    @AfterEach
    void tearDown() {
        hamok.close();
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS)).getCause();
    }

    /** Events are delivered on the loop thread; a read barrier after the write lets them all through. */
    private List<String> eventsNow() throws Exception {
        await(hamok.waitUntilCommitHead(Duration.ofSeconds(10)));
        return new ArrayList<>(events);
    }

    @Test
    void shouldExecuteASetInTheStoreAndAnswerWithTheOldValue() throws Exception {
        assertNull(await(map.set("k", 1)));
        assertEquals(1, await(map.set("k", 2)));
        assertEquals(2, await(map.get("k")));
        assertEquals(List.of(1L, 2L), store.executedIndexes());
        assertEquals(List.of("inserted k=1", "updated k 1->2"), eventsNow());
    }

    @Test
    void shouldNotOverwriteAnExistingKeyWithInsert() throws Exception {
        assertNull(await(map.insert("k", 1)));
        assertEquals(1, await(map.insert("k", 2)), "insert answers the existing value");
        assertEquals(1, await(map.get("k")), "and leaves it in the store");
        assertEquals(Map.of("k", 1), await(map.insertAll(Map.of("k", 3, "j", 4))));
        assertEquals(Map.of("k", 1, "j", 4), await(map.export()));
        assertEquals(List.of("inserted k=1", "inserted j=4"), eventsNow());
    }

    @Test
    void shouldAnswerSetAllDeleteAllAndRemoveAllLikeAMap() throws Exception {
        final Map<String, Integer> first = new LinkedHashMap<>();
        first.put("a", 1);
        first.put("b", 2);
        assertEquals(Map.of(), await(map.setAll(first)));
        final Map<String, Integer> second = new LinkedHashMap<>();
        second.put("b", 3);
        second.put("c", 0);
        assertEquals(Map.of("b", 2), await(map.setAll(second)));
        assertEquals(Set.of("a"), await(map.deleteAll(List.of("a", "x"))));
        assertEquals(Map.of("b", 3), await(map.removeAll(List.of("b"))));
        assertTrue(await(map.delete("c")), "a stored 0 is a value");
        assertFalse(await(map.remove("c")));
        assertEquals(0L, await(map.size()));
        assertEquals(List.of("inserted a=1", "inserted b=2", "updated b 2->3", "inserted c=0", "removed a=1",
                "removed b=3", "removed c=0"), eventsNow());
    }

    @Test
    void shouldApplyConditionalWritesOnlyWhenTheStoreHoldsTheExpectedValue() throws Exception {
        await(map.set("k", 1));
        assertFalse(await(map.replace("k", 5, 6)));
        assertTrue(await(map.replace("k", 1, 2)));
        assertFalse(await(map.updateIf("absent", 1, 0)));
        assertFalse(await(map.remove("k", 1)));
        assertTrue(await(map.removeIf("k", 2)));
        assertNull(await(map.get("k")));
        assertEquals(List.of("inserted k=1", "updated k 1->2", "removed k=2"), eventsNow());
    }

    @Test
    void shouldReadStraightFromTheStore() throws Exception {
        final MemoryRemoteMap filled = new MemoryRemoteMap();
        filled.setAll(0, 100, List.of("x".getBytes()), List.of(Codecs.integer().encode(7))).get();
        final HamokRemoteMap<String, Integer> map = hamok.createRemoteMap(config("reads", filled));
        assertEquals(7, await(map.get("x")), "a value the map never wrote");
        assertEquals(Map.of("x", 7), await(map.getAll(List.of("x", "y"))));
        assertEquals(Set.of("x"), await(map.keySet()));
        assertFalse(await(map.isEmpty()));
        final Map<String, Integer> seen = new LinkedHashMap<>();
        await(map.forEach(seen::put));
        assertEquals(Map.of("x", 7), seen);
    }

    @Test
    void shouldClearTheStore() throws Exception {
        await(map.setAll(Map.of("a", 1, "b", 2)));
        await(map.clear());
        assertEquals(0L, await(map.size()));
        assertTrue(eventsNow().contains("cleared"));
    }

    @Test
    void shouldFailAWriteAsNotAppliedWhileTheStoreIsDownAndExecuteLaterWritesOnceItIsBack() throws Exception {
        await(map.set("k", 1));
        store.available(false);
        final Throwable down = failure(map.set("k", 2));
        assertInstanceOf(RemoteStoreException.class, down);
        assertFalse(((HamokException) down).mayHaveBeenApplied(), "the store said it never got the call");
        assertInstanceOf(RemoteStoreException.class, failure(map.get("k")), "reads fail alike");
        store.available(true);
        assertEquals(1, await(map.set("k", 3)), "the failed write did not happen");
        assertEquals(List.of(1L, 3L), store.executedIndexes(), "mutation 2 was skipped, nothing ran twice");
        assertEquals(List.of("inserted k=1", "updated k 1->3"), eventsNow());
    }

    @Test
    void shouldReportExactlyWhetherAFailedCallWasExecutedWhenTheStoreAnswersAgain() throws Exception {
        final MemoryRemoteMap backing = new MemoryRemoteMap();
        final FlakyRemoteMap flaky = new FlakyRemoteMap(backing);
        final HamokRemoteMap<String, Integer> other = hamok.createRemoteMap(config("flaky", flaky));
        final List<String> otherEvents = Collections.synchronizedList(new ArrayList<>());
        other.addListener(recorder(otherEvents));
        assertNull(await(other.set("k", 0))); // the executor has fenced the store: the next calls are mutations
        flaky.failAfterExecuting = true; // executed, then the answer is lost
        final Throwable lost = failure(other.set("k", 1));
        assertInstanceOf(ResultUnknownException.class, lost);
        assertTrue(((HamokException) lost).mayHaveBeenApplied());
        flaky.failBeforeExecuting = true; // a generic failure, but the applied index says it did not run
        final Throwable notRun = failure(other.set("k", 2));
        assertInstanceOf(RemoteStoreException.class, notRun);
        assertFalse(((HamokException) notRun).mayHaveBeenApplied());
        assertEquals(1, await(other.get("k")));
        assertEquals(1, await(other.set("k", 3)));
        assertEquals(List.of(1L, 2L, 4L), backing.executedIndexes(), "mutation 3 never ran, none ran twice");
        await(hamok.waitUntilCommitHead(Duration.ofSeconds(10)));
        assertEquals(List.of("inserted k=0", "unknown k", "updated k 1->3"), otherEvents,
                "the lost result is an unknown change; the failed write changed nothing");
    }

    /** A call that failed on the leader's side but is still on its way to the store must not run afterwards. */
    @Test
    void shouldFenceOutAFailedCallThatReachesTheStoreLate() throws Exception {
        final MemoryRemoteMap backing = new MemoryRemoteMap();
        final FlakyRemoteMap flaky = new FlakyRemoteMap(backing);
        final HamokRemoteMap<String, Integer> slow = hamok.createRemoteMap(config("slow", flaky));
        assertNull(await(slow.set("k", 1)));
        flaky.failNowRunLater = true;
        final Throwable e = failure(slow.set("k", 2));
        assertInstanceOf(RemoteStoreException.class, e);
        assertFalse(((HamokException) e).mayHaveBeenApplied(), "the store's applied index shows it did not run");
        assertEquals(RemoteMap.Status.FENCED, flaky.late.get().get(10, TimeUnit.SECONDS).status(),
                "the late call carries the old token");
        assertEquals(1, await(slow.get("k")));
        assertEquals(1, await(slow.set("k", 3)));
        assertEquals(List.of(1L, 3L), backing.executedIndexes());
    }

    @Test
    void shouldExecuteInAMapCreatedOnAPeerThatAlreadyLeads() throws Exception {
        assertTrue(hamok.isLeader());
        final HamokRemoteMap<String, Integer> late = hamok.createRemoteMap(config("late", new MemoryRemoteMap()));
        assertNull(await(late.set("k", 1)), "the original never executed this until the next leader change");
        assertEquals(1, await(late.get("k")));
    }

    @Test
    void shouldReportNoEventsWhenTheLeadersMapHasNoEvents() throws Exception {
        final HamokRemoteMap<String, Integer> quiet = hamok.createRemoteMap(HamokRemoteMapConfig
                .<String, Integer>builder().mapId("quiet").keyCodec(Codecs.string()).valueCodec(Codecs.integer())
                .remoteMap(new MemoryRemoteMap()).noEvents(true).build());
        final List<String> quietEvents = Collections.synchronizedList(new ArrayList<>());
        quiet.addListener(recorder(quietEvents));
        assertNull(await(quiet.set("k", 1)));
        assertEquals(1, await(quiet.set("k", 2)), "results still reach the requester");
        assertTrue(await(quiet.remove("k")));
        await(quiet.clear());
        await(hamok.waitUntilCommitHead(Duration.ofSeconds(10)));
        assertEquals(List.of(), quietEvents);
    }

    @Test
    void shouldContinueAfterTheMapIsClosedAndOpenedAgain() throws Exception {
        await(map.set("k", 1));
        map.close();
        assertThrows(StorageClosedException.class, () -> map.set("k", 2));
        final HamokRemoteMap<String, Integer> again = hamok.createRemoteMap(config("m", store));
        assertEquals(1, await(again.set("k", 2)));
        assertEquals(List.of(1L, 2L), store.executedIndexes());
        assertEquals(2, store.token() >> 16 & 0xFF, "the second open fences with a higher token");
        assertTrue(events.contains("closed"));
    }

    @Test
    void shouldKeepOneKindAndOneConfigurationPerId() {
        assertThrows(StorageKindMismatchException.class, () -> hamok.createMap(HamokScenarioMapTest.intMap("m")));
        assertThrows(IllegalStateException.class, () -> hamok.createRemoteMap(config("m", store)));
        assertSame(map, hamok.getOrCreateRemoteMap(config("m", store)));
        assertThrows(StorageCodecMismatchException.class,
                () -> hamok.getOrCreateRemoteMap(config("m", new MemoryRemoteMap())));
        hamok.createMap(HamokScenarioMapTest.intMap("plain"));
        assertThrows(StorageKindMismatchException.class, () -> hamok.createRemoteMap(config("plain", store)));
    }

    @Test
    void shouldRefuseNullsOnTheCallersThread() {
        assertThrows(NullPointerException.class, () -> map.set(null, 1));
        assertThrows(NullPointerException.class, () -> map.set("k", null));
        assertThrows(NullPointerException.class, () -> map.replace("k", null, 1));
        assertThrows(NullPointerException.class, () -> map.forEach(null));
    }

    /** A store whose next call fails, after or before doing its work, once. */
    static final class FlakyRemoteMap extends ForwardingRemoteMap {
        volatile boolean failAfterExecuting;
        volatile boolean failBeforeExecuting;
        volatile boolean failNowRunLater;
        volatile java.util.function.Supplier<CompletableFuture<Execution>> late;

        FlakyRemoteMap(RemoteMap store) {
            super(store);
        }

        @Override
        protected CompletableFuture<Execution> mutation(java.util.function.Supplier<CompletableFuture<Execution>> call) {
            if (failNowRunLater) {
                failNowRunLater = false;
                late = call; // reaches the store after the leader gave up on it
                return CompletableFuture.failedFuture(new IllegalStateException("read timed out"));
            }
            if (failBeforeExecuting) {
                failBeforeExecuting = false;
                return CompletableFuture.failedFuture(new IllegalStateException("connection reset"));
            }
            final CompletableFuture<Execution> done = call.get();
            if (failAfterExecuting) {
                failAfterExecuting = false;
                return done.thenCompose(ignored -> CompletableFuture.failedFuture(
                        new IllegalStateException("read timed out")));
            }
            return done;
        }
    }
}
