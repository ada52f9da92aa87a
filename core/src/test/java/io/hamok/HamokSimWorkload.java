// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.HamokSimCluster.Node;
import io.hamok.HamokSimOp.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The randomized workload of one seed: on every instance a map ("accounts") and a record
 * ("config"); random writes and linearizable reads issued on random live instances, every future tracked (see
 * {@link HamokSimOp}); faults at random times (frame loss, delay, duplication and reordering, slow links,
 * partitions, an isolated leader, cut links, crash and restart of at most a minority, leadership
 * transfers, paused instances; on half of the seeds frames in flight to a crashed peer reach its next
 * incarnation). Afterwards the faults are healed, the cluster settles, every instance writes a probe,
 * and {@link HamokSimChecker} checks the history.
 *
 * <p>Cheap check during the run: live replicas that applied the same index hold the same contents.
 */
final class HamokSimWorkload {
    /** What a run did, for reports and for replay comparison. */
    record Result(long seed, int peers, long virtualMs, long steps, int ops, int acknowledged, int failed,
                  int crashes, int restarts, int snapshots, long commitIndex, int fingerprint,
                  HamokSimChecker.Report report, HamokSimMembership.Counts membership) {
    }

    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5"};
    private static final long CONTENT_CHECK_EVERY_MS = 100;

    private final HamokSimCluster cluster;
    private final SplittableRandom random;
    private final List<HamokSimOp> ops = new ArrayList<>();
    private final List<HamokSimReplica> replicas = new ArrayList<>();
    private final Map<String, HamokSimReplica> current = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<Node, Long> quickRestarts = new HashMap<>();
    /** Other loads' work after every step (an emitter load, see HamokSimEmitterLoad). */
    private final List<Runnable> afterStep = new ArrayList<>();
    private boolean storageOps = true;
    private long seq;
    /** Queue operations mixed into the random run, or null (HamokSimQueueOps). */
    private HamokSimQueueOps queue;
    private int crashes;
    private int restarts;
    /** Joins, leaves and clean-ups, when the run changes the membership; else null. */
    private HamokSimMembership membership;

    HamokSimWorkload(HamokSimCluster cluster) {
        this.cluster = cluster;
        this.random = new SplittableRandom(cluster.seed() * 0x2545F4914F6CDD1DL + 3);
        cluster.onStart(n -> {
            final HamokSimReplica r = new HamokSimReplica(n);
            replicas.add(r);
            current.put(n.id, r);
        });
    }

    /** The random run of one seed: {@code workloadMs} of operations and faults, then heal, settle and check. */
    static Result run(long seed, int peers, long workloadMs, int opsTarget) {
        return randomRun(seed, peers, workloadMs, opsTarget).finish();
    }

    /** The random run of one seed up to, not including, {@link #finish()}. */
    static HamokSimWorkload randomRun(long seed, int peers, long workloadMs, int opsTarget) {
        return randomRun(seed, peers, workloadMs, opsTarget, null);
    }

    /** As {@link #randomRun(long, int, long, int)}, with queue operations mixed in ({@code null}: none). */
    static HamokSimWorkload randomRun(long seed, int peers, long workloadMs, int opsTarget, HamokSimQueueOps queue) {
        final HamokSimCluster cluster = new HamokSimCluster(seed, peers);
        final HamokSimWorkload workload = new HamokSimWorkload(cluster);
        if (queue != null) {
            workload.withQueue(queue);
        }
        cluster.withAddresses(seed % 3 == 0); // a third of the seeds; the others replay as before addresses
        cluster.network().keepFramesOfCrashedPeers(seed % 4 >= 2);
        cluster.start();
        workload.randomRun(workloadMs, opsTarget);
        return workload;
    }

    /** Mixes {@code queue}'s operations into this run, tracked and checked with the others; before the cluster starts. */
    void withQueue(HamokSimQueueOps queue) {
        this.queue = queue.attach(this);
    }

    /**
     * The random run of one seed of the membership scenario (issue 11): three founders with addresses,
     * links as on TCP, and beside the ops and faults, peers joining through seeds, leaving, joining
     * again under an old id, and departed members removed by an operator; up to, not including,
     * {@link #finish()}.
     */
    static HamokSimWorkload membershipRun(long seed, long workloadMs, int opsTarget) {
        final HamokSimCluster cluster = new HamokSimCluster(seed, 3);
        final HamokSimWorkload workload = new HamokSimWorkload(cluster);
        cluster.withAddresses(true);
        cluster.network().modelLinks(true).keepFramesOfCrashedPeers(seed % 4 >= 2);
        workload.membership = new HamokSimMembership(workload, new java.util.SplittableRandom(seed * 0x5DEECE66DL + 11));
        cluster.start();
        workload.randomRun(workloadMs, opsTarget);
        return workload;
    }

    /** The membership side of the run, or null. */
    HamokSimMembership membership() {
        return membership;
    }

    // ------------------------------------------------------------------ the random run

    void randomRun(long workloadMs, int opsTarget) {
        final int opEveryMs = (int) Math.max(1, workloadMs / Math.max(1, opsTarget));
        long nextFaultMs = 300 + random.nextInt(700);
        while (cluster.virtualMs() < workloadMs) {
            step();
            if (storageOps && random.nextInt(opEveryMs) == 0) {
                randomOp();
            }
            if (cluster.virtualMs() >= nextFaultMs) {
                fault();
                nextFaultMs = cluster.virtualMs() + 150 + random.nextInt(700);
            }
            if (membership != null) {
                membership.onStep();
            }
            quickRestarts.entrySet().removeIf(e -> {
                if (e.getValue() > cluster.virtualMs()) {
                    return false;
                }
                if (!e.getKey().alive() && !e.getKey().departed()) {
                    cluster.restart(e.getKey());
                    restarts++;
                }
                return true;
            });
        }
    }

    /** One cluster step plus the cheap content check. */
    void step() {
        cluster.step();
        afterStep.forEach(Runnable::run);
        if (cluster.virtualMs() % CONTENT_CHECK_EVERY_MS == 0) {
            checkSameIndexSameContent();
        }
    }

    void runFor(long ms) {
        for (long i = 0; i < ms; i++) {
            step();
        }
    }

    /** Steps until every op completed; false after {@code maxMs}. */
    boolean awaitOps(long maxMs) {
        for (long i = 0; i < maxMs; i++) {
            if (pending() == 0) {
                return true;
            }
            step();
        }
        return pending() == 0;
    }

    /**
     * Heals every fault, lets the cluster settle, waits for every op, writes one probe per instance
     * (each must be acknowledged: a healed cluster must be live), settles again and checks.
     */
    Result finish() {
        quickRestarts.clear();
        cluster.healAll();
        if (membership != null) {
            require(membership.settle(), "liveness: joins, leaves and clean-ups did not finish: " + membership);
        }
        require(cluster.stabilize(200, 15_000), "liveness: the healed cluster did not settle in 15 s");
        require(awaitOps(5_000), "liveness: " + pending() + " ops still pending 5 s after the cluster settled");
        final List<HamokSimOp> probes = new ArrayList<>();
        for (Node n : cluster.liveNodes()) {
            probes.add(issue(current.get(n.id), Kind.MAP_SET, "probe-" + n.id, null));
        }
        require(awaitOps(5_000), "liveness: probes still pending after 5 s");
        for (HamokSimOp p : probes) {
            require(p.status == HamokSimOp.Status.ACKNOWLEDGED, "liveness: a probe on the healed cluster failed: " + p);
        }
        require(cluster.stabilize(100, 5_000), "liveness: the cluster did not settle after the probes");
        checkSameIndexSameContent();
        if (queue != null) {
            queue.drainAndCheck(violations);
        }
        if (membership != null) {
            membership.check(violations);
        }
        final HamokSimChecker.Report report = new HamokSimChecker(cluster, ops, replicas).check(violations);
        int acknowledged = 0;
        int failed = 0;
        for (HamokSimOp op : ops) {
            acknowledged += op.status == HamokSimOp.Status.ACKNOWLEDGED ? 1 : 0;
            failed += op.status == HamokSimOp.Status.FAILED ? 1 : 0;
        }
        int snapshots = 0;
        for (Node n : cluster.nodes()) {
            snapshots += n.logs.snapshotsInstalled();
        }
        return new Result(cluster.seed(), cluster.nodes().size(), cluster.virtualMs(), cluster.steps(), ops.size(),
                acknowledged, failed, crashes, restarts, snapshots, cluster.leader().hamok().loop().commitIndex(),
                report.fingerprint(), report, membership == null ? null : membership.counts());
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message + "\n" + cluster.describe() + "\npending: " + pendingOps());
        }
    }

    // ------------------------------------------------------------------ operations

    private void randomOp() {
        final HamokSimReplica r = randomLiveReplica();
        if (r == null) {
            return;
        }
        if (queue != null && queue.maybeIssue(r, random)) {
            return;
        }
        final int roll = random.nextInt(100);
        final String key = KEYS[random.nextInt(KEYS.length)];
        final String property = HamokSimSettings.PROPERTIES.get(random.nextInt(2));
        if (roll < 16) {
            issue(r, Kind.MAP_SET, key, null);
        } else if (roll < 23) {
            issue(r, Kind.MAP_INSERT, key, null);
        } else if (roll < 27) {
            issue(r, Kind.MAP_DELETE, key, null);
        } else if (roll < 31) {
            issue(r, Kind.MAP_REMOVE, key, null);
        } else if (roll < 48) {
            conditional(r, Kind.MAP_UPDATE_IF, key);
        } else if (roll < 53) {
            conditional(r, Kind.MAP_REMOVE_IF, key);
        } else if (roll < 54) {
            issue(r, Kind.MAP_CLEAR, "*", null);
        } else if (roll < 64) {
            issue(r, Kind.MAP_READ, key, null);
        } else if (roll < 74) {
            issue(r, Kind.RECORD_SET, property, null);
        } else if (roll < 79) {
            issue(r, Kind.RECORD_INSERT, property, null);
        } else if (roll < 94) {
            conditional(r, Kind.RECORD_UPDATE_IF, property);
        } else {
            issue(r, Kind.RECORD_READ, property, null);
        }
    }

    /**
     * A conditional op expecting the value this replica sees (or, if it sees none, one another sees);
     * sometimes a second replica competes with the same expectation at the same moment (check d).
     */
    private void conditional(HamokSimReplica r, Kind kind, String key) {
        Object expected = localValue(r, kind, key);
        if (expected == null) {
            final HamokSimReplica other = randomLiveReplica();
            expected = other == null ? null : localValue(other, kind, key);
        }
        if (expected == null) {
            issue(r, kind.onMap() ? Kind.MAP_INSERT : Kind.RECORD_INSERT, key, null);
            return;
        }
        issue(r, kind, key, expected);
        if (kind != Kind.MAP_REMOVE_IF && random.nextInt(4) == 0) {
            final HamokSimReplica rival = randomLiveReplica();
            if (rival != null && rival != r) {
                issue(rival, kind, key, expected);
            }
        }
    }

    private static Object localValue(HamokSimReplica r, Kind kind, String key) {
        return kind.onMap() ? r.map.get(key) : r.record.get(key);
    }

    /** Submits one op on {@code r} and tracks its future. */
    HamokSimOp issue(HamokSimReplica r, Kind kind, String key, Object expected) {
        final int id = ops.size() + 1;
        final HamokSimOp op = new HamokSimOp(id, kind, r.node.id, r.incarnation, kind.isRead() ? 0 : r.nextOrdinal(),
                key, expected, ++seq, cluster.virtualMs());
        ops.add(op);
        final CompletableFuture<?> future = switch (kind) {
            case MAP_SET -> r.map.set(key, (long) id);
            case MAP_INSERT -> r.map.insert(key, (long) id);
            case MAP_DELETE -> r.map.delete(key);
            case MAP_REMOVE -> r.map.remove(key);
            case MAP_UPDATE_IF -> r.map.updateIf(key, (long) id, (Long) expected);
            case MAP_REMOVE_IF -> r.map.removeIf(key, (Long) expected);
            case MAP_CLEAR -> r.map.clear();
            case MAP_READ -> r.map.getLinearizable(key);
            case RECORD_READ -> r.record.getLinearizable(key);
            case RECORD_SET -> r.record.set(key, "v" + id);
            case RECORD_INSERT -> r.record.insert(key, "v" + id);
            case RECORD_UPDATE_IF -> r.record.updateIf(key, "v" + id, expected);
        };
        op.track(future, () -> ++seq, cluster::virtualMs);
        return op;
    }

    // ------------------------------------------------------------------ faults

    private void fault() {
        final int roll = random.nextInt(100);
        final HamokSimNetwork network = cluster.network();
        if (roll < 15) {
            network.heal();
        } else if (roll < 26) {
            networkQuality();
        } else if (roll < 32) {
            final Node from = randomNode(false);
            final Node to = randomNode(false);
            if (from != to) {
                network.slowLink(from.id, to.id, 50 + random.nextInt(400));
            }
        } else if (roll < 38) {
            partition();
        } else if (roll < 46) {
            final Node leader = cluster.leader();
            if (leader != null) {
                network.isolate(leader.id);
            }
        } else if (roll < 52) {
            network.cut(randomNode(false).id, randomNode(false).id);
        } else if (roll < 66) {
            crash();
        } else if (roll < 80) {
            restart();
        } else if (roll < 88) {
            transfer();
        } else if (roll < 94) {
            final Node paused = random.nextInt(2) == 0 ? cluster.leader() : randomNode(true);
            if (paused != null) {
                cluster.pause(paused, 100 + random.nextInt(1_500));
            }
        } else {
            network.calm();
        }
    }

    private void networkQuality() {
        final double[] drops = {0, 0.01, 0.05, 0.15, 0.3};
        final double[] duplicates = {0, 0.02, 0.1, 0.3};
        final long[] jitters = {0, 5, 20, 80};
        cluster.network().drop(drops[random.nextInt(drops.length)])
                .duplicate(duplicates[random.nextInt(duplicates.length)])
                .delay(random.nextInt(6), jitters[random.nextInt(jitters.length)])
                .reorder(random.nextInt(3) == 0 ? 0.1 : 0, 60);
    }

    private void partition() {
        final List<String> ids = new ArrayList<>();
        cluster.nodes().forEach(n -> ids.add(n.id));
        for (int i = ids.size() - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            ids.set(j, ids.set(i, ids.get(j)));
        }
        final int cut = 1 + random.nextInt(ids.size() - 1);
        cluster.network().partition(new HashSet<>(ids.subList(0, cut)), new HashSet<>(ids.subList(cut, ids.size())));
    }

    private void crash() {
        if (!cluster.canCrashOneMore()) {
            return;
        }
        final Node leader = cluster.leader();
        final Node victim = leader != null && random.nextInt(3) == 0 ? leader : randomNode(true);
        if (victim != null) {
            crash(victim);
            if (random.nextInt(4) == 0) {
                quickRestarts.put(victim, cluster.virtualMs() + 1 + random.nextInt(30));
            }
        }
    }

    void crash(Node victim) {
        cluster.crash(victim);
        current.get(victim.id).ended();
        crashes++;
    }

    /** The peer's current incarnation ended (it closed, or is about to start again on another disk). */
    void ended(Node n) {
        current.get(n.id).ended();
    }

    private void restart() {
        final List<Node> down = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            if (!n.alive() && !n.departed()) {
                down.add(n);
            }
        }
        if (!down.isEmpty()) {
            cluster.restart(down.get(random.nextInt(down.size())));
            restarts++;
        }
    }

    private void transfer() {
        final Node leader = cluster.leader();
        final Node target = randomNode(true);
        if (leader != null && target != null && target != leader) {
            leader.hamok().loop().transferLeadership(target.id);
        }
    }

    private Node randomNode(boolean liveOnly) {
        final List<Node> candidates = liveOnly ? cluster.liveNodes() : cluster.nodes();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private HamokSimReplica randomLiveReplica() {
        final Node n = randomNode(true);
        return n == null ? null : current.get(n.id);
    }

    // ------------------------------------------------------------------ checks during the run

    /** Live replicas that applied the same index must hold the same map and record. */
    private void checkSameIndexSameContent() {
        final Map<Long, HamokSimReplica> byApplied = new HashMap<>();
        for (Node n : cluster.liveNodes()) {
            final HamokSimReplica r = current.get(n.id);
            final long applied = n.hamok().loop().lastApplied();
            final HamokSimReplica other = byApplied.putIfAbsent(applied, r);
            if (other != null && (!other.map.export().equals(r.map.export())
                    || !other.record.export().equals(r.record.export())) && violations.size() < 10) {
                violations.add("(a) t=" + cluster.virtualMs() + "ms " + other + " and " + r + " both applied " + applied
                        + " but differ: " + other.map.export() + " " + other.record.export() + " vs "
                        + r.map.export() + " " + r.record.export());
            }
        }
    }

    int pending() {
        int count = 0;
        for (HamokSimOp op : ops) {
            count += op.status == HamokSimOp.Status.PENDING ? 1 : 0;
        }
        return count + (queue == null ? 0 : queue.pending());
    }

    private List<HamokSimOp> pendingOps() {
        final List<HamokSimOp> out = new ArrayList<>();
        for (HamokSimOp op : ops) {
            if (op.status == HamokSimOp.Status.PENDING && out.size() < 10) {
                out.add(op);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ access for scripted tests

    /** Runs {@code action} after every step, before the content check. */
    void afterStep(Runnable action) {
        afterStep.add(action);
    }

    /** The random run issues no map and record ops (only faults), for a run that another load drives. */
    void withoutStorageOps() {
        storageOps = false;
    }

    HamokSimCluster cluster() {
        return cluster;
    }

    HamokSimReplica replica(Node n) {
        return current.get(n.id);
    }

    List<HamokSimOp> ops() {
        return ops;
    }

    List<HamokSimReplica> replicas() {
        return replicas;
    }
}
