// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.InstallSnapshotResponse;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.hamok.raft.RaftRuleFixture.propose;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.termsOf;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static io.hamok.raft.RecordingOutbox.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, review findings 5 (hostile or corrupt field values) and 6 (a leader stepped down on any
 * AppendEntries of its own term). Each test scripts what the review described and failed on the code
 * before the fix. A refused message changes nothing on the node, gets no answer, and is counted
 * in {@link RaftCounters} by cause.
 */
@Timeout(30)
class RaftRuleHostileInputTest {
    private static final Membership ABC = voters("a", "b", "c");
    private static final long EVIL_TERM = Long.MAX_VALUE; // 2^63 - 1: term() + 1 overflowed
    private static final UnsafeBuffer NO_DATA = new UnsafeBuffer(new byte[0]);

    /** Sends {@code term} in every message type to {@code node}, as peer "evil". */
    private static void sendEveryMessageWithTerm(RaftNode node, long term) {
        node.onAppendEntries("evil", term, 0, 0, 0, batch());
        node.onVoteRequest("evil", term, 0, 0, false, true);
        node.onVoteRequest("evil", term, 0, 0, true, true);
        node.onTimeoutNow("evil", term);
        node.onVoteResponse("evil", term, false, false);
        node.onVoteResponse("evil", term, false, true);
        node.onAppendEntriesResponse("evil", term, false, 0, 0, 0, 0);
        node.onInstallSnapshot("evil", term, 1, 1, 0, NO_DATA, 0, 0, false, 10, 0);
        node.onInstallSnapshotResponse("evil", term, false, 0, 0);
    }

    /** A follower "b" of leader "a" in term 1 with entries p1..p3 committed and applied. */
    private static Peer followerWithThreeEntries(RaftConfig cfg) {
        final Peer b = new Peer("b", cfg, ABC);
        b.node.onAppendEntries("a", 1, 0, 0, 3,
                batch(Entry.normal(1, "p1"), Entry.normal(1, "p2"), Entry.normal(1, "p3")));
        b.node.applyCommitted(10);
        assertEquals(3, b.node.commitIndex());
        assertEquals(List.of("p1", "p2", "p3"), b.sm.applied);
        b.out.clear();
        return b;
    }

    // ------------------------------------------------------------------ finding 5: terms

    @Test
    @DisplayName("issue 7 finding 5: a term of 2^63-1 in any message is refused and counted; the cluster still elects and commits (bug: term()+1 overflowed, no node could win again)")
    void shouldRefuseTermOfTwoToTheSixtyThreeMinusOneAndStillElectAndCommit_finding5() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final long term = a.node.term();
        propose(a, "x1");
        cluster.deliverAll();

        for (Peer p : cluster.peers.values()) {
            sendEveryMessageWithTerm(p.node, EVIL_TERM);
            sendEveryMessageWithTerm(p.node, -1); // a uint64 of 2^64-1 as Java reads it
            assertTrue(p.out.isEmpty(), p.id + " answered nothing: " + p.out);
        }
        cluster.deliverAll();

        for (Peer p : cluster.peers.values()) {
            assertEquals(term, p.node.term(), p.id + " kept its term");
            assertEquals(18, p.node.counters().refused(RaftRefusal.TERM_OUT_OF_RANGE), p.id + " counted");
            assertEquals("evil", p.node.counters().lastFrom(RaftRefusal.TERM_OUT_OF_RANGE));
            assertEquals(-1, p.node.counters().lastValue(RaftRefusal.TERM_OUT_OF_RANGE));
        }
        assertEquals(RaftRole.LEADER, a.node.role());

        // A new election still works (leadership transfer, thesis §3.10) and the new leader commits.
        assertEquals(MembershipChange.ACCEPTED, a.node.transferLeadership("b"));
        cluster.deliverAll();
        final Peer b = cluster.get("b");
        assertEquals(RaftRole.LEADER, b.node.role());
        assertEquals(term + 1, b.node.term());
        propose(b, "x2");
        cluster.elapseMs(200); // two heartbeats carry the commit index to every follower
        for (Peer p : cluster.peers.values()) {
            assertEquals(b.logs.lastIndex(), p.node.commitIndex(), p.id + " committed the new leader's entry");
        }
    }

    @Test
    @DisplayName("issue 7 finding 5: terms are accepted up to 2^62-1 (RaftLimits.MAX_TERM) and refused from 2^62 on")
    void shouldAcceptTermUpToTheLimitAndRefuseAbove_finding5() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.node.onAppendEntries("a", RaftLimits.MAX_TERM + 1, 0, 0, 0, batch());
        assertEquals(0, b.node.term());
        assertEquals(1, b.node.counters().refused(RaftRefusal.TERM_OUT_OF_RANGE));
        assertTrue(b.out.isEmpty());

        b.node.onAppendEntries("a", RaftLimits.MAX_TERM, 0, 0, 0, batch());
        assertEquals(RaftLimits.MAX_TERM, b.node.term());
        assertEquals("a", b.node.leaderId());
        assertEquals(1, b.node.counters().refusedTotal());
    }

    // ------------------------------------------------------------------ finding 5: indexes and consistency

    @Test
    @DisplayName("issue 7 finding 5: an AppendEntries whose prevLogIndex is near 2^63 is refused and counted without an exception (bug: the skip count overflowed and threw)")
    void shouldRefusePrevLogIndexNearTwoToTheSixtyThreeWithoutThrowing_finding5() {
        final Peer b = followerWithThreeEntries(config().build());
        final long[] before = termsOf(b.logs);
        final long[] hostile = {Long.MIN_VALUE + 3, Long.MIN_VALUE + (1L << 31), Long.MIN_VALUE, -1, Long.MAX_VALUE, RaftLimits.MAX_INDEX + 1};
        for (long prevLogIndex : hostile) {
            assertDoesNotThrow(() -> b.node.onAppendEntries("a", 1, prevLogIndex, 1, 3,
                    batch(Entry.normal(1, "y1"), Entry.normal(1, "y2"))), "prevLogIndex " + prevLogIndex);
        }
        assertEquals(hostile.length, b.node.counters().refused(RaftRefusal.INDEX_OUT_OF_RANGE));
        assertEquals(RaftLimits.MAX_INDEX + 1, b.node.counters().lastValue(RaftRefusal.INDEX_OUT_OF_RANGE));
        assertArrayEquals(before, termsOf(b.logs));
        assertEquals(3, b.node.commitIndex());
        assertTrue(b.out.isEmpty(), "refused messages get no answer: " + b.out);

        // Still a working follower: the next sane append is taken.
        b.node.onAppendEntries("a", 1, 3, 1, 4, batch(Entry.normal(1, "p4")));
        assertEquals(4, b.node.commitIndex());
        assertEquals(List.of(new AppendEntriesResponse("a", 1, true, 3, 4, 0, 0)),
                b.out.ofKind(AppendEntriesResponse.class));
    }

    @Test
    @DisplayName("issue 7 finding 5: every index and term field of every message is range-checked (leaderCommit, prevLogTerm, lastLogIndex, matchIndex, conflict hint, snapshot index and offsets)")
    void shouldRefuseEveryIndexOrTermFieldOutOfRange_finding5() {
        final Peer b = followerWithThreeEntries(config().build());
        final long bad = -5;
        b.node.onAppendEntries("a", 1, 3, 1, bad, batch());
        b.node.onAppendEntries("a", 1, 3, bad, 3, batch());
        b.node.onVoteRequest("c", 2, bad, 1, true, false);
        b.node.onVoteRequest("c", 2, 3, bad, true, false);
        b.node.onInstallSnapshot("a", 1, bad, 1, 0, NO_DATA, 0, 0, false, 10, 0);
        b.node.onInstallSnapshot("a", 1, 9, bad, 0, NO_DATA, 0, 0, false, 10, 0);
        b.node.onInstallSnapshot("a", 1, 9, 1, bad, NO_DATA, 0, 0, false, 10, 0);
        b.node.onInstallSnapshot("a", 1, 9, 1, 0, NO_DATA, 0, 0, false, bad, 0);
        assertEquals(5, b.node.counters().refused(RaftRefusal.INDEX_OUT_OF_RANGE));
        assertEquals(3, b.node.counters().refused(RaftRefusal.TERM_OUT_OF_RANGE));
        assertTrue(b.out.isEmpty(), b.out.toString());
        assertEquals(3, b.node.commitIndex());

        final Peer a = new Peer("a", config().build(), ABC);
        a.electByHand();
        final long term = a.node.term();
        a.node.onAppendEntriesResponse("b", term, true, 0, bad, 0, 0);
        a.node.onAppendEntriesResponse("b", term, false, bad, 0, 0, 0);
        a.node.onAppendEntriesResponse("b", term, false, 0, 0, bad, 1);
        a.node.onAppendEntriesResponse("b", term, false, 0, 0, 1, bad);
        a.node.onInstallSnapshotResponse("b", term, true, bad, 0);
        a.node.onInstallSnapshotResponse("b", term, true, 1, bad);
        assertEquals(5, a.node.counters().refused(RaftRefusal.INDEX_OUT_OF_RANGE));
        assertEquals(1, a.node.counters().refused(RaftRefusal.TERM_OUT_OF_RANGE));
        assertEquals(RaftRole.LEADER, a.node.role());
    }

    @Test
    @DisplayName("issue 7 finding 5: entries or a log term above the message's term, and entry terms going down, are refused before anything is stored")
    void shouldRefuseEntriesWhoseTermsContradictTheMessage_finding5() {
        final Peer b = followerWithThreeEntries(config().build());
        final long[] before = termsOf(b.logs);
        b.node.onAppendEntries("a", 1, 3, 1, 3, batch(Entry.normal(1, "y4"), Entry.normal(7, "y5")));
        b.node.onAppendEntries("a", 2, 3, 1, 3, batch(Entry.normal(2, "y4"), Entry.normal(1, "y5")));
        b.node.onAppendEntries("a", 2, 3, 1, 3, batch(Entry.normal(0, "y4")));
        b.node.onAppendEntries("a", 1, 3, 2, 3, batch());
        b.node.onVoteRequest("c", 2, 3, 5, false, false);
        b.node.onInstallSnapshot("a", 1, 9, 2, 0, NO_DATA, 0, 0, false, 10, 0);
        assertEquals(6, b.node.counters().refused(RaftRefusal.INCONSISTENT_FIELDS));
        assertArrayEquals(before, termsOf(b.logs));
        assertEquals(1, b.node.term(), "nothing was acted on, not even the term of a refused message");
        assertTrue(b.out.isEmpty(), b.out.toString());
    }

    // ------------------------------------------------------------------ finding 5: snapshot budget

    @Test
    @DisplayName("issue 7 finding 5: an InstallSnapshot announcing more than maxSnapshotBytes is refused and nothing is allocated (bug: the receiver allocated the announced length and kept it)")
    void shouldRefuseSnapshotAnnouncedAboveBudget_finding5() {
        final Peer b = followerWithThreeEntries(config().maxSnapshotBytes(64 * 1024).snapshotChunkBytes(16).build());
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[16]);
        b.node.onInstallSnapshot("a", 1, 9, 1, 0, chunk, 0, 16, false, 1L << 31, 0);
        b.node.onInstallSnapshot("a", 1, 9, 1, 0, chunk, 0, 16, false, 64 * 1024 + 1, 0);
        assertEquals(2, b.node.counters().refused(RaftRefusal.SNAPSHOT_TOO_LARGE));
        assertEquals(64 * 1024 + 1, b.node.counters().lastValue(RaftRefusal.SNAPSHOT_TOO_LARGE));
        assertEquals(0, b.node.follower.snapshotBufferedBytes());
        assertTrue(b.out.isEmpty(), "no answer, so the leader resends once per heartbeat at most: " + b.out);

        // Within the budget, memory follows the bytes received, not the announced length.
        b.node.onInstallSnapshot("a", 1, 9, 1, 0, chunk, 0, 16, false, 64 * 1024, 0);
        assertEquals(List.of(new InstallSnapshotResponse("a", 1, true, 9, 16)),
                b.out.ofKind(InstallSnapshotResponse.class));
        assertTrue(b.node.follower.snapshotBufferedBytes() <= 32,
                "buffered " + b.node.follower.snapshotBufferedBytes() + " bytes for 16 received");
    }

    @Test
    @DisplayName("issue 7 finding 5: a snapshot chunk larger than snapshotChunkBytes, or reaching past the announced length, is refused and counted")
    void shouldRefuseOversizedOrOverlongSnapshotChunk_finding5() {
        final Peer b = followerWithThreeEntries(config().snapshotChunkBytes(16).build());
        final UnsafeBuffer data = new UnsafeBuffer(new byte[64]);
        b.node.onInstallSnapshot("a", 1, 9, 1, 0, data, 0, 17, false, 64, 0);
        b.node.onInstallSnapshot("a", 1, 9, 1, 0, data, 0, 16, false, 8, 0);
        b.node.onInstallSnapshot("a", 1, 9, 1, 56, data, 0, 16, true, 64, 0);
        assertEquals(3, b.node.counters().refused(RaftRefusal.SNAPSHOT_CHUNK_REFUSED));
        assertTrue(b.out.isEmpty(), b.out.toString());
        assertEquals(0, b.node.follower.snapshotBufferedBytes());
    }

    // ------------------------------------------------------------------ finding 5: restore before replace

    @Test
    @DisplayName("issue 7 finding 5: a snapshot whose restore throws leaves the follower on its previous log and state, answering failure and counting it (bug: the log was replaced first and the node was wedged)")
    void shouldKeepLogAndStateWhenSnapshotRestoreThrows_finding5() {
        final Peer b = followerWithThreeEntries(config().build());
        final RaftSnapshot snapshot = RaftSnapshot.of(9, 1, ABC, "s1,s2,s3".getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer bytes = new UnsafeBuffer(snapshot.bytes());
        b.sm.failRestore = true;

        assertDoesNotThrow(() -> b.node.onInstallSnapshot("a", 1, 9, 1, 0, bytes, 0, snapshot.length(), true,
                snapshot.length(), snapshot.checksum()));

        assertEquals(List.of(new InstallSnapshotResponse("a", 1, false, 9, 0)),
                b.out.take(InstallSnapshotResponse.class, "a"), "the leader is told to start over");
        assertEquals(1, b.node.counters().refused(RaftRefusal.SNAPSHOT_RESTORE_FAILED));
        assertEquals(9, b.node.counters().lastValue(RaftRefusal.SNAPSHOT_RESTORE_FAILED));
        assertTrue(b.node.counters().lastRestoreFailure() instanceof IllegalStateException);
        assertEquals(1, b.logs.firstIndex());
        assertEquals(3, b.logs.lastIndex());
        assertEquals(0, b.logs.snapshotIndex());
        assertEquals(3, b.node.commitIndex());
        assertEquals(3, b.node.lastApplied());
        assertEquals(List.of("p1", "p2", "p3"), b.sm.applied);

        // Still working on its previous state: the next append is taken and applied.
        b.node.onAppendEntries("a", 1, 3, 1, 4, batch(Entry.normal(1, "p4")));
        b.node.applyCommitted(10);
        assertEquals(List.of("p1", "p2", "p3", "p4"), b.sm.applied);

        // Once the state machine can take it, the resent snapshot is installed.
        b.sm.failRestore = false;
        b.node.onInstallSnapshot("a", 1, 9, 1, 0, bytes, 0, snapshot.length(), true, snapshot.length(),
                snapshot.checksum());
        assertEquals(9, b.sm.restoredIndex);
        assertEquals(List.of("s1", "s2", "s3"), b.sm.applied);
        assertEquals(9, b.logs.snapshotIndex());
        assertEquals(9, b.node.lastApplied());
    }

    // ------------------------------------------------------------------ finding 6: two leaders in one term

    @Test
    @DisplayName("issue 7 finding 6 (paper §5.2 Election Safety): a leader ignores and counts AppendEntries and InstallSnapshot of its own term (bug: it stepped down to follow the sender)")
    void shouldIgnoreAppendOfOwnTermOnLeader_finding6() {
        final Peer a = new Peer("a", config().build(), ABC);
        a.electByHand();
        final long term = a.node.term();
        a.out.clear();

        a.node.onAppendEntries("b", term, 0, 0, 0, batch(Entry.normal(term, "forged")));
        final RaftSnapshot snapshot = RaftSnapshot.of(5, term, ABC, new byte[0]);
        a.node.onInstallSnapshot("b", term, 5, term, 0, new UnsafeBuffer(snapshot.bytes()), 0, snapshot.length(),
                true, snapshot.length(), snapshot.checksum());

        assertEquals(RaftRole.LEADER, a.node.role());
        assertEquals("a", a.node.leaderId());
        assertEquals(term, a.node.term());
        assertEquals(1, a.logs.lastIndex(), "only its own NOOP");
        assertEquals(0, a.logs.snapshotIndex());
        assertEquals(2, a.node.counters().refused(RaftRefusal.APPEND_TO_LEADER));
        assertEquals("b", a.node.counters().lastFrom(RaftRefusal.APPEND_TO_LEADER));
        assertTrue(a.out.ofKind(AppendEntriesResponse.class).isEmpty());
        assertTrue(a.out.ofKind(InstallSnapshotResponse.class).isEmpty());

        // A higher term still deposes it (paper §5.1).
        a.node.onAppendEntries("b", term + 1, 1, term, 0, batch());
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertEquals("b", a.node.leaderId());
    }

    @Test
    @DisplayName("issue 7 finding 6 (paper §5.2): a candidate that gets AppendEntries of its own term still becomes follower of the sender")
    void shouldStillMakeCandidateOfSameTermFollow_finding6() {
        final Peer c = new Peer("c", config().preVote(false).build(), ABC);
        c.runUntil(() -> c.node.role() == RaftRole.CANDIDATE, 10_000);
        final long term = c.node.term();
        c.node.onAppendEntries("a", term, 0, 0, 0, batch());
        assertEquals(RaftRole.FOLLOWER, c.node.role());
        assertEquals("a", c.node.leaderId());
        assertEquals(0, c.node.counters().refusedTotal());
        assertTrue(c.out.ofKind(AppendEntriesResponse.class).get(0).success());
        assertTrue(c.out.ofKind(AppendEntries.class).isEmpty());
    }

    @Test
    @DisplayName("issue 7 finding 5: RaftConfig validates maxSnapshotBytes, naming the field")
    void shouldNameMaxSnapshotBytesWhenInvalid_finding5() {
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> config().maxSnapshotBytes(0).build());
        assertTrue(zero.getMessage().contains("maxSnapshotBytes"), zero.getMessage());
        final IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> config().maxSnapshotBytes(Integer.MAX_VALUE).build());
        assertTrue(huge.getMessage().contains("maxSnapshotBytes"), huge.getMessage());
        assertEquals(256 * 1024 * 1024, RaftConfig.builder().build().maxSnapshotBytes());
    }
}
