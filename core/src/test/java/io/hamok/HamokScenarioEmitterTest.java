// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.emitter.EmitterEvent;
import io.hamok.emitter.EmitterSubscription;
import io.hamok.emitter.HamokEmitter;
import io.hamok.emitter.HamokEmitterConfig;
import io.hamok.emitter.PublishResult;
import io.hamok.emitter.SubscriptionListener;
import io.hamok.map.HamokMap;
import io.hamok.raft.MembershipChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.hamok.HamokScenarioCluster.WAIT;
import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emitter scenarios of the original (reference §10.3: 7, 8, 9, 10) on real {@link Hamok}
 * instances over a {@code LocalNetwork}, with the assertions the reference suggests.
 */
@Timeout(60)
class HamokScenarioEmitterTest {
    static final EmitterEvent<String> EVENT_1 = EmitterEvent.of("event-1", Codecs.string());
    static final EmitterEvent<String> EVENT_2 = EmitterEvent.of("event-2", Codecs.string());

    private HamokScenarioCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static HamokEmitterConfig<String> emitter(String id) {
        return HamokEmitterConfig.<String>builder().emitterId(id).metadataCodec(Codecs.string()).build();
    }

    /** Scenario 7 (common-waiting-example): an early notify is dropped; a subscribe waits for its peer to join. */
    @Test
    void shouldDropANotifyNobodyListensToAndCompleteASubscribeOnlyOnceThePeerJoined() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2");
        final Hamok server1 = cluster.get("server-1");
        final Hamok server2 = cluster.get("server-2");
        final HamokEmitter<String> emitter1 = server1.createEmitter(emitter("emitter"));
        final HamokEmitter<String> emitter2 = server2.createEmitter(emitter("emitter"));
        final CompletableFuture<Void> join1 = server1.join(HamokScenarioCluster.JOIN_TIMEOUT);

        assertFalse(emitter1.notify(EVENT_1, "early"), "nobody subscribes: nothing is sent");
        final EmitterProbe<String> probe = new EmitterProbe<>();
        final CompletableFuture<Void> subscribed = emitter2.subscribe(EVENT_1, probe);
        assertFalse(subscribed.isDone(), "server-2 has not joined: its subscription is not in the log");

        await(server2.join(HamokScenarioCluster.JOIN_TIMEOUT));
        await(join1);
        await(subscribed);
        cluster.syncAll();
        assertTrue(emitter1.notify(EVENT_1, "late"));
        await(probe.awaitCount(1));
        assertEquals(List.of("late"), probe.payloads());
    }

    /**
     * Scenario 8 (emitter-example): metadata and its conditional updates, the table's events on
     * both peers, publishes reaching exactly the subscribers, and an unsubscribe of one event.
     */
    @Test
    void shouldKeepMetadataOnEveryPeerAndPublishToExactlyTheSubscribers() throws Exception {
        cluster = new HamokScenarioCluster("server-1", "server-2").joinAll();
        final HamokEmitter<String> emitter1 = cluster.get("server-1").createEmitter(emitter("emitter"));
        final HamokEmitter<String> emitter2 = cluster.get("server-2").createEmitter(emitter("emitter"));
        final List<String> changes1 = tableRecorder(emitter1);
        final List<String> changes2 = tableRecorder(emitter2);
        final EmitterProbe<String> probe1 = new EmitterProbe<>();
        final EmitterProbe<String> probe2 = new EmitterProbe<>();
        final EmitterProbe<String> probe2b = new EmitterProbe<>();

        await(emitter1.subscribe(EVENT_1, probe1));
        await(emitter2.subscribe(EVENT_1, "some-metadata", probe2));
        await(emitter2.subscribe(EVENT_2, probe2b));
        assertFalse(await(emitter2.updateSubscriptionMetadata("event-1", "new", "wrong")), "wrong expectation");
        assertTrue(await(emitter2.updateSubscriptionMetadata("event-1", "new", "some-metadata")));
        assertTrue(await(emitter2.updateSubscriptionMetadata("event-1", "newer")), "no expectation");
        assertTrue(await(emitter2.updateSubscriptionMetadata("event-2", "meta-2", null)), "had none");
        cluster.syncAll();

        final List<EmitterSubscription<String>> expected = List.of(
                new EmitterSubscription<>("event-1", "server-1", null),
                new EmitterSubscription<>("event-1", "server-2", "newer"),
                new EmitterSubscription<>("event-2", "server-2", "meta-2"));
        assertEquals(expected, emitter1.subscriptions());
        assertEquals(expected, emitter2.subscriptions());

        PublishResult result = await(emitter2.publish(EVENT_1, "hello"));
        assertEquals(Set.of("server-1", "server-2"), result.delivered());
        assertTrue(result.allDelivered());
        result = await(emitter1.publish(EVENT_2, "only-2"));
        assertEquals(Set.of("server-2"), result.delivered());
        assertTrue(await(emitter1.unsubscribe(EVENT_1, probe1)));
        cluster.syncAll();
        assertTrue(emitter2.hasSubscribers("event-2"), "server-1's unsubscribe left event-2 alone");
        result = await(emitter2.publish(EVENT_1, "again"));
        assertEquals(Set.of("server-2"), result.delivered());

        assertEquals(List.of("hello"), probe1.payloads());
        assertEquals(List.of("hello", "again"), probe2.payloads());
        assertEquals(List.of("only-2"), probe2b.payloads());
        final List<String> changes = List.of("added event-1 server-1 null", "added event-1 server-2 some-metadata",
                "added event-2 server-2 null", "updated event-1 server-2 some-metadata->new",
                "updated event-1 server-2 new->newer", "updated event-2 server-2 null->meta-2",
                "removed event-1 server-1 null");
        assertEquals(changes, changes1);
        assertEquals(changes, changes2);
    }

    /**
     * Scenario 9 (emitter-catchup-example): a peer that missed the subscriptions, which the leader has
     * compacted into a snapshot, learns them from the snapshot and its publish reaches the subscriber.
     * The publish and notify made before joining find no subscriber.
     */
    @Test
    void shouldLearnSubscriptionsFromTheSnapshotWhenTheLogWasCompacted() throws Exception {
        cluster = new HamokScenarioCluster((id, raft) -> raft.snapshotThresholdEntries(4), "a", "b", "c");
        final HamokEmitter<String> early = cluster.get("a").createEmitter(emitter("emitter"));
        assertEquals(Set.of(), await(early.publish(EVENT_1, "before-join")).targets());
        assertFalse(early.notify(EVENT_1, "before-join"));
        cluster.joinAll();
        final Hamok leader = cluster.leader();
        final Hamok late = cluster.running().stream().filter(h -> h != leader).findFirst().orElseThrow();
        final Hamok subscriber = cluster.running().stream().filter(h -> h != leader && h != late).findFirst()
                .orElseThrow();
        cluster.isolate(late.localPeerId());

        final HamokEmitter<String> subscribed = subscriber.getOrCreateEmitter(emitter("emitter"));
        final EmitterProbe<String> probe = new EmitterProbe<>();
        await(subscribed.subscribe(EVENT_1, probe));
        await(leader.waitUntilCommitHead(WAIT));
        final long subscribedAt = leader.stats().appliedIndex();
        final HamokMap<String, Integer> filler = leader.createMap(HamokScenarioMapTest.intMap("filler"));
        for (int i = 0; i < 12; i++) {
            await(filler.set("f", i));
        }
        assertTrue(firstLogIndex(leader) > subscribedAt, "the leader compacted the subscription's entry");
        cluster.heal();

        await(late.waitUntilCommitHead(WAIT));
        final HamokEmitter<String> lateEmitter = late.getOrCreateEmitter(emitter("emitter"));
        assertTrue(lateEmitter.hasSubscribers("event-1"));
        final PublishResult result = await(lateEmitter.publish(EVENT_1, "from-late"));
        assertEquals(Set.of(subscriber.localPeerId()), result.delivered());
        assertEquals(List.of(new EmitterProbe.Received<>("from-late", late.localPeerId())), probe.received());
    }

    /**
     * Scenario 10 (emitter-catchup-2-example): request and response over notify between three peers,
     * servers 1 and 3 only followers; then server 1 leaves the configuration: with autoClean off its
     * subscriptions stay until a {@code cleanup()}.
     */
    @Test
    void shouldAnswerRequestsOverNotifyAndKeepALeftPeersSubscriptionsWithoutAutoClean() throws Exception {
        cluster = new HamokScenarioCluster((id, raft) -> raft.onlyFollower(!id.equals("server_2")),
                "server_1", "server_2", "server_3").joinAll();
        assertEquals("server_2", cluster.leader().localPeerId());
        final Map<String, HamokEmitter<String>> emitters = new HashMap<>();
        for (Hamok h : cluster.members()) {
            emitters.put(h.localPeerId(), h.createEmitter(HamokEmitterConfig.<String>builder().emitterId("rpc")
                    .autoClean(false).build()));
        }
        final Map<String, List<String>> responses = requestResponse(emitters);
        assertEquals(Map.of("r1", List.of("10"), "r2", List.of("10"), "r3", List.of("20")), responses);

        cluster.isolate("server_1");
        assertEquals(MembershipChange.ACCEPTED, await(cluster.get("server_2").removeRemotePeerId("server_1")));
        cluster.get("server_1").close();
        cluster.syncAll();
        final HamokEmitter<String> server3 = emitters.get("server_3");
        assertTrue(server3.subscribers("simple-request").contains("server_1"), "autoClean is off: kept");

        assertEquals(Set.of("server_1"), await(server3.cleanup()));
        cluster.syncAll();
        assertFalse(server3.subscribers("simple-request").contains("server_1"));
        assertFalse(server3.subscribers("complex-request").contains("server_1"));
        assertEquals(Set.of("server_2"), server3.subscribers("complex-request"));
    }

    /** Scenario 10 with autoClean on (the default): the leader removes a departed peer's subscriptions itself. */
    @Test
    void shouldRemoveTheSubscriptionsOfAPeerThatLeftWhenAutoCleanIsOn() throws Exception {
        cluster = new HamokScenarioCluster((id, raft) -> raft.onlyFollower(!id.equals("server_2")),
                "server_1", "server_2", "server_3").joinAll();
        final Map<String, HamokEmitter<String>> emitters = new HashMap<>();
        for (Hamok h : cluster.members()) {
            emitters.put(h.localPeerId(), h.createEmitter(HamokEmitterConfig.<String>builder().emitterId("rpc")
                    .build()));
        }
        requestResponse(emitters);
        final HamokEmitter<String> server3 = emitters.get("server_3");
        final CompletableFuture<Void> cleaned = whenNoRowOf(server3, "server_1");

        cluster.isolate("server_1");
        assertEquals(MembershipChange.ACCEPTED, await(cluster.get("server_2").removeRemotePeerId("server_1")));
        await(cleaned);
        assertEquals(Set.of("server_2"), server3.subscribers("complex-request"));
    }

    // ------------------------------------------------------------------ helpers

    private static final EmitterEvent<String> SIMPLE = EmitterEvent.of("simple-request", Codecs.string());
    private static final EmitterEvent<String> COMPLEX = EmitterEvent.of("complex-request", Codecs.string());
    private static final EmitterEvent<String> RESPONSE = EmitterEvent.of("response", Codecs.string());

    /**
     * server_1 answers simple requests (10) and complex ones below 10 (twice the parameter), server_2
     * complex ones above 10 (the parameter); server_3 asks three times. Returns the answers by request id.
     */
    private Map<String, List<String>> requestResponse(Map<String, HamokEmitter<String>> emitters) throws Exception {
        final HamokEmitter<String> one = emitters.get("server_1");
        final HamokEmitter<String> two = emitters.get("server_2");
        final HamokEmitter<String> three = emitters.get("server_3");
        await(one.subscribe(SIMPLE, (request, from) -> one.notify(RESPONSE, id(request) + ":10")));
        await(one.subscribe(COMPLEX, (request, from) -> {
            if (param(request) < 10) {
                one.notify(RESPONSE, id(request) + ":" + 2 * param(request));
            }
        }));
        await(two.subscribe(COMPLEX, (request, from) -> {
            if (param(request) > 10) {
                two.notify(RESPONSE, id(request) + ":" + param(request));
            }
        }));
        final EmitterProbe<String> answers = new EmitterProbe<>();
        await(three.subscribe(RESPONSE, answers));
        cluster.syncAll();
        assertTrue(three.notify(SIMPLE, "r1:0"));
        assertTrue(three.notify(COMPLEX, "r2:5"));
        assertTrue(three.notify(COMPLEX, "r3:20"));
        await(answers.awaitCount(3));
        final Map<String, List<String>> byId = new HashMap<>();
        for (String answer : answers.payloads()) {
            byId.computeIfAbsent(id(answer), k -> new ArrayList<>()).add(answer.substring(answer.indexOf(':') + 1));
        }
        return byId;
    }

    private static String id(String message) {
        return message.substring(0, message.indexOf(':'));
    }

    private static int param(String message) {
        return Integer.parseInt(message.substring(message.indexOf(':') + 1));
    }

    /** Completes once {@code emitter}'s replica has no row of {@code peerId}. */
    static <M> CompletableFuture<Void> whenNoRowOf(HamokEmitter<M> emitter, String peerId) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Runnable check = () -> {
            if (emitter.subscriptions().stream().noneMatch(s -> s.peerId().equals(peerId))) {
                done.complete(null);
            }
        };
        emitter.addSubscriptionListener(new SubscriptionListener<>() {
            @Override
            public void onRemoved(String event, String peer, M metadata) {
                check.run();
            }
        });
        check.run();
        return done;
    }

    /** Records the table's changes as strings, in the order heard. */
    static List<String> tableRecorder(HamokEmitter<String> emitter) {
        final List<String> changes = Collections.synchronizedList(new ArrayList<>());
        emitter.addSubscriptionListener(new SubscriptionListener<>() {
            @Override
            public void onAdded(String event, String peerId, String metadata) {
                changes.add("added " + event + " " + peerId + " " + metadata);
            }

            @Override
            public void onUpdated(String event, String peerId, String oldMetadata, String newMetadata) {
                changes.add("updated " + event + " " + peerId + " " + oldMetadata + "->" + newMetadata);
            }

            @Override
            public void onRemoved(String event, String peerId, String metadata) {
                changes.add("removed " + event + " " + peerId + " " + metadata);
            }
        });
        return changes;
    }

    private static long firstLogIndex(Hamok hamok) throws Exception {
        final long[] first = new long[1];
        await(hamok.loop().execute(() -> first[0] = hamok.loop().node().logs().firstIndex()));
        return first[0];
    }
}
