// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.record.HamokRecord;
import io.hamok.record.HamokRecordConfig;
import io.hamok.record.JsonRecordCodec;
import io.hamok.record.RecordListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.hamok.HamokScenarioCluster.WAIT;
import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record scenarios of the original (reference §10.3: 18, 19, 20, 21) on real {@link Hamok}
 * instances over a {@code LocalNetwork}. The original's {@code initialObject} is an
 * {@link HamokRecord#insertInstance} right after creating the record (existing properties win).
 */
@Timeout(60)
class HamokScenarioRecordTest {
    /** The scenarios' record: both properties boxed so that a partial object leaves them out. */
    record Room(String foo, Integer bar) {
    }

    private HamokScenarioCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static HamokRecordConfig<Room> roomRecord(String recordId) {
        return HamokRecordConfig.<Room>builder().recordId(recordId).codec(JsonRecordCodec.of(Room.class)).build();
    }

    /**
     * Scenario 18 (record-dynamic-creating-example): a record created on server 2 after server 1
     * wrote to it reads the current state; its own initial object does not overwrite it.
     */
    @Test
    void shouldShowALateRecordTheCurrentStateAndKeepItOverItsInitialObject() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokRecord<Room> record1 = cluster.get("server-1").createRecord(roomRecord("room"));
        assertEquals(Map.of(), await(record1.insertInstance(new Room("initial", 0))));
        assertEquals(0, await(record1.set("bar", 1)));

        final HamokRecord<Room> record2 = cluster.get("server-2").createRecord(roomRecord("room"));
        assertEquals(new Room("initial", 1), await(record2.instanceLinearizable()));
        assertEquals(Map.of("foo", "initial", "bar", 1), await(record2.insertInstance(new Room("initial-2", 0))),
                "every property existed, so nothing of the late initial object is inserted");
        assertEquals(new Room("initial", 1), record2.instance());
        await(cluster.get("server-1").waitUntilCommitHead(WAIT));
        assertEquals(new Room("initial", 1), record1.instance());
    }

    /**
     * Scenario 19 (record-events-example): both peers report the same events: insert foo, update
     * foo, remove foo, insert bar, update bar 1 to 2 (the updateIf with the wrong old value makes
     * no event).
     */
    @Test
    void shouldReportIdenticalEventStreamsOnBothPeers() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2");
        final HamokRecord<Room> record1 = cluster.get("server-1").createRecord(roomRecord("room"));
        final HamokRecord<Room> record2 = cluster.get("server-2").createRecord(roomRecord("room"));
        final RecordEvents events1 = new RecordEvents(5);
        final RecordEvents events2 = new RecordEvents(5);
        record1.addListener(events1);
        record2.addListener(events2);
        cluster.joinAll();

        assertNull(await(record1.set("foo", "hello")));
        assertEquals("hello", await(record1.set("foo", "world")));
        assertTrue(await(record1.delete("foo")));
        assertNull(await(record2.set("bar", 1)));
        assertFalse(await(record2.updateIf("bar", 1, 2)), "bar is 1, not 2");
        assertTrue(await(record2.updateIf("bar", 2, 1)));
        await(events1.complete);
        await(events2.complete);
        cluster.syncAll();

        final List<String> expected = List.of("insert foo=hello", "update foo hello->world", "remove foo=world",
                "insert bar=1", "update bar 1->2");
        assertEquals(expected, events1.snapshot());
        assertEquals(expected, events2.snapshot());
    }

    /**
     * Scenario 20 (record-insert-get-example): of two concurrent inserts exactly one wins; a set
     * through the follower and a delete reach both peers.
     */
    @Test
    void shouldLetExactlyOneConcurrentRecordInsertWinAndConverge() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokRecord<Room> record1 = cluster.get("server-1").createRecord(roomRecord("room"));
        final HamokRecord<Room> record2 = cluster.get("server-2").createRecord(roomRecord("room"));

        final CompletableFuture<Object> insert1 = record1.insert("bar", 1);
        final CompletableFuture<Object> insert2 = record2.insert("bar", 2);
        final Object existing1 = await(insert1);
        final Object existing2 = await(insert2);
        assertTrue(existing1 == null ^ existing2 == null, "exactly one insert wins: " + existing1 + ", " + existing2);
        final int winner = existing1 == null ? 1 : 2;
        assertEquals(winner, existing1 == null ? existing2 : existing1, "the loser learns the winner's value");
        cluster.syncAll();
        assertEquals(winner, record1.get("bar"));
        assertEquals(winner, record2.get("bar"));

        final Hamok follower = cluster.follower();
        final HamokRecord<Room> followerRecord = follower == cluster.get("server-1") ? record1 : record2;
        assertEquals(winner, await(followerRecord.set("bar", 3)));
        cluster.syncAll();
        assertEquals(3, record1.get("bar"));
        assertEquals(3, record2.get("bar"));

        assertTrue(await(followerRecord.delete("bar")));
        cluster.syncAll();
        assertNull(record1.get("bar"));
        assertNull(record2.get("bar"));
        assertEquals(new Room(null, null), record1.instance());
        assertEquals(record1.instance(), record2.instance());
    }

    /**
     * Scenario 21 (record-update-if): of two concurrent insertInstance calls exactly one inserts
     * (the original's return value could not tell); of two concurrent updateInstanceIf calls
     * expecting the winner's object exactly one applies; both peers end with the same instance.
     */
    @Test
    void shouldLetExactlyOneConcurrentInsertInstanceAndUpdateInstanceIfWin() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokRecord<Room> record1 = cluster.get("server-1").createRecord(roomRecord("room"));
        final HamokRecord<Room> record2 = cluster.get("server-2").createRecord(roomRecord("room"));
        final Room room1 = new Room("server-1", 1);
        final Room room2 = new Room("server-2", 2);

        final CompletableFuture<Map<String, Object>> insert1 = record1.insertInstance(room1);
        final CompletableFuture<Map<String, Object>> insert2 = record2.insertInstance(room2);
        final Map<String, Object> existing1 = await(insert1);
        final Map<String, Object> existing2 = await(insert2);
        assertTrue(existing1.isEmpty() ^ existing2.isEmpty(), "exactly one inserts: " + existing1 + ", " + existing2);
        final Room inserted = existing1.isEmpty() ? room1 : room2;
        assertEquals(Map.of("foo", inserted.foo(), "bar", inserted.bar()), existing1.isEmpty() ? existing2 : existing1,
                "the loser learns the winner's whole object");
        cluster.syncAll();
        assertEquals(inserted, record1.instance());
        assertEquals(inserted, record2.instance());

        final CompletableFuture<Boolean> update1 = record1.updateInstanceIf(new Room(null, 5), inserted);
        final CompletableFuture<Boolean> update2 = record2.updateInstanceIf(new Room(null, 6), inserted);
        final boolean won1 = await(update1);
        final boolean won2 = await(update2);
        assertTrue(won1 ^ won2, "exactly one update applies: " + won1 + ", " + won2);
        cluster.syncAll();
        final Room expected = new Room(inserted.foo(), won1 ? 5 : 6);
        assertEquals(expected, record1.instance());
        assertEquals(expected, record2.instance());
    }

    /** Records record events as text and completes once {@code expected} events arrived. */
    static final class RecordEvents implements RecordListener {
        final CompletableFuture<Void> complete = new CompletableFuture<>();
        private final List<String> events = new ArrayList<>();
        private final int expected;

        RecordEvents(int expected) {
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
        public void onInserted(String property, Object value) {
            add("insert " + property + "=" + value);
        }

        @Override
        public void onUpdated(String property, Object oldValue, Object newValue) {
            add("update " + property + " " + oldValue + "->" + newValue);
        }

        @Override
        public void onRemoved(String property, Object oldValue) {
            add("remove " + property + "=" + oldValue);
        }

        @Override
        public void onCleared() {
            add("clear");
        }
    }
}
