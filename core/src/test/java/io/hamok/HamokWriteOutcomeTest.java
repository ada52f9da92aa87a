// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.HamokSimCluster.Node;
import io.hamok.raft.RaftConfig;
import io.hamok.wire.proto.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a failed write means: every failure a write can be provoked into on whole instances, in
 * the deterministic simulation ({@link HamokSimCluster}: one thread, virtual time), with its
 * {@link HamokException#mayHaveBeenApplied()} pinned. Where the answer is "may have been applied",
 * the test also shows that it was, where it can.
 */
@Timeout(60)
class HamokWriteOutcomeTest {
    private static final long SEED = 12;
    private static final String MAP_ID = "outcomes";

    private static RaftConfig.Builder simRaft() {
        return RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .snapshotThresholdEntries(100).snapshotChunkBytes(256).maxEntriesPerAppend(64)
                .maxBytesPerAppend(16 * 1024).maxInflightAppends(8).logEntriesExpirationTimeMs(0);
    }

    private static HamokMap<String, Long> map(Node n) {
        return n.hamok().getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId(MAP_ID)
                .keyCodec(Codecs.string()).valueCodec(Codecs.longs()).requestTimeoutMs(2_000).build());
    }

    /** A started cluster with a settled leader. */
    private static HamokSimCluster settled(RaftConfig raft) {
        final HamokSimCluster cluster = new HamokSimCluster(SEED, 3, raft);
        cluster.start();
        assertTrue(cluster.stabilize(100, 10_000), cluster::describe);
        return cluster;
    }

    private static Node follower(HamokSimCluster cluster, Node not) {
        return cluster.liveNodes().stream().filter(n -> n != cluster.leader() && n != not).findFirst().orElseThrow();
    }

    /** The exception a future failed with (it must be done). */
    private static HamokException failure(CompletableFuture<?> future) {
        assertTrue(future.isDone(), "not done");
        try {
            future.join();
        } catch (CompletionException e) {
            return assertInstanceOf(HamokException.class, e.getCause());
        }
        throw new AssertionError("the future did not fail: " + future.join());
    }

    private static void finish(HamokSimCluster cluster) {
        assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
    }

    @Test
    void shouldSayNotAppliedWhenNoLeaderWasEverKnown() {
        final HamokSimCluster cluster = new HamokSimCluster(SEED, 3, simRaft().build());
        cluster.network().isolate("peer-0");
        cluster.start();
        final CompletableFuture<Long> write = map(cluster.node(0)).set("k", 1L);

        assertTrue(cluster.runUntil(write::isDone, 5_000), cluster::describe);
        final HamokException e = failure(write);
        assertInstanceOf(NoLeaderException.class, e);
        assertFalse(e.mayHaveBeenApplied());
        finish(cluster);
    }

    @Test
    void shouldSayNotAppliedWhenClosedBeforeAnyLeaderHadTheWrite() {
        final HamokSimCluster cluster = new HamokSimCluster(SEED, 3, simRaft().build());
        cluster.network().isolate("peer-0");
        cluster.start();
        final CompletableFuture<Long> write = map(cluster.node(0)).set("k", 1L);
        cluster.runFor(50);

        cluster.crash(cluster.node(0));

        final HamokException e = failure(write);
        assertInstanceOf(HamokClosedException.class, e);
        assertFalse(e.mayHaveBeenApplied());
        final Hamok closed = cluster.node(0).hamok();
        assertFalse(failure(closed.submit(new byte[] {1})).mayHaveBeenApplied(), "submitted after the close");
        finish(cluster);
    }

    /** The follower closes right after sending its write to the leader: the cluster applies it anyway. */
    @Test
    void shouldSayMayHaveBeenAppliedWhenClosedAfterTheWriteReachedALeader() {
        final HamokSimCluster cluster = settled(simRaft().build());
        final Node leader = cluster.leader();
        final Node follower = follower(cluster, null);
        final HamokMap<String, Long> leaderMap = map(leader);
        final CompletableFuture<Long> write = map(follower).set("k", 7L);
        cluster.step(); // the follower's duty cycle sends the SUBMIT

        cluster.crash(follower);

        final HamokException e = failure(write);
        assertInstanceOf(HamokClosedException.class, e);
        assertTrue(e.mayHaveBeenApplied(), e.getMessage());
        assertTrue(cluster.runUntil(() -> Long.valueOf(7L).equals(leaderMap.get("k")), 2_000),
                "applied after all: " + cluster.describe());
        finish(cluster);
    }

    @Test
    void shouldSayMayHaveBeenAppliedWhenAWriteTheLeaderAppendedTimesOut() {
        final HamokSimCluster cluster = settled(simRaft().build());
        final Node leader = cluster.leader();
        final HamokMap<String, Long> map = map(leader);
        cluster.network().isolate(leader.id);

        final CompletableFuture<Long> write = map.set("k", 1L);

        assertTrue(cluster.runUntil(write::isDone, 5_000), cluster::describe);
        final HamokException e = failure(write);
        assertInstanceOf(HamokTimeoutException.class, e);
        assertTrue(e.mayHaveBeenApplied());
        finish(cluster);
    }

    /** The leader already has 2 entries waiting for commit: the next writes are refused before being appended. */
    @Test
    void shouldSayNotAppliedWhenTheLeaderRefusesAFirstSendForBackPressure() {
        final HamokSimCluster cluster = settled(simRaft().maxPendingProposals(2).build());
        final Node leader = cluster.leader();
        final HamokMap<String, Long> map = map(leader);

        final List<CompletableFuture<Long>> writes = List.of(map.set("a", 1L), map.set("b", 2L), map.set("c", 3L),
                map.set("d", 4L));

        assertTrue(cluster.runUntil(() -> writes.stream().allMatch(CompletableFuture::isDone), 2_000));
        assertNull(writes.get(0).join());
        assertNull(writes.get(1).join());
        for (CompletableFuture<Long> refused : writes.subList(2, 4)) {
            final HamokException e = failure(refused);
            assertInstanceOf(BackPressureException.class, e);
            assertFalse(e.mayHaveBeenApplied());
        }
        assertTrue(cluster.stabilize(100, 5_000));
        assertEquals(List.of(1L, 2L), List.of(map.get("a"), map.get("b")));
        assertFalse(map.containsKey("c") || map.containsKey("d"), "not applied: " + map.export());
        finish(cluster);
    }

    /**
     * A follower's write goes to the leader, which is then cut off; the follower wins the next
     * election and sends the write again to itself, where its own no-op still waits for commit
     * (one pending entry allowed): refused, but the first copy may be in the old leader's log.
     */
    @Test
    void shouldSayMayHaveBeenAppliedWhenBackPressureRefusesAResendAfterALeaderChange() {
        final HamokSimCluster cluster = settled(simRaft().maxPendingProposals(1).build());
        final Node oldLeader = cluster.leader();
        final Node writer = follower(cluster, null);
        final Node voter = follower(cluster, writer);
        final CompletableFuture<Long> write = map(writer).set("k", 1L);
        cluster.step(); // the SUBMIT leaves the writer...
        cluster.network().isolate(oldLeader.id); // ...and whatever is in flight to the old leader is lost
        cluster.network().filter(frame -> !frame.from().equals(voter.id)
                || (frame.type() != MessageType.RAFT_PRE_VOTE_REQUEST && frame.type() != MessageType.RAFT_VOTE_REQUEST));

        assertTrue(cluster.runUntil(write::isDone, 5_000), cluster::describe);
        assertEquals(writer.id, writer.hamok().leaderId(), "the writer leads now: " + cluster.describe());
        final HamokException e = failure(write);
        assertInstanceOf(BackPressureException.class, e);
        assertTrue(e.mayHaveBeenApplied(), e.getMessage());
        finish(cluster);
    }

    /** A raw message appended by a leader that is cut off, then replaced by the new leader's entry. */
    @Test
    void shouldSayNotAppliedWhenANewLeaderReplacedTheEntry() {
        final HamokSimCluster cluster = settled(simRaft().build());
        final Node oldLeader = cluster.leader();
        cluster.network().isolate(oldLeader.id);
        final CompletableFuture<Long> message = oldLeader.hamok().submit("lost".getBytes(StandardCharsets.UTF_8));
        assertTrue(cluster.runUntil(() -> cluster.leader() != null && cluster.leader() != oldLeader, 5_000),
                cluster::describe);

        cluster.network().heal();

        assertTrue(cluster.runUntil(message::isDone, 5_000), cluster::describe);
        final HamokException e = failure(message);
        assertInstanceOf(EntryLostException.class, e);
        assertFalse(e.mayHaveBeenApplied());
        finish(cluster);
    }

    /**
     * The follower's write reaches the leader, but the follower hears nothing back until the leader
     * has compacted its log past the write: the follower catches up by snapshot and learns that the
     * write happened, without its result.
     */
    @Test
    void shouldSayAppliedWhenTheResultIsUnknownAfterASnapshot() {
        final HamokSimCluster cluster = settled(simRaft().build());
        final Node leader = cluster.leader();
        final Node writer = follower(cluster, null);
        final HamokMap<String, Long> leaderMap = map(leader);
        cluster.network().filter(frame -> !(frame.from().equals(leader.id) && frame.to().equals(writer.id)));
        final CompletableFuture<Long> write = map(writer).set("k", 1L);
        assertTrue(cluster.runUntil(() -> Long.valueOf(1L).equals(leaderMap.get("k")), 1_000), cluster::describe);
        for (int i = 0; i < 150; i++) {
            leaderMap.set("filler-" + i, (long) i);
        }
        assertTrue(cluster.runUntil(() -> leaderMap.size() == 151, 1_000), cluster::describe);
        final long writerLast = writer.logs.lastIndex();
        assertTrue(cluster.runUntil(() -> leader.logs.firstIndex() > writerLast + 1, 1_000),
                "compacted: " + cluster.describe());

        cluster.network().filter(null);

        assertTrue(cluster.runUntil(write::isDone, 2_000), cluster::describe);
        final HamokException e = failure(write);
        assertInstanceOf(ResultUnknownException.class, e);
        assertTrue(e.mayHaveBeenApplied());
        assertNotNull(map(writer).get("k"));
        finish(cluster);
    }
}
