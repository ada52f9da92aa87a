// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
import io.hamok.queue.QueueListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.hamok.HamokScenarioCluster.WAIT;
import static io.hamok.HamokScenarioCluster.await;
import static io.hamok.HamokScenarioCluster.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue scenarios of the original (reference §10.3: 15, 16, 17) on real {@link Hamok} instances
 * over a {@code LocalNetwork}, with the assertions the reference suggests, and the queue's place among
 * the storages of an instance.
 */
@Timeout(60)
class HamokScenarioQueueTest {
    private HamokScenarioCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static HamokQueueConfig<Integer> intQueue(String queueId) {
        return HamokQueueConfig.<Integer>builder().queueId(queueId).codec(Codecs.integer()).build();
    }

    /**
     * Scenario 17 (queue-push-pop-example): two concurrent pushes, then two rounds of two concurrent
     * pops: the first round returns both values in commit order, the second finds the queue empty.
     */
    @Test
    void shouldPopBothConcurrentPushesInCommitOrderAndThenNothing() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokQueue<Integer> queue1 = cluster.get("server-1").createQueue(intQueue("queue"));
        final HamokQueue<Integer> queue2 = cluster.get("server-2").createQueue(intQueue("queue"));
        final List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        queue1.addListener(new QueueListener<>() {
            @Override
            public void onAdded(Integer item) {
                committed.add(item);
            }
        });

        final CompletableFuture<Void> push1 = queue1.push(11);
        final CompletableFuture<Void> push2 = queue2.push(22);
        await(push1);
        await(push2);
        cluster.syncAll();
        final CompletableFuture<Integer> pop1 = queue1.pop();
        final CompletableFuture<Integer> pop2 = queue2.pop();
        final List<Integer> round1 = List.of(await(pop1), await(pop2));
        final CompletableFuture<Integer> pop3 = queue1.pop();
        final CompletableFuture<Integer> pop4 = queue2.pop();

        assertEquals(Set.of(11, 22), new HashSet<>(round1), "round 1 returns both values, once each");
        assertEquals(List.of(11, 22), new ArrayList<>(committed).stream().sorted().toList());
        assertNull(await(pop3), "round 2 finds the queue empty");
        assertNull(await(pop4));
        cluster.syncAll();
        assertTrue(queue1.isEmpty() && queue2.isEmpty());
    }

    /**
     * Scenario 16 (queue-events-example): a producer on one instance and a consumer on the other,
     * created before join; pushes and pops race round after round. Every pushed value is popped
     * exactly once, and on both replicas "not-empty" and "empty" alternate, in the same stream.
     */
    @Test
    void shouldPopEveryPushedValueOnceAndAlternateEmptyAndNotEmpty() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2");
        final HamokQueue<Integer> producer = cluster.get("server-1").createQueue(intQueue("queue"));
        final HamokQueue<Integer> consumer = cluster.get("server-2").createQueue(intQueue("queue"));
        final List<String> producerEvents = Collections.synchronizedList(new ArrayList<>());
        final List<String> consumerEvents = Collections.synchronizedList(new ArrayList<>());
        producer.addListener(HamokQueueTest.recorder(producerEvents));
        consumer.addListener(HamokQueueTest.recorder(consumerEvents));
        cluster.joinAll();

        final List<Integer> popped = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            final List<CompletableFuture<?>> pushes = List.of(producer.push(2 * round), producer.push(2 * round + 1));
            final List<CompletableFuture<Integer>> pops = List.of(consumer.pop(), consumer.pop());
            for (CompletableFuture<?> push : pushes) {
                await(push);
            }
            for (CompletableFuture<Integer> pop : pops) {
                final Integer item = await(pop);
                if (item != null) {
                    popped.add(item);
                }
            }
        }
        for (Integer item = await(consumer.pop()); item != null; item = await(consumer.pop())) {
            popped.add(item);
        }
        cluster.syncAll();

        assertEquals(20, popped.size(), "every value once: " + popped);
        assertEquals(20, new HashSet<>(popped).size(), "no value twice: " + popped);
        assertEquals(producerEvents, consumerEvents, "one stream on both replicas");
        String last = "empty";
        for (String event : consumerEvents) {
            if (event.equals("empty") || event.equals("not-empty")) {
                assertFalse(event.equals(last), "empty and not-empty alternate: " + consumerEvents);
                last = event;
            }
        }
        assertEquals("empty", last);
    }

    /**
     * Scenario 15 (queue-catching-up-example): a peer cut off while items are pushed catches up from a
     * snapshot (the leader compacted its log); its queue, created afterwards, and another peer's pop
     * the items alternately in strict order, with no loss or duplication across the snapshot boundary.
     */
    @Test
    void shouldPopInStrictOrderAcrossPeersAndASnapshot() throws Exception {
        cluster = new HamokScenarioCluster((id, raft) -> raft.snapshotThresholdEntries(8)
                .onlyFollower(id.equals("server-1")), "server-1", "server-2", "server-3").joinAll();
        final Hamok leader = cluster.leader();
        final Hamok late = cluster.get("server-3") == leader ? cluster.get("server-2") : cluster.get("server-3");
        final Hamok first = cluster.get("server-1");
        final HamokQueue<Integer> queue1 = first.createQueue(intQueue("queue"));

        cluster.isolate(late.localPeerId());
        for (int i = 0; i < 100; i += 4) {
            await(queue1.pushAll(List.of(i, i + 1, i + 2)));
            await(queue1.push(i + 3));
        }
        cluster.heal();
        await(late.waitUntilCommitHead(WAIT));
        assertTrue(late.loop().node().logs().snapshotIndex() > 0, "the late peer caught up by snapshot");
        final HamokQueue<Integer> queue3 = late.createQueue(intQueue("queue"));
        assertEquals(100, queue3.size());

        final List<Integer> popped = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            popped.add(await((i % 2 == 0 ? queue1 : queue3).pop()));
        }
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, popped);
        assertNull(await(queue3.pop()));
    }

    /** A queue is one kind among the storages: its id is refused to other kinds, and getOrCreate shares it. */
    @Test
    void shouldShareAnOpenQueueAndRefuseItsIdToOtherKinds() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final Hamok server1 = cluster.get("server-1");
        final Hamok server2 = cluster.get("server-2");
        final HamokQueue<Integer> queue = server1.createQueue(intQueue("x"));

        assertSame(queue, server1.getOrCreateQueue(intQueue("x")));
        assertThrows(IllegalStateException.class, () -> server1.createQueue(intQueue("x")));
        final StorageCodecMismatchException codec = assertThrows(StorageCodecMismatchException.class,
                () -> server1.getOrCreateQueue(HamokQueueConfig.<Integer>builder().queueId("x")
                        .codec(JsonCodec.of(Integer.class)).build()));
        assertTrue(codec.getMessage().startsWith("queue 'x' is already open here with another codec"),
                codec.getMessage());
        assertThrows(StorageKindMismatchException.class, () -> server1.createMap(HamokScenarioMapTest.intMap("x")));
        assertThrows(StorageKindMismatchException.class,
                () -> server1.createRecord(HamokScenarioRecordTest.roomRecord("x")));
        final HamokMap<String, Integer> map = server1.createMap(HamokScenarioMapTest.intMap("m"));
        assertThrows(StorageKindMismatchException.class, () -> server1.createQueue(intQueue("m")));

        await(queue.push(1));
        await(server2.waitUntilCommitHead(WAIT));
        assertThrows(StorageKindMismatchException.class, () -> server2.createMap(HamokScenarioMapTest.intMap("x")),
                "server-2 never opened 'x', but applied a queue request to it");
        assertEquals(1, server2.createQueue(intQueue("x")).peek(), "the queue opened late has the item");

        final HamokQueue<Integer> early = server2.createQueue(intQueue("y"));
        assertNull(await(server1.createMap(HamokScenarioMapTest.intMap("y")).set("k", 1)));
        assertInstanceOf(StorageKindMismatchException.class, failure(early.push(1)));
        assertEquals(0, map.size());
    }
}
