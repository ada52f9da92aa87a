// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.HamokSimCluster.Node;
import io.hamok.HamokSimOp.Kind;
import io.hamok.HamokSimOp.Status;
import io.hamok.sim.SimulationSeedExtension;
import io.hamok.state.StorageRequest;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic simulations of whole Hamok instances (DESIGN.md §10, layer 2 with full instances):
 * maps and records written from every instance under network faults, crashes and leader changes, the
 * history checked against the committed log ({@link HamokSimChecker}). {@code
 * -Dhamok.sim.hamokSeeds=N} sets how many seeds the random test runs (default 200); {@code
 * -Dhamok.sim.seed=S} replays seed S alone.
 */
@Tag("simulation")
class HamokSimulationTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    /** Virtual milliseconds of operations and faults per random seed. */
    private static final long WORKLOAD_MS = 6_000;
    /** Operations issued per random seed (about). */
    private static final int OPS_PER_SEED = 400;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldKeepEveryAcknowledgedWriteUnderRandomFaults() {
        final Long replay = SimulationSeedExtension.replaySeed();
        if (replay != null) {
            System.out.println(runSeed(replay));
            return;
        }
        final int seeds = Integer.getInteger("hamok.sim.hamokSeeds", 200);
        final HamokSimTotals t = HamokSimTotals.run(seeds, HamokSimulationTest::runSeed);
        SEEDS.clear();
        System.out.printf("%d Hamok seeds: %d ops (%d acknowledged, %d not traceable to the log, failed %s; %d timed"
                        + " out but applied), %d crashes, %d snapshots installed, %d retried duplicates deduplicated,"
                        + " %d virtual s, %d ms real time%n", seeds, t.ops, t.acknowledged, t.unverifiable, t.failures,
                t.timedOutButApplied, t.crashes, t.snapshots, t.duplicates, t.virtualMs / 1000, t.realMs);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReplayTheSameRunForTheSameSeed() {
        HamokSimTotals.assertReplays(runSeed(7), runSeed(7));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldConvergeAfterLeaderCrashDuringWrites() {
        for (long seed = 101; seed <= 110; seed++) {
            SEEDS.register(seed);
            final HamokSimWorkload w = new HamokSimWorkload(new HamokSimCluster(seed, seed % 2 == 0 ? 5 : 3));
            final HamokSimCluster cluster = w.cluster();
            cluster.start();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            final Node oldLeader = cluster.leader();
            int written = 0;
            for (int ms = 0; ms < 1_500; ms++) {
                if (ms % 5 == 0) {
                    final Node on = cluster.liveNodes().get(ms / 5 % cluster.liveCount());
                    if (ms % 3 == 0) {
                        w.issue(w.replica(on), Kind.RECORD_SET, HamokSimSettings.PROPERTIES.get(ms % 2), null);
                    } else {
                        w.issue(w.replica(on), Kind.MAP_SET, "k" + (ms % 4), null);
                    }
                    written++;
                }
                if (ms == 300) {
                    w.crash(oldLeader);
                }
                if (ms == 1_000) {
                    final Node interim = cluster.leader();
                    assertNotNull(interim, "a new leader within 700 ms of the crash: " + cluster.describe());
                    assertNotEquals(oldLeader.id, interim.id);
                    cluster.restart(oldLeader);
                }
                w.step();
            }
            final HamokSimWorkload.Result r = w.finish();
            assertTrue(r.acknowledged() > written / 2, "most writes were acknowledged: " + r);
            assertEquals(1, r.crashes());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNotApplyARetriedWriteTwiceAfterLeaderChange() {
        for (long seed = 201; seed <= 205; seed++) {
            SEEDS.register(seed);
            final HamokSimWorkload w = new HamokSimWorkload(new HamokSimCluster(seed, 3));
            final HamokSimCluster cluster = w.cluster();
            cluster.start();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            final Node leader = cluster.leader();
            final List<Node> followers = new ArrayList<>(cluster.liveNodes());
            followers.remove(leader);
            final Node successor = followers.get(0);
            final Node origin = followers.get(1);

            // The origin's submit reaches the leader; then the origin hears nothing (no SUBMIT response,
            // no commit) and says nothing, until leadership has moved.
            final boolean[] cutOff = {false};
            cluster.network().filter(f -> {
                if (cutOff[0]) {
                    return !f.from().equals(origin.id) && !f.to().equals(origin.id);
                }
                if (f.from().equals(origin.id) && f.type() == MessageType.SUBMIT_MESSAGE_REQUEST) {
                    cutOff[0] = true;
                }
                return true;
            });
            final HamokSimOp op = w.issue(w.replica(origin), Kind.MAP_SET, "retried", null);
            assertTrue(w.cluster().runUntil(() -> Long.valueOf(op.id).equals(w.replica(leader).map.get("retried"))
                    && Long.valueOf(op.id).equals(w.replica(successor).map.get("retried")), 2_000), cluster.describe());
            assertEquals(Status.PENDING, op.status, "the origin has not heard of the commit");

            leader.hamok().loop().transferLeadership(successor.id);
            assertTrue(cluster.runUntil(() -> successor.hamok().isLeader(), 2_000), cluster.describe());

            // The origin hears from the new leader, but not the entry of its write: it resends the write.
            // The new leader has applied it already, so it answers "accepted" without a second entry
            // (Grid.onSubmitRequest); had it appended one, every replica would skip it (DedupTable).
            final int[] resends = {0};
            cluster.network().filter(f -> {
                if (f.from().equals(origin.id) && f.type() == MessageType.SUBMIT_MESSAGE_REQUEST) {
                    resends[0]++;
                }
                return !f.to().equals(origin.id) || !carriesOp(f, op);
            });
            assertTrue(cluster.runUntil(() -> resends[0] >= 1, 3_000),
                    "the origin resent the write to the new leader: " + cluster.describe());
            cluster.network().filter(null);

            final HamokSimWorkload.Result r = w.finish();
            assertEquals(Status.ACKNOWLEDGED, op.status, op.toString());
            assertEquals(null, op.result, "the write found the key absent once");
            assertTrue(timesInLog(cluster, op) == 1 || r.report().retriedDuplicates() >= 1,
                    "a second copy in the log, if any, was skipped: " + r);
            for (Node n : cluster.liveNodes()) {
                final long applied = w.replica(n).events.stream().filter(e -> e.equals("M INS retried=" + op.id)).count();
                assertEquals(1, applied, n.id + " applied the write once: " + w.replica(n).events);
                assertEquals(Long.valueOf(op.id), w.replica(n).map.get("retried"));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldLetExactlyOneOfTwoCompetingUpdateIfWin() {
        for (long seed = 301; seed <= 320; seed++) {
            SEEDS.register(seed);
            final HamokSimWorkload w = new HamokSimWorkload(new HamokSimCluster(seed, seed % 2 == 0 ? 5 : 3));
            final HamokSimCluster cluster = w.cluster();
            cluster.start();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            final List<Node> nodes = cluster.liveNodes();
            final HamokSimOp initial = w.issue(w.replica(nodes.get(0)), Kind.MAP_SET, "contested", null);
            assertTrue(w.awaitOps(3_000) && cluster.stabilize(10, 3_000), cluster.describe());
            assertEquals(Status.ACKNOWLEDGED, initial.status);
            if (seed % 3 == 0) {
                cluster.network().duplicate(0.3).reorder(0.2, 30);
            }
            final Node a = nodes.get((int) (seed % nodes.size()));
            final Node b = nodes.get((int) ((seed + 1) % nodes.size()));
            assertNotEquals(a, b);
            final HamokSimOp first = w.issue(w.replica(a), Kind.MAP_UPDATE_IF, "contested", (long) initial.id);
            final HamokSimOp second = w.issue(w.replica(b), Kind.MAP_UPDATE_IF, "contested", (long) initial.id);
            if (seed % 4 == 0) {
                w.runFor(2);
                cluster.leader().hamok().loop().transferLeadership(a.id);
            }
            assertTrue(w.awaitOps(5_000), cluster.describe());
            final HamokSimWorkload.Result r = w.finish();
            assertEquals(Status.ACKNOWLEDGED, first.status, first.toString());
            assertEquals(Status.ACKNOWLEDGED, second.status, second.toString());
            assertEquals(1, (Boolean.TRUE.equals(first.result) ? 1 : 0) + (Boolean.TRUE.equals(second.result) ? 1 : 0),
                    "exactly one wins: " + first + " " + second);
            final HamokSimOp winner = Boolean.TRUE.equals(first.result) ? first : second;
            for (Node n : cluster.liveNodes()) {
                assertEquals(Long.valueOf(winner.id), w.replica(n).map.get("contested"), n.id + " " + r);
            }
        }
    }

    /**
     * A follower's linearizable read asks the leader for a read index under a context number that
     * restarts at 1 in every incarnation (Reads.contexts), and takes the leader's answer by that number
     * alone. Here the leader answers the previous incarnation's read after the follower restarted; the
     * new incarnation's read, numbered 1 too, takes that old read index and returns a value older than
     * a write acknowledged before it began. FAILS until read contexts are unique across incarnations.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNotServeALinearizableReadWithTheAnswerToThePreviousIncarnation() {
        for (long seed = 501; seed <= 503; seed++) {
            SEEDS.register(seed);
            final HamokSimWorkload w = new HamokSimWorkload(new HamokSimCluster(seed, 3));
            final HamokSimCluster cluster = w.cluster();
            cluster.start();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            final Node leader = cluster.leader();
            final List<Node> followers = new ArrayList<>(cluster.liveNodes());
            followers.remove(leader);
            final Node reader = followers.get(0);
            final Node other = followers.get(1);
            final HamokSimOp first = w.issue(w.replica(leader), Kind.MAP_SET, "k", null);
            assertTrue(w.awaitOps(2_000) && cluster.stabilize(20, 2_000), cluster.describe());

            // slow links: the leader's answers reach the reader late, its heartbeat round takes ~120 ms
            cluster.network().slowLink(leader.id, reader.id, 300).slowLink(leader.id, other.id, 60)
                    .slowLink(other.id, leader.id, 60);
            w.issue(w.replica(reader), Kind.MAP_READ, "k", null);
            w.runFor(20);
            w.crash(reader);
            w.runFor(1);
            cluster.restart(reader);
            final HamokSimOp second = w.issue(w.replica(leader), Kind.MAP_SET, "k", null);
            assertTrue(cluster.runUntil(() -> second.status == Status.ACKNOWLEDGED, 1_000), second.toString());
            w.runFor(1);
            final HamokSimOp read = w.issue(w.replica(reader), Kind.MAP_READ, "k", null);
            assertTrue(w.awaitOps(3_000), cluster.describe());

            assertEquals(Status.ACKNOWLEDGED, read.status, read.toString());
            assertEquals((long) second.id, read.result, "a linearizable read begun after " + second
                    + " was acknowledged must see it (not " + first + "): " + read);
        }
    }

    /**
     * A write whose origin catches up by snapshot is applied there without {@code onApplied}: the grid
     * keeps resending it (a duplicate log entry every resend interval) and fails it with
     * HamokTimeoutException ("outcome unknown") at its deadline, although the cluster is healthy and the
     * write was applied long before. FAILS until the grid settles pending writes that a restored
     * snapshot covers (the dedup table knows them).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldAnswerAWriteWhoseOriginCatchesUpBySnapshot() {
        for (long seed = 401; seed <= 403; seed++) {
            SEEDS.register(seed);
            final HamokSimWorkload w = new HamokSimWorkload(new HamokSimCluster(seed, 3));
            final HamokSimCluster cluster = w.cluster();
            cluster.start();
            assertTrue(cluster.stabilize(50, 5_000), cluster.describe());
            final Node leader = cluster.leader();
            final List<Node> followers = new ArrayList<>(cluster.liveNodes());
            followers.remove(leader);
            final Node origin = followers.get(1);
            // the origin's frames go out; of the leader's appends only those without entries come in
            cluster.network().filter(f -> !f.to().equals(origin.id) || f.type() != MessageType.RAFT_APPEND_ENTRIES_REQUEST
                    || f.message().getEntriesCount() == 0);
            final HamokSimOp op = w.issue(w.replica(origin), Kind.MAP_SET, "late", null);
            for (int i = 0; i < 250; i++) {
                w.issue(w.replica(leader), Kind.MAP_SET, "k" + (i % 5), null);
                w.runFor(2);
            }
            cluster.network().filter(null);
            assertTrue(cluster.runUntil(() -> Long.valueOf(op.id).equals(w.replica(origin).map.get("late")), 2_000),
                    cluster.describe());
            assertTrue(origin.logs.snapshotsInstalled() > 0, "the origin caught up by snapshot");
            final long appliedAtOriginMs = cluster.virtualMs();
            cluster.runUntil(() -> op.status != Status.PENDING, 3_000);
            assertTrue(op.status != Status.PENDING && op.completeMs - appliedAtOriginMs <= 500,
                    "the write was applied at its origin at " + appliedAtOriginMs + " ms (and committed long before),"
                            + " but its future stayed pending, the origin resending it, until its timeout: " + op
                            + "; copies in the log: " + timesInLog(cluster, op));
            w.finish();
        }
    }

    /**
     * Seed 2774 (5 peers): the leader of term 3 appended entries at indexes 140 to 265 and was deposed
     * before it committed any; the leader of term 4 held term-2 entries at 140 to 242 and committed them
     * with its own (paper Figure 8). The checker used to take the entry of the highest term at every
     * index as the committed one, replayed term-3 entries that no replica applied, and reported correct
     * results (six writes acknowledged when term 4 committed) and event streams as violations of (b).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCheckAgainstTheCommittedEntryWhereAnUncommittedOneOfALaterTermSharesItsIndex() {
        final long seed = 2774;
        SEEDS.register(seed);
        final HamokSimWorkload w = HamokSimWorkload.randomRun(seed, 5, WORKLOAD_MS, OPS_PER_SEED);
        w.finish();
        final List<HamokSimRaftLogs.Ground.Entry> committed = w.cluster().committedLog();
        final long shadowed = w.cluster().ground().all().stream()
                .filter(e -> e.index() <= committed.size() && e.term() > committed.get((int) e.index() - 1).term())
                .count();
        assertTrue(shadowed > 0, "the seed still makes a later term append over entries committed afterwards");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCatchATamperedHistory() {
        final HamokSimWorkload w = new HamokSimWorkload(new HamokSimCluster(11, 3));
        w.cluster().start();
        w.randomRun(2_000, 200);
        w.finish();
        final HamokSimOp write = firstAcknowledged(w, Kind.MAP_SET);
        final HamokSimOp conditional = w.ops().stream().filter(op -> op.kind == Kind.MAP_UPDATE_IF
                && Boolean.TRUE.equals(op.result)).findFirst().orElseThrow();
        final HamokSimOp read = w.ops().stream().filter(op -> op.kind == Kind.MAP_READ
                && op.status == Status.ACKNOWLEDGED).findFirst().orElseThrow();

        assertCaught(w, "(b)", () -> write.result = -1L, () -> write.result = null);
        final Object before = conditional.result;
        assertCaught(w, "(b)", () -> conditional.result = false, () -> conditional.result = before);
        final Object readBefore = read.result;
        assertCaught(w, "(f)", () -> read.result = -1L, () -> read.result = readBefore);
        final Throwable noFailure = write.failure;
        final Object writeResult = write.result;
        assertCaught(w, "(e)", () -> {
            write.status = Status.FAILED;
            write.failure = new NotLeaderException("peer-0", null);
        }, () -> {
            write.status = Status.ACKNOWLEDGED;
            write.failure = noFailure;
            write.result = writeResult;
        });
        final List<String> stream = w.replicas().get(0).events;
        final String inserted = stream.stream().filter(e -> e.startsWith("M INS")).findFirst().orElseThrow();
        assertCaught(w, "(c)", () -> stream.add(inserted), () -> stream.remove(stream.size() - 1));
    }

    // ------------------------------------------------------------------ helpers

    private static HamokSimOp firstAcknowledged(HamokSimWorkload w, Kind kind) {
        return w.ops().stream().filter(op -> op.kind == kind && op.status == Status.ACKNOWLEDGED).findFirst()
                .orElseThrow();
    }

    /** The checker, run again on the tampered history, reports a violation of {@code check}. */
    private static void assertCaught(HamokSimWorkload w, String check, Runnable tamper, Runnable undo) {
        tamper.run();
        try {
            new HamokSimChecker(w.cluster(), w.ops(), w.replicas()).check(List.of());
            throw new AssertionError("the checker missed a tampered history (" + check + ")");
        } catch (AssertionError e) {
            assertTrue(e.getMessage().contains(check + " "), "expected a " + check + " violation: " + e.getMessage());
        } finally {
            undo.run();
        }
        new HamokSimChecker(w.cluster(), w.ops(), w.replicas()).check(List.of());
    }

    /** One random run; registers the seed for the failure report. Odd seeds run 3 peers, even 5. */
    private static HamokSimWorkload.Result runSeed(long seed) {
        SEEDS.register(seed);
        return HamokSimWorkload.run(seed, seed % 2 == 1 ? 3 : 5, WORKLOAD_MS, OPS_PER_SEED);
    }

    /** Whether the frame is a snapshot, or entries one of which is the op's request. */
    private static boolean carriesOp(HamokSimNetwork.Frame f, HamokSimOp op) {
        final MessageType type = f.type();
        if (type == MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST) {
            return true;
        }
        if (type != MessageType.RAFT_APPEND_ENTRIES_REQUEST) {
            return false;
        }
        for (LogEntry e : f.message().getEntriesList()) {
            if (isOp(e.getPayload().toByteArray(), op)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOp(byte[] payload, HamokSimOp op) {
        try {
            final StorageRequest r = StorageRequest.fromBytes(payload);
            return r.values().size() == 1 && r.values().get(0).length == Long.BYTES
                    && Codecs.longs().decode(r.values().get(0)) == op.id;
        } catch (RuntimeException notAStorageRequest) {
            return false; // membership or no-op entry
        }
    }

    /**
     * How many entries of the committed log hold the op's request (its unique value); with no leader,
     * how many entries any peer appended hold it.
     */
    private static int timesInLog(HamokSimCluster cluster, HamokSimOp op) {
        int count = 0;
        for (HamokSimRaftLogs.Ground.Entry e : cluster.leader() != null ? cluster.committedLog() : cluster.ground().all()) {
            count += isOp(e.payload(), op) ? 1 : 0;
        }
        return count;
    }
}
