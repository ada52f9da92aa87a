// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Delivery;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.InstallSnapshot;
import io.hamok.raft.RecordingOutbox.InstallSnapshotResponse;
import io.hamok.raft.RecordingOutbox.Sent;
import io.hamok.raft.RecordingOutbox.VoteRequest;
import io.hamok.raft.RecordingOutbox.VoteResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static io.hamok.raft.RaftRuleFixture.propose;
import static io.hamok.raft.RaftRuleFixture.ackNewFrom;
import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.deliver;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static io.hamok.raft.RecordingOutbox.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One regression test per bug of the review that was fixed together: each scripts the situation
 * the review described and fails on the old behaviour.
 */
@Timeout(30)
class RaftRuleRegressionTest {
    private static final Membership ABC = voters("a", "b", "c");

    private static List<InstallSnapshot> snapshotsDeliveredTo(List<Delivery> deliveries, String to) {
        return deliveries.stream().map(Delivery::message).filter(m -> m instanceof InstallSnapshot)
                .map(InstallSnapshot.class::cast).filter(m -> m.to().equals(to)).toList();
    }

    private static int chunkCount(RaftSnapshot snapshot, int chunkBytes) {
        return (snapshot.length() + chunkBytes - 1) / chunkBytes;
    }

    // ------------------------------------------------------------------ 1. snapshot chunks must not multiply

    @Test
    @DisplayName("§7 one snapshot chunk in flight: one resend per heartbeat, and duplicate, stale or outdated answers send no extra chunk (bug: copies multiplied)")
    void shouldKeepOneSnapshotChunkInFlight_7() {
        final int chunkBytes = 8;
        final RaftConfig cfg = config().checkQuorum(false).snapshotThresholdEntries(4).snapshotChunkBytes(chunkBytes)
                .build();
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        a.out.take(AppendEntries.class, "b"); // b is cut off: it hears nothing, answers nothing
        ackNewFrom(a, "c");
        assertEquals(1, a.node.commitIndex());
        propose(a, "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9");
        ackNewFrom(a, "c");
        assertEquals(9, a.node.commitIndex());
        a.node.applyCommitted(100);
        final RaftSnapshot snapshot = a.logs.snapshot();
        assertEquals(9, snapshot.index());
        assertTrue(a.logs.firstIndex() > 2, "b's next entry is compacted: " + a.logs.firstIndex());
        assertTrue(chunkCount(snapshot, chunkBytes) >= 4, "several chunks: " + snapshot.length() + " bytes");
        final long term = a.node.term();

        a.runUntil(() -> !a.out.ofKind(InstallSnapshot.class, "b").isEmpty(), 2 * cfg.heartbeatMs());
        final List<InstallSnapshot> first = a.out.take(InstallSnapshot.class, "b");
        assertEquals(1, first.size(), first.toString());
        assertEquals(0, first.get(0).chunkOffset());
        assertEquals(9, first.get(0).snapshotIndex());

        // (a) No answer: at most one copy per heartbeat, always the chunk in flight.
        int copies = 1;
        for (int heartbeat = 0; heartbeat < 5; heartbeat++) {
            a.out.clear();
            a.elapseMs(cfg.heartbeatMs());
            final List<InstallSnapshot> sent = a.out.take(InstallSnapshot.class, "b");
            assertTrue(sent.size() <= 1, "heartbeat " + heartbeat + " sent " + sent);
            for (InstallSnapshot s : sent) {
                assertEquals(0, s.chunkOffset(), "the chunk in flight is resent, heartbeat " + heartbeat);
            }
            copies += sent.size();
        }
        assertTrue(copies > 1, "a chunk without an answer is resent");
        a.out.clear();

        // Every copy of chunk 0 gets its answer (the follower restarts at offset 0 each time): one next chunk.
        for (int i = 0; i < copies; i++) {
            a.node.onInstallSnapshotResponse("b", term, true, 9, chunkBytes);
        }
        List<InstallSnapshot> sent = a.out.take(InstallSnapshot.class, "b");
        assertEquals(1, sent.size(), copies + " answers to copies of one chunk sent " + sent);
        assertEquals(chunkBytes, sent.get(0).chunkOffset());

        // (b) A duplicated success answer for the chunk in flight: exactly one next chunk.
        a.node.onInstallSnapshotResponse("b", term, true, 9, 2L * chunkBytes);
        a.node.onInstallSnapshotResponse("b", term, true, 9, 2L * chunkBytes);
        sent = a.out.take(InstallSnapshot.class, "b");
        assertEquals(1, sent.size(), "a duplicate answer sent " + sent);
        assertEquals(2L * chunkBytes, sent.get(0).chunkOffset());

        // (c) A stale success answer, for an older offset: nothing.
        a.node.onInstallSnapshotResponse("b", term, true, 9, chunkBytes);
        assertEquals(List.of(), a.out.take(InstallSnapshot.class, "b"), "a stale answer sends nothing");

        // (d) A failure naming the offset in flight answers an older duplicate: nothing.
        a.node.onInstallSnapshotResponse("b", term, false, 9, 2L * chunkBytes);
        assertEquals(List.of(), a.out.take(InstallSnapshot.class, "b"),
                "a failure whose nextOffset is the offset in flight sends nothing");
        // A failure with nextOffset 0 restarts the transfer at offset 0, once.
        a.node.onInstallSnapshotResponse("b", term, false, 9, 0);
        sent = a.out.take(InstallSnapshot.class, "b");
        assertEquals(1, sent.size(), "a restart sent " + sent);
        assertEquals(0, sent.get(0).chunkOffset());
        assertEquals(9, sent.get(0).snapshotIndex());

        // A real follower now receives the chunk in flight: one chunk per answer until done, then AppendEntries.
        final Peer b = new Peer("b", cfg, ABC);
        int chunksSent = 1;
        List<InstallSnapshot> inFlight = sent;
        while (!inFlight.isEmpty()) {
            assertEquals(1, inFlight.size(), inFlight.toString());
            deliver("a", inFlight.get(0), b.node);
            for (Sent answer : b.out.takeAll()) {
                deliver("b", answer, a.node);
            }
            inFlight = a.out.take(InstallSnapshot.class, "b");
            chunksSent += inFlight.size();
        }
        assertEquals(9, b.logs.snapshotIndex());
        assertEquals(9, b.sm.restoredIndex);
        assertEquals(chunkCount(snapshot, chunkBytes), chunksSent, "one chunk per answer");
        a.node.flush();
        final List<AppendEntries> next = a.out.take(AppendEntries.class, "b");
        assertEquals(1, next.size(), next.toString());
        assertEquals(9, next.get(0).prevLogIndex(), "after the snapshot the leader goes on with AppendEntries");
    }

    /** Like {@link Cluster#deliverAll()}, but every message arrives twice in a row. */
    private static void deliverAllTwice(Cluster cluster, List<Delivery> delivered) {
        final int limit = delivered.size() + 20_000;
        for (int round = 0; round < 10_000; round++) {
            for (Peer p : cluster.peers.values()) {
                for (Sent s : p.out.takeAll()) {
                    final Peer to = cluster.get(s.to());
                    if (to != null && !cluster.drop.test(p.id, s)) {
                        for (int copy = 0; copy < 2; copy++) {
                            delivered.add(new Delivery(p.id, s));
                            deliver(p.id, s, to.node);
                        }
                    }
                }
            }
            for (Peer p : cluster.peers.values()) {
                p.node.flush();
            }
            if (cluster.peers.values().stream().allMatch(p -> p.out.isEmpty())) {
                return;
            }
            if (delivered.size() > limit) {
                throw new AssertionError("messages multiply: " + (delivered.size() - limit + 20_000)
                        + " deliveries in one millisecond, " + snapshotsDeliveredTo(delivered, "b").size()
                        + " InstallSnapshot so far");
            }
        }
        throw new AssertionError("messages kept flowing for 10000 rounds");
    }

    @Test
    @DisplayName("§7 with every message delivered twice a snapshot transfer takes at most two copies of each chunk (bug: copies doubled per chunk)")
    void shouldNotMultiplySnapshotChunksWhenMessagesAreDuplicated_7() {
        final int chunkBytes = 8;
        final RaftConfig cfg = config().snapshotThresholdEntries(4).snapshotChunkBytes(chunkBytes).build();
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        cluster.drop = (from, s) -> from.equals("b") || s.to().equals("b");
        propose(a, "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10");
        cluster.elapseMs(300);
        assertEquals(10, a.node.commitIndex());
        a.node.applyCommitted(100);
        final RaftSnapshot snapshot = a.logs.snapshot();
        assertEquals(10, snapshot.index());
        final int chunks = chunkCount(snapshot, chunkBytes);
        assertTrue(chunks >= 5, "several chunks: " + snapshot.length() + " bytes");

        cluster.drop = (from, s) -> false;
        final List<Delivery> delivered = new ArrayList<>();
        for (int ms = 0; ms <= 2000 && b.logs.snapshotIndex() != 10; ms++) {
            cluster.nowNs += MS;
            for (Peer p : cluster.peers.values()) {
                p.tickAt(cluster.nowNs);
            }
            deliverAllTwice(cluster, delivered);
        }
        assertEquals(10, b.logs.snapshotIndex(), "the snapshot is installed despite the duplicates");
        assertEquals(10, b.sm.restoredIndex);

        final List<InstallSnapshot> copies = snapshotsDeliveredTo(delivered, "b");
        assertTrue(copies.size() <= 2 * chunks + 6, copies.size() + " InstallSnapshot deliveries for " + chunks
                + " chunks delivered twice each");
        for (int i = 0; i < 10; i++) {
            cluster.nowNs += MS * 10;
            for (Peer p : cluster.peers.values()) {
                p.tickAt(cluster.nowNs);
            }
            deliverAllTwice(cluster, delivered);
        }
        assertEquals(copies.size(), snapshotsDeliveredTo(delivered, "b").size(), "no chunk after the transfer");
        assertEquals(10, b.node.commitIndex());
    }

    // ------------------------------------------------------------------ 2. trailing log after compaction

    @Test
    @DisplayName("§7 compaction keeps the last snapshotThresholdEntries/2 applied entries so a follower a few entries behind catches up by AppendEntries (bug: everything was compacted, forcing a snapshot)")
    void shouldCatchUpSlightlyLaggingFollowerFromTrailingLog_7() {
        final RaftConfig cfg = config().snapshotThresholdEntries(10).snapshotChunkBytes(8).build();
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        propose(a, "p2", "p3", "p4", "p5", "p6", "p7", "p8");
        cluster.elapseMs(10);
        assertEquals(8, b.logs.lastIndex());
        a.node.applyCommitted(100);
        assertNull(a.logs.snapshot(), "8 applied entries are below the threshold");

        cluster.drop = (from, s) -> from.equals("b") || s.to().equals("b");
        propose(a, "p9", "p10", "p11");
        cluster.elapseMs(250);
        assertEquals(11, a.node.commitIndex());
        a.node.applyCommitted(100);
        assertEquals(11, a.logs.snapshotIndex());
        assertEquals(7, a.logs.firstIndex(), "the last 10 / 2 applied entries (7..11) stay in the log");

        cluster.drop = (from, s) -> false;
        final int before = cluster.delivered.size();
        cluster.runUntil(() -> b.logs.lastIndex() == 11 && b.node.commitIndex() == 11, 1000);
        final List<Delivery> since = cluster.delivered.subList(before, cluster.delivered.size());
        assertEquals(List.of(), snapshotsDeliveredTo(since, "b"), "b, 3 entries behind, needs no snapshot");
        assertTrue(since.stream().anyMatch(d -> d.message() instanceof AppendEntries ae && ae.to().equals("b")
                && !ae.entries().isEmpty() && ae.prevLogIndex() == 8));
        assertEquals(0, b.logs.snapshotIndex());
        assertEquals(-1, b.sm.restoredIndex);
        b.node.applyCommitted(100);
        assertEquals(List.of("p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11"), b.sm.applied);

        // Expired entries are dropped even inside the trailing window (logEntriesExpirationTimeMs).
        final Peer solo = new Peer("a", config().snapshotThresholdEntries(10).logEntriesExpirationTimeMs(1000).build(),
                voters("a"));
        solo.runUntil(() -> solo.node.role() == RaftRole.LEADER, 3000);
        propose(solo, "p2", "p3", "p4", "p5", "p6", "p7", "p8");
        solo.elapseMs(2000);
        propose(solo, "p9", "p10", "p11");
        solo.node.applyCommitted(100);
        assertEquals(11, solo.logs.snapshotIndex());
        assertEquals(9, solo.logs.firstIndex(), "7 and 8 are in the trailing window but expired; 9..11 are kept");
    }

    // ------------------------------------------------------------------ 3. Figure 13 step 6

    @Test
    @DisplayName("§7 (Figure 13 step 6) a follower whose log holds the snapshot's last entry answers the first chunk with nextOffset = length and keeps its state machine; the leader goes on with AppendEntries")
    void shouldSkipSnapshotTransferWhenFollowerHoldsLastEntry_7() {
        final RaftConfig cfg = config().snapshotThresholdEntries(10).snapshotChunkBytes(8).build();
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        assertEquals(1, b.node.commitIndex());

        // b receives entries 2..11 but its answer is lost, and so is everything after it.
        propose(a, "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11");
        final List<AppendEntries> toB = a.out.take(AppendEntries.class, "b");
        assertEquals(1, toB.size(), toB.toString());
        deliver("a", toB.get(0), b.node);
        b.out.clear();
        final List<Sent> lost = new ArrayList<>();
        cluster.drop = (from, s) -> {
            final boolean cut = from.equals("b") || s.to().equals("b");
            if (cut) {
                lost.add(s);
            }
            return cut;
        };
        cluster.elapseMs(400);
        assertEquals(11, a.node.commitIndex());
        assertEquals(11, b.logs.lastIndex());
        assertEquals(1, b.node.commitIndex(), "b holds entry 11 but does not know it is committed");
        a.node.applyCommitted(100);
        final RaftSnapshot snapshot = a.logs.snapshot();
        assertEquals(11, snapshot.index());
        assertTrue(snapshot.length() > 8, "more than one chunk");
        cluster.elapseMs(300);
        assertTrue(lost.stream().anyMatch(s -> s instanceof InstallSnapshot), "the leader sends b a snapshot: " + lost);

        cluster.drop = (from, s) -> false;
        final int before = cluster.delivered.size();
        cluster.runUntil(() -> b.node.commitIndex() == 11, 1000);
        final List<Delivery> since = cluster.delivered.subList(before, cluster.delivered.size());
        final List<InstallSnapshot> chunks = snapshotsDeliveredTo(since, "b");
        assertEquals(1, chunks.size(), "only the first chunk: " + chunks);
        assertEquals(0, chunks.get(0).chunkOffset());
        assertFalse(chunks.get(0).done());
        int answerAt = -1;
        for (int i = 0; i < since.size(); i++) {
            if (since.get(i).message() instanceof InstallSnapshotResponse r) {
                assertEquals(new InstallSnapshotResponse("a", a.node.term(), true, 11, snapshot.length()), r,
                        "the first chunk is answered with success and nextOffset = length");
                answerAt = i;
                break;
            }
        }
        assertTrue(answerAt >= 0, "b answers the chunk");
        final List<Delivery> after = since.subList(answerAt + 1, since.size());
        assertTrue(after.stream().anyMatch(d -> d.message() instanceof AppendEntries ae && ae.to().equals("b")
                && ae.prevLogIndex() == 11), "the leader continues with AppendEntries after entry 11: " + after);

        assertEquals(-1, b.sm.restoredIndex, "the state machine is not reset");
        assertEquals(0, b.logs.snapshotIndex());
        assertEquals(1, b.logs.firstIndex(), "b keeps its log");
        b.node.applyCommitted(100);
        assertEquals(List.of("p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11"), b.sm.applied);
    }

    // ------------------------------------------------------------------ 4. learner promotion under load

    @Test
    @DisplayName("thesis §4.2.1 a learner trailing the moving commit index is promoted once it completes a catch-up round within electionTimeoutMs (bug: it had to reach the current commit index)")
    void shouldPromoteLearnerThatCompletesCatchUpRoundUnderLoad_4_2_1() {
        final RaftConfig cfg = config().stabilizationMs(0).build(); // the catch-up round alone
        final long lagMs = 12;
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        ackNewFrom(a, "b");
        ackNewFrom(a, "c");
        a.node.flush();
        assertEquals(1, a.node.commitIndex());
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("d"));
        a.node.flush();
        final long term = a.node.term();
        final long startNs = a.nowNs;

        long dLast = 0; // the entries d holds
        long dAcked = 0; // the highest index d acknowledged
        final ArrayDeque<long[]> dAnswers = new ArrayDeque<>(); // {due ns, prevLogIndex, matchIndex}
        int proposals = 0;
        long promotedAfterMs = -1;
        for (int ms = 0; ms <= cfg.electionTimeoutMs(); ms++) {
            // The voters answer at once, so the commit index moves with every proposal.
            ackNewFrom(a, "b");
            ackNewFrom(a, "c");
            // The learner's answers arrive lagMs late.
            while (!dAnswers.isEmpty() && dAnswers.peek()[0] <= a.nowNs) {
                final long[] answer = dAnswers.poll();
                a.node.onAppendEntriesResponse("d", term, true, answer[1], answer[2], 0, 0);
                dAcked = Math.max(dAcked, answer[2]);
            }
            if (a.node.membership().isVoter("d")) {
                promotedAfterMs = ms;
                break;
            }
            assertTrue(dAcked < a.node.commitIndex(), "d trails the commit index: acked " + dAcked + ", commit "
                    + a.node.commitIndex() + " at " + ms + " ms");
            if (ms % 4 == 0) {
                final String p = "load" + ms;
                assertTrue(a.node.propose(text(p), 0, p.length()) > 0);
                proposals++;
            }
            a.tickAt(a.nowNs + MS);
            for (AppendEntries ae : a.out.take(AppendEntries.class, "d")) {
                if (ae.prevLogIndex() > dLast) {
                    a.node.onAppendEntriesResponse("d", term, false, ae.prevLogIndex(), dLast, 0, dLast + 1);
                } else {
                    dLast = Math.max(dLast, ae.lastIndex());
                    dAnswers.add(new long[] {a.nowNs + lagMs * MS, ae.prevLogIndex(), ae.lastIndex()});
                }
            }
        }
        assertTrue(promotedAfterMs >= 0, "d was not promoted within electionTimeoutMs; acked " + dAcked
                + ", commit " + a.node.commitIndex() + ", " + proposals + " proposals");
        assertTrue(a.nowNs - startNs <= cfg.electionTimeoutMs() * MS);
        assertEquals(voters("a", "b", "c", "d"), a.node.membership());
        assertEquals(LogEntryView.CONFIG, RaftRuleFixture.entryAt(a.logs, a.logs.lastIndex()).type(),
                "the promotion is the newest entry");
        assertTrue(proposals > 1, "proposals kept coming: " + proposals);
    }

    // ------------------------------------------------------------------ 5. stickiness only with check-quorum

    @Test
    @DisplayName("thesis §4.2.3 (relies on §6.2) leader stickiness only with check-quorum: without it a follower that just heard from the leader grants (pre-)votes (bug: it always refused)")
    void shouldApplyLeaderStickinessOnlyWithCheckQuorum_4_2_3() {
        final Peer loose = new Peer("b", config().checkQuorum(false).build(), ABC);
        loose.tickAt(10 * MS);
        loose.node.onAppendEntries("a", 1, 0, 0, 1, batch(Entry.noop(1)));
        assertEquals("a", loose.node.leaderId());
        loose.out.clear();
        loose.tickAt(20 * MS);
        loose.node.onVoteRequest("c", 2, 1, 1, true, false);
        loose.node.onVoteRequest("c", 2, 1, 1, false, false);
        assertEquals(List.of(new VoteResponse("c", 2, true, true), new VoteResponse("c", 2, true, false)),
                loose.out.takeAll(), "without check-quorum a leader that lost its quorum could never be replaced");
        assertEquals(2, loose.logs.currentTerm());
        assertEquals("c", loose.logs.votedFor());

        final Peer sticky = new Peer("b", config().checkQuorum(true).build(), ABC);
        sticky.tickAt(10 * MS);
        sticky.node.onAppendEntries("a", 1, 0, 0, 1, batch(Entry.noop(1)));
        sticky.out.clear();
        sticky.tickAt(20 * MS);
        sticky.node.onVoteRequest("c", 2, 1, 1, true, false);
        sticky.node.onVoteRequest("c", 2, 1, 1, false, false);
        assertEquals(List.of(new VoteResponse("c", 1, false, true), new VoteResponse("c", 1, false, false)),
                sticky.out.takeAll(), "with check-quorum the follower is sticky");
        assertEquals(1, sticky.logs.currentTerm());
        assertNull(sticky.logs.votedFor());
    }

    // ------------------------------------------------------------------ 6. TimeoutNow only from the leader

    @Test
    @DisplayName("thesis §3.10 a TimeoutNow from a node that is not the leader this node follows is ignored (bug: a delayed TimeoutNow could depose a healthy leader)")
    void shouldIgnoreTimeoutNowFromNonLeader_3_10() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.tickAt(10 * MS);
        b.node.onAppendEntries("a", 1, 0, 0, 1, batch(Entry.noop(1)));
        assertEquals("a", b.node.leaderId());
        b.out.clear();

        b.node.onTimeoutNow("c", 1);
        assertEquals(RaftRole.FOLLOWER, b.node.role());
        assertEquals(1, b.node.term());
        assertEquals("a", b.node.leaderId());
        assertTrue(b.out.isEmpty(), "no campaign: " + b.out);

        b.node.onTimeoutNow("a", 1);
        assertEquals(RaftRole.CANDIDATE, b.node.role(), "the leader's own TimeoutNow still works");
        assertEquals(2, b.node.term());
        assertEquals(2, b.out.ofKind(VoteRequest.class).size());
    }

    @Test
    @DisplayName("thesis §3.10 issue 7 finding 4: a TimeoutNow held back past an abandoned transfer does not let a pre-candidate cut off from the leader depose it")
    void shouldIgnoreStaleTimeoutNowAtPreCandidate_3_10() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");
        cluster.elapseMs(10);
        final List<Sent> heldBack = new ArrayList<>();
        cluster.drop = (from, s) -> {
            if (s instanceof RecordingOutbox.TimeoutNow) {
                heldBack.add(s);
                return true;
            }
            return false;
        };
        assertEquals(MembershipChange.ACCEPTED, a.node.transferLeadership("b"));
        cluster.deliverAll();
        assertEquals(1, heldBack.size(), "the TimeoutNow to b is held back");
        cluster.elapseMs(3_100); // an election timeout: a abandons the transfer and accepts proposals again
        assertTrue(a.node.propose(text("after"), 0, 5) > 0, "the transfer was abandoned");

        // b loses touch with a (but not with c) and becomes a pre-candidate; c, hearing a, refuses it
        cluster.drop = (from, s) -> (from.equals("a") && s.to().equals("b")) || (from.equals("b") && s.to().equals("a"));
        cluster.runUntil(() -> b.node.role() == RaftRole.PRE_CANDIDATE, 5_000);
        final long term = a.node.term();

        deliver("a", heldBack.get(0), b.node); // the late TimeoutNow of the abandoned transfer
        cluster.elapseMs(50);
        assertEquals(RaftRole.LEADER, a.node.role(), "a still holds c's quorum: " + cluster.peers.values());
        assertEquals(term, a.node.term());
        assertEquals("a", c.node.leaderId());
        assertTrue(b.node.role() != RaftRole.CANDIDATE && b.node.role() != RaftRole.LEADER, b.toString());
        assertEquals(1, b.node.counters().refused(RaftRefusal.STALE_TIMEOUT_NOW));
    }

    @Test
    @DisplayName("thesis §3.10 issue 7 finding 4: a restarted node honours no TimeoutNow of its term (it never heard that leader in this incarnation)")
    void shouldIgnoreTimeoutNowAfterRestart_3_10() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.tickAt(10 * MS);
        b.node.onAppendEntries("a", 1, 0, 0, 1, batch(Entry.noop(1)));
        b.restart(ABC, 7);
        b.node.onTimeoutNow("a", 1);
        assertEquals(RaftRole.FOLLOWER, b.node.role());
        assertEquals(1, b.node.term());
        assertTrue(b.out.ofKind(VoteRequest.class).isEmpty(), "no campaign: " + b.out);
        assertEquals(1, b.node.counters().refused(RaftRefusal.STALE_TIMEOUT_NOW));
    }

    @Test
    @DisplayName("thesis §3.10 issue 7 finding 4: a TimeoutNow of a newer term makes the node follow, not campaign")
    void shouldFollowButNotCampaignOnTimeoutNowOfNewerTerm_3_10() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.tickAt(10 * MS);
        b.node.onTimeoutNow("a", 3);
        assertEquals(RaftRole.FOLLOWER, b.node.role());
        assertEquals(3, b.node.term());
        assertTrue(b.out.ofKind(VoteRequest.class).isEmpty(), "no campaign: " + b.out);
    }

    @Test
    @DisplayName("thesis §10.2.1 issue 7 finding 3: a pipelined append's rejection that arrives after the later acceptance of its predecessor does not lower the match")
    void shouldKeepMatchWhenRejectionOfReorderedPipelinedAppendArrivesLate_10_2_1() {
        final RaftConfig cfg = config().maxEntriesPerAppend(2).build();
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        cluster.elapseMs(5);
        final long match = a.node.matchIndexOf("b");
        for (int i = 0; i < 4; i++) {
            assertTrue(a.node.propose(text("p" + i), 0, 2) > 0);
        }
        a.node.flush();
        final List<AppendEntries> toB = a.out.take(AppendEntries.class, "b");
        assertEquals(2, toB.size(), "two pipelined appends: " + toB);
        assertEquals(match, toB.get(0).prevLogIndex());

        // The second append overtakes the first: b, whose log is still shorter, rejects it.
        deliver("a", toB.get(1), b.node);
        final RecordingOutbox.AppendEntriesResponse rejection =
                b.out.take(RecordingOutbox.AppendEntriesResponse.class, "a").get(0);
        assertFalse(rejection.success());
        assertEquals(toB.get(1).appendId(), rejection.appendId(), "the answer names the append it answers");
        deliver("a", toB.get(0), b.node);
        final RecordingOutbox.AppendEntriesResponse acceptance =
                b.out.take(RecordingOutbox.AppendEntriesResponse.class, "a").get(0);
        assertTrue(acceptance.success());

        // The acceptance reaches the leader first, then the stale rejection.
        deliver("b", acceptance, a.node);
        assertEquals(match + 2, a.node.matchIndexOf("b"));
        deliver("b", rejection, a.node);
        assertEquals(match + 2, a.node.matchIndexOf("b"), "a stale rejection never lowers a match");
    }

    @Test
    @DisplayName("§5.1 issue 7 finding 3: an answer to an append of an earlier term, given in the leader's new term, is ignored")
    void shouldIgnoreAnswerToAppendOfEarlierTerm_5_1() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        cluster.elapseMs(5);
        final long oldTerm = a.node.term();
        assertTrue(a.node.propose(text("x"), 0, 1) > 0);
        a.node.flush();
        final AppendEntries old = a.out.take(AppendEntries.class, "b").get(0);
        a.out.clear();
        cluster.get("b").out.clear();
        // a is elected again in the next term; b hears of it before the old append arrives.
        a.node.campaign(true);
        cluster.deliverAll();
        assertEquals(RaftRole.LEADER, a.node.role());
        cluster.elapseMs(5);
        final long match = a.node.matchIndexOf("b");
        final Peer b = cluster.get("b");
        deliver("a", old, b.node);
        final RecordingOutbox.AppendEntriesResponse answer = b.out.single(RecordingOutbox.AppendEntriesResponse.class, "a");
        assertEquals(a.node.term(), answer.term(), "b answers with its own, newer term");
        assertEquals(oldTerm, answer.requestTerm(), "and names the old request's term");
        deliver("b", answer, a.node);
        assertEquals(match, a.node.matchIndexOf("b"), "the old answer changes nothing");
    }

    @Test
    @DisplayName("thesis §3.10 issue 7 finding 2 (seed 4438): a lost TimeoutNow is sent again once the target answered a later append, so a transfer does not stall proposals for a whole election timeout")
    void shouldResendTimeoutNowWhenTargetAnsweredLaterAppend_3_10() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        cluster.elapseMs(10);
        final int[] dropped = new int[1];
        cluster.drop = (from, s) -> s instanceof RecordingOutbox.TimeoutNow && dropped[0]++ == 0;
        assertEquals(MembershipChange.ACCEPTED, a.node.transferLeadership("b"));
        cluster.deliverAll();
        assertEquals(1, dropped[0], "the first TimeoutNow is lost");
        assertEquals(RaftRole.FOLLOWER, b.node.role());

        cluster.runUntil(() -> b.node.role() == RaftRole.LEADER, 500); // a few heartbeats, far below 3 s
        assertEquals(2, dropped[0], "a second TimeoutNow went out and b campaigned on it");
        assertEquals(RaftRole.FOLLOWER, a.node.role());
    }

    // ------------------------------------------------------------------ 7. more than 64 voters

    @Test
    @DisplayName("§5.2 a candidate among 70 voters wins with exactly 36 grants, counting voters after the 64th (bug: the tally ignored them)")
    void shouldCountVotesOfAllVoters_5_2() {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            ids.add(String.format("v%02d", i));
        }
        final Membership seventy = Membership.of(ids, List.of());
        assertEquals(36, seventy.quorum());
        final Peer last = new Peer("v69", config().build(), seventy);
        last.runUntil(() -> last.node.role() == RaftRole.PRE_CANDIDATE, 10 * last.config.followerMaxIdleMs());
        assertEquals(69, last.out.ofKind(VoteRequest.class).size());

        // Pre-vote: itself + 35 grants, the first ones from voters after the 64th.
        for (int i = 68; i > 34; i--) {
            last.node.onVoteResponse(ids.get(i), 1, true, true);
            assertEquals(RaftRole.PRE_CANDIDATE, last.node.role(), (69 - i) + " pre-vote grants");
        }
        last.node.onVoteResponse(ids.get(34), 1, true, true);
        assertEquals(RaftRole.CANDIDATE, last.node.role(), "36 of 70 pre-votes");
        assertEquals(1, last.node.term());

        for (int i = 68; i > 34; i--) {
            last.node.onVoteResponse(ids.get(i), 1, true, false);
            assertEquals(RaftRole.CANDIDATE, last.node.role(), (69 - i) + " grants");
        }
        last.node.onVoteResponse(ids.get(68), 1, true, false);
        last.node.onVoteResponse(ids.get(0), 1, false, false);
        assertEquals(RaftRole.CANDIDATE, last.node.role(), "a repeated grant and a denial do not count: 35 of 36");
        last.node.onVoteResponse(ids.get(34), 1, true, false);
        assertEquals(RaftRole.LEADER, last.node.role(), "itself + 35 grants = 36 of 70");
    }

    // ------------------------------------------------------------------ 8. configuration validation

    @Test
    @DisplayName("RaftConfig rejects electionTimeoutMs <= heartbeatMs, naming electionTimeoutMs (bug: accepted, so check-quorum could depose a healthy leader)")
    void shouldRejectElectionTimeoutNotAboveHeartbeat() {
        for (long electionTimeoutMs : new long[] {50, 100}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> config().heartbeatMs(100).electionTimeoutMs(electionTimeoutMs).build());
            assertTrue(e.getMessage().contains("electionTimeoutMs"), e.getMessage());
        }
        assertEquals(101, config().heartbeatMs(100).electionTimeoutMs(101).build().electionTimeoutMs());
    }
}
