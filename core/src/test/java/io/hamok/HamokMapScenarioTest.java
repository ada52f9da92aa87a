// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.hamok.DirectBackend.done;
import static io.hamok.HamokMapTest.map;
import static io.hamok.HamokMapTest.recorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios 12, 13 and 14 of the reference (§10.3), with two peers sharing one log. "Concurrent"
 * requests are submitted while the log holds them, so both are computed before either is applied.
 */
@Timeout(30)
class HamokMapScenarioTest {
    private DirectBackend.Log log;
    private HamokMap<String, Integer> server1;
    private HamokMap<String, Integer> server2;

    @BeforeEach
    void setUp() {
        log = new DirectBackend.Log();
        server1 = map(log.peer("server-1"), "map", Codecs.string(), JsonCodec.of(Integer.class));
        server2 = map(log.peer("server-2"), "map", Codecs.string(), JsonCodec.of(Integer.class));
    }

    /** Scenario 12 (map-events-example). */
    @Test
    void shouldReportEveryChangeMadeByAnotherPeerInLogOrder() {
        final List<String> events = new ArrayList<>();
        server1.addListener(recorder(events));

        done(server2.set("key", 0));
        done(server2.set("key", 1));
        done(server2.remove("key"));
        done(server2.insert("key", 1));
        done(server2.set("key", 2));
        done(server2.clear());
        server1.close();

        assertEquals(List.of("inserted key=0", "updated key 0->1", "removed key=1", "inserted key=1",
                "updated key 1->2", "cleared", "closed"), events);
    }

    /** Scenario 12 with the value the original lost to its truthiness quirk: a removed 0 is reported. */
    @Test
    void shouldReportTheRemovalOfAZeroValue() {
        final List<String> events = new ArrayList<>();
        server1.addListener(recorder(events));

        done(server2.set("key", 0));
        assertTrue(done(server2.remove("key")));

        assertEquals(List.of("inserted key=0", "removed key=0"), events);
    }

    /** Scenario 13 (map-insert-get-example), sequential form: the second insert sees the first's value. */
    @Test
    void shouldLetTheSecondInsertSeeTheFirstInsertsValue() {
        assertNull(done(server1.insert("key", 1)));
        assertEquals(1, done(server2.insert("key", 2)));
        assertEquals(1, server1.get("key"));
        assertEquals(1, server2.get("key"));
    }

    /** Scenario 13, concurrent form: of two racing inserts exactly one wins, the other sees the winner. */
    @Test
    void shouldLetExactlyOneOfTwoConcurrentInsertsWin() {
        log.hold();
        final CompletableFuture<Integer> first = server1.insert("key", 1);
        final CompletableFuture<Integer> second = server2.insert("key", 2);
        log.release();

        final Integer a = done(first);
        final Integer b = done(second);
        assertTrue(a == null ^ b == null, "exactly one insert wins: " + a + ", " + b);
        final int winner = a == null ? 1 : 2;
        assertEquals(winner, a == null ? b : a);
        assertEquals(winner, server1.get("key"));
        assertEquals(winner, server2.get("key"));
    }

    /** Scenario 13: of two racing insertAll with a common key exactly one sees it as existing. */
    @Test
    void shouldLetExactlyOneOfTwoConcurrentInsertAllsSeeTheCommonKey() {
        log.hold();
        final CompletableFuture<Map<String, Integer>> first = server1.insertAll(Map.of("key-1", 1, "key-2", 1));
        final CompletableFuture<Map<String, Integer>> second = server2.insertAll(Map.of("key-2", 2, "key-3", 2));
        log.release();

        final Map<String, Integer> a = done(first);
        final Map<String, Integer> b = done(second);
        assertNotEquals(a.isEmpty(), b.isEmpty());
        assertEquals(Map.of("key-2", 1), a.isEmpty() ? b : a);
        assertEquals(Map.of("key-1", 1, "key-2", 1, "key-3", 2), server2.export());
    }

    /** Scenario 13, the rest: writes through either peer converge, deletes read back as absent. */
    @Test
    void shouldConvergeOnWritesAndDeletesThroughEitherPeer() {
        done(server1.set("key-4", 3));
        assertEquals(3, done(server2.getLinearizable("key-4")));

        done(server2.set("random", 42));
        assertEquals(42, server1.get("random"));

        assertTrue(done(server1.delete("random")));
        assertNull(server1.get("random"));
        assertNull(server2.get("random"));
    }

    /** Scenario 14 (map-update-if-example): exactly one of two competing updateIf wins. */
    @Test
    void shouldLetExactlyOneOfTwoCompetingUpdateIfsWin() {
        final HamokMap<String, String> jobs1 = map(log.peer("job-1"), "jobs", Codecs.string(), Codecs.string());
        final HamokMap<String, String> jobs2 = map(log.peer("job-2"), "jobs", Codecs.string(), Codecs.string());
        done(jobs1.set("job", "pending"));

        log.hold();
        final CompletableFuture<Boolean> first = jobs1.updateIf("job", "running-by-1", "pending");
        final CompletableFuture<Boolean> second = jobs2.updateIf("job", "running-by-2", "pending");
        log.release();

        final boolean won1 = done(first);
        final boolean won2 = done(second);
        assertTrue(won1 ^ won2, "exactly one wins: " + won1 + ", " + won2);
        done(jobs2.set("other", "catch-up"));
        assertEquals(won1 ? "running-by-1" : "running-by-2", jobs2.get("job"));
        assertEquals(jobs1.get("job"), jobs2.get("job"));
        assertFalse(done(jobs1.updateIf("job", "again", "pending")));
    }
}
