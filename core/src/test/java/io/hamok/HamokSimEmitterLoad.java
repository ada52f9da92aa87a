// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.emitter.EmitterEvent;
import io.hamok.emitter.EmitterListener;
import io.hamok.emitter.HamokEmitter;
import io.hamok.emitter.HamokEmitterConfig;
import io.hamok.emitter.PublishResult;
import io.hamok.emitter.SubscriptionListener;
import io.hamok.HamokSimCluster.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An emitter workload on a {@link HamokSimWorkload}'s simulated cluster (which brings the faults): on
 * every incarnation an emitter ({@value #EMITTER_ID}) with a recorder of its table's changes; random
 * subscribes (with or without metadata), unsubscribes, metadata updates (some conditional, some
 * expecting the wrong value), clears, publishes and notifies on random live instances, every
 * payload unique, every delivery recorded. {@link HamokSimEmitterChecker} checks the outcome.
 *
 * <p>What this load keeps as each incarnation's intent (what its rows must converge to): the events
 * it has a listener for, with the metadata of the subscribe, or of a later update that answered true.
 * To keep that intent exact it runs at most one subscription operation per (incarnation, event) at a
 * time, and a clear only when none runs; publishes and notifies run at any time.
 */
final class HamokSimEmitterLoad {
    static final String EMITTER_ID = "signals";
    static final List<EmitterEvent<String>> EVENTS = List.of(EmitterEvent.of("e0", Codecs.string()),
            EmitterEvent.of("e1", Codecs.string()), EmitterEvent.of("e2", Codecs.string()));

    /** One incarnation's emitter and what this load asked of it. */
    static final class Replica {
        final Node node;
        final int incarnation;
        final HamokEmitter<String> emitter;
        final boolean startedWithoutSnapshot;
        final int snapshotsAtStart;
        int snapshotsSeen;
        /** Event -> the metadata this incarnation wants in its row ("" = none); absent = no listener. */
        final Map<String, String> intent = new HashMap<>();
        final Map<String, EmitterListener<String>> listeners = new HashMap<>();
        final Set<String> busy = new HashSet<>();
        final List<String> changes = new ArrayList<>();

        Replica(Node node, HamokEmitter<String> emitter) {
            this.node = node;
            this.incarnation = node.incarnation();
            this.emitter = emitter;
            this.startedWithoutSnapshot = node.logs.snapshotIndex() == 0;
            this.snapshotsAtStart = node.logs.snapshotsInstalled();
            this.snapshotsSeen = snapshotsAtStart;
        }

        boolean alive() {
            return node.alive() && node.incarnation() == incarnation;
        }

        @Override
        public String toString() {
            return node.id + "#" + incarnation;
        }
    }

    /** A payload some listener got. */
    record Delivery(String peer, int incarnation, String event, String payload, String from) {
    }

    /** A publish or notify, by its unique payload. */
    record Sent(String payload, String event, String from, boolean publish) {
    }

    /** A publish and its result (null while pending or when it failed). */
    static final class Publish {
        final Sent sent;
        PublishResult result;
        Throwable failure;
        boolean done;

        Publish(Sent sent) {
            this.sent = sent;
        }
    }

    private final HamokSimWorkload workload;
    private final HamokSimCluster cluster;
    private final SplittableRandom random;
    final List<Replica> replicas = new ArrayList<>();
    final Map<String, Replica> current = new HashMap<>();
    final List<Delivery> deliveries = new ArrayList<>();
    final Map<String, Sent> sent = new LinkedHashMap<>();
    final List<Publish> publishes = new ArrayList<>();
    final Map<String, Integer> failures = new TreeMap<>();
    final List<String> violations = new ArrayList<>();
    private int pending;
    private int ops;
    private boolean running = true;

    HamokSimEmitterLoad(HamokSimWorkload workload) {
        this.workload = workload;
        this.cluster = workload.cluster();
        this.random = new SplittableRandom(cluster.seed() * 0x632BE59BD9B4E019L + 11);
        cluster.onStart(this::open);
        workload.afterStep(this::afterStep);
    }

    private void open(Node n) {
        final HamokEmitter<String> emitter = n.hamok().createEmitter(HamokEmitterConfig.<String>builder()
                .emitterId(EMITTER_ID).metadataCodec(Codecs.string()).requestTimeoutMs(2_000).publishTimeoutMs(1_000)
                .build());
        final Replica r = new Replica(n, emitter);
        emitter.addSubscriptionListener(new SubscriptionListener<>() {
            @Override
            public void onAdded(String event, String peerId, String metadata) {
                r.changes.add(HamokSimEmitterChecker.added(event, peerId, metadata));
            }

            @Override
            public void onUpdated(String event, String peerId, String oldMetadata, String newMetadata) {
                r.changes.add(HamokSimEmitterChecker.updated(event, peerId, oldMetadata, newMetadata));
            }

            @Override
            public void onRemoved(String event, String peerId, String metadata) {
                r.changes.add(HamokSimEmitterChecker.removed(event, peerId, metadata));
            }
        });
        replicas.add(r);
        current.put(n.id, r);
    }

    /** No new random operations from now on (the run ends). */
    void stop() {
        running = false;
    }

    private void afterStep() {
        for (Replica r : current.values()) {
            if (r.alive()) {
                r.snapshotsSeen = r.node.logs.snapshotsInstalled();
            }
        }
        if (running && random.nextInt(8) == 0) {
            randomOp();
        }
    }

    // ------------------------------------------------------------------ operations

    private void randomOp() {
        final List<Node> live = cluster.liveNodes();
        if (live.isEmpty()) {
            return;
        }
        final Replica r = current.get(live.get(random.nextInt(live.size())).id);
        final EmitterEvent<String> event = EVENTS.get(random.nextInt(EVENTS.size()));
        final int roll = random.nextInt(100);
        if (roll < 28) {
            publish(r, event, "p" + (++ops), 200 + random.nextInt(800));
        } else if (roll < 55) {
            notify(r, event, "n" + (++ops));
        } else if (r.busy.contains(event.name())) {
            return;
        } else if (roll < 75) {
            if (!r.listeners.containsKey(event.name())) {
                subscribe(r, event, random.nextInt(3) == 0 ? null : "m" + (++ops));
            }
        } else if (roll < 85) {
            if (r.listeners.containsKey(event.name())) {
                unsubscribe(r, event);
            }
        } else if (roll < 97) {
            if (r.listeners.containsKey(event.name())) {
                update(r, event);
            }
        } else if (r.busy.isEmpty()) {
            clear(r);
        }
    }

    void publish(Replica r, EmitterEvent<String> event, String payload, long timeoutMs) {
        final Publish p = new Publish(new Sent(payload, event.name(), r.node.id, true));
        sent.put(payload, p.sent);
        publishes.add(p);
        pending++;
        r.emitter.publish(event, payload, java.time.Duration.ofMillis(timeoutMs)).whenComplete((result, e) -> {
            pending--;
            p.done = true;
            p.result = result;
            p.failure = e;
            failed(e);
        });
    }

    void notify(Replica r, EmitterEvent<String> event, String payload) {
        sent.put(payload, new Sent(payload, event.name(), r.node.id, false));
        try {
            r.emitter.notify(event, payload);
        } catch (HamokException e) {
            failed(e);
        }
    }

    private void subscribe(Replica r, EmitterEvent<String> event, String metadata) {
        final String name = event.name();
        final EmitterListener<String> listener = (payload, from) -> deliveries.add(new Delivery(r.node.id,
                r.incarnation, name, payload, from));
        r.listeners.put(name, listener);
        r.intent.put(name, metadata == null ? "" : metadata);
        track(r, name, r.emitter.subscribe(event, metadata, listener), (ok, e) -> {
            if (e != null) { // the emitter removed the listener of a failed subscribe
                r.listeners.remove(name);
                r.intent.remove(name);
            }
        });
    }

    private void unsubscribe(Replica r, EmitterEvent<String> event) {
        final String name = event.name();
        final EmitterListener<String> listener = r.listeners.remove(name);
        r.intent.remove(name);
        track(r, name, r.emitter.unsubscribe(event, listener), (ok, e) -> {
        });
    }

    private void update(Replica r, EmitterEvent<String> event) {
        final String name = event.name();
        final String next = random.nextInt(4) == 0 ? null : "u" + (++ops);
        final String intent = r.intent.get(name);
        final CompletableFuture<Boolean> update = switch (random.nextInt(3)) {
            case 0 -> r.emitter.updateSubscriptionMetadata(name, next);
            case 1 -> r.emitter.updateSubscriptionMetadata(name, next, intent.isEmpty() ? null : intent);
            default -> r.emitter.updateSubscriptionMetadata(name, next, "wrong");
        };
        track(r, name, update, (applied, e) -> {
            if (e == null && applied && r.listeners.containsKey(name)) {
                r.intent.put(name, next == null ? "" : next);
            }
        });
    }

    private void clear(Replica r) {
        r.listeners.clear();
        r.intent.clear();
        pending++;
        r.emitter.clear().whenComplete((ok, e) -> {
            pending--;
            failed(e);
        });
    }

    private <T> void track(Replica r, String event, CompletableFuture<T> future,
                           java.util.function.BiConsumer<T, Throwable> then) {
        r.busy.add(event);
        pending++;
        future.whenComplete((value, e) -> {
            pending--;
            r.busy.remove(event);
            failed(e);
            then.accept(value, e);
        });
    }

    private void failed(Throwable e) {
        if (e != null) {
            final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            failures.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
        }
    }

    int pending() {
        return pending;
    }

    HamokSimWorkload workload() {
        return workload;
    }
}
