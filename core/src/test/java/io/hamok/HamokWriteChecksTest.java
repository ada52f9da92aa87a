// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.record.HamokRecord;
import io.hamok.record.HamokRecordConfig;
import io.hamok.record.JsonRecordCodec;
import io.hamok.HamokSimCluster.Node;
import io.hamok.transport.LocalNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes a Java caller cannot get wrong, on whole instances: {@code ConcurrentMap}'s
 * compare-and-set from two nodes at once (in the deterministic simulation, over several seeds),
 * a record's property names and types checked before anything reaches the log, and
 * {@code getOrCreate} refusing other codecs than the open storage's.
 */
@Timeout(60)
class HamokWriteChecksTest {
    /** The record type of these tests. */
    record Room(String title, Integer maxUsers) {
    }

    private Hamok unstarted;

    @AfterEach
    void tearDown() {
        if (unstarted != null) {
            unstarted.close();
        }
    }

    private static HamokMap<String, Long> stock(Hamok h) {
        return h.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("stock").keyCodec(Codecs.string())
                .valueCodec(Codecs.longs()).requestTimeoutMs(2_000).build());
    }

    private static HamokSimCluster settled(long seed) {
        final HamokSimCluster cluster = new HamokSimCluster(seed, 3);
        cluster.start();
        assertTrue(cluster.stabilize(100, 10_000), cluster::describe);
        return cluster;
    }

    private static <T> List<T> both(HamokSimCluster cluster, CompletableFuture<T> a, CompletableFuture<T> b) {
        assertTrue(cluster.runUntil(() -> a.isDone() && b.isDone(), 3_000), cluster::describe);
        return java.util.Arrays.asList(a.join(), b.join()); // putIfAbsent answers null
    }

    /** Two followers (each through the leader) race: one wins each compare-and-set, on every replica alike. */
    @Test
    void shouldLetExactlyOneOfTwoNodesWinEachCompareAndSet() {
        for (long seed = 1; seed <= 5; seed++) {
            final HamokSimCluster cluster = settled(seed);
            final Node leader = cluster.leader();
            final List<Node> followers = cluster.liveNodes().stream().filter(n -> n != leader).toList();
            final HamokMap<String, Long> one = stock(followers.get(0).hamok());
            final HamokMap<String, Long> two = stock(followers.get(1).hamok());
            final HamokMap<String, Long> third = stock(leader.hamok());
            assertTrue(cluster.runUntil(one.set("apples", 10L)::isDone, 1_000));

            final List<Boolean> replaced = both(cluster, one.replace("apples", 10L, 9L),
                    two.replace("apples", 10L, 8L));
            assertEquals(1, replaced.stream().filter(b -> b).count(), "seed " + seed + ": " + replaced);
            final long winner = replaced.get(0) ? 9L : 8L;

            final List<Long> inserted = both(cluster, one.putIfAbsent("pears", 1L), two.putIfAbsent("pears", 2L));
            assertEquals(1, inserted.stream().filter(v -> v == null).count(), "seed " + seed + ": " + inserted);

            final List<Boolean> removed = both(cluster, one.remove("apples", winner), two.remove("apples", winner));
            assertEquals(1, removed.stream().filter(b -> b).count(), "seed " + seed + ": " + removed);

            assertTrue(cluster.stabilize(50, 2_000), cluster::describe);
            for (HamokMap<String, Long> map : List.of(one, two, third)) {
                assertFalse(map.containsKey("apples"), "seed " + seed);
                assertEquals(inserted.get(0) == null ? 1L : 2L, map.get("pears"), "seed " + seed);
            }
            assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
        }
    }

    @Test
    void shouldRefuseAWrongTypeOrAnUnknownPropertyBeforeTheLog() {
        final HamokSimCluster cluster = settled(7);
        final Node leader = cluster.leader();
        final HamokRecord<Room> room = leader.hamok().createRecord(HamokRecordConfig.<Room>builder()
                .recordId("room").codec(JsonRecordCodec.of(Room.class)).build());
        assertTrue(cluster.runUntil(room.set("maxUsers", 10)::isDone, 1_000));
        assertTrue(cluster.stabilize(50, 2_000));
        final long lastIndex = leader.logs.lastIndex();

        final InvalidPropertyException wrongType = assertThrows(InvalidPropertyException.class,
                () -> room.set("maxUsers", "many"));
        final InvalidPropertyException unknown = assertThrows(InvalidPropertyException.class,
                () -> room.set("maxUser", 12));
        assertThrows(InvalidPropertyException.class, () -> room.replace("maxUsers", 10, "many"));
        cluster.runFor(200);

        assertEquals(Integer.class, wrongType.expectedType());
        assertEquals("maxUser", unknown.property());
        assertEquals(lastIndex, leader.logs.lastIndex(), "nothing was proposed");
        assertEquals(new Room(null, 10), room.instance());
    }

    @Test
    void shouldRefuseToHandOutAnOpenMapWithOtherCodecs() {
        unstarted = Hamok.create(HamokConfig.builder().peerId("a").peers(List.of("a"))
                .transport(new LocalNetwork().transport("a")).build());
        final HamokMap<String, Long> open = unstarted.createMap(HamokMapConfig.<String, Long>builder().mapId("m")
                .keyCodec(Codecs.string()).valueCodec(JsonCodec.of(Long.class)).build());

        assertSame(open, unstarted.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("m")
                .keyCodec(Codecs.string()).valueCodec(JsonCodec.of(Long.class)).build()), "equal codecs: the open map");
        final StorageCodecMismatchException values = assertThrows(StorageCodecMismatchException.class,
                () -> unstarted.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("m")
                        .keyCodec(Codecs.string()).valueCodec(Codecs.longs()).build()));
        assertEquals("map 'm' is already open here with another valueCodec (open: JsonCodec[[simple type, class "
                + "java.lang.Long]], asked for: Codecs.longs()); pass the same valueCodec as the open map (or one "
                + "equal to it), or close the open map first", values.getMessage());
        assertFalse(values.mayHaveBeenApplied());
        final StorageCodecMismatchException keys = assertThrows(StorageCodecMismatchException.class,
                () -> unstarted.getOrCreateMap(HamokMapConfig.<byte[], Long>builder().mapId("m")
                        .keyCodec(Codecs.bytes()).valueCodec(JsonCodec.of(Long.class)).build()));
        assertTrue(keys.getMessage().contains("keyCodec"), keys.getMessage());

        open.close();
        final HamokMap<String, Long> reopened = unstarted.getOrCreateMap(HamokMapConfig.<String, Long>builder()
                .mapId("m").keyCodec(Codecs.string()).valueCodec(Codecs.longs()).build());
        assertNotEquals(open, reopened);
    }

    @Test
    void shouldRefuseToHandOutAnOpenRecordWithAnotherCodec() {
        unstarted = Hamok.create(HamokConfig.builder().peerId("a").peers(List.of("a"))
                .transport(new LocalNetwork().transport("a")).build());
        final HamokRecord<Room> open = unstarted.createRecord(HamokRecordConfig.<Room>builder().recordId("r")
                .codec(JsonRecordCodec.of(Room.class)).build());

        assertSame(open, unstarted.getOrCreateRecord(HamokRecordConfig.<Room>builder().recordId("r")
                .codec(JsonRecordCodec.of(Room.class)).build()));
        final StorageCodecMismatchException e = assertThrows(StorageCodecMismatchException.class,
                () -> unstarted.getOrCreateRecord(HamokRecordConfig.<HamokRecordTest.Doc>builder().recordId("r")
                        .codec(JsonRecordCodec.of(HamokRecordTest.Doc.class)).build()));
        assertTrue(e.getMessage().startsWith("record 'r' is already open here with another codec"), e.getMessage());
    }
}
