// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.internal.StorageBackend;
import io.hamok.map.HamokMap;
import io.hamok.record.HamokRecord;
import io.hamok.record.HamokRecordConfig;
import io.hamok.record.JsonRecordCodec;
import io.hamok.record.RecordCodec;
import io.hamok.record.RecordListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hamok.DirectBackend.done;
import static io.hamok.DirectBackend.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HamokRecordTest {
    /** The record type of these tests; boxed components so that a partial object can leave them out. */
    record Doc(String foo, Integer bar, Boolean flag) {
    }

    private DirectBackend.Log log;
    private DirectBackend backend;
    private HamokRecord<Doc> record;
    private final List<String> events = new ArrayList<>();

    static HamokRecord<Doc> record(StorageBackend backend, String id) {
        return new HamokRecord<>(backend, HamokRecordConfig.<Doc>builder().recordId(id)
                .codec(JsonRecordCodec.of(Doc.class)).build());
    }

    static RecordListener recorder(List<String> events) {
        return new RecordListener() {
            @Override
            public void onInserted(String property, Object value) {
                events.add("inserted " + property + "=" + value);
            }

            @Override
            public void onUpdated(String property, Object oldValue, Object newValue) {
                events.add("updated " + property + " " + oldValue + "->" + newValue);
            }

            @Override
            public void onRemoved(String property, Object oldValue) {
                events.add("removed " + property + "=" + oldValue);
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
        record = record(backend, "r");
        record.addListener(recorder(events));
    }

    @Test
    void shouldReturnNullFromSetOfAnAbsentPropertyAndTheOldValueOtherwise() {
        assertNull(done(record.set("bar", 1)));
        assertEquals(1, done(record.set("bar", 2)));
        assertEquals(2, record.get("bar"));
        assertEquals(List.of("inserted bar=1", "updated bar 1->2"), events);
    }

    /** Another peer's type declares {@code bar} as a Long; this one reads its declared Integer. */
    @Test
    void shouldDecodeEachPropertyAsItsDeclaredType() {
        final HamokRecord<WideDoc> wide = new HamokRecord<>(backend, HamokRecordConfig.<WideDoc>builder()
                .recordId("r").codec(JsonRecordCodec.of(WideDoc.class)).build());
        done(wide.set("bar", 7L));
        done(record.set("foo", "text"));

        assertInstanceOf(Integer.class, record.get("bar"));
        assertEquals("text", record.get("foo"));
        assertNull(record.get("flag"));
    }

    @Test
    void shouldReturnTheExistingValueFromInsertAndKeepIt() {
        assertNull(done(record.insert("foo", "first")));
        assertEquals("first", done(record.insert("foo", "second")));
        assertEquals("first", record.get("foo"));
        assertEquals(List.of("inserted foo=first"), events);
    }

    @Test
    void shouldReturnTheOldValuesOfPropertiesThatExistedFromSetInstance() {
        done(record.set("bar", 1));

        assertEquals(Map.of("bar", 1), done(record.setInstance(new Doc("x", 2, null))));
        assertEquals(new Doc("x", 2, null), record.instance());
    }

    @Test
    void shouldReturnTheExistingPropertiesWithTheirValuesFromInsertInstance() {
        done(record.set("bar", 1));

        assertEquals(Map.of("bar", 1), done(record.insertInstance(new Doc("x", 2, false))));
        assertEquals(new Doc("x", 1, false), record.instance());
        assertEquals(Map.of("foo", "x", "bar", 1, "flag", false), done(record.insertInstance(new Doc("y", 3, true))));
        assertEquals(Map.of(), done(record(backend, "fresh").insertInstance(new Doc("z", null, null))));
    }

    @Test
    void shouldCompleteAtOnceWithoutARequestWhenAnInstanceHasNoProperty() {
        final long applied = log.storages().appliedIndex();

        assertEquals(Map.of(), done(record.insertInstance(new Doc(null, null, null))));
        assertEquals(Map.of(), done(record.setInstance(new Doc(null, null, null))));

        assertEquals(applied, log.storages().appliedIndex());
    }

    @Test
    void shouldUpdateIfTheCurrentValueIsTheExpectedOneAndAnswerFalseOtherwise() {
        done(record.set("bar", 1));

        assertFalse(done(record.updateIf("bar", 3, 2)));
        assertFalse(done(record.updateIf("foo", "x", "y")));
        assertTrue(done(record.updateIf("bar", 2, 1)));
        assertEquals(2, record.get("bar"));
        assertEquals("oldValue", assertThrows(NullPointerException.class, () -> record.updateIf("bar", 3, null))
                .getMessage());
    }

    @Test
    void shouldUpdateAnInstanceOnlyWhenEveryNonNullExpectedPropertyMatches() {
        done(record.setInstance(new Doc("x", 1, true)));
        events.clear();

        assertFalse(done(record.updateInstanceIf(new Doc("y", 2, null), new Doc("x", 9, null))));
        assertEquals(new Doc("x", 1, true), record.instance());
        assertEquals(List.of(), events);

        assertTrue(done(record.updateInstanceIf(new Doc("y", 2, null), new Doc("x", 1, null))));
        assertEquals(new Doc("y", 2, true), record.instance());
        assertEquals(Set.of("updated foo x->y", "updated bar 1->2"), Set.copyOf(events));
    }

    @Test
    void shouldExpressAnExpectedAbsenceWithANullInTheMapForm() {
        done(record.set("foo", "x"));
        final Map<String, Object> barAbsent = new HashMap<>();
        barAbsent.put("foo", "x");
        barAbsent.put("bar", null);

        assertTrue(done(record.updateInstanceIf(new Doc(null, 1, null), barAbsent)));
        assertEquals(1, record.get("bar"));
        assertFalse(done(record.updateInstanceIf(new Doc(null, 2, null), barAbsent)));
        assertEquals(1, record.get("bar"));
        assertTrue(done(record.updateInstanceIf(new Doc(null, 3, null), Map.of())));
        assertEquals(3, record.get("bar"));
    }

    @Test
    void shouldRejectAConditionalUpdateThatSetsNothing() {
        assertThrows(IllegalArgumentException.class,
                () -> record.updateInstanceIf(new Doc(null, null, null), new Doc("x", null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> record.updateInstanceIf(new Doc(null, null, null), Map.of()));
    }

    @Test
    void shouldReturnWhetherThePropertyExistedFromDelete() {
        done(record.set("foo", "x"));
        events.clear();

        assertTrue(done(record.delete("foo")));
        assertFalse(done(record.delete("foo")));
        assertNull(record.get("foo"));
        assertEquals(List.of("removed foo=x"), events);
    }

    @Test
    void shouldRemoveEveryPropertyOnClear() {
        done(record.setInstance(new Doc("x", 1, true)));
        events.clear();

        assertNull(done(record.clear()));
        assertEquals(new Doc(null, null, null), record.instance());
        assertEquals(Map.of(), record.export());
        assertEquals(List.of("cleared"), events);
    }

    @Test
    void shouldTreatZeroEmptyStringAndFalseAsValues() {
        done(record.setInstance(new Doc("", 0, false)));

        assertEquals(Map.of("foo", "", "bar", 0, "flag", false), record.export());
        assertEquals("", done(record.insert("foo", "x")));
        assertEquals(0, done(record.insert("bar", 5)));
        assertEquals(false, done(record.insert("flag", true)));
        assertTrue(done(record.updateIf("bar", 1, 0)));
        assertTrue(done(record.updateInstanceIf(new Doc("y", null, null), new Doc("", null, false))));
        assertTrue(done(record.delete("flag")));
        assertEquals(new Doc("y", 1, null), record.instance());
    }

    @Test
    void shouldExportAnImmutablePointInTimeCopy() {
        done(record.set("foo", "x"));
        final Map<String, Object> export = record.export();

        done(record.set("bar", 1));

        assertEquals(Map.of("foo", "x"), export);
        assertThrows(UnsupportedOperationException.class, () -> export.put("bar", 2));
    }

    @Test
    void shouldReplaceThePropertiesOnImport() {
        done(record.setInstance(new Doc("x", 1, null)));
        events.clear();

        assertNull(done(record.importInstance(new Doc(null, 2, true))));

        assertEquals(new Doc(null, 2, true), record.instance());
        assertEquals("cleared", events.get(0));
        assertEquals(Set.of("inserted bar=2", "inserted flag=true"), Set.copyOf(events.subList(1, events.size())));
    }

    @Test
    void shouldReadAfterTheReadBarrierForLinearizableReads() {
        done(record.set("foo", "x"));

        assertEquals("x", done(record.getLinearizable("foo")));
        assertNull(done(record.getLinearizable("bar")));
        assertEquals(new Doc("x", null, null), done(record.instanceLinearizable()));
    }

    @Test
    void shouldThrowStorageClosedExceptionFromEveryMethodAfterClose() {
        record.close();

        final Doc doc = new Doc("x", 1, null);
        final List<Runnable> calls = List.of(
                () -> record.get("foo"), record::instance, record::export, () -> record.getLinearizable("foo"),
                record::instanceLinearizable, () -> record.set("foo", "x"), () -> record.setInstance(doc),
                () -> record.insert("foo", "x"), () -> record.insertInstance(doc),
                () -> record.updateIf("foo", "x", "y"), () -> record.replace("foo", "x", "y"),
                () -> record.updateInstanceIf(doc, doc),
                () -> record.updateInstanceIf(doc, Map.of()), () -> record.delete("foo"), record::clear,
                () -> record.importInstance(doc), () -> record.addListener(new RecordListener() { }),
                () -> record.removeListener(new RecordListener() { }));
        for (Runnable call : calls) {
            final StorageClosedException e = assertThrows(StorageClosedException.class, call::run);
            assertTrue(e.getMessage().contains("'r'"), e.getMessage());
        }
        assertTrue(record.isClosed());
        assertEquals("r", record.id());
    }

    @Test
    void shouldCallOnClosedOnceAndKeepTheReplicatedDataWhenClosed() {
        done(record.set("foo", "x"));
        events.clear();

        record.close();
        record.close();

        assertEquals(List.of("closed"), events);
        assertEquals(Set.of("r"), backend.closedIds());
        assertEquals(0, backend.subscriberCount("r"));
        final HamokRecord<Doc> reopened = record(log.peer("b"), "r");
        assertEquals("x", reopened.get("foo"));
        done(reopened.set("foo", "y"));
        assertEquals(List.of("closed"), events);
    }

    @Test
    void shouldRejectNullPropertyNamesAndValuesNamingTheArgument() {
        assertEquals("property", assertThrows(NullPointerException.class, () -> record.get(null)).getMessage());
        assertEquals("property", assertThrows(NullPointerException.class, () -> record.set(null, 1)).getMessage());
        assertEquals("value", assertThrows(NullPointerException.class, () -> record.set("foo", null)).getMessage());
        assertEquals("partial", assertThrows(NullPointerException.class, () -> record.insertInstance(null))
                .getMessage());
        assertEquals("expected", assertThrows(NullPointerException.class,
                () -> record.updateInstanceIf(new Doc("x", null, null), (Doc) null)).getMessage());
    }

    @Test
    void shouldFailWithStorageKindMismatchWhenTheIdBelongsToAMap() {
        final HamokMap<String, String> map = HamokMapTest.map(backend, "shared", Codecs.string(), Codecs.string());
        done(map.set("k", "v"));
        final HamokRecord<Doc> other = record(backend, "shared");

        assertInstanceOf(StorageKindMismatchException.class, failure(other.set("foo", "x")));
    }

    @Test
    void shouldNameThePropertyWhenAStoredValueCannotBeDecoded() {
        final HamokRecord<OtherDoc> writer = new HamokRecord<>(backend, HamokRecordConfig.<OtherDoc>builder()
                .recordId("r").codec(JsonRecordCodec.of(OtherDoc.class)).build());
        done(writer.set("bar", "not a number"));

        final HamokException read = assertThrows(HamokException.class, () -> record.get("bar"));
        assertTrue(read.getMessage().contains("'bar'"), read.getMessage());
        final HamokException instance = assertThrows(HamokException.class, record::instance);
        assertTrue(instance.getMessage().contains("bar"), instance.getMessage());
    }

    /** A type that disagrees with {@link Doc} about {@code bar}. */
    record OtherDoc(String bar) {
    }

    /** A type whose {@code bar} is wider than {@link Doc}'s. */
    record WideDoc(Long bar) {
    }

    // ---------------------------------------------------------------- names and types checked before sending

    @Test
    void shouldRefuseAValueOfTheWrongTypeOnEveryWriteBeforeSendingAnything() {
        done(record.set("bar", 1));
        final long before = log.appended();
        final Map<String, Object> expected = new HashMap<>();
        expected.put("bar", "1");

        final List<Runnable> writes = List.of(
                () -> record.set("bar", "many"), () -> record.insert("bar", "many"),
                () -> record.set("bar", 7L), () -> record.set("flag", "true"),
                () -> record.updateIf("bar", "many", 1), () -> record.updateIf("bar", 2, "1"),
                () -> record.replace("bar", "1", 2), () -> record.replace("bar", 1, 2.0),
                () -> record.updateInstanceIf(new Doc("x", null, null), expected));
        for (Runnable write : writes) {
            final InvalidPropertyException e = assertThrows(InvalidPropertyException.class, write::run);
            assertTrue(e.getMessage().contains("'r'") && e.getMessage().contains("'" + e.property() + "'"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(e.expectedType().getName()), e.getMessage());
            assertFalse(e.mayHaveBeenApplied());
        }
        final InvalidPropertyException bar = assertThrows(InvalidPropertyException.class,
                () -> record.set("bar", "many"));
        assertEquals("bar", bar.property());
        assertEquals(Integer.class, bar.expectedType());
        assertEquals("record 'r': property 'bar' takes a java.lang.Integer, not a java.lang.String (many)",
                bar.getMessage());

        assertEquals(before, log.appended(), "nothing reached the log");
        assertEquals(new Doc(null, 1, null), record.instance());
    }

    @Test
    void shouldRefuseAnUnknownPropertyOnEveryWriteBeforeSendingAnything() {
        final Map<String, Object> expectAbsent = new HashMap<>();
        expectAbsent.put("bars", null);

        final List<Runnable> writes = List.of(
                () -> record.set("bars", 1), () -> record.insert("bars", 1), () -> record.updateIf("bars", 2, 1),
                () -> record.replace("bars", 1, 2), () -> record.updateInstanceIf(new Doc("x", null, null),
                        Map.of("bars", 1)),
                () -> record.updateInstanceIf(new Doc("x", null, null), expectAbsent));
        for (Runnable write : writes) {
            final InvalidPropertyException e = assertThrows(InvalidPropertyException.class, write::run);
            assertEquals("bars", e.property());
            assertNull(e.expectedType());
            assertEquals("record 'r' has no property 'bars'; its properties are [bar, flag, foo]", e.getMessage());
        }
        assertEquals(0, log.appended(), "nothing reached the log");

        assertNull(record.get("bars"), "reads take any name");
        assertFalse(done(record.delete("bars")), "so does delete, to remove what an older type wrote");
    }

    @Test
    void shouldCheckNothingWhenTheCodecDoesNotDeclareItsProperties() {
        final RecordCodec<Doc> json = JsonRecordCodec.of(Doc.class);
        final RecordCodec<Doc> undeclared = new RecordCodec<>() {
            @Override
            public Map<String, byte[]> encodeProperties(Doc value) {
                return json.encodeProperties(value);
            }

            @Override
            public Doc decode(Map<String, byte[]> properties) {
                return json.decode(properties);
            }

            @Override
            public byte[] encodeValue(String property, Object value) {
                return json.encodeValue(property, value);
            }

            @Override
            public Object decodeValue(String property, byte[] bytes) {
                return json.decodeValue(property, bytes);
            }
        };
        final HamokRecord<Doc> unchecked = new HamokRecord<>(backend, HamokRecordConfig.<Doc>builder()
                .recordId("u").codec(undeclared).build());

        assertNull(done(unchecked.set("anything", "goes")));
        assertEquals("goes", unchecked.get("anything"));
    }

    @Test
    void shouldReplaceWithTheExpectedValueFirst() {
        done(record.set("bar", 10));

        assertFalse(done(record.replace("bar", 9, 12)));
        assertTrue(done(record.replace("bar", 10, 12)));
        assertEquals(12, record.get("bar"));
        assertEquals("expectedValue", assertThrows(NullPointerException.class, () -> record.replace("bar", null, 1))
                .getMessage());
        assertEquals("newValue", assertThrows(NullPointerException.class, () -> record.replace("bar", 1, null))
                .getMessage());
    }
}
