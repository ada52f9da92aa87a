// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.InstallSnapshot;
import io.hamok.raft.RecordingOutbox.Sent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.hamok.raft.RaftRuleFixture.propose;
import static io.hamok.raft.RaftRuleFixture.ackNewFrom;
import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.deliver;
import static io.hamok.raft.RaftRuleFixture.entryAt;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower that acknowledged entries and then comes back under the same id with an empty log (an
 * in-memory log and a restart). Its matchIndex on the leader is no longer true: the leader must
 * believe the follower's rejection (its last index), lower the match, re-send the log (or a
 * snapshot), and never count the old match toward a commit in between. A stale rejection, which
 * answers an append anchored below the current match, changes nothing.
 */
@Timeout(30)
class RaftRuleLostLogTest {
    private static final Membership ABC = voters("a", "b", "c");

    /**
     * Replaces {@code id} in the cluster by a new node on a new, empty log, started at the cluster's
     * current time (so that its election timer does not fire at once).
     */
    private static Peer comeBackEmpty(Cluster cluster, String id, RaftConfig cfg, long seed) {
        final Peer fresh = new Peer(id, cfg, new MemoryRaftLogs(), ABC, seed);
        fresh.nowNs = cluster.nowNs;
        fresh.restart(ABC, seed);
        cluster.add(fresh);
        return fresh;
    }

    /** Ticks every node 1 ms at a time (delivering nothing) until {@code from} sent something to {@code to}. */
    private static List<Sent> tickUntilSent(Cluster cluster, String from, String to, long maxMs) {
        for (long ms = 0; ms <= maxMs; ms++) {
            final List<Sent> sent = new ArrayList<>();
            for (Sent s : cluster.get(from).out.all()) {
                if (s.to().equals(to)) {
                    sent.add(s);
                }
            }
            if (!sent.isEmpty()) {
                return sent;
            }
            cluster.nowNs += MS;
            for (Peer p : cluster.peers.values()) {
                p.tickAt(cluster.nowNs);
            }
        }
        throw new AssertionError(from + " sent nothing to " + to + " within " + maxMs + " ms");
    }

    /**
     * Like {@link Cluster#deliverAll()}, but hands over one message at a time and runs {@code check}
     * after every delivery and every flush.
     */
    private static void deliverAllChecked(Cluster cluster, Runnable check) {
        for (int round = 0; round < 10_000; round++) {
            for (Peer p : cluster.peers.values()) {
                for (Sent s : p.out.takeAll()) {
                    final Peer to = cluster.get(s.to());
                    if (to != null && !cluster.drop.test(p.id, s)) {
                        cluster.delivered.add(new RaftRuleFixture.Delivery(p.id, s));
                        deliver(p.id, s, to.node);
                        check.run();
                    }
                }
            }
            for (Peer p : cluster.peers.values()) {
                p.node.flush();
                check.run();
            }
            if (cluster.peers.values().stream().allMatch(p -> p.out.isEmpty())) {
                return;
            }
        }
        throw new AssertionError("messages kept flowing for 10000 rounds");
    }

    private static void assertSameLog(RaftLogs expected, RaftLogs actual) {
        assertEquals(expected.lastIndex(), actual.lastIndex(), "last index");
        for (long i = actual.firstIndex(); i <= actual.lastIndex(); i++) {
            final Entry want = entryAt(expected, i);
            final Entry got = entryAt(actual, i);
            assertEquals(want.term(), got.term(), "term at " + i);
            assertEquals(want.type(), got.type(), "type at " + i);
            assertEquals(want.toString(), got.toString(), "entry at " + i);
        }
    }

    @Test
    @DisplayName("lost log: an acknowledgement the follower sent before it lost its log, arriving late, does not raise its match again or commit what it no longer holds")
    void shouldIgnoreLateAcknowledgementSentBeforeTheFollowerLostItsLog() {
        final RaftConfig cfg = config().maxEntriesPerAppend(1).build();
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        a.out.take(AppendEntries.class, "c"); // c hears nothing, answers nothing
        ackNewFrom(a, "b");
        propose(a, "p2", "p3");
        a.out.take(AppendEntries.class, "c");
        final List<AppendEntries> sent = a.out.take(AppendEntries.class, "b");
        final AppendEntries lastBeforeLoss = sent.get(sent.size() - 1);
        for (AppendEntries ae : sent.subList(0, sent.size() - 1)) {
            a.node.onAppendEntriesResponse("b", ae.term(), true, ae.prevLogIndex(), ae.lastIndex(), 0, 0, 0,
                    ae.term(), ae.appendId());
        }
        final long committed = a.node.commitIndex();
        assertTrue(committed < lastBeforeLoss.lastIndex(), "the last entry waits for b's late answer");
        final long term = a.node.term();

        // b comes back empty and rejects the next append; a believes it and lowers b's match.
        propose(a, "p4");
        a.out.take(AppendEntries.class, "c");
        final AppendEntries probe = a.out.take(AppendEntries.class, "b").get(0);
        a.node.onAppendEntriesResponse("b", term, false, probe.prevLogIndex(), 0, 0, 1, 0, term, probe.appendId());
        assertEquals(0, a.node.matchIndexOf("b"));

        // Now the answer b sent before it lost its log arrives.
        a.node.onAppendEntriesResponse("b", term, true, lastBeforeLoss.prevLogIndex(), lastBeforeLoss.lastIndex(), 0, 0,
                0, term, lastBeforeLoss.appendId());
        assertEquals(0, a.node.matchIndexOf("b"), "a late answer from before the loss proves nothing");
        assertEquals(committed, a.node.commitIndex(), "nothing b no longer holds is committed with its help");
    }

    @Test
    @DisplayName("lost log: a follower back with an empty log rejects the heartbeat at its old match with lastIndex 0; the leader lowers the match, re-sends from index 1, and commits nothing new with that follower until it really stored it")
    void shouldLowerMatchAndResendLogToFollowerThatLostIt() {
        final RaftConfig cfg = config().maxEntriesPerAppend(2).build();
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        // c is cut off for good: from now on a commits only with b.
        cluster.drop = (from, s) -> from.equals("c") || s.to().equals("c");
        propose(a, "p2", "p3", "p4", "p5");
        cluster.elapseMs(5);
        assertEquals(5, a.node.commitIndex());
        assertEquals(5, cluster.get("b").logs.lastIndex());
        assertEquals(5, a.node.matchIndexOf("b"), "b acknowledged entries 1..5");

        final Peer b = comeBackEmpty(cluster, "b", cfg, 42);
        assertEquals(0, b.logs.lastIndex());

        // The leader's next heartbeat is anchored at b's old match, and b rejects it with lastIndex 0.
        final List<Sent> heartbeat = tickUntilSent(cluster, "a", "b", 2 * cfg.heartbeatMs());
        assertEquals(1, heartbeat.size(), heartbeat.toString());
        final AppendEntries hb = (AppendEntries) heartbeat.get(0);
        assertEquals(5, hb.prevLogIndex(), "the heartbeat is anchored at the old match");
        assertTrue(hb.entries().isEmpty(), hb.toString());
        a.out.clear();
        deliver("a", hb, b.node);
        final AppendEntriesResponse rejection = b.out.single(AppendEntriesResponse.class, "a");
        b.out.clear();
        assertFalse(rejection.success());
        assertEquals(5, rejection.prevLogIndex());
        assertEquals(0, rejection.matchIndex(), "the rejection carries b's last index: 0");

        deliver("b", rejection, a.node);
        assertEquals(0, a.node.matchIndexOf("b"), "the leader lowers b's match to b's last index");
        a.node.flush();
        final List<AppendEntries> probe = a.out.take(AppendEntries.class, "b");
        assertEquals(1, probe.size(), probe.toString());
        assertEquals(0, probe.get(0).prevLogIndex(), "the leader re-sends the log from index 1");
        assertFalse(probe.get(0).entries().isEmpty());

        // A new entry, while b catches up: only a and b can commit it, so it must wait for b.
        propose(a, "p6");
        assertEquals(List.of(), a.out.take(AppendEntries.class, "b"), "nothing more while the probe is outstanding");
        final Runnable quorumIsReal = () -> {
            assertTrue(a.node.matchIndexOf("b") <= b.logs.lastIndex(), "the leader believes b holds "
                    + a.node.matchIndexOf("b") + " but b holds " + b.logs.lastIndex());
            assertTrue(a.node.commitIndex() <= Math.max(5, b.logs.lastIndex()), "commit "
                    + a.node.commitIndex() + " counted b, which holds only " + b.logs.lastIndex());
        };
        deliver("a", probe.get(0), b.node);
        quorumIsReal.run();
        deliverAllChecked(cluster, quorumIsReal);
        for (int ms = 0; ms < 1000 && !(b.logs.lastIndex() == 6 && b.node.commitIndex() == 6); ms++) {
            cluster.nowNs += MS;
            for (Peer p : cluster.peers.values()) {
                p.tickAt(cluster.nowNs);
                quorumIsReal.run();
            }
            deliverAllChecked(cluster, quorumIsReal);
        }
        assertEquals(6, a.node.commitIndex(), "p6 is committed once b stored it");
        assertEquals(6, a.node.matchIndexOf("b"));
        assertEquals(6, b.node.commitIndex());
        assertEquals(1, b.logs.firstIndex());
        assertSameLog(a.logs, b.logs);
        b.node.applyCommitted(100);
        assertEquals(List.of("p2", "p3", "p4", "p5", "p6"), b.sm.applied, "b holds and applies everything again");
    }

    @Test
    @DisplayName("lost log: the old match never commits an entry: with c cut off, an entry proposed right after b came back empty stays uncommitted until b stored it, however the messages interleave")
    void shouldNotCommitWithOldMatchOfFollowerThatLostItsLog() {
        final RaftConfig cfg = config().maxEntriesPerAppend(1).build();
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        a.out.take(AppendEntries.class, "c"); // c hears nothing, answers nothing
        ackNewFrom(a, "b");
        propose(a, "p2", "p3");
        a.out.take(AppendEntries.class, "c");
        ackNewFrom(a, "b");
        a.node.flush();
        assertEquals(3, a.node.commitIndex());
        assertEquals(3, a.node.matchIndexOf("b"));
        a.out.clear(); // the heartbeats carrying commit 3
        final long term = a.node.term();

        // b came back empty. A new entry is proposed and goes out to b anchored at the old match;
        // b rejects it (its log is empty), which lowers the match.
        propose(a, "p4");
        a.out.take(AppendEntries.class, "c");
        final List<AppendEntries> toB = a.out.take(AppendEntries.class, "b");
        assertEquals(1, toB.size(), toB.toString());
        assertEquals(3, toB.get(0).prevLogIndex());
        a.node.onAppendEntriesResponse("b", term, false, 3, 0, 0, 1, 0, term, toB.get(0).appendId());
        assertEquals(0, a.node.matchIndexOf("b"));
        assertEquals(3, a.node.commitIndex(), "p4 is not committed: b does not hold it");

        // Now b receives the log one entry at a time; p4 commits only with b's acknowledgement of 4.
        final Peer b = new Peer("b", cfg, new MemoryRaftLogs(), ABC, 7);
        for (int step = 0; step < 50 && a.node.commitIndex() < 4; step++) {
            a.node.flush();
            a.out.take(AppendEntries.class, "c");
            for (AppendEntries ae : a.out.take(AppendEntries.class, "b")) {
                deliver("a", ae, b.node);
            }
            for (AppendEntriesResponse r : b.out.take(AppendEntriesResponse.class, "a")) {
                deliver("b", r, a.node);
                assertTrue(a.node.matchIndexOf("b") <= b.logs.lastIndex());
                assertTrue(a.node.commitIndex() <= Math.max(3, b.logs.lastIndex()),
                        "commit " + a.node.commitIndex() + " with b holding " + b.logs.lastIndex());
            }
            b.out.clear();
            if (a.out.ofKind(AppendEntries.class, "b").isEmpty()) {
                a.elapseMs(cfg.heartbeatMs()); // let a heartbeat carry the next probe
            }
        }
        assertEquals(4, a.node.commitIndex());
        assertEquals(4, b.logs.lastIndex());
        assertEquals(4, a.node.matchIndexOf("b"));
    }

    @Test
    @DisplayName("lost log: when the leader has compacted the entries the follower lost, it sends the snapshot and then the rest of the log")
    void shouldSendSnapshotToFollowerThatLostItsLogWhenEntriesAreCompacted() {
        final RaftConfig cfg = config().snapshotThresholdEntries(4).snapshotChunkBytes(16).build();
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        cluster.drop = (from, s) -> from.equals("c") || s.to().equals("c");
        propose(a, "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9");
        cluster.elapseMs(5);
        assertEquals(9, a.node.commitIndex());
        a.node.applyCommitted(100);
        assertEquals(9, a.logs.snapshotIndex());
        assertTrue(a.logs.firstIndex() > 1, "entries from index 1 are compacted: " + a.logs.firstIndex());
        assertEquals(9, a.node.matchIndexOf("b"));

        final Peer b = comeBackEmpty(cluster, "b", cfg, 43);
        final int before = cluster.delivered.size();
        cluster.runUntil(() -> b.logs.snapshotIndex() == 9, 2000);
        assertTrue(cluster.delivered.subList(before, cluster.delivered.size()).stream()
                .anyMatch(d -> d.message() instanceof InstallSnapshot s && s.to().equals("b")));
        assertEquals(9, b.sm.restoredIndex);

        propose(a, "p10");
        cluster.runUntil(() -> b.logs.lastIndex() == 10 && b.node.commitIndex() == 10, 1000);
        assertEquals(10, a.node.commitIndex());
        assertEquals(10, a.node.matchIndexOf("b"));
        b.node.applyCommitted(100);
        assertEquals(List.of("p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10"), b.sm.applied);
    }

    @Test
    @DisplayName("lost log: a stale rejection, answering an append anchored below the current match, does not lower the match")
    void shouldIgnoreStaleRejectionBelowMatch() {
        final RaftConfig cfg = config().build();
        final Peer a = new Peer("a", cfg, ABC);
        a.electByHand();
        ackNewFrom(a, "b");
        ackNewFrom(a, "c");
        propose(a, "p2", "p3", "p4", "p5");
        ackNewFrom(a, "b");
        ackNewFrom(a, "c");
        a.node.flush();
        assertEquals(5, a.node.commitIndex());
        assertEquals(5, a.node.matchIndexOf("b"));
        a.out.clear();
        final long term = a.node.term();

        // A late rejection of an append anchored at 3 (sent when b held less), naming an old, short log.
        a.node.onAppendEntriesResponse("b", term, false, 3, 0, 0, 1);
        assertEquals(5, a.node.matchIndexOf("b"), "a rejection anchored below the match is stale");
        a.node.onAppendEntriesResponse("b", term, false, 4, 2, 2, 3);
        assertEquals(5, a.node.matchIndexOf("b"), "a rejection anchored below the match is stale");
        a.node.flush();
        for (AppendEntries ae : a.out.take(AppendEntries.class, "b")) {
            assertTrue(ae.prevLogIndex() >= 5, "no re-send below the match after a stale rejection: " + ae);
        }

        // A rejection anchored above the match from a follower that still holds the match: match kept.
        propose(a, "p6");
        a.out.take(AppendEntries.class, "c");
        final List<AppendEntries> toB = a.out.take(AppendEntries.class, "b");
        assertEquals(1, toB.size(), toB.toString());
        a.node.onAppendEntriesResponse("b", term, false, 6, 5, 0, 6);
        assertEquals(5, a.node.matchIndexOf("b"), "a follower whose log reaches the match keeps it");

        // The answer to the append after the match still moves it forward.
        a.node.onAppendEntriesResponse("b", term, true, toB.get(0).prevLogIndex(), toB.get(0).lastIndex(), 0, 0);
        assertEquals(6, a.node.matchIndexOf("b"));
        assertEquals(6, a.node.commitIndex());
    }
}
