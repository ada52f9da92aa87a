// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.VoteRequest;
import io.hamok.raft.RecordingOutbox.VoteResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, finding 4: a node that restarts without its state (a wiped disk, an in-memory log under
 * the same id) used to boot with term 0 and vote for a candidate lacking an entry it had helped
 * commit, and that candidate won: committed entries were lost without anyone voting twice.
 */
@Timeout(20)
class RaftRuleEmptyLogGuardTest {
    private static final Membership ABC = voters("a", "b", "c");

    /** a leads; x is committed by a and b while c hears nothing; then b comes back with an empty log and a is gone. */
    private static Cluster committedWithoutCThenBWiped(RaftConfig bConfig) {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        cluster.elapseMs(5);
        cluster.drop = (from, s) -> s.to().equals("c") || from.equals("c");
        final long x = a.node.propose(text("x"), 0, 1);
        cluster.elapseMs(5);
        assertEquals(x, a.node.commitIndex(), "x is committed by a and b");
        assertTrue(cluster.get("c").logs.lastIndex() < x, "c lacks x");

        cluster.peers.put("b", new Peer("b", bConfig, new MemoryRaftLogs(), ABC, 99)); // b lost its state
        cluster.drop = (from, s) -> s.to().equals("a") || from.equals("a");          // a is gone
        cluster.delivered.clear();
        return cluster;
    }

    @Test
    @DisplayName("§5.4.1 issue 8: a voter that lost its log does not elect a candidate missing an entry it helped commit")
    void shouldNotElectCandidateMissingCommittedEntryWithVoteOfWipedNode() {
        final Cluster cluster = committedWithoutCThenBWiped(config().build());
        final Peer b = cluster.get("b");
        final Peer c = cluster.get("c");
        cluster.elapseMs(15_000);
        assertNotEquals(RaftRole.LEADER, c.node.role(), "c lacks the committed x: " + cluster.peers.values());
        assertNotEquals(RaftRole.LEADER, b.node.role(), "b's log is empty: " + cluster.peers.values());
        assertTrue(cluster.deliveredOfKind(VoteResponse.class).stream()
                .filter(d -> d.from().equals("b")).noneMatch(d -> ((VoteResponse) d.message()).granted()),
                "b granted nothing while empty");

        cluster.drop = (from, s) -> false; // a is back: it holds x and wins with c's vote
        cluster.runUntil(() -> cluster.leader() != null && cluster.leader().id.equals("a")
                && b.logs.lastIndex() >= 2 && c.logs.lastIndex() >= 2, 30_000);
        final Peer a = cluster.get("a");
        assertEquals(a.logs.termAt(2), b.logs.termAt(2), "b holds x again");
        assertEquals(a.logs.termAt(2), c.logs.termAt(2), "c holds x");
    }

    @Test
    @DisplayName("§5.2 issue 8: nodes with empty logs still elect the first leader of a new cluster")
    void shouldElectFirstLeaderOfNewCluster() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        cluster.runUntil(() -> cluster.leader() != null, 20_000);
        final Peer leader = cluster.leader();
        cluster.elapseMs(5);
        assertTrue(leader.node.commitIndex() >= 1);
    }

    @Test
    @DisplayName("issue 8: with neverVoteWhileEmpty a node with an empty log neither votes nor campaigns until a leader gave it a log")
    void shouldNeitherVoteNorCampaignWhileEmptyWhenStrict() {
        final RaftConfig strict = config().neverVoteWhileEmpty(true).build();
        final Peer b = new Peer("b", strict, ABC);
        b.elapseMs(5_000);
        assertTrue(b.out.ofKind(VoteRequest.class).isEmpty(), "no campaign: " + b.out);
        b.node.onVoteRequest("c", 1, 0, 0, false, false);
        assertFalse(b.out.single(VoteResponse.class, "c").granted(), "not even an empty candidate");
        b.out.clear();

        b.node.onAppendEntries("a", 2, 0, 0, 1, RecordingOutbox.batch(RecordingOutbox.Entry.noop(2)));
        b.tickAt(b.nowNs + 10 * MS);
        b.node.onVoteRequest("c", 3, 1, 2, false, true);
        assertTrue(b.out.single(VoteResponse.class, "c").granted(), "a log from a leader ends the guard");
    }

    @Test
    @DisplayName("§5.4 issue 8: a guarded node with part of the leader's log neither votes nor campaigns until it holds the leader's commit index and an entry of the leader's term")
    void shouldStayGuardedWithPartialLogUntilItHoldsTheLeadersCommit() {
        final Peer b = new Peer("b", config().build(), ABC);
        assertTrue(b.logs.emptyLogGuard(), "booted with no durable state: guarded, durably");

        // Leader a of term 3 knows index 5 committed; b gets entries 1..2 of it (older terms) only.
        b.node.onAppendEntries("a", 3, 0, 0, 5, RecordingOutbox.batch(Entry.normal(1, "e1"), Entry.normal(1, "e2")));
        assertEquals(2, b.logs.lastIndex());
        assertTrue(b.logs.emptyLogGuard(), "b may have helped commit 3..5 before it lost its state");
        b.out.clear();
        b.node.onVoteRequest("c", 4, 4, 1, true, true);
        assertFalse(b.out.single(VoteResponse.class, "c").granted(), "no (pre-)vote with a partial log");
        b.out.clear();
        b.elapseMs(5_000);
        assertTrue(b.out.ofKind(VoteRequest.class).isEmpty(), "no campaign with a partial log: " + b.out);

        // Entries up to the commit index, but none of a's term yet: b still cannot know it holds all.
        b.node.onAppendEntries("a", 3, 2, 1, 5, RecordingOutbox.batch(Entry.normal(1, "e3"), Entry.normal(2, "e4"),
                Entry.normal(2, "e5")));
        assertTrue(b.logs.emptyLogGuard(), "no entry of the leader's term: still guarded");

        // a's no-op of term 3 at 6: b now holds a's log up to an entry of its term, past its commit index.
        b.node.onAppendEntries("a", 3, 5, 2, 5, RecordingOutbox.batch(Entry.noop(3)));
        assertFalse(b.logs.emptyLogGuard(), "caught up with the leader: the guard ends, durably");
        b.out.clear();
        b.node.onVoteRequest("c", 4, 6, 3, false, true);
        assertTrue(b.out.single(VoteResponse.class, "c").granted(), "an up-to-date candidate gets the vote");
    }

    @Test
    @DisplayName("§5.2 issue 8: when the first leader of a new cluster dies before committing its no-op, the followers that got it still elect a new leader")
    void shouldElectAgainWhenFirstLeaderDiesBeforeItsFirstCommit() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.node.onAppendEntries("a", 1, 0, 0, 0, RecordingOutbox.batch(Entry.noop(1)));
        assertFalse(b.logs.emptyLogGuard(), "a's first entry is of its own term and nothing is committed: nothing to miss");
        b.out.clear();
        b.elapseMs(5_000); // a is gone
        assertFalse(b.out.ofKind(VoteRequest.class).isEmpty(), "b campaigns: " + b.out);
    }

    @Test
    @DisplayName("issue 8: skipEmptyLogGuard (the operator's word that nothing was lost) lets an empty node vote for a candidate with a log")
    void shouldVoteForCandidateWithLogWhenOperatorSkipsTheGuard() {
        final Peer b = new Peer("b", config().skipEmptyLogGuard(true).build(), ABC);
        assertFalse(b.logs.emptyLogGuard());
        b.node.onVoteRequest("c", 4, 6, 3, false, true);
        assertTrue(b.out.single(VoteResponse.class, "c").granted());
    }

    @Test
    @DisplayName("issue 8: neverVoteWhileEmpty and skipEmptyLogGuard together are refused at build time")
    void shouldRefuseContradictoryGuardSettings() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config().neverVoteWhileEmpty(true).skipEmptyLogGuard(true).build());
        assertTrue(e.getMessage().contains("skipEmptyLogGuard"), e.getMessage());
    }

    @Test
    @DisplayName("issue 8: a guarded node elected with an empty log clears the guard before it writes its no-op, so no crash keeps the no-op without the clear")
    void shouldClearTheGuardBeforeTheNewLeadersNoop() {
        final MemoryRaftLogs memory = new MemoryRaftLogs();
        final List<String> mutations = new ArrayList<>();
        final RaftLogs recording = (RaftLogs) Proxy.newProxyInstance(RaftLogs.class.getClassLoader(),
                new Class<?>[] {RaftLogs.class}, (proxy, method, args) -> {
                    if (method.getName().equals("storeEmptyLogGuard")) {
                        mutations.add("guard=" + args[0]);
                    } else if (method.getName().equals("append")) {
                        mutations.add("append");
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        final Peer a = new Peer("a", config().build(), recording, voters("a"), 1);
        a.elapseMs(5_000); // the only voter: it campaigns and wins at once
        assertEquals(RaftRole.LEADER, a.node.role());
        assertEquals(List.of("guard=true", "guard=false", "append"), mutations.subList(0, 3),
                "guarded at boot, cleared on election, then the no-op: " + mutations);
    }
}
