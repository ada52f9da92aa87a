// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Delivery;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Sent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReadIndex (Ongaro's thesis §6.4): the leader takes its commit index as the read index, once it has
 * committed an entry of its term, and releases the read only after a quorum answered a heartbeat
 * round that started after the request. The messages here travel with their read round (the
 * fixture's own delivery predates the round and drops it).
 */
@Timeout(30)
@DisplayName("Thesis §6.4 ReadIndex: linearizable reads confirmed by a heartbeat round")
class RaftRuleReadIndexTest {
    private static final Membership ABC = voters("a", "b", "c");
    private static final Membership ABCDE = voters("a", "b", "c", "d", "e");

    /** Records the reads a node released and failed. */
    static final class Reads implements RaftListener {
        final Map<Long, Long> released = new LinkedHashMap<>();
        final List<Long> failed = new ArrayList<>();

        @Override
        public void onReadIndex(long context, long readIndex) {
            assertNull(released.put(context, readIndex), "read " + context + " released twice");
        }

        @Override
        public void onReadIndexFailed(long context) {
            failed.add(context);
        }
    }

    /** Hands one recorded message over, read round included. */
    static void deliver(String from, Sent s, RaftNode to) {
        if (s instanceof AppendEntries m) {
            to.onAppendEntries(from, m.term(), m.prevLogIndex(), m.prevLogTerm(), m.leaderCommit(), m.batch(),
                    m.readRound());
        } else if (s instanceof AppendEntriesResponse m) {
            to.onAppendEntriesResponse(from, m.term(), m.success(), m.prevLogIndex(), m.matchIndex(),
                    m.conflictTerm(), m.conflictIndex(), m.readRound());
        } else {
            RaftRuleFixture.deliver(from, s, to);
        }
    }

    /** {@link Cluster#deliverAll()} with the read round carried. */
    static void deliverAll(Cluster c) {
        for (int round = 0; round < 10_000; round++) {
            for (Peer p : c.peers.values()) {
                for (Sent s : p.out.takeAll()) {
                    final Peer to = c.peers.get(s.to());
                    if (to != null && !c.drop.test(p.id, s)) {
                        c.delivered.add(new Delivery(p.id, s));
                        deliver(p.id, s, to.node);
                    }
                }
            }
            for (Peer p : c.peers.values()) {
                p.node.flush();
            }
            if (c.peers.values().stream().allMatch(p -> p.out.isEmpty())) {
                return;
            }
        }
        throw new AssertionError("messages kept flowing for 10000 rounds");
    }

    /** A cluster with a settled leader {@code a} that has committed its no-op, and a read listener on it. */
    private static Cluster settled(Membership m, Reads reads) {
        final String[] ids = m.voters().toArray(new String[0]);
        final Cluster c = new Cluster(config().build(), m, ids);
        final Peer a = c.elect("a");
        deliverAll(c);
        assertEquals(a.logs.lastIndex(), a.node.commitIndex(), "the leader's no-op is committed");
        a.node.listener(reads);
        return c;
    }

    private static void propose(Peer leader, String value) {
        assertTrue(leader.node.propose(text(value), 0, value.length()) > 0);
    }

    /** The read-round heartbeats {@code leader} sent since its outbox was last emptied. */
    private static List<AppendEntries> roundHeartbeats(Peer leader) {
        final List<AppendEntries> found = new ArrayList<>();
        for (AppendEntries ae : leader.out.ofKind(AppendEntries.class)) {
            if (ae.readRound() > 0 && ae.entries().isEmpty()) {
                found.add(ae);
            }
        }
        return found;
    }

    /** Delivers {@code heartbeat} to its follower and returns the follower's answer, undelivered. */
    private static Delivery answer(Cluster c, String leader, AppendEntries heartbeat) {
        final Peer follower = c.get(heartbeat.to());
        follower.out.clear();
        deliver(leader, heartbeat, follower.node);
        return new Delivery(follower.id, follower.out.single(AppendEntriesResponse.class, leader));
    }

    private static void deliver(Delivery d, Peer to) {
        deliver(d.from(), d.message(), to.node);
    }

    /** {@link Cluster#runUntil} with the read round carried: 1 ms ticks of every node, then delivery. */
    private static void runUntil(Cluster c, BooleanSupplier done, long maxMs) {
        for (long ms = 0; ms <= maxMs; ms++) {
            if (done.getAsBoolean()) {
                return;
            }
            c.nowNs += RaftRuleFixture.MS;
            for (Peer p : c.peers.values()) {
                p.tickAt(c.nowNs);
            }
            deliverAll(c);
        }
        throw new AssertionError("cluster did not reach the expected state within " + maxMs + " ms: " + c.peers);
    }

    @Test
    @DisplayName("§6.4 the read index is the leader's commit index at the time of the request")
    void shouldReleaseReadWithCommitIndexOfRequestTime_6_4() {
        final Reads reads = new Reads();
        final Cluster c = settled(ABC, reads);
        final Peer a = c.get("a");
        propose(a, "x");
        deliverAll(c);
        final long commitAtRequest = a.node.commitIndex();

        assertTrue(a.node.requestReadIndex(1));
        propose(a, "y"); // committed in the same exchange, after the request
        deliverAll(c);

        assertEquals(commitAtRequest + 1, a.node.commitIndex(), "the later entry committed too");
        assertEquals(Map.of(1L, commitAtRequest), reads.released);
        assertTrue(reads.failed.isEmpty());
    }

    @Test
    @DisplayName("§6.4 a new leader serves no read before it committed an entry of its term (its no-op)")
    void shouldWaitForNoopOfNewTermBeforeStartingRound_6_4() {
        final Reads reads = new Reads();
        final Cluster c = settled(ABC, reads);
        propose(c.get("a"), "x");
        deliverAll(c);
        final long committedByOldLeader = c.get("a").node.commitIndex();

        c.drop = (from, s) -> s instanceof AppendEntriesResponse; // the new leader hears no acknowledgement
        final Peer b = c.get("b");
        b.node.onTimeoutNow("a", b.node.term()); // leadership transfer: b campaigns at once
        deliverAll(c);
        assertEquals(RaftRole.LEADER, b.node.role());
        assertTrue(b.node.commitIndex() < b.logs.lastIndex(), "the no-op is not committed");
        b.node.listener(reads);
        assertTrue(b.node.requestReadIndex(7));
        b.node.flush();
        deliverAll(c);
        assertTrue(reads.released.isEmpty(), "no read before the no-op commits");
        assertTrue(c.deliveredOfKind(AppendEntries.class).stream()
                        .noneMatch(d -> d.from().equals("b") && ((AppendEntries) d.message()).readRound() > 0),
                "no read round starts before the no-op commits");

        c.drop = (from, s) -> false;
        runUntil(c, () -> !reads.released.isEmpty(), 1000);

        final long noopIndex = committedByOldLeader + 1;
        assertEquals(RaftRole.LEADER, b.node.role());
        assertEquals(Map.of(7L, noopIndex), reads.released, "the commit index once the no-op committed");
    }

    @Test
    @DisplayName("§6.4 a read is released only after a quorum echoed its round: one follower of five is not enough")
    void shouldReleaseOnlyWhenQuorumEchoedRound_6_4() {
        final Reads reads = new Reads();
        final Cluster c = settled(ABCDE, reads);
        final Peer a = c.get("a");
        a.out.clear();

        assertTrue(a.node.requestReadIndex(1));
        a.node.flush();
        final List<AppendEntries> heartbeats = roundHeartbeats(a);
        assertEquals(4, heartbeats.size(), "one empty append per follower: " + a.out);
        for (AppendEntries hb : heartbeats) {
            assertEquals(a.node.commitIndex(), hb.prevLogIndex(), "anchored at the follower's matchIndex");
        }

        deliver(answer(c, "a", heartbeats.get(0)), a);
        assertTrue(reads.released.isEmpty(), "leader + one follower of five is no quorum");
        deliver(answer(c, "a", heartbeats.get(1)), a);
        assertEquals(Map.of(1L, a.node.commitIndex()), reads.released, "leader + two followers of five");

        deliver(answer(c, "a", heartbeats.get(2)), a);
        assertEquals(1, reads.released.size(), "released once");
    }

    @Test
    @DisplayName("§6.4 a follower echoes the round also when it rejects the append")
    void shouldEchoRoundWhenRejecting_6_4() {
        final Peer b = new Peer("b", config().build(), RaftRuleFixture.logOfTerms(1, 1), ABC, 1);

        b.node.onAppendEntries("a", 2, 5, 2, 0, RecordingOutbox.batch(), 42);

        final AppendEntriesResponse r = b.out.single(AppendEntriesResponse.class, "a");
        assertFalse(r.success());
        assertEquals(42, r.readRound());
    }

    @Test
    @DisplayName("§6.4 a stale answer echoing an older round does not release a read of a newer round")
    void shouldNotReleaseNewerReadOnStaleRound_6_4() {
        final Reads reads = new Reads();
        final Cluster c = settled(ABC, reads);
        final Peer a = c.get("a");
        a.out.clear();
        assertTrue(a.node.requestReadIndex(1));
        a.node.flush();
        final List<AppendEntries> first = roundHeartbeats(a);
        a.out.clear();
        final Delivery bFirst = answer(c, "a", first.get(0));
        final Delivery cFirst = answer(c, "a", first.get(1));
        deliver(cFirst, a);
        assertEquals(Map.of(1L, a.node.commitIndex()), reads.released);

        assertTrue(a.node.requestReadIndex(2));
        a.node.flush();
        final List<AppendEntries> second = roundHeartbeats(a);
        assertTrue(second.get(0).readRound() > first.get(0).readRound(), "a new round");
        deliver(bFirst, a);

        assertFalse(reads.released.containsKey(2L), bFirst.from() + " echoed only the older round");
        deliver(answer(c, "a", second.get(0)), a);
        assertTrue(reads.released.containsKey(2L));
    }

    @Test
    @DisplayName("§6.4 a deposed leader fails its pending reads and releases none, even when late acks arrive")
    void shouldFailPendingReadsWhenDeposed_6_4() {
        final Reads reads = new Reads();
        final Cluster c = settled(ABC, reads);
        final Peer a = c.get("a");
        final long term = a.node.term();
        a.out.clear();
        assertTrue(a.node.requestReadIndex(1));
        assertTrue(a.node.requestReadIndex(2));
        a.node.flush();
        final List<Delivery> lateAcks = new ArrayList<>();
        for (AppendEntries hb : roundHeartbeats(a)) {
            lateAcks.add(answer(c, "a", hb));
        }

        a.node.onVoteRequest("c", term + 1, a.logs.lastIndex(), term, false, true); // a higher term deposes a
        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertEquals(List.of(1L, 2L), reads.failed);
        for (Delivery ack : lateAcks) {
            deliver(ack, a);
        }

        assertTrue(reads.released.isEmpty(), "no read released after the leader was deposed");
        assertFalse(a.node.requestReadIndex(3), "a follower refuses reads");
        assertEquals(List.of(1L, 2L), reads.failed);
    }

    @Test
    @DisplayName("§6.4 reads requested between two flushes share one round: one heartbeat per follower")
    void shouldBatchReadsOfOneCycleIntoOneRound_6_4() {
        final Reads reads = new Reads();
        final Cluster c = settled(ABCDE, reads);
        final Peer a = c.get("a");
        a.out.clear();

        for (long i = 0; i < 100; i++) {
            assertTrue(a.node.requestReadIndex(i));
        }
        a.node.flush();

        final List<AppendEntries> sent = a.out.ofKind(AppendEntries.class);
        assertEquals(4, sent.size(), "one heartbeat per follower for 100 reads: " + sent);
        assertEquals(1, sent.stream().mapToLong(AppendEntries::readRound).distinct().count(), "one round");
        deliverAll(c);
        assertEquals(100, reads.released.size());
        assertEquals(1, reads.released.values().stream().distinct().count(), "one read index");

        assertTrue(a.node.requestReadIndex(100));
        a.node.flush();
        assertEquals(4, roundHeartbeats(a).size(), "the next cycle's read starts the next round");
        assertTrue(roundHeartbeats(a).get(0).readRound() > sent.get(0).readRound());
    }

    @Test
    @DisplayName("§6.4 a node that does not lead refuses reads (the caller forwards them to the leader)")
    void shouldRefuseReadsWhenNotLeader_6_4() {
        final Reads reads = new Reads();
        final Cluster c = settled(ABC, reads);

        assertFalse(c.get("b").node.requestReadIndex(1));
        assertFalse(c.get("c").node.requestReadIndex(2));
        final Peer lone = new Peer("a", config().build(), ABC); // connected to nobody
        lone.runUntil(() -> lone.node.role() != RaftRole.FOLLOWER, 10_000);
        assertFalse(lone.node.requestReadIndex(3), "a (pre-)candidate refuses too");
    }

    @Test
    @DisplayName("§6.4 a single-voter leader releases a read at its next flush, without messages")
    void shouldReleaseAtOnceWhenLeaderIsOnlyVoter_6_4() {
        final Peer a = new Peer("a", config().build(), voters("a"));
        final Reads reads = new Reads();
        a.node.listener(reads);
        a.runUntil(() -> a.node.role() == RaftRole.LEADER, 10_000);
        propose(a, "x");
        a.node.flush();
        a.out.clear();

        assertTrue(a.node.requestReadIndex(5));
        assertTrue(reads.released.isEmpty(), "never answered inside the request");
        a.node.flush();

        assertEquals(Map.of(5L, 2L), reads.released);
        assertTrue(a.out.isEmpty(), "no message: the leader is its own quorum");
    }
}
