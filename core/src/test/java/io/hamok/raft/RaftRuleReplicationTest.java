// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.Sent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.deliver;
import static io.hamok.raft.RaftRuleFixture.entryAt;
import static io.hamok.raft.RaftRuleFixture.logOfTerms;
import static io.hamok.raft.RaftRuleFixture.termsOf;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static io.hamok.raft.RecordingOutbox.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log replication rules of the Raft paper (§5.1, §5.3, §5.4.2) and the leader's flow control. */
@Timeout(30)
class RaftRuleReplicationTest {
    private static final Membership ABC = voters("a", "b", "c");

    @Test
    @DisplayName("§5.3 a follower rejects AppendEntries whose prevLogIndex/prevLogTerm do not match, with a conflict hint")
    void shouldRejectMismatchedPrevLogWithConflictHint_5_3() {
        final Peer b = new Peer("b", config().build(), logOfTerms(1, 1, 2, 2, 2), ABC, 1);

        b.node.onAppendEntries("a", 3, 5, 3, 0, batch(Entry.normal(3, "y")));
        b.node.onAppendEntries("a", 3, 8, 3, 0, batch(Entry.normal(3, "y")));
        b.node.onAppendEntries("a", 3, 2, 2, 0, batch(Entry.normal(2, "y")));

        assertEquals(List.of(
                // term of the entry at prevLogIndex, and the first index of that term
                new AppendEntriesResponse("a", 3, false, 5, 5, 2, 3),
                // log too short: no term, lastIndex + 1
                new AppendEntriesResponse("a", 3, false, 8, 5, 0, 6),
                new AppendEntriesResponse("a", 3, false, 2, 5, 1, 1)), b.out.takeAll());
        assertArrayEquals(new long[]{1, 1, 2, 2, 2}, termsOf(b.logs), "a rejected append changes nothing");
        assertEquals(0, b.node.commitIndex());
    }

    @Test
    @DisplayName("§5.3 a conflicting entry and all that follow it are deleted and replaced by the leader's")
    void shouldTruncateConflictingSuffixAndAppend_5_3() {
        final Peer b = new Peer("b", config().build(), logOfTerms(1, 1, 2, 2, 2), ABC, 1);

        b.node.onAppendEntries("a", 3, 2, 1, 0, batch(Entry.normal(3, "y3"), Entry.normal(3, "y4")));

        assertEquals(List.of(new AppendEntriesResponse("a", 3, true, 2, 4, 0, 0)), b.out.takeAll());
        assertArrayEquals(new long[]{1, 1, 3, 3}, termsOf(b.logs));
        assertEquals("x2", entryAt(b.logs, 2).text());
        assertEquals("y3", entryAt(b.logs, 3).text());
        assertEquals("y4", entryAt(b.logs, 4).text());
    }

    @Test
    @DisplayName("§5.3 entries that match are kept: a stale or duplicated AppendEntries truncates nothing")
    void shouldNotTruncateMatchingEntriesOnStaleAppend_5_3() {
        final Peer b = new Peer("b", config().build(), logOfTerms(1, 1, 1, 1), ABC, 1);

        b.node.onAppendEntries("a", 1, 0, 0, 0, batch(Entry.normal(1, "x1"), Entry.normal(1, "x2")));
        b.node.onAppendEntries("a", 1, 1, 1, 0, batch(Entry.normal(1, "x2")));

        assertArrayEquals(new long[]{1, 1, 1, 1}, termsOf(b.logs));
        assertEquals("x4", entryAt(b.logs, 4).text());
        assertEquals(List.of(new AppendEntriesResponse("a", 1, true, 0, 2, 0, 0),
                new AppendEntriesResponse("a", 1, true, 1, 2, 0, 0)), b.out.takeAll(),
                "the answer confirms only what the request covered");
    }

    @Test
    @DisplayName("§5.3 a follower sets commitIndex = min(leaderCommit, index of last new entry), never lower")
    void shouldCommitUpToMinOfLeaderCommitAndLastNewEntry_5_3() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.node.onAppendEntries("a", 1, 0, 0, 5,
                batch(Entry.normal(1, "p"), Entry.normal(1, "q"), Entry.normal(1, "r")));
        assertEquals(3, b.node.commitIndex(), "leaderCommit 5 is beyond the last new entry 3");

        b.node.onAppendEntries("a", 1, 3, 1, 2, batch());
        assertEquals(3, b.node.commitIndex(), "a smaller leaderCommit does not lower commitIndex");

        b.node.applyCommitted(10);
        assertEquals(List.of("p", "q", "r"), b.sm.applied);

        // Entries beyond the request may still be wrong: a heartbeat anchored at 2 commits only up to 2.
        final Peer c = new Peer("c", config().build(), logOfTerms(1, 1, 1, 1, 1), ABC, 1);
        c.node.onAppendEntries("a", 1, 2, 1, 5, batch());
        assertEquals(2, c.node.commitIndex());
        assertEquals(List.of(new AppendEntriesResponse("a", 1, true, 2, 2, 0, 0)), c.out.takeAll());
    }

    @Test
    @DisplayName("§5.4.2 (Figure 8) a leader commits an older-term entry only by committing an entry of its own term")
    void shouldCommitOnlyCurrentTermEntriesByCounting_5_4_2() {
        // a led term 2 and wrote entry 2 there; it wins term 3 against four peers whose logs end at entry 1.
        final Peer a = new Peer("a", config().preVote(false).maxEntriesPerAppend(1).build(), logOfTerms(1, 2),
                voters("a", "b", "c", "d", "e"), 1);
        a.electByHand();
        assertEquals(3, a.node.term());
        assertEquals(3, a.logs.termAt(3), "the new leader's NOOP");

        for (String f : List.of("b", "c")) {
            final AppendEntries probe = a.out.single(AppendEntries.class, f);
            assertEquals(2, probe.prevLogIndex());
            a.node.onAppendEntriesResponse(f, 3, false, 2, 1, 0, 2);
        }
        a.out.clear();
        a.node.flush();
        for (String f : List.of("b", "c")) {
            final AppendEntries ae = a.out.single(AppendEntries.class, f);
            assertEquals(1, ae.prevLogIndex());
            assertEquals(List.of(2L), ae.entries().stream().map(Entry::term).toList());
            a.node.onAppendEntriesResponse(f, 3, true, 1, 2, 0, 0);
        }
        a.out.clear();
        a.node.flush();
        assertEquals(0, a.node.commitIndex(), "entry 2 (term 2) is on a, b and c, a majority, but is not committed");

        a.node.onAppendEntriesResponse("b", 3, true, 2, 3, 0, 0);
        a.node.flush();
        assertEquals(0, a.node.commitIndex(), "the term-3 entry is on a and b only");

        a.node.onAppendEntriesResponse("c", 3, true, 2, 3, 0, 0);
        a.node.flush();
        assertEquals(3, a.node.commitIndex(), "the term-3 entry on a majority commits entry 2 with it");
    }

    @Test
    @DisplayName("§5.3 a leader backs off nextIndex with the follower's conflict hint, a term at a time")
    void shouldBackOffNextIndexUsingConflictHint_5_3() {
        final Peer a = new Peer("a", config().preVote(false).build(), logOfTerms(1, 1, 2, 2, 2), ABC, 1);
        a.electByHand();
        final Peer b = new Peer("b", config().build(), logOfTerms(1, 1, 1, 1, 1, 1, 1), ABC, 2);
        final Peer c = new Peer("c", config().build(), logOfTerms(1), ABC, 3);

        assertEquals(List.of(5L), exchange(a, b));
        assertEquals(List.of(5L), exchange(a, c));
        assertEquals(List.of(2L), exchange(a, b), "one rejection skips all of b's term-1 suffix");
        assertEquals(List.of(1L), exchange(a, c), "one rejection jumps to c's end");

        assertArrayEquals(new long[]{1, 1, 2, 2, 2, 3}, termsOf(b.logs));
        assertArrayEquals(termsOf(a.logs), termsOf(b.logs));
        assertArrayEquals(termsOf(a.logs), termsOf(c.logs));
        assertEquals(6, a.node.commitIndex());
    }

    /**
     * Delivers (and takes) what {@code leader} sent {@code follower}, returns the answers, and
     * flushes the leader.
     *
     * @return the prevLogIndex of each AppendEntries delivered
     */
    private static List<Long> exchange(Peer leader, Peer follower) {
        final List<AppendEntries> sent = leader.out.take(AppendEntries.class, follower.id);
        for (AppendEntries ae : sent) {
            deliver(leader.id, ae, follower.node);
        }
        for (Sent s : follower.out.takeAll()) {
            deliver(follower.id, s, leader.node);
        }
        leader.node.flush();
        return sent.stream().map(AppendEntries::prevLogIndex).toList();
    }

    @Test
    @DisplayName("thesis §10.2.1 pipelining: a leader sends up to maxInflightAppends batches of maxEntriesPerAppend without waiting")
    void shouldPipelineAppendsUpToInflightWindow() {
        final Peer a = new Peer("a", config().maxInflightAppends(3).maxEntriesPerAppend(2).build(), ABC);
        a.electByHand();
        a.ackAllFrom("b");
        a.out.clear();

        for (int i = 2; i <= 11; i++) {
            assertEquals(i, a.node.propose(text("e" + i), 0, ("e" + i).length()));
        }
        assertTrue(a.out.isEmpty(), "proposals wait for flush");
        a.node.flush();

        final List<AppendEntries> toB = a.out.ofKind(AppendEntries.class, "b");
        assertEquals(List.of(1L, 3L, 5L), toB.stream().map(AppendEntries::prevLogIndex).toList());
        toB.forEach(ae -> assertEquals(2, ae.entries().size()));
        assertEquals(List.of("e2", "e3"), toB.get(0).entries().stream().map(Entry::text).toList());
        assertTrue(a.out.ofKind(AppendEntries.class, "c").isEmpty(), "c is still probed one append at a time");

        a.out.clear();
        a.node.onAppendEntriesResponse("b", 1, true, 1, 3, 0, 0);
        a.node.flush();
        final AppendEntries next = a.out.single(AppendEntries.class, "b");
        assertEquals(7, next.prevLogIndex(), "one acknowledgement frees one slot of the window");
        assertEquals(3, next.leaderCommit());
        assertEquals(1, a.out.all().size());
    }

    @Test
    @DisplayName("issue 7: a follower whose acknowledgement arrives after the commit learns the commit index in the same round trip, without waiting for a heartbeat")
    void shouldTellLateFollowerTheCommitWithoutHeartbeat() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");
        final long start = cluster.nowNs;

        // b forwarded a write; the leader appends it and sends it to b and c, who both store it.
        final long x = a.node.propose(text("x"), 0, 1);
        a.node.flush();
        deliverAllFrom(a, cluster);
        assertEquals(x, b.logs.lastIndex());
        assertEquals(x, c.logs.lastIndex());

        // c answers first: the leader commits x and pushes the commit index at once.
        deliverAllFrom(c, cluster);
        a.node.flush();
        assertEquals(x, a.node.commitIndex());
        deliverAllFrom(a, cluster);
        assertEquals(x, c.node.commitIndex());
        // §5.3: b may take a commit index only up to the entries the append vouches for, and a
        // heartbeat anchored where b surely has entries (its acknowledged matchIndex) stops before x.
        assertEquals(x - 1, b.node.commitIndex());

        // b's acknowledgement of x arrives after the commit: the leader tells b at its next flush.
        deliverAllFrom(b, cluster);
        a.node.flush();
        deliverAllFrom(a, cluster);
        assertEquals(x, b.node.commitIndex(), "b learns that x is committed without waiting for a heartbeat");
        b.node.applyCommitted(10);
        assertEquals("x", b.sm.applied.get(b.sm.applied.size() - 1));
        assertEquals(start, cluster.nowNs, "no virtual time passed: no heartbeat was due");

        // Nothing more to say: the next flushes are silent (no empty appends every duty cycle).
        deliverAllFrom(b, cluster);
        deliverAllFrom(c, cluster);
        a.node.flush();
        assertTrue(a.out.isEmpty(), "no empty appends once every follower holds the commit index: " + a.out.all());
    }

    @Test
    @DisplayName("issue 7: a follower in a full pipeline learns the commit of what it acknowledged with the append that follows")
    void shouldTellCommitToFollowerWhoseWindowIsFull() {
        final Cluster cluster = new Cluster(config().maxInflightAppends(1).maxEntriesPerAppend(1).build(), ABC,
                "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");

        final long x = a.node.propose(text("x"), 0, 1);
        a.node.propose(text("y"), 0, 1);
        a.node.propose(text("z"), 0, 1);
        a.node.flush(); // one append (x) to each follower: the window of one is full
        deliverAllFrom(a, cluster);
        deliverAllFrom(c, cluster);
        a.node.flush(); // x committed with c; c's next append (y) carries it; b's window is still full
        deliverAllFrom(a, cluster);
        assertEquals(x - 1, b.node.commitIndex());

        deliverAllFrom(b, cluster);
        a.node.flush(); // b acknowledged x: its next append (y) goes out, and says x is committed
        deliverAllFrom(a, cluster);
        assertEquals(x, b.node.commitIndex());
    }

    /** Delivers everything {@code from} has sent so far (no flush of the receivers, no time passing). */
    private static void deliverAllFrom(Peer from, Cluster cluster) {
        for (Sent s : from.out.takeAll()) {
            deliver(from.id, s, cluster.get(s.to()).node);
        }
    }

    @Test
    @DisplayName("a leader batches by maxBytesPerAppend, and an entry larger than the limit still goes alone")
    void shouldBatchByBytesPerAppend() {
        final Peer a = new Peer("a", config().maxBytesPerAppend(100).build(), ABC);
        a.electByHand();
        a.ackAllFrom("b");
        a.out.clear();

        for (int i = 0; i < 5; i++) {
            a.node.propose(new UnsafeBuffer(new byte[40]), 0, 40);
        }
        a.node.propose(new UnsafeBuffer(new byte[500]), 0, 500);
        a.node.propose(new UnsafeBuffer(new byte[10]), 0, 10);
        a.node.flush();

        final List<AppendEntries> toB = a.out.ofKind(AppendEntries.class, "b");
        assertEquals(List.of(2, 2, 1, 1, 1), toB.stream().map(ae -> ae.entries().size()).toList());
        assertEquals(500, toB.get(3).entries().get(0).payload().length);
        assertEquals(8, toB.get(4).lastIndex());
    }

    @Test
    @DisplayName("§5.1 an AppendEntries of a lower term is rejected with the receiver's current term")
    void shouldRejectLowerTermAppendWithCurrentTerm_5_1() {
        final MemoryRaftLogs logs = logOfTerms(1);
        logs.storeTermAndVote(5, "c");
        final Peer b = new Peer("b", config().build(), logs, ABC, 1);

        b.node.onAppendEntries("a", 3, 1, 1, 2, batch(Entry.normal(3, "y")));

        assertEquals(List.of(new AppendEntriesResponse("a", 5, false, 1, 1, 0, 0, 0, 3, 0)), b.out.takeAll(),
                "the answer names the request's term 3 beside its own 5");
        assertEquals(1, b.logs.lastIndex());
        assertEquals(0, b.node.commitIndex());
        assertNull(b.node.leaderId(), "a stale leader is not followed");
        assertEquals(5, b.logs.currentTerm());
        assertEquals("c", b.logs.votedFor());
    }

    @Test
    @DisplayName("a proposal on a follower answers NOT_LEADER")
    void shouldRefuseProposalOnFollower() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.node.onAppendEntries("a", 1, 0, 0, 0, batch());

        assertEquals(RaftNode.NOT_LEADER, b.node.propose(text("x"), 0, 1));
        assertEquals(0, b.logs.lastIndex());
    }

    @Test
    @DisplayName("a leader answers BUSY once maxPendingProposals entries wait for commit")
    void shouldAnswerBusyBeyondMaxPendingProposals() {
        final Peer a = new Peer("a", config().maxPendingProposals(3).build(), ABC);
        a.electByHand();

        assertEquals(2, a.node.propose(text("x"), 0, 1));
        assertEquals(3, a.node.propose(text("y"), 0, 1));
        assertEquals(RaftNode.BUSY, a.node.propose(text("z"), 0, 1), "NOOP, x and y wait for commit");
        assertEquals(3, a.logs.lastIndex());

        a.ackAllFrom("b");
        assertEquals(1, a.node.commitIndex());
        assertEquals(4, a.node.propose(text("z"), 0, 1));
        assertEquals(RaftNode.BUSY, a.node.propose(text("w"), 0, 1));
    }
}
