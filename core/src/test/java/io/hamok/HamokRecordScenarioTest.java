// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.record.HamokRecord;
import io.hamok.HamokRecordTest.Doc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.hamok.DirectBackend.done;
import static io.hamok.HamokRecordTest.record;
import static io.hamok.HamokRecordTest.recorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios 19, 20 and 21 of the reference (§10.3), with two peers sharing one log. "Concurrent"
 * requests are submitted while the log holds them, so both are computed before either is applied.
 */
@Timeout(30)
class HamokRecordScenarioTest {
    private DirectBackend.Log log;
    private HamokRecord<Doc> server1;
    private HamokRecord<Doc> server2;

    @BeforeEach
    void setUp() {
        log = new DirectBackend.Log();
        server1 = record(log.peer("server-1"), "record");
        server2 = record(log.peer("server-2"), "record");
    }

    /** Scenario 19 (record-events-example): both peers see the same event stream. */
    @Test
    void shouldReportTheSameEventsOnBothPeers() {
        final List<String> events1 = new ArrayList<>();
        final List<String> events2 = new ArrayList<>();
        server1.addListener(recorder(events1));
        server2.addListener(recorder(events2));

        done(server1.set("foo", "hello"));
        done(server1.set("foo", "world"));
        assertTrue(done(server1.delete("foo")));
        done(server2.set("bar", 1));
        assertFalse(done(server2.updateIf("bar", 1, 2)));
        assertTrue(done(server2.updateIf("bar", 2, 1)));

        assertEquals(List.of("inserted foo=hello", "updated foo hello->world", "removed foo=world",
                "inserted bar=1", "updated bar 1->2"), events1);
        assertEquals(events1, events2);
    }

    /** Scenario 20 (record-insert-get-example): one insert wins; later writes converge on both peers. */
    @Test
    void shouldLetExactlyOneOfTwoConcurrentInsertsWinAndConverge() {
        log.hold();
        final CompletableFuture<Object> first = server1.insert("bar", 1);
        final CompletableFuture<Object> second = server2.insert("bar", 2);
        log.release();

        final Object a = done(first);
        final Object b = done(second);
        assertTrue(a == null ^ b == null, "exactly one insert wins: " + a + ", " + b);
        assertEquals(a == null ? 1 : 2, a == null ? b : a);
        assertEquals(server1.get("bar"), server2.get("bar"));

        done(server2.set("bar", 3));
        assertEquals(3, server1.get("bar"));
        assertEquals(3, server2.get("bar"));
        assertTrue(done(server2.delete("bar")));
        assertNull(server1.get("bar"));
        assertNull(server2.get("bar"));
    }

    /** Scenario 21 (record-update-if): one insertInstance wins, then one updateInstanceIf wins. */
    @Test
    void shouldHaveOneWinnerPerPhaseAndTheSameInstanceOnBothPeers() {
        final Doc doc1 = new Doc("from-1", 1, true);
        final Doc doc2 = new Doc("from-2", 2, false);
        log.hold();
        final CompletableFuture<Map<String, Object>> insert1 = server1.insertInstance(doc1);
        final CompletableFuture<Map<String, Object>> insert2 = server2.insertInstance(doc2);
        log.release();

        final Map<String, Object> existing1 = done(insert1);
        final Map<String, Object> existing2 = done(insert2);
        assertTrue(existing1.isEmpty() ^ existing2.isEmpty(), existing1 + " / " + existing2);
        final Doc winner = existing1.isEmpty() ? doc1 : doc2;
        assertEquals(Map.of("foo", winner.foo(), "bar", winner.bar(), "flag", winner.flag()),
                existing1.isEmpty() ? existing2 : existing1);
        assertEquals(winner, server1.instance());

        log.hold();
        final CompletableFuture<Boolean> update1 = server1.updateInstanceIf(new Doc(null, 5, null), winner);
        final CompletableFuture<Boolean> update2 = server2.updateInstanceIf(new Doc(null, 6, null), winner);
        log.release();

        final boolean won1 = done(update1);
        final boolean won2 = done(update2);
        assertTrue(won1 ^ won2, "exactly one wins: " + won1 + ", " + won2);
        assertEquals(new Doc(winner.foo(), won1 ? 5 : 6, winner.flag()), server1.instance());
        assertEquals(server1.instance(), server2.instance());
    }
}
