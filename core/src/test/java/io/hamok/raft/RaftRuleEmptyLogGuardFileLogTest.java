// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.VoteResponse;
import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.entryAt;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, finding 4, with the file log: the lost-committed-entry scenario of
 * {@link RaftRuleEmptyLogGuardTest} (paper §5.4.1, the election restriction, relies on every voter
 * remembering what it acknowledged), where every node keeps its state in a {@link FileRaftLogs} in
 * its own directory and a node "loses its disk": its data directory is deleted and its process
 * starts again under the same id on a new, empty directory. Process restarts close the log and open
 * the directory again, so what a node knows after one is exactly what its files kept.
 *
 * <p>The nodes run on the fixture's virtual clock; before every flush the cluster waits (in real
 * time) until each log's writer made every mutation durable, so the run does not depend on the
 * disk's speed.
 */
@Timeout(60)
class RaftRuleEmptyLogGuardFileLogTest {
    private static final Membership ABC = voters("a", "b", "c");

    @TempDir
    Path dataDir;

    private final List<FileRaftLogs> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(FileRaftLogs::close);
    }

    private FileRaftLogs open(String id) throws IOException {
        final FileRaftLogs logs = FileRaftLogs.open(dataDir.resolve(id), FileLogConfig.builder()
                .fsyncPolicy(FsyncPolicy.BATCH).journalBytes(FileLogConfig.MIN_JOURNAL_BYTES).build());
        opened.add(logs);
        return logs;
    }

    /** The process of {@code id} stops (its log closes cleanly) and starts again on what its directory holds. */
    private Peer restart(Cluster cluster, String id, RaftConfig cfg, long seed) throws IOException {
        ((FileRaftLogs) cluster.get(id).logs).close();
        final Peer fresh = new Peer(id, cfg, open(id), ABC, seed);
        fresh.nowNs = cluster.nowNs;
        fresh.restart(ABC, seed); // a node whose clock starts at the cluster's time
        cluster.add(fresh);
        return fresh;
    }

    /** The process of {@code id} stops, its disk is lost (the data directory is deleted), and it starts again on an empty one. */
    private Peer wipeAndRestart(Cluster cluster, String id, RaftConfig cfg, long seed) throws IOException {
        ((FileRaftLogs) cluster.get(id).logs).close();
        final Path dir = dataDir.resolve(id);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertFalse(Files.exists(dir));
        final Peer fresh = restart(cluster, id, cfg, seed);
        assertEquals(0, fresh.logs.currentTerm(), "a lost disk: no term");
        assertEquals(0, fresh.logs.lastIndex(), "a lost disk: no entry");
        assertNull(fresh.logs.snapshot(), "a lost disk: no snapshot");
        return fresh;
    }

    /**
     * a leads; x is committed by a and b (durably in their files) while c hears nothing; then b's
     * disk is lost and b starts again under the same id, and a is cut off: only b and c can talk.
     *
     * @return the index of x
     */
    private long committedWithoutCThenBWipedAndAGone(Cluster cluster, RaftConfig bConfig) throws IOException {
        for (String id : List.of("a", "b", "c")) {
            cluster.add(new Peer(id, config().build(), open(id), ABC, id.charAt(0)));
        }
        final Peer a = cluster.elect("a");
        cluster.elapseMs(5);
        cluster.drop = (from, s) -> s.to().equals("c") || from.equals("c");
        final long x = a.node.propose(text("x"), 0, 1);
        cluster.elapseMs(5);
        assertEquals(x, a.node.commitIndex(), "x is committed by a and b");
        assertTrue(a.logs.durableIndex() >= x && cluster.get("b").logs.durableIndex() >= x, "x is in a's and b's files");
        assertTrue(cluster.get("c").logs.lastIndex() < x, "c lacks x");

        wipeAndRestart(cluster, "b", bConfig, 99);
        cluster.drop = (from, s) -> s.to().equals("a") || from.equals("a"); // a is gone, c is back
        cluster.delivered.clear();
        return x;
    }

    /** Runs {@code ms} virtual milliseconds and fails as soon as anyone but a leads. */
    private static void assertOnlyALeadsFor(Cluster cluster, long ms) {
        for (long i = 0; i < ms; i++) {
            cluster.step();
            for (Peer p : cluster.peers.values()) {
                if (!p.id.equals("a") && p.node.role() == RaftRole.LEADER) {
                    throw new AssertionError(p.id + " leads with last index " + p.logs.lastIndex()
                            + " though it lacks the committed x: " + cluster.peers.values());
                }
            }
        }
    }

    /** Closes every log and opens its directory again: what the disks hold at {@code index}. */
    private List<RecordingOutbox.Entry> entriesOnDisk(Cluster cluster, long index) throws IOException {
        final List<RecordingOutbox.Entry> found = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            ((FileRaftLogs) cluster.get(id).logs).close();
            final FileRaftLogs reopened = open(id);
            assertTrue(reopened.lastIndex() >= index, id + " holds " + index + " on disk: " + reopened);
            found.add(entryAt(reopened, index));
        }
        return found;
    }

    @Test
    @DisplayName("§5.4.1 issue 8, file log: a voter whose data directory was lost does not elect a candidate missing an entry it helped commit; once a is back, x is on every disk")
    void shouldNotElectCandidateMissingCommittedEntryWithVoteOfNodeWhoseDiskWasLost() throws IOException {
        final Cluster cluster = new Cluster(config().build(), ABC);
        final long x = committedWithoutCThenBWipedAndAGone(cluster, config().build());
        final long xTerm = cluster.get("a").logs.termAt(x);

        assertOnlyALeadsFor(cluster, 15_000);
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");
        assertTrue(cluster.deliveredOfKind(VoteResponse.class).stream()
                        .filter(d -> d.from().equals("b")).noneMatch(d -> ((VoteResponse) d.message()).granted()),
                "b granted nothing while empty");
        assertEquals(0, b.logs.lastIndex(), "nobody gave b a log");
        assertTrue(c.logs.lastIndex() < x, "c still lacks x");

        cluster.drop = (from, s) -> false; // a is back: it holds x and wins with a vote of b or c
        cluster.runUntil(() -> cluster.leader() != null && b.logs.durableIndex() >= x && c.logs.durableIndex() >= x
                && cluster.leader().node.commitIndex() > x, 30_000);
        assertEquals("a", cluster.leader().id, "only a holds x");
        assertNull(cluster.get("a").node.haltReason());
        for (RecordingOutbox.Entry e : entriesOnDisk(cluster, x)) {
            assertEquals("x", e.text(), "x is on every disk");
            assertEquals(xTerm, e.term());
        }
    }

    @Test
    @DisplayName("§5.4.1 issue 8, file log: the guard is durable; a wiped node that adopted a term and restarted again before it got a log is still guarded, and x survives")
    void shouldKeepCommittedEntryWhenWipedNodeRestartsAgainAfterAdoptingATerm() throws IOException {
        final Cluster cluster = new Cluster(config().build(), ABC);
        final long x = committedWithoutCThenBWipedAndAGone(cluster, config().build());

        // b, guarded, asks c for a pre-vote; c refuses with its term, which b adopts (durably).
        cluster.runUntil(() -> cluster.get("b").logs.currentTerm() > 0, 10_000);
        cluster.elapseMs(5);
        final Peer b = restart(cluster, "b", config().build(), 100);
        assertTrue(b.logs.currentTerm() > 0, "b's directory holds a term");
        assertEquals(0, b.logs.lastIndex(), "and no entry");
        assertTrue(b.logs.emptyLogGuard(), "and the guard, stored before the term");

        assertOnlyALeadsFor(cluster, 15_000);
        final Peer c = cluster.get("c");
        cluster.drop = (from, s) -> false;
        cluster.runUntil(() -> cluster.leader() != null && b.logs.durableIndex() >= x && c.logs.durableIndex() >= x
                && cluster.leader().node.commitIndex() > x, 30_000);
        assertEquals("a", cluster.leader().id, "only a holds x");
        for (RecordingOutbox.Entry e : entriesOnDisk(cluster, x)) {
            assertEquals("x", e.text(), "x is on every disk");
        }
        assertFalse(b.logs.emptyLogGuard(), "a's log ended b's guard");
    }

    @Test
    @DisplayName("§5.4.1 issue 8, file log, control: an operator who wrongly says the wiped node lost nothing (skipEmptyLogGuard) lets the candidate lacking x win; x is gone and the old leader halts on the divergence")
    void shouldLoseCommittedEntryWhenOperatorSkipsTheGuardOnAWipedNode() throws IOException {
        final Cluster cluster = new Cluster(config().build(), ABC);
        final long x = committedWithoutCThenBWipedAndAGone(cluster, config().skipEmptyLogGuard(true).build());
        final Peer a = cluster.get("a");

        cluster.runUntil(() -> cluster.get("c").node.role() == RaftRole.LEADER, 15_000);
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");
        assertTrue(c.logs.lastIndex() < x || c.logs.termAt(x) != a.logs.termAt(x),
                "c won without x, with b's vote");
        cluster.runUntil(() -> c.node.commitIndex() >= x, 5_000);
        assertNotEquals("x", entryAt(b.logs, x).text(), "b now holds c's entry where x was committed");

        cluster.drop = (from, s) -> false; // a is back and finds its committed x contradicted
        cluster.runUntil(() -> a.node.haltReason() != null, 10_000);
        final List<RecordingOutbox.Entry> onDisk = entriesOnDisk(cluster, x);
        assertEquals("x", onDisk.get(0).text(), "only the halted a still holds x");
        assertNotEquals("x", onDisk.get(1).text());
        assertNotEquals("x", onDisk.get(2).text());
    }

    @Test
    @DisplayName("§5.4.1 issue 8, file log: with neverVoteWhileEmpty the wiped node stays out of elections across restarts until a leader gave it a log; x survives")
    void shouldKeepCommittedEntryWhenWipedNodeRestartsAgainWithNeverVoteWhileEmpty() throws IOException {
        final RaftConfig strict = config().neverVoteWhileEmpty(true).build();
        final Cluster cluster = new Cluster(config().build(), ABC);
        final long x = committedWithoutCThenBWipedAndAGone(cluster, strict);

        cluster.elapseMs(5_000); // b neither votes nor campaigns
        restart(cluster, "b", strict, 100);
        assertOnlyALeadsFor(cluster, 15_000);
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");
        assertEquals(0, b.logs.lastIndex(), "nobody gave b a log");

        cluster.drop = (from, s) -> false;
        cluster.runUntil(() -> cluster.leader() != null && b.logs.durableIndex() >= x && c.logs.durableIndex() >= x
                && cluster.leader().node.commitIndex() > x, 30_000);
        assertEquals("a", cluster.leader().id);
        assertNotNull(cluster.leader());
        for (RecordingOutbox.Entry e : entriesOnDisk(cluster, x)) {
            assertEquals("x", e.text(), "x is on every disk");
        }
    }
}
