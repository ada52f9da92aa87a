// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Entry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.voters;
import static io.hamok.raft.RecordingOutbox.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, finding 5: divergence is loud. A follower used to skip entries at or below its commit
 * index without comparing them, so replicas could end with the same applied index and different
 * contents, silently. Now a follower asked to replace a committed entry halts and says why.
 */
@Timeout(10)
class RaftRuleDivergenceTest {
    private static final Membership ABC = voters("a", "b", "c");

    private static Peer followerWithCommittedEntries(List<String> halts) {
        final Peer b = new Peer("b", config().build(), ABC);
        b.node.listener(new RaftListener() {
            @Override
            public void onHalted(String reason) {
                halts.add(reason);
            }
        });
        b.tickAt(10 * MS);
        b.node.onAppendEntries("a", 1, 0, 0, 2, batch(Entry.noop(1), Entry.normal(1, "x")));
        assertEquals(2, b.node.commitIndex());
        b.out.clear();
        return b;
    }

    @Test
    @DisplayName("§5.4.3 a follower halts when an append contradicts an entry it committed, in the part it used to skip")
    void shouldHaltWhenAppendContradictsCommittedEntryBelowCommitIndex() {
        final List<String> halts = new ArrayList<>();
        final Peer b = followerWithCommittedEntries(halts);
        // a stale or lost-state leader of term 2 says index 2 holds a term-2 entry
        b.node.onAppendEntries("c", 2, 1, 1, 2, batch(Entry.normal(2, "y")));
        assertEquals(1, halts.size(), "said once: " + halts);
        assertTrue(halts.get(0).contains("index 2") || halts.get(0).contains("entry 2"), halts.get(0));
        assertNotNull(b.node.haltReason());
        assertTrue(b.out.ofKind(AppendEntriesResponse.class).isEmpty(), "no acknowledgement: " + b.out);
        assertEquals("x", b.sm.applied.isEmpty() ? "x" : b.sm.applied.get(0), "nothing replaced");
        assertEquals(1, b.logs.termAt(2));

        // a halted node takes no further input: no vote, no campaign, no acknowledgement
        b.node.onVoteRequest("c", 5, 10, 4, false, false);
        b.elapseMs(5_000);
        assertTrue(b.out.isEmpty(), "halted: sends nothing: " + b.out);
        assertEquals(RaftRole.FOLLOWER, b.node.role());
        assertEquals(-1, b.node.propose(new UnsafeBuffer(new byte[1]), 0, 1));
    }

    @Test
    @DisplayName("§5.4.3 a follower halts when prevLogTerm contradicts a committed entry")
    void shouldHaltWhenPrevLogTermContradictsCommittedEntry() {
        final List<String> halts = new ArrayList<>();
        final Peer b = followerWithCommittedEntries(halts);
        b.node.onAppendEntries("a", 2, 2, 2, 2, batch());
        assertEquals(1, halts.size(), halts.toString());
        assertTrue(b.out.ofKind(AppendEntriesResponse.class).isEmpty());
    }

    @Test
    @DisplayName("§5.4.3 entries below the commit index that agree are still skipped quietly")
    void shouldSkipAgreeingCommittedEntries() {
        final List<String> halts = new ArrayList<>();
        final Peer b = followerWithCommittedEntries(halts);
        b.node.onAppendEntries("a", 1, 0, 0, 3, batch(Entry.noop(1), Entry.normal(1, "x"), Entry.normal(1, "z")));
        assertTrue(halts.isEmpty(), halts.toString());
        assertNull(b.node.haltReason());
        assertEquals(3, b.node.commitIndex());
        assertTrue(b.out.single(AppendEntriesResponse.class, "a").success());
    }
}
