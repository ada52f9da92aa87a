// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.internal.StorageBackend;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.map.MapListener;
import io.hamok.record.HamokRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.hamok.DirectBackend.done;
import static io.hamok.DirectBackend.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HamokMapTest {
    private DirectBackend.Log log;
    private DirectBackend backend;
    private HamokMap<String, Integer> map;
    private final List<String> events = new ArrayList<>();

    static <K, V> HamokMap<K, V> map(StorageBackend backend, String id, Codec<K> keys, Codec<V> values) {
        return new HamokMap<>(backend, HamokMapConfig.<K, V>builder().mapId(id).keyCodec(keys).valueCodec(values)
                .build());
    }

    static <K, V> MapListener<K, V> recorder(List<String> events) {
        return new MapListener<>() {
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
            public void onClosed() {
                events.add("closed");
            }
        };
    }

    @BeforeEach
    void setUp() {
        log = new DirectBackend.Log();
        backend = log.peer("a");
        map = map(backend, "m", Codecs.string(), Codecs.integer());
        map.addListener(recorder(events));
    }

    @Test
    void shouldReturnNullFromSetOfAbsentKeyAndTheOldValueOtherwise() {
        assertNull(done(map.set("k", 1)));
        assertEquals(1, done(map.set("k", 2)));
        assertEquals(2, map.get("k"));
        assertEquals(List.of("inserted k=1", "updated k 1->2"), events);
    }

    @Test
    void shouldReturnOldValuesOfUpdatedKeysOnlyFromSetAll() {
        done(map.set("a", 1));
        events.clear();

        assertEquals(Map.of("a", 1), done(map.setAll(Map.of("a", 10, "b", 20))));
        assertEquals(Map.of("a", 10, "b", 20), map.export());
        assertEquals(Set.of("updated a 1->10", "inserted b=20"), Set.copyOf(events));
    }

    @Test
    void shouldReturnTheExistingValueFromInsertAndKeepIt() {
        assertNull(done(map.insert("k", 1)));
        assertEquals(1, done(map.insert("k", 2)));
        assertEquals(1, map.get("k"));
        assertEquals(List.of("inserted k=1"), events);
    }

    @Test
    void shouldReturnTheEntriesThatExistedFromInsertAllAndInsertTheRest() {
        done(map.set("a", 1));

        assertEquals(Map.of("a", 1), done(map.insertAll(Map.of("a", 10, "b", 20))));
        assertEquals(Map.of("a", 1, "b", 20), map.export());
        assertEquals(Map.of(), done(map.insertAll(Map.of("c", 3))));
    }

    @Test
    void shouldReturnWhetherTheKeyExistedFromDelete() {
        done(map.set("k", 1));
        events.clear();

        assertTrue(done(map.delete("k")));
        assertFalse(done(map.delete("k")));
        assertFalse(map.containsKey("k"));
        assertEquals(List.of("removed k=1"), events);
    }

    @Test
    void shouldReturnTheDeletedKeysFromDeleteAll() {
        done(map.setAll(Map.of("a", 1, "b", 2)));

        assertEquals(Set.of("a", "b"), done(map.deleteAll(List.of("a", "b", "c"))));
        assertTrue(map.isEmpty());
        assertEquals(Set.of(), done(map.deleteAll(List.of("a"))));
    }

    @Test
    void shouldReturnWhetherItRemovedFromRemove() {
        done(map.set("k", 1));

        assertTrue(done(map.remove("k")));
        assertFalse(done(map.remove("k")));
    }

    @Test
    void shouldReturnTheRemovedEntriesFromRemoveAll() {
        done(map.setAll(Map.of("a", 1, "b", 2)));
        events.clear();

        assertEquals(Map.of("a", 1, "b", 2), done(map.removeAll(List.of("a", "b", "c"))));
        assertEquals(Set.of("removed a=1", "removed b=2"), Set.copyOf(events));
        assertEquals(Map.of(), done(map.removeAll(Set.of("a"))));
    }

    @Test
    void shouldUpdateIfTheCurrentValueIsTheExpectedOne() {
        done(map.set("k", 1));
        events.clear();

        assertTrue(done(map.updateIf("k", 2, 1)));
        assertEquals(2, map.get("k"));
        assertEquals(List.of("updated k 1->2"), events);
    }

    @Test
    void shouldAnswerFalseFromUpdateIfWhenTheValueDiffersOrTheKeyIsAbsent() {
        done(map.set("k", 1));
        events.clear();

        assertFalse(done(map.updateIf("k", 3, 2)));
        assertFalse(done(map.updateIf("absent", 3, 1)));
        assertEquals(1, map.get("k"));
        assertFalse(map.containsKey("absent"));
        assertEquals(List.of(), events);
    }

    @Test
    void shouldRemoveIfTheCurrentValueIsTheExpectedOne() {
        done(map.set("k", 1));
        events.clear();

        assertTrue(done(map.removeIf("k", 1)));
        assertFalse(map.containsKey("k"));
        assertEquals(List.of("removed k=1"), events);
    }

    @Test
    void shouldAnswerFalseFromRemoveIfWhenTheValueDiffersInsteadOfTimingOut() {
        done(map.set("k", 1));

        final CompletableFuture<Boolean> differs = map.removeIf("k", 2);
        final CompletableFuture<Boolean> absent = map.removeIf("absent", 2);

        assertFalse(done(differs));
        assertFalse(done(absent));
        assertEquals(1, map.get("k"));
    }

    @Test
    void shouldRemoveEverythingOnClearAndReportOneClearedEvent() {
        done(map.setAll(Map.of("a", 1, "b", 2)));
        events.clear();

        assertNull(done(map.clear()));
        assertTrue(map.isEmpty());
        assertEquals(0, map.size());
        assertEquals(List.of("cleared"), events);
    }

    @Test
    void shouldReadTheLocalReplicaWithPointInTimeCopies() {
        done(map.setAll(Map.of("a", 1, "b", 2)));

        assertEquals(Map.of("a", 1), map.getAll(List.of("a", "c")));
        assertTrue(map.containsKey("a"));
        assertFalse(map.containsKey("c"));
        assertEquals(2, map.size());
        assertFalse(map.isEmpty());
        final Set<String> keys = map.keySet();
        final List<Integer> values = map.values();
        final Set<Map.Entry<String, Integer>> entries = map.entrySet();
        final Map<String, Integer> export = map.export();

        done(map.set("c", 3));

        assertEquals(Set.of("a", "b"), keys);
        assertEquals(Set.of(1, 2), Set.copyOf(values));
        assertEquals(Map.of("a", 1, "b", 2).entrySet(), entries);
        assertEquals(Map.of("a", 1, "b", 2), export);
        assertThrows(UnsupportedOperationException.class, () -> export.put("x", 1));
    }

    @Test
    void shouldReadAfterTheReadBarrierForLinearizableReads() {
        done(map.setAll(Map.of("a", 1, "b", 2)));

        assertEquals(1, done(map.getLinearizable("a")));
        assertNull(done(map.getLinearizable("c")));
        assertEquals(Map.of("b", 2), done(map.getAllLinearizable(List.of("b", "c"))));
    }

    @Test
    void shouldCompleteWritesOfEmptyCollectionsAtOnceWithoutARequest() {
        final long applied = log.storages().appliedIndex();

        assertEquals(Map.of(), done(map.setAll(Map.of())));
        assertEquals(Map.of(), done(map.insertAll(Map.of())));
        assertEquals(Set.of(), done(map.deleteAll(List.of())));
        assertEquals(Map.of(), done(map.removeAll(Set.of())));

        assertEquals(applied, log.storages().appliedIndex());
    }

    @Test
    void shouldRejectNullKeysAndValuesNamingTheArgument() {
        assertEquals("key", assertThrows(NullPointerException.class, () -> map.set(null, 1)).getMessage());
        assertEquals("value", assertThrows(NullPointerException.class, () -> map.set("k", null)).getMessage());
        assertEquals("key", assertThrows(NullPointerException.class, () -> map.get(null)).getMessage());
        assertEquals("newValue", assertThrows(NullPointerException.class, () -> map.updateIf("k", null, 1))
                .getMessage());
        assertEquals("oldValue", assertThrows(NullPointerException.class, () -> map.updateIf("k", 1, null))
                .getMessage());
        assertEquals("oldValue", assertThrows(NullPointerException.class, () -> map.removeIf("k", null))
                .getMessage());
        assertEquals("keys", assertThrows(NullPointerException.class, () -> map.deleteAll(null)).getMessage());
        final List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertEquals("keys element", assertThrows(NullPointerException.class, () -> map.removeAll(withNull))
                .getMessage());
        final Map<String, Integer> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertEquals("entries value of key k", assertThrows(NullPointerException.class,
                () -> map.setAll(nullValue)).getMessage());
        assertEquals(0, map.size());
    }

    @Test
    void shouldTreatAnEmptyStringAsAValue() {
        final HamokMap<String, String> strings = map(backend, "strings", Codecs.string(), Codecs.string());

        assertNull(done(strings.insert("k", "")));
        assertTrue(strings.containsKey("k"));
        assertEquals("", strings.get("k"));
        assertEquals("", done(strings.insert("k", "other")));
        assertEquals(Map.of("k", ""), strings.getAll(List.of("k")));
        assertTrue(done(strings.updateIf("k", "x", "")));
        assertTrue(done(strings.removeIf("k", "x")));
        assertFalse(strings.containsKey("k"));
    }

    @Test
    void shouldTreatZeroAndFalseEncodedAsJsonAsValues() {
        final HamokMap<String, Integer> numbers = map(backend, "numbers", Codecs.string(),
                JsonCodec.of(Integer.class));
        final HamokMap<String, Boolean> flags = map(backend, "flags", Codecs.string(), JsonCodec.of(Boolean.class));

        assertNull(done(numbers.insert("n", 0)));
        assertEquals(0, done(numbers.insert("n", 5)));
        assertEquals(Map.of("n", 0), numbers.getAll(List.of("n")));
        assertTrue(done(numbers.updateIf("n", 1, 0)));
        assertEquals(Map.of("n", 1), done(numbers.removeAll(List.of("n"))));

        assertNull(done(flags.set("f", false)));
        assertEquals(false, done(flags.insert("f", true)));
        assertTrue(done(flags.removeIf("f", false)));
        assertTrue(flags.isEmpty());
    }

    @Test
    void shouldThrowStorageClosedExceptionFromEveryMethodAfterClose() {
        map.close();

        final List<Runnable> calls = List.of(
                () -> map.get("k"), () -> map.getAll(List.of("k")), () -> map.containsKey("k"), map::size,
                map::isEmpty, map::keySet, map::values, map::entrySet, map::export,
                () -> map.getLinearizable("k"), () -> map.getAllLinearizable(List.of("k")),
                () -> map.set("k", 1), () -> map.setAll(Map.of()), () -> map.insert("k", 1),
                () -> map.insertAll(Map.of()), () -> map.delete("k"), () -> map.deleteAll(List.of()),
                () -> map.remove("k"), () -> map.removeAll(List.of()), () -> map.updateIf("k", 1, 2),
                () -> map.removeIf("k", 1), () -> map.replace("k", 1, 2), () -> map.putIfAbsent("k", 1),
                () -> map.remove("k", 1), map::clear, () -> map.importEntries(Map.of()),
                () -> map.addListener(new MapListener<>() { }), () -> map.removeListener(new MapListener<>() { }));
        for (Runnable call : calls) {
            final StorageClosedException e = assertThrows(StorageClosedException.class, call::run);
            assertTrue(e.getMessage().contains("'m'"), e.getMessage());
            assertFalse(e.mayHaveBeenApplied());
        }
        assertTrue(map.isClosed());
        assertEquals("m", map.id());
    }

    @Test
    void shouldCallOnClosedOnceAndKeepTheReplicatedDataWhenClosed() {
        done(map.set("k", 1));
        events.clear();

        map.close();
        map.close();

        assertEquals(List.of("closed"), events);
        assertEquals(Set.of("m"), backend.closedIds());
        assertEquals(0, backend.subscriberCount("m"));
        final HamokMap<String, Integer> reopened = map(log.peer("b"), "m", Codecs.string(), Codecs.integer());
        assertEquals(1, reopened.get("k"));
        done(reopened.set("k", 2));
        assertEquals(List.of("closed"), events);
    }

    @Test
    void shouldFailWithStorageKindMismatchWhenTheIdBelongsToARecord() {
        final HamokRecord<HamokRecordTest.Doc> record = HamokRecordTest.record(backend, "shared");
        done(record.set("foo", "x"));
        final HamokMap<String, Integer> other = map(backend, "shared", Codecs.string(), Codecs.integer());

        assertInstanceOf(StorageKindMismatchException.class, failure(other.set("k", 1)));
    }

    @Test
    void shouldNameTheKeyWhenAStoredValueCannotBeDecoded() {
        final HamokMap<String, String> writer = map(backend, "m", Codecs.string(), Codecs.string());
        done(writer.set("bad", "xyz"));

        final HamokException read = assertThrows(HamokException.class, () -> map.get("bad"));
        assertTrue(read.getMessage().contains("'bad'"), read.getMessage());
        assertInstanceOf(IllegalArgumentException.class, read.getCause());
        assertFalse(read.mayHaveBeenApplied(), "a read changes nothing");
        final Throwable write = failure(map.set("bad", 1));
        assertInstanceOf(HamokException.class, write);
        assertTrue(write.getMessage().contains("'bad'"), write.getMessage());
        assertTrue(((HamokException) write).mayHaveBeenApplied(), "the write was applied; only its old value failed");
        assertEquals(1, map.get("bad"));
    }

    // ---------------------------------------------------------------- ConcurrentMap's compare-and-set

    @Test
    void shouldReplaceOnlyWhenTheExpectedValueIsThereExpectedFirst() {
        done(map.set("k", 10));

        assertFalse(done(map.replace("k", 9, 11)), "9 is not the current value");
        assertEquals(10, map.get("k"));
        assertTrue(done(map.replace("k", 10, 9)));
        assertEquals(9, map.get("k"));
        assertFalse(done(map.replace("absent", 0, 1)), "an absent key is never replaced");
        assertFalse(map.containsKey("absent"));
        assertEquals(List.of("inserted k=10", "updated k 10->9"), events);
    }

    @Test
    void shouldPutIfAbsentAndAnswerWithTheExistingValue() {
        assertNull(done(map.putIfAbsent("k", 1)), "inserted: null, as ConcurrentMap.putIfAbsent");
        assertEquals(1, done(map.putIfAbsent("k", 2)), "present: the value it has");
        assertEquals(1, map.get("k"));
    }

    @Test
    void shouldRemoveOnlyWhenTheExpectedValueIsThere() {
        done(map.set("k", 1));

        assertFalse(done(map.remove("k", 2)));
        assertEquals(1, map.get("k"));
        assertTrue(done(map.remove("k", 1)));
        assertFalse(map.containsKey("k"));
        assertFalse(done(map.remove("k", 1)), "absent: nothing to remove");
    }

    /** Requests of two peers racing to the log (held, then applied in order): exactly one of each pair wins. */
    @Test
    void shouldLetExactlyOneOfTwoRacingCompareAndSetsWin() {
        final HamokMap<String, Integer> other = map(log.peer("b"), "m", Codecs.string(), Codecs.integer());
        done(map.set("k", 10));

        log.hold();
        final CompletableFuture<Boolean> mine = map.replace("k", 10, 11);
        final CompletableFuture<Boolean> theirs = other.replace("k", 10, 12);
        final CompletableFuture<Integer> firstInsert = map.putIfAbsent("n", 1);
        final CompletableFuture<Integer> secondInsert = other.putIfAbsent("n", 2);
        log.release();

        assertTrue(done(mine));
        assertFalse(done(theirs));
        assertEquals(11, map.get("k"));
        assertNull(done(firstInsert));
        assertEquals(1, done(secondInsert));

        log.hold();
        final CompletableFuture<Boolean> removeMine = other.remove("k", 11);
        final CompletableFuture<Boolean> removeTheirs = map.remove("k", 11);
        log.release();
        assertTrue(done(removeMine));
        assertFalse(done(removeTheirs));
    }

    @Test
    void shouldNameTheArgumentsOfTheCompareAndSetForms() {
        assertEquals("expectedValue", assertThrows(NullPointerException.class, () -> map.replace("k", null, 1))
                .getMessage());
        assertEquals("newValue", assertThrows(NullPointerException.class, () -> map.replace("k", 1, null))
                .getMessage());
        assertEquals("value", assertThrows(NullPointerException.class, () -> map.putIfAbsent("k", null))
                .getMessage());
        assertEquals("expectedValue", assertThrows(NullPointerException.class, () -> map.remove("k", null))
                .getMessage());
        assertEquals(0, log.appended());
    }

    @Test
    void shouldReplaceTheContentOnImportWithAClearThenASet() {
        done(map.setAll(Map.of("a", 1, "b", 2)));
        events.clear();

        assertNull(done(map.importEntries(Map.of("b", 20, "c", 30))));

        assertEquals(Map.of("b", 20, "c", 30), map.export());
        assertEquals("cleared", events.get(0));
        assertEquals(Set.of("inserted b=20", "inserted c=30"), Set.copyOf(events.subList(1, events.size())));
    }

    @Test
    void shouldCompleteWithTheBackendFailure() {
        log.failWith(new HamokTimeoutException("no answer in 5000 ms"));

        assertInstanceOf(HamokTimeoutException.class, failure(map.set("k", 1)));
        assertInstanceOf(HamokTimeoutException.class, failure(map.getLinearizable("k")));
        assertInstanceOf(HamokTimeoutException.class, failure(map.importEntries(Map.of("k", 1))));
    }

    @Test
    void shouldKeepCallingListenersWhenOneThrowsAndStopAfterRemoval() {
        final List<String> second = new ArrayList<>();
        final MapListener<String, Integer> throwing = new MapListener<>() {
            @Override
            public void onInserted(String key, Integer value) {
                throw new IllegalStateException("listener bug");
            }
        };
        final MapListener<String, Integer> recorder = recorder(second);
        map.addListener(throwing);
        map.addListener(recorder);

        done(map.set("k", 1));
        assertTrue(map.removeListener(recorder));
        assertFalse(map.removeListener(recorder));
        done(map.set("k", 2));

        assertEquals(List.of("inserted k=1"), second);
        assertEquals(List.of("inserted k=1", "updated k 1->2"), events);
    }

    @Test
    void shouldDeliverEventsOfOtherPeersWrites() {
        final HamokMap<String, Integer> other = map(log.peer("b"), "m", Codecs.string(), Codecs.integer());
        final List<String> otherEvents = new ArrayList<>();
        other.addListener(recorder(otherEvents));

        done(other.set("k", 1));
        done(map.delete("k"));

        assertEquals(List.of("inserted k=1", "removed k=1"), events);
        assertEquals(events, otherEvents);
    }
}
