// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.HamokSimCluster.Node;
import io.hamok.HamokSimRemoteStore.Executed;
import io.hamok.sim.SimulationSeedExtension;
import io.hamok.remotemap.RemoteMapState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote maps in the deterministic simulation of whole Hamok instances: every peer writes through
 * its remote map while the network drops, delays and partitions, peers crash and restart, leaders
 * change, and the simulated store ({@link HamokSimRemoteStore}) is slow, goes down, and fails calls
 * ambiguously. Afterwards the history is checked against what the store executed:
 *
 * <ul>
 *   <li>the store executed mutations in increasing order of their numbers, each at most once;</li>
 *   <li>every acknowledged write was executed exactly once, and its result is the one a map replaying
 *       the store's executions in order gives at that point; a write that failed as "not applied" was
 *       never executed; one that failed as "applied, result unknown" was executed once;</li>
 *   <li>every peer resolved every mutation (nothing left pending), and peers that never restarted
 *       reported exactly the same events, which replay to the store's content when no result was lost.</li>
 * </ul>
 *
 * {@code -Dhamok.sim.remoteMapSeeds=N} sets the number of seeds (default 100); {@code -Dhamok.sim.seed=S}
 * replays seed S.
 */
@Tag("simulation")
class HamokRemoteMapSimulationTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    private static final long WORKLOAD_MS = 4_000;
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4"};

    record Result(long seed, int ops, int acknowledged, int executions, int lostResults, int notApplied,
                  long staleCalls, long ambiguous, int crashes, int outages, long virtualMs, int fingerprint) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldExecuteEveryAcknowledgedMutationExactlyOnceUnderRandomFaults() {
        final Long replay = SimulationSeedExtension.replaySeed();
        if (replay != null) {
            System.out.println(new Run(replay).run());
            return;
        }
        final int seeds = Integer.getInteger("hamok.sim.remoteMapSeeds", 100);
        final long startNs = System.nanoTime();
        long ops = 0;
        long acknowledged = 0;
        long executions = 0;
        long lost = 0;
        long notApplied = 0;
        long stale = 0;
        long ambiguous = 0;
        long crashes = 0;
        long outages = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            SEEDS.register(seed);
            final Result r = new Run(seed).run();
            ops += r.ops();
            acknowledged += r.acknowledged();
            executions += r.executions();
            lost += r.lostResults();
            notApplied += r.notApplied();
            stale += r.staleCalls();
            ambiguous += r.ambiguous();
            crashes += r.crashes();
            outages += r.outages();
        }
        SEEDS.clear();
        System.out.printf("%d remote map seeds: %d writes (%d acknowledged, %d failed as not applied, %d applied with"
                        + " the result lost), %d executions in the store, %d stale leader calls fenced, %d ambiguous"
                        + " store failures, %d store outages, %d crashes, %d ms real time%n", seeds, ops, acknowledged,
                notApplied, lost, executions, stale, ambiguous, outages, crashes,
                (System.nanoTime() - startNs) / 1_000_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReplayTheSameRunForTheSameSeed() {
        SEEDS.register(11);
        assertEquals(new Run(11).run(), new Run(11).run(), "a seed names exactly one history");
        SEEDS.clear();
    }

    /** One write of the workload and what became of it. */
    private static final class Op {
        final int id;
        final String kind;
        final String key;
        final String value;
        final String expected;
        CompletableFuture<?> future;

        Op(int id, String kind, String key, String value, String expected) {
            this.id = id;
            this.kind = kind;
            this.key = key;
            this.value = value;
            this.expected = expected;
        }
    }

    /** One seed: cluster, store, workload, faults, then the checks. */
    private static final class Run {
        private final long seed;
        private final HamokSimCluster cluster;
        private final HamokSimRemoteStore store;
        private final SplittableRandom random;
        private final Map<String, HamokRemoteMap<String, String>> maps = new HashMap<>();
        private final Map<String, List<String>> events = new LinkedHashMap<>();
        private final Map<String, Boolean> restarted = new HashMap<>();
        private final List<Op> ops = new ArrayList<>();
        private final Map<Node, Long> restartAtMs = new HashMap<>();
        private int crashes;
        private int outages;

        Run(long seed) {
            this.seed = seed;
            this.cluster = new HamokSimCluster(seed, seed % 3 == 0 ? 5 : 3);
            this.store = new HamokSimRemoteStore(seed);
            this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 5);
            cluster.onStart(this::open);
        }

        private void open(Node n) {
            final List<String> list = new ArrayList<>();
            events.put(n.id, list);
            restarted.put(n.id, n.incarnation() > 1);
            final HamokRemoteMap<String, String> map = n.hamok().createRemoteMap(HamokRemoteMapConfig
                    .<String, String>builder().mapId("remote").keyCodec(Codecs.string()).valueCodec(Codecs.string())
                    .remoteMap(store.client()).requestTimeoutMs(2_000).build());
            map.addListener(HamokRemoteMapTest.recorder(list));
            maps.put(n.id, map);
        }

        /** One millisecond: the store's due calls and answers, then the cluster. */
        private void step() {
            store.advance(cluster.virtualMs());
            cluster.step();
        }

        private boolean runUntil(java.util.function.BooleanSupplier condition, long maxMs) {
            for (long i = 0; i < maxMs && !condition.getAsBoolean(); i++) {
                step();
            }
            return condition.getAsBoolean();
        }

        Result run() {
            cluster.start();
            long nextFaultMs = 300 + random.nextInt(500);
            long healAtMs = Long.MAX_VALUE;
            while (cluster.virtualMs() < WORKLOAD_MS) {
                step();
                final long now = cluster.virtualMs();
                if (random.nextInt(8) == 0) {
                    write();
                }
                restartAtMs.entrySet().removeIf(e -> {
                    if (e.getValue() <= now) {
                        cluster.restart(e.getKey());
                        return true;
                    }
                    return false;
                });
                if (now >= healAtMs) {
                    cluster.network().heal();
                    cluster.network().calm();
                    healAtMs = Long.MAX_VALUE;
                }
                if (now >= nextFaultMs) {
                    healAtMs = Math.min(healAtMs, now + fault());
                    nextFaultMs = now + 200 + random.nextInt(600);
                }
            }
            restartAtMs.clear();
            cluster.healAll();
            store.calm();
            if (!runUntil(this::resolved, 30_000)) {
                throw new AssertionError("seed " + seed + ": mutations left pending: " + cluster.describe());
            }
            runUntil(() -> ops.stream().allMatch(o -> o.future.isDone()) && store.idle() && resolved(), 5_000);
            return check();
        }

        /** One leader followed by everyone, and every live peer resolved the same, last mutation. */
        private boolean resolved() {
            if (!cluster.settled()) {
                return false;
            }
            long last = -1;
            for (Node n : cluster.liveNodes()) {
                final RemoteMapState s = maps.get(n.id).replicatedState();
                final long l = s == null ? 0 : s.lastSequence();
                if ((s != null && s.executedSequence() != l) || (last >= 0 && l != last)) {
                    return false;
                }
                last = l;
            }
            return true;
        }

        /** A fault; returns how long until the network heals. */
        private long fault() {
            final int pick = random.nextInt(6);
            final Node leader = cluster.leader();
            switch (pick) {
                case 0 -> {
                    store.down(50 + random.nextInt(300));
                    outages++;
                }
                case 1 -> {
                    if (leader != null && cluster.canCrashOneMore()) {
                        cluster.crash(leader);
                        crashes++;
                        restartAtMs.put(leader, cluster.virtualMs() + 100 + random.nextInt(600));
                    }
                }
                case 2 -> {
                    if (leader != null) {
                        cluster.network().isolate(leader.id);
                    }
                }
                case 3 -> cluster.network().drop(0.1).delay(1, 5).duplicate(0.05).reorder(0.1, 5);
                case 4 -> {
                    final List<Node> live = cluster.liveNodes();
                    final Node n = live.get(random.nextInt(live.size()));
                    if (cluster.canCrashOneMore()) {
                        cluster.crash(n);
                        crashes++;
                        restartAtMs.put(n, cluster.virtualMs() + 50 + random.nextInt(800));
                    }
                }
                default -> {
                    if (leader != null) {
                        cluster.pause(leader, 100 + random.nextInt(500));
                    }
                }
            }
            return 100 + random.nextInt(700);
        }

        private void write() {
            final List<Node> live = cluster.liveNodes();
            final Node on = live.get(random.nextInt(live.size()));
            final HamokRemoteMap<String, String> map = maps.get(on.id);
            final int id = ops.size();
            final String key = KEYS[random.nextInt(KEYS.length)];
            final String value = "v" + id;
            final String expected = "v" + Math.max(0, id - 1 - random.nextInt(8));
            final int pick = random.nextInt(100);
            final Op op;
            if (pick < 40) {
                op = new Op(id, "SET", key, value, null);
                op.future = map.set(key, value);
            } else if (pick < 60) {
                op = new Op(id, "INSERT", key, value, null);
                op.future = map.insert(key, value);
            } else if (pick < 75) {
                op = new Op(id, "REPLACE", key, value, expected);
                op.future = map.replace(key, expected, value);
            } else if (pick < 88) {
                op = new Op(id, "REMOVE", key, null, null);
                op.future = map.remove(key);
            } else if (pick < 97) {
                op = new Op(id, "REMOVE_IF", key, null, expected);
                op.future = map.remove(key, expected);
            } else {
                op = new Op(id, "CLEAR", null, null, null);
                op.future = map.clear();
            }
            ops.add(op);
        }

        // ------------------------------------------------------------------ checks

        private Result check() {
            final List<String> violations = new ArrayList<>();
            final List<Executed> executed = store.executions();
            for (int i = 1; i < executed.size(); i++) {
                if (executed.get(i).index() <= executed.get(i - 1).index()) {
                    violations.add("executed out of order or twice: " + executed.get(i - 1).index() + " then "
                            + executed.get(i).index());
                }
            }
            // replay the store's executions on a model map: each result must be the model's, and the value each
            // SET/INSERT/REPLACE wrote (unique per write) names the write
            final Map<String, String> model = new TreeMap<>();
            final Map<String, Integer> executionsOfValue = new HashMap<>();
            final Map<String, Object> resultOfValue = new HashMap<>();
            for (Executed e : executed) {
                replay(e, model, executionsOfValue, resultOfValue, violations);
            }
            final Map<String, String> content = new TreeMap<>();
            store.store().copy().forEach((k, v) -> content.put(text(k.bytes()), text(v)));
            if (!content.equals(model)) {
                violations.add("the store holds " + content + " but its executions replay to " + model);
            }
            int acknowledged = 0;
            int lost = 0;
            int notApplied = 0;
            for (Op op : ops) {
                if (!op.future.isDone()) {
                    violations.add("write " + op.id + " (" + op.kind + ") never completed");
                    continue;
                }
                final Throwable error = op.future.handle((v, t) -> t).join();
                final Throwable cause = error instanceof java.util.concurrent.CompletionException c ? c.getCause() : error;
                final int runs = op.value == null ? -1 : executionsOfValue.getOrDefault(op.value, 0);
                if (cause == null) {
                    acknowledged++;
                    if (op.value != null && runs != 1) {
                        violations.add("acknowledged write " + op.id + " (" + op.kind + ") executed " + runs + " times");
                    } else if (op.value != null && !java.util.Objects.equals(op.future.join(),
                            resultOfValue.get(op.value))) {
                        violations.add("write " + op.id + " (" + op.kind + " " + op.key + ") answered " + op.future.join()
                                + " but the store's execution gave " + resultOfValue.get(op.value));
                    }
                } else if (cause instanceof ResultUnknownException) {
                    lost++;
                    if (op.value != null && runs != 1) {
                        violations.add("write " + op.id + " failed as applied, but executed " + runs + " times");
                    }
                } else if (!(cause instanceof HamokException h) || !h.mayHaveBeenApplied()) {
                    notApplied++;
                    if (runs > 0) {
                        violations.add("write " + op.id + " failed as not applied (" + cause + ") but was executed");
                    }
                } else if (runs > 1) {
                    violations.add("write " + op.id + " executed " + runs + " times");
                }
            }
            checkEvents(content, violations);
            if (!violations.isEmpty()) {
                throw new AssertionError("seed " + seed + ": " + violations.size() + " violations, first: "
                        + violations.subList(0, Math.min(5, violations.size())) + "\n" + cluster.describe());
            }
            final List<String> firstEvents = events.values().iterator().next();
            return new Result(seed, ops.size(), acknowledged, executed.size(), lost, notApplied, store.staleCalls(),
                    store.ambiguousFailures(), crashes, outages, cluster.virtualMs(),
                    31 * executed.size() + firstEvents.hashCode() + content.hashCode());
        }

        private static void replay(Executed e, Map<String, String> model, Map<String, Integer> executionsOfValue,
                                   Map<String, Object> resultOfValue, List<String> violations) {
            final String key = e.keys().isEmpty() ? null : text(e.keys().get(0));
            final String value = e.values().isEmpty() ? null : text(e.values().get(0));
            if (value != null) {
                executionsOfValue.merge(value, 1, Integer::sum);
            }
            final String old = key == null ? null : model.get(key);
            final Object expectedResult;
            switch (e.op()) {
                case "SET" -> {
                    model.put(key, value);
                    expectedResult = old;
                }
                case "INSERT" -> {
                    if (old == null) {
                        model.put(key, value);
                    }
                    expectedResult = old;
                }
                case "REPLACE" -> {
                    final boolean holds = old != null && old.equals(text(e.expected()));
                    if (holds) {
                        model.put(key, value);
                    }
                    expectedResult = holds;
                }
                case "REMOVE" -> {
                    model.remove(key);
                    expectedResult = old != null;
                }
                case "REMOVE_IF" -> {
                    final boolean holds = old != null && old.equals(text(e.expected()));
                    if (holds) {
                        model.remove(key);
                    }
                    expectedResult = holds;
                }
                default -> {
                    model.clear();
                    expectedResult = null;
                }
            }
            final boolean conditional = e.op().endsWith("IF") || e.op().equals("REPLACE");
            final Object actual = conditional ? e.result().applied() : e.op().equals("REMOVE")
                    ? !e.result().keys().isEmpty() : e.result().values().isEmpty() ? null
                    : text(e.result().values().get(0));
            if (!java.util.Objects.equals(actual, expectedResult) && !e.op().equals("CLEAR")) {
                violations.add("the store's execution " + e.index() + " (" + e.op() + " " + key + ") gave " + actual
                        + ", the model " + expectedResult);
            }
            if (value != null) {
                resultOfValue.put(value, expectedResult);
            }
        }

        /**
         * The events of the committed log (replayed on a fresh state machine) are the reference: every peer's
         * events, cut where a snapshot replaced its state ("unknown null"), are pieces of it; a peer that saw
         * the whole log saw exactly it; and it replays to the store's content when no result was lost.
         */
        private void checkEvents(Map<String, String> content, List<String> violations) {
            final List<String> reference = committedEvents();
            for (Map.Entry<String, List<String>> e : events.entrySet()) {
                final List<String> seen = e.getValue();
                if (!restarted.get(e.getKey()) && !seen.contains("unknown null") && !seen.equals(reference)) {
                    violations.add(e.getKey() + " saw the whole log but reported other events than it holds");
                }
                int from = 0;
                for (int i = 0; i <= seen.size(); i++) {
                    if (i == seen.size() || seen.get(i).equals("unknown null")) {
                        final List<String> piece = seen.subList(from, i);
                        if (!piece.isEmpty() && java.util.Collections.indexOfSubList(reference, piece) < 0) {
                            violations.add(e.getKey() + " reported events that are not in the log's order: " + piece);
                        }
                        from = i + 1;
                    }
                }
            }
            if (reference.stream().anyMatch(line -> line.startsWith("unknown"))) {
                return;
            }
            final Map<String, String> replayed = new TreeMap<>();
            for (String line : reference) {
                final String[] p = line.split(" ");
                switch (p[0]) {
                    case "inserted" -> replayed.put(p[1].substring(0, p[1].indexOf('=')),
                            p[1].substring(p[1].indexOf('=') + 1));
                    case "updated" -> replayed.put(p[1], p[2].substring(p[2].indexOf("->") + 2));
                    case "removed" -> replayed.remove(p[1].substring(0, p[1].indexOf('=')));
                    default -> replayed.clear();
                }
            }
            if (!replayed.equals(content)) {
                violations.add("the events replay to " + replayed + ", the store holds " + content);
            }
        }

        /** The remote map's events of the committed log, in the listener's words. */
        private List<String> committedEvents() {
            final List<String> out = new ArrayList<>();
            final io.hamok.state.ReplicatedStorages replay = new io.hamok.state.ReplicatedStorages(
                    new io.hamok.state.ReplicatedStorages.Observer() {
                        @Override
                        public void onApplied(io.hamok.state.RequestView request, io.hamok.state.ResultView result,
                                              long index, long timestampMs) {
                        }

                        @Override
                        public void onDuplicate(io.hamok.state.RequestView request, long index) {
                        }

                        @Override
                        public void onEvent(io.hamok.state.StorageEvent e) {
                            final String key = text(e.key());
                            out.add(switch (e.type()) {
                                case INSERTED -> "inserted " + key + "=" + text(e.newValue());
                                case UPDATED -> "updated " + key + " " + text(e.oldValue()) + "->" + text(e.newValue());
                                case REMOVED -> "removed " + key + "=" + text(e.oldValue());
                                case CLEARED -> "cleared";
                                default -> "unknown " + key;
                            });
                        }
                    });
            for (HamokSimRaftLogs.Ground.Entry e : cluster.committedLog()) {
                if (e.type() == io.hamok.raft.LogEntryView.NORMAL) {
                    replay.apply(e.index(), e.term(), 0, new org.agrona.concurrent.UnsafeBuffer(e.payload()), 0,
                            e.payload().length);
                }
            }
            return out;
        }

        private static String text(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "seed " + seed + " " + Arrays.asList(cluster.describe());
        }
    }
}
