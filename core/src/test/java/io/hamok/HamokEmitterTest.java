// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.emitter.EmitterEvent;
import io.hamok.emitter.EmitterSnapshot;
import io.hamok.emitter.EmitterSubscription;
import io.hamok.emitter.HamokEmitter;
import io.hamok.emitter.HamokEmitterConfig;
import io.hamok.emitter.PublishResult;
import io.hamok.emitter.SubscriptionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.hamok.transport.LocalNetwork;

import static io.hamok.HamokScenarioCluster.await;
import static io.hamok.HamokScenarioCluster.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HamokEmitter} on three real instances over a {@code LocalNetwork} (one cluster for the class;
 * every test uses its own emitter id): the operations, their contracts, and the bugs of the
 * original (reference §12.3 item 25), each with a regression test.
 */
@Timeout(60)
class HamokEmitterTest {
    private static final EmitterEvent<String> E1 = EmitterEvent.of("e1", Codecs.string());
    private static final EmitterEvent<String> E2 = EmitterEvent.of("e2", Codecs.string());
    private static final AtomicInteger IDS = new AtomicInteger();
    private static HamokScenarioCluster cluster;
    private static Hamok a;
    private static Hamok b;
    private static Hamok c;
    private final List<HamokEmitter<?>> opened = new ArrayList<>();
    private String id;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c").joinAll();
        a = cluster.get("a");
        b = cluster.get("b");
        c = cluster.get("c");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void closeEmitters() {
        cluster.heal();
        opened.forEach(HamokEmitter::close);
    }

    /** The same new emitter id on every call of one test. */
    private HamokEmitter<String> open(Hamok on) {
        if (id == null) {
            id = "emitter-" + IDS.incrementAndGet();
        }
        final HamokEmitter<String> e = on.getOrCreateEmitter(HamokEmitterConfig.<String>builder().emitterId(id)
                .metadataCodec(Codecs.string()).publishTimeoutMs(2_000).build());
        opened.add(e);
        return e;
    }

    // ------------------------------------------------------------------ the original's bugs (§12.3, item 25)

    @Test
    void shouldUnsubscribeFromTheOneEventOnly() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final EmitterProbe<String> one = new EmitterProbe<>();
        await(ea.subscribe(E1, one));
        await(ea.subscribe(E2, new EmitterProbe<>()));

        assertTrue(await(ea.unsubscribe(E1, one)));
        cluster.syncAll();
        final HamokEmitter<String> eb = open(b);
        assertFalse(eb.hasSubscribers("e1"));
        assertEquals(Set.of("a"), eb.subscribers("e2"), "the original removed the peer from every event");
        assertFalse(await(ea.unsubscribe(E1, one)), "not registered any more");
    }

    @Test
    void shouldReplicateAClearThatRemovesOnlyThisPeersSubscriptions() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final HamokEmitter<String> eb = open(b);
        final HamokEmitter<String> ec = open(c);
        final EmitterProbe<String> probeA = new EmitterProbe<>();
        await(ea.subscribe(E1, probeA));
        await(ea.subscribe(E2, probeA));
        await(eb.subscribe(E1, new EmitterProbe<>()));

        await(ea.clear());
        cluster.syncAll();
        for (HamokEmitter<String> e : List.of(ea, eb, ec)) {
            assertEquals(List.of(new EmitterSubscription<String>("e1", "b", null)), e.subscriptions(),
                    "a replicated clear of a's rows only (the original did not replicate it, and its echo wiped a)");
        }
        assertEquals(List.of(), ea.localEvents(), "a's listeners are gone");
        await(ec.publish(E1, "after-clear"));
        assertEquals(0, probeA.count());
    }

    @Test
    void shouldCompleteAPublishWithTheAnswersThatArrivedWhenOneSubscriberIsUnreachable() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final HamokEmitter<String> eb = open(b);
        final HamokEmitter<String> ec = open(c);
        final EmitterProbe<String> probeB = new EmitterProbe<>();
        await(eb.subscribe(E1, probeB));
        await(ec.subscribe(E1, new EmitterProbe<>()));
        cluster.syncAll();

        cluster.isolate("c");
        final PublishResult result = await(ea.publish(E1, "partial", Duration.ofMillis(300)));
        assertEquals(Set.of("b", "c"), result.targets());
        assertEquals(Set.of("b"), result.delivered());
        assertEquals(Set.of("c"), result.unanswered(), "the original failed the whole publish");
        assertFalse(result.allDelivered());
        assertEquals(List.of("partial"), probeB.payloads());
    }

    @Test
    void shouldReplaceTheTableOnImportInsteadOfMerging() throws Exception {
        final HamokEmitter<String> ea = open(a);
        await(ea.importSnapshot(new EmitterSnapshot<>(id, List.of(new EmitterSubscription<>("e1", "ghost-1", "m1")))));
        await(ea.importSnapshot(new EmitterSnapshot<>(id, List.of(new EmitterSubscription<>("e2", "ghost-2", null)))));
        cluster.syncAll();

        final EmitterSnapshot<String> exported = open(c).export();
        assertEquals(new EmitterSnapshot<>(id, List.of(new EmitterSubscription<String>("e2", "ghost-2", null))), exported,
                "ghost-1 is gone: the original's import only added");
        assertEquals(Set.of("ghost-2"), await(ea.cleanup()), "a peer outside the configuration is cleaned up");
        cluster.syncAll();
        assertEquals(List.of(), open(b).subscriptions());
        assertThrows(IllegalArgumentException.class, () -> ea.importSnapshot(new EmitterSnapshot<>("other", List.of())));
    }

    // ------------------------------------------------------------------ publish and notify

    @Test
    void shouldNotifyTheSubscribersOnlyAndSayWhenThereIsNone() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final HamokEmitter<String> eb = open(b);
        final EmitterProbe<String> probeA = new EmitterProbe<>();
        final EmitterProbe<String> probeB = new EmitterProbe<>();
        assertFalse(eb.notify(E1, "nobody"));
        await(ea.subscribe(E1, probeA));
        await(eb.subscribe(E2, probeB));
        cluster.syncAll();

        assertTrue(eb.notify(E1, "n1"));
        assertTrue(eb.notify(E1, "n2"));
        assertTrue(ea.notify(E1, "to-self"));
        await(probeA.awaitCount(3));
        assertEquals(List.of("n1", "n2"), probeA.received().stream().filter(r -> r.from().equals("b"))
                .map(EmitterProbe.Received::payload).toList(), "in the order sent, at most once");
        assertEquals(0, probeB.count());
        assertEquals(2, ea.stats().subscriptions(), "e1 and e2");
        assertEquals(3, ea.stats().receivedInvocations());
        assertEquals(2, eb.stats().sentInvocations());
    }

    @Test
    void shouldAnswerNoListenerFromAPeerThatListsASubscriptionButHasNoEmitterOpen() throws Exception {
        final HamokEmitter<String> ea = open(a);
        await(ea.importSnapshot(new EmitterSnapshot<>(id, List.of(new EmitterSubscription<>("e1", "b", null)))));
        final PublishResult result = await(ea.publish(E1, "x"));
        assertEquals(Set.of("b"), result.noListener());
        assertEquals(Set.of(), result.unanswered());
    }

    @Test
    void shouldPublishToNobodyWhenTheEventHasNoSubscriber() throws Exception {
        final PublishResult result = await(open(a).publish(E1, "x"));
        assertEquals(Set.of(), result.targets());
        assertTrue(result.allDelivered());
    }

    @Test
    void shouldRunListenersOnTheEventExecutor() throws Exception {
        final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "listener-executor"));
        final Hamok solo = Hamok.create(HamokConfig.builder().peerId("solo").peers(List.of("solo"))
                .transport(new LocalNetwork().transport("solo")).raftConfig(HamokScenarioCluster.scenarioRaft().build())
                .eventExecutor(executor).build());
        try (solo) {
            await(solo.join(HamokScenarioCluster.JOIN_TIMEOUT));
            final HamokEmitter<String> e = solo.createEmitter(HamokEmitterConfig.<String>builder().emitterId("x").build());
            final CompletableFuture<String> thread = new CompletableFuture<>();
            await(e.subscribe(E1, (payload, from) -> thread.complete(Thread.currentThread().getName())));
            assertEquals(Set.of("solo"), await(e.publish(E1, "p")).delivered());
            assertEquals("listener-executor", await(thread));
        } finally {
            executor.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ subscriptions

    @Test
    void shouldShareOneSubscriptionBetweenListenersAndUnsubscribeWithTheLast() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final EmitterProbe<String> first = new EmitterProbe<>();
        final EmitterProbe<String> second = new EmitterProbe<>();
        await(ea.subscribe(E1, "meta", first));
        await(ea.subscribe(E1, "ignored", second));
        assertEquals(List.of(new EmitterSubscription<>("e1", "a", "meta")), ea.subscriptions());
        assertEquals(Set.of("a"), await(ea.publish(E1, "both")).delivered());
        assertEquals(List.of("both"), first.payloads());
        assertEquals(List.of("both"), second.payloads());

        assertTrue(await(ea.unsubscribe(E1, first)));
        assertTrue(ea.hasSubscribers("e1", true), "one listener left");
        assertTrue(await(ea.unsubscribe(E1, second)));
        assertFalse(ea.hasSubscribers("e1"));
    }

    @Test
    void shouldPutBackItsOwnRowWhenAnImportDroppedItWhileItStillListens() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final HamokEmitter<String> eb = open(b);
        await(ea.subscribe(E1, "mine", new EmitterProbe<>()));
        final CompletableFuture<Void> restored = whenRow(eb, "e1", "a", "mine");
        await(eb.importSnapshot(new EmitterSnapshot<>(id, List.of())));
        await(restored);
        cluster.syncAll();
        assertEquals(List.of(new EmitterSubscription<>("e1", "a", "mine")), eb.subscriptions());
    }

    /**
     * Regression: a metadata update confirmed after a newer subscribe (unsubscribed and subscribed again
     * with other metadata, all without waiting) made this peer "repair" its row back to the update's
     * metadata. The check at the end is one more request on the same event, so it runs after any repair.
     */
    @Test
    void shouldKeepTheMetadataOfTheLatestSubscribeOverAnEarlierUpdateConfirmedLater() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final EmitterProbe<String> first = new EmitterProbe<>();
        final EmitterProbe<String> second = new EmitterProbe<>();
        await(ea.subscribe(E1, "m1", first));
        final CompletableFuture<Boolean> update = ea.updateSubscriptionMetadata("e1", "updated");
        final CompletableFuture<Boolean> unsubscribe = ea.unsubscribe(E1, first);
        final CompletableFuture<Void> again = ea.subscribe(E1, "m2", second);
        assertTrue(await(update));
        assertTrue(await(unsubscribe));
        await(again);
        assertTrue(await(ea.updateSubscriptionMetadata("e1", "m2", "m2")), "the row keeps m2: " + ea.subscriptions());
        assertEquals(List.of(new EmitterSubscription<>("e1", "a", "m2")), ea.subscriptions());
    }

    @Test
    void shouldRemoveItsRowsWhenTheEmitterCloses() throws Exception {
        final HamokEmitter<String> ea = open(a);
        final HamokEmitter<String> eb = open(b);
        await(ea.subscribe(E1, new EmitterProbe<>()));
        cluster.syncAll();
        final CompletableFuture<Void> gone = HamokScenarioEmitterTest.whenNoRowOf(eb, "a");
        ea.close();
        await(gone);
        assertThrows(StorageClosedException.class, () -> ea.publish(E1, "x"));
        assertTrue(ea.isClosed());
    }

    @Test
    void shouldRefuseWhatItCannotDoBeforeSendingAnything() {
        final HamokEmitter<String> ea = open(a);
        assertThrows(IllegalStateException.class, () -> ea.updateSubscriptionMetadata("e1", "m"),
                "no listener: nothing to update");
        ea.notify(E1, "registers the codec of e1");
        assertThrows(StorageCodecMismatchException.class,
                () -> ea.notify(EmitterEvent.of("e1", JsonCodec.of(String.class)), "x"));
        assertThrows(IllegalArgumentException.class, () -> ea.publish(E1, "x".repeat(300_000)),
                "larger than maxBytesPerAppend");
        assertThrows(StorageKindMismatchException.class, () -> a.createMap(HamokScenarioMapTest.intMap(id)));
        assertEquals(ea, a.getOrCreateEmitter(HamokEmitterConfig.<String>builder().emitterId(id)
                .metadataCodec(Codecs.string()).build()));
        assertThrows(StorageCodecMismatchException.class, () -> a.getOrCreateEmitter(HamokEmitterConfig.<String>builder()
                .emitterId(id).metadataCodec(JsonCodec.of(String.class)).build()));
        final HamokEmitter<String> noCodec = b.createEmitter(HamokEmitterConfig.<String>builder().emitterId(id + "-bare")
                .build());
        opened.add(noCodec);
        assertThrows(IllegalArgumentException.class, () -> noCodec.subscribe(E1, "metadata", new EmitterProbe<>()),
                "metadata needs a metadataCodec");
    }

    @Test
    void shouldFailAsNotAppliedWhenNoLeaderIsKnownAndRefuseEverythingOnceClosed() throws Exception {
        final HamokScenarioCluster pair = new HamokScenarioCluster("p", "q");
        try (pair) {
            final Hamok p = pair.get("p");
            p.join(HamokScenarioCluster.JOIN_TIMEOUT); // q never starts: no leader
            final HamokEmitter<String> e = p.createEmitter(HamokEmitterConfig.<String>builder().emitterId("idle")
                    .requestTimeoutMs(200).build());
            final Throwable noLeader = failure(e.subscribe(E1, new EmitterProbe<>()));
            assertInstanceOf(NoLeaderException.class, noLeader);
            assertFalse(((HamokException) noLeader).mayHaveBeenApplied());
            assertEquals(List.of(), e.localEvents(), "the listener of a failed subscribe is removed");
            p.close();
            assertTrue(e.isClosed(), "closing the instance closes its storages");
            assertThrows(StorageClosedException.class, () -> e.subscribe(E1, new EmitterProbe<>()));
        }
    }

    /** Completes once {@code emitter}'s replica has {@code peerId}'s row of {@code event} with {@code metadata}. */
    private static CompletableFuture<Void> whenRow(HamokEmitter<String> emitter, String event, String peerId,
                                                   String metadata) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final EmitterSubscription<String> row = new EmitterSubscription<>(event, peerId, metadata);
        emitter.addSubscriptionListener(new SubscriptionListener<>() {
            @Override
            public void onAdded(String e, String p, String m) {
                if (new EmitterSubscription<>(e, p, m).equals(row)) {
                    done.complete(null);
                }
            }
        });
        return done;
    }
}
