// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.hamok.state.StateFixtures.EMPTY;
import static io.hamok.state.StateFixtures.b;
import static io.hamok.state.StateFixtures.bs;
import static io.hamok.state.StateFixtures.request;
import static io.hamok.state.StateFixtures.s;
import static io.hamok.state.StateFixtures.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class EntriesStateTest {
    private final EntriesState map = new EntriesState("m", StorageKind.MAP);
    private final EntriesState record = new EntriesState("r", StorageKind.RECORD);
    private final List<StorageEvent> events = new ArrayList<>();

    private StorageResult apply(EntriesState state, RequestType type, List<byte[]> keys, List<byte[]> values,
                                byte[] prev) {
        return state.apply(request("p", 1, state.kind(), state.storageId(), type, keys, values, prev), events::add);
    }

    private List<String> eventLines() {
        return events.stream().map(RecordingObserver::describe).toList();
    }

    @Test
    void shouldInsertAndUpdateOnSetAndReturnOldValuesOfUpdatedKeysOnly() {
        apply(map, RequestType.SET, bs("a"), bs("1"), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.SET, bs("a", "b"), bs("2", "3"), null);

        assertTrue(r.applied());
        assertEquals(List.of("a"), strings(r.keys()));
        assertEquals(List.of("1"), strings(r.values()));
        assertEquals(List.of("UPDATED m a 1->2", "INSERTED m b null->3"), eventLines());
        assertEquals("2", s(map.get(b("a"))));
        assertEquals("3", s(map.get(b("b"))));
    }

    @Test
    void shouldTreatAStoredEmptyValueAsPresentOnSet() {
        apply(map, RequestType.SET, bs("a"), List.of(EMPTY), null);
        assertTrue(map.containsKey(b("a")));
        assertArrayEquals(EMPTY, map.get(b("a")));
        events.clear();

        final StorageResult r = apply(map, RequestType.SET, bs("a"), bs("x"), null);

        assertEquals(List.of("a"), strings(r.keys()));
        assertArrayEquals(EMPTY, r.values().get(0));
        assertEquals(StorageEvent.Type.UPDATED, events.get(0).type());
    }

    @Test
    void shouldKeepExistingValuesOnInsertIncludingEmptyOnes() {
        apply(map, RequestType.SET, bs("a"), List.of(EMPTY), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.INSERT, bs("a", "b"), bs("1", "2"), null);

        assertEquals(List.of("a"), strings(r.keys()));
        assertArrayEquals(EMPTY, r.values().get(0));
        assertArrayEquals(EMPTY, map.get(b("a")), "an empty value is a value: insert must not overwrite it");
        assertEquals("2", s(map.get(b("b"))));
        assertEquals(List.of("INSERTED m b null->2"), eventLines());
    }

    @Test
    void shouldReturnNoEntriesOnInsertOfAbsentKeys() {
        final StorageResult r = apply(map, RequestType.INSERT, bs("a"), List.of(EMPTY), null);

        assertTrue(r.applied());
        assertTrue(r.keys().isEmpty());
        assertTrue(map.containsKey(b("a")));
    }

    @Test
    void shouldDeleteExistingKeysIncludingEmptyValuesAndReturnOnlyKeysThatExisted() {
        apply(map, RequestType.SET, bs("a", "b"), List.of(EMPTY, b("2")), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.DELETE, bs("a", "zz"), List.of(), null);

        assertEquals(List.of("a"), strings(r.keys()));
        assertTrue(r.values().isEmpty());
        assertFalse(map.containsKey(b("a")));
        assertEquals(1, map.size());
        assertEquals(List.of("REMOVED m a ->null"), eventLines());
    }

    @Test
    void shouldRemoveAndReturnRemovedEntriesWithValues() {
        apply(map, RequestType.SET, bs("a", "b"), List.of(EMPTY, b("2")), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.REMOVE, bs("a", "b", "c"), List.of(), null);

        assertEquals(List.of("a", "b"), strings(r.keys()));
        assertArrayEquals(EMPTY, r.values().get(0));
        assertEquals("2", s(r.values().get(1)));
        assertEquals(0, map.size());
        assertEquals(List.of("REMOVED m a ->null", "REMOVED m b 2->null"), eventLines());
    }

    @Test
    void shouldClearEverythingWithOneClearedEvent() {
        apply(map, RequestType.SET, bs("a", "b"), bs("1", "2"), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.CLEAR, List.of(), List.of(), null);

        assertTrue(r.applied());
        assertTrue(r.keys().isEmpty());
        assertEquals(0, map.size());
        assertEquals(List.of("CLEARED m null null->null"), eventLines());
    }

    @Test
    void shouldUpdateIfTheCurrentValueEqualsPrevValue() {
        apply(map, RequestType.SET, bs("a"), bs("1"), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.SET, bs("a"), bs("2"), b("1"));

        assertTrue(r.applied());
        assertEquals(List.of("a"), strings(r.keys()));
        assertEquals(List.of("1"), strings(r.values()));
        assertEquals("2", s(map.get(b("a"))));
        assertEquals(List.of("UPDATED m a 1->2"), eventLines());
    }

    @Test
    void shouldUpdateIfAnEmptyCurrentValueEqualsAnEmptyPrevValue() {
        apply(map, RequestType.SET, bs("a"), List.of(EMPTY), null);

        final StorageResult r = apply(map, RequestType.SET, bs("a"), bs("2"), EMPTY);

        assertTrue(r.applied());
        assertEquals("2", s(map.get(b("a"))));
    }

    @Test
    void shouldNotUpdateIfAbsentEvenWhenPrevValueIsEmpty() {
        final StorageResult r = apply(map, RequestType.SET, bs("a"), bs("2"), EMPTY);

        assertFalse(r.applied());
        assertNull(r.error());
        assertFalse(map.containsKey(b("a")), "absent is not the empty value");
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldAnswerNotAppliedWhenUpdateIfValueDiffers() {
        apply(map, RequestType.SET, bs("a"), bs("1"), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.SET, bs("a"), bs("2"), b("9"));

        assertFalse(r.applied());
        assertFalse(r.isRefused());
        assertEquals("1", s(map.get(b("a"))));
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldRemoveIfTheCurrentValueEqualsPrevValue() {
        apply(map, RequestType.SET, bs("a"), List.of(EMPTY), null);
        events.clear();

        final StorageResult r = apply(map, RequestType.REMOVE, bs("a"), List.of(), EMPTY);

        assertTrue(r.applied());
        assertEquals(List.of("a"), strings(r.keys()));
        assertFalse(map.containsKey(b("a")));
        assertEquals(List.of("REMOVED m a ->null"), eventLines());
    }

    @Test
    void shouldAlwaysAnswerRemoveIfWithFalseWhenTheConditionFails() {
        apply(map, RequestType.SET, bs("a"), bs("1"), null);
        events.clear();

        final StorageResult differs = apply(map, RequestType.REMOVE, bs("a"), List.of(), b("2"));
        final StorageResult absent = apply(map, RequestType.REMOVE, bs("b"), List.of(), b("1"));

        assertNotNull(differs);
        assertFalse(differs.applied());
        assertNull(differs.error());
        assertFalse(absent.applied());
        assertNull(absent.error());
        assertEquals("1", s(map.get(b("a"))));
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldRefuseAConditionalMapRequestWithMoreOrLessThanOneKey() {
        apply(map, RequestType.SET, bs("a", "b"), bs("1", "2"), null);
        events.clear();

        final StorageResult two = apply(map, RequestType.SET, bs("a", "b"), bs("3", "4"), b("1"));
        final StorageResult none = apply(map, RequestType.REMOVE, List.of(), List.of(), b("1"));

        assertTrue(two.isRefused());
        assertTrue(two.error().contains("exactly one key"), two.error());
        assertTrue(none.isRefused());
        assertEquals("1", s(map.get(b("a"))));
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldRefuseAConditionOnInsertDeleteAndClear() {
        apply(map, RequestType.SET, bs("a"), bs("1"), null);

        for (RequestType type : List.of(RequestType.INSERT, RequestType.DELETE, RequestType.CLEAR)) {
            final StorageResult r = apply(map, type, bs("a"), type == RequestType.INSERT ? bs("2") : List.of(), b("1"));
            assertTrue(r.isRefused(), type.toString());
        }
        assertEquals("1", s(map.get(b("a"))));
    }

    @Test
    void shouldRefuseSetWhoseValuesAreNotAlignedWithKeys() {
        final StorageResult r = apply(map, RequestType.SET, bs("a", "b"), bs("1"), null);

        assertTrue(r.isRefused());
        assertEquals(0, map.size());
    }

    @Test
    void shouldRefuseARequestOfAnotherKind() {
        final StorageResult r = map.apply(request("p", 1, StorageKind.RECORD, "m", RequestType.SET, bs("a"), bs("1"),
                null), events::add);

        assertEquals("storage 'm' is a MAP, not a RECORD", r.error());
        assertEquals(0, map.size());
    }

    @Test
    void shouldApplyUnconditionalRequestsToARecordLikeAMap() {
        apply(record, RequestType.INSERT, bs("name", "age"), List.of(b("x"), EMPTY), null);
        final StorageResult set = apply(record, RequestType.SET, bs("age"), bs("3"), null);
        final StorageResult delete = apply(record, RequestType.DELETE, bs("name"), List.of(), null);

        assertEquals(List.of("age"), strings(set.keys()));
        assertArrayEquals(EMPTY, set.values().get(0));
        assertEquals(List.of("name"), strings(delete.keys()));
        assertEquals("3", s(record.get(b("age"))));
        assertEquals(1, record.size());
    }

    @Test
    void shouldUpdateSeveralRecordPropertiesWhenEveryExpectationHolds() {
        apply(record, RequestType.SET, bs("foo", "bar"), bs("1", "5"), null);
        events.clear();
        final byte[] condition = new RecordCondition().expect(b("foo"), b("1")).expect(b("bar"), b("5"))
                .expectAbsent(b("baz")).toBytes();

        final StorageResult r = apply(record, RequestType.SET, bs("bar", "baz"), bs("6", "7"), condition);

        assertTrue(r.applied());
        assertEquals(List.of("bar"), strings(r.keys()));
        assertEquals(List.of("5"), strings(r.values()));
        assertEquals(List.of("UPDATED r bar 5->6", "INSERTED r baz null->7"), eventLines());
    }

    @Test
    void shouldChangeNoRecordPropertyWhenOneExpectationFails() {
        apply(record, RequestType.SET, bs("foo", "bar"), bs("1", "5"), null);
        events.clear();
        final byte[] wrongValue = new RecordCondition().expect(b("foo"), b("1")).expect(b("bar"), b("4")).toBytes();
        final byte[] notAbsent = new RecordCondition().expect(b("foo"), b("1")).expectAbsent(b("bar")).toBytes();
        final byte[] notPresent = new RecordCondition().expect(b("baz"), EMPTY).toBytes();

        for (byte[] condition : List.of(wrongValue, notAbsent, notPresent)) {
            final StorageResult r = apply(record, RequestType.SET, bs("foo", "bar"), bs("8", "9"), condition);
            assertFalse(r.applied());
            assertNull(r.error());
        }

        assertEquals("1", s(record.get(b("foo"))));
        assertEquals("5", s(record.get(b("bar"))));
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldApplyARecordUpdateIfWithAnEmptyConditionUnconditionally() {
        final StorageResult r = apply(record, RequestType.SET, bs("a"), bs("1"), new RecordCondition().toBytes());

        assertTrue(r.applied());
        assertEquals("1", s(record.get(b("a"))));
    }

    @Test
    void shouldRemoveRecordPropertiesOnlyWhenTheConditionHolds() {
        apply(record, RequestType.SET, bs("a", "b"), bs("1", "2"), null);

        final StorageResult fails = apply(record, RequestType.REMOVE, bs("a", "b"), List.of(),
                new RecordCondition().expect(b("a"), b("0")).toBytes());
        final StorageResult holds = apply(record, RequestType.REMOVE, bs("a", "b"), List.of(),
                new RecordCondition().expect(b("a"), b("1")).toBytes());

        assertFalse(fails.applied());
        assertTrue(holds.applied());
        assertEquals(List.of("a", "b"), strings(holds.keys()));
        assertEquals(0, record.size());
    }

    @Test
    void shouldRefuseARecordConditionThatIsNotARecordExpectationsMessage() {
        final StorageResult r = apply(record, RequestType.SET, bs("a"), bs("1"), new byte[]{(byte) 0xff, 0x01});

        assertTrue(r.isRefused());
        assertTrue(r.error().contains("RecordExpectations"), r.error());
        assertEquals(0, record.size());
    }

    @Test
    void shouldRefuseAConditionalRecordRequestWithoutKeys() {
        final StorageResult r = apply(record, RequestType.SET, List.of(), List.of(), new RecordCondition().toBytes());

        assertTrue(r.isRefused());
    }

    @Test
    void shouldRoundTripARecordConditionThroughBytes() {
        final RecordCondition c = RecordCondition.fromBytes(
                new RecordCondition().expect(b("a"), EMPTY).expectAbsent(b("b")).toBytes());
        final EntriesState onlyA = new EntriesState("x", StorageKind.RECORD);
        apply(onlyA, RequestType.SET, bs("a"), List.of(EMPTY), null);

        assertEquals(2, c.size());
        assertTrue(c.holds(onlyA.copy()));
        apply(onlyA, RequestType.SET, bs("b"), List.of(EMPTY), null);
        assertFalse(c.holds(onlyA.copy()));
    }
}
