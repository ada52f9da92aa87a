// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.VoteRequest;
import io.hamok.raft.RecordingOutbox.VoteResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static io.hamok.raft.RaftRuleFixture.MS;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static io.hamok.raft.RecordingOutbox.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paper Figure 2, "Persistent state ... updated on stable storage before responding to RPCs", with
 * a log that writes behind ({@link WriteBehindLogs}): answers and vote requests wait for the
 * mutations before them to be durable; what a leader sends goes at once; a leader counts its own
 * entries toward a commit only once they are durable (issue 8).
 */
@Timeout(10)
class RaftRulePersistBeforeSendTest {
    private static final Membership ABC = voters("a", "b", "c");

    private static RaftNode node(String id, WriteBehindLogs logs, RecordingOutbox out, Membership members) {
        return new RaftNode(id, config().build(), logs, new RaftRuleFixture.RecordingStateMachine(), out, members,
                new SplittableRandom(1), 0);
    }

    @Test
    @DisplayName("Figure 2 a follower acknowledges appended entries only once they are durable")
    void shouldAcknowledgeAppendOnlyOnceDurable() {
        final WriteBehindLogs logs = new WriteBehindLogs();
        final RecordingOutbox out = new RecordingOutbox();
        final RaftNode b = node("b", logs, out, ABC);
        b.tick(10 * MS, 0);
        b.onAppendEntries("a", 1, 0, 0, 0, batch(Entry.noop(1), Entry.normal(1, "x")), 0, 7);
        assertEquals(2, logs.lastIndex(), "stored at once");
        assertTrue(out.ofKind(AppendEntriesResponse.class).isEmpty(), "no answer before the entries are durable");
        assertEquals(1, b.messagesAwaitingDurability());

        b.flush();
        assertTrue(out.ofKind(AppendEntriesResponse.class).isEmpty(), "still not durable");
        logs.makeDurable();
        b.flush();
        final AppendEntriesResponse r = out.single(AppendEntriesResponse.class, "a");
        assertTrue(r.success());
        assertEquals(2, r.matchIndex());
        assertEquals(7, r.appendId());
        assertEquals(0, b.messagesAwaitingDurability());
    }

    @Test
    @DisplayName("Figure 2 a vote is granted, and a candidate asks for votes, only once term and vote are durable")
    void shouldSendVotesOnlyOnceTermAndVoteAreDurable() {
        final WriteBehindLogs logs = new WriteBehindLogs();
        final RecordingOutbox out = new RecordingOutbox();
        final RaftNode c = node("c", logs, out, ABC);
        c.tick(10 * MS, 0);
        c.onVoteRequest("a", 1, 0, 0, false, false);
        assertEquals("a", logs.votedFor());
        assertTrue(out.ofKind(VoteResponse.class).isEmpty(), "the grant waits for the durable vote");
        logs.makeDurable();
        c.flush();
        assertTrue(out.single(VoteResponse.class, "a").granted());

        out.clear();
        c.campaign(false);
        assertTrue(out.ofKind(VoteRequest.class).isEmpty(), "the requests wait for the durable term and vote");
        logs.makeDurable();
        c.flush();
        assertEquals(2, out.ofKind(VoteRequest.class).size());
    }

    @Test
    @DisplayName("Figure 2 a leader sends AppendEntries at once but counts its own entry toward a commit only once durable")
    void shouldReplicateAtOnceButCountOwnEntryOnlyOnceDurable() {
        final WriteBehindLogs logs = new WriteBehindLogs();
        final RecordingOutbox out = new RecordingOutbox();
        final RaftNode solo = node("a", logs, out, voters("a"));
        solo.tick(10 * MS, 0);
        solo.campaign(false);
        assertEquals(RaftRole.LEADER, solo.role(), "a single voter elects itself");
        assertEquals(0, solo.commitIndex(), "its no-op is not durable yet: not committed");
        logs.makeDurable();
        solo.flush();
        assertEquals(1, solo.commitIndex());

        final long index = solo.propose(text("x"), 0, 1);
        solo.flush();
        assertEquals(1, solo.commitIndex(), "not durable, not counted");
        logs.makeDurable();
        solo.flush();
        assertEquals(index, solo.commitIndex());

        final WriteBehindLogs leaderLogs = new WriteBehindLogs();
        final RecordingOutbox leaderOut = new RecordingOutbox();
        final RaftNode a = node("a", leaderLogs, leaderOut, ABC);
        a.tick(10 * MS, 0);
        a.campaign(true);
        leaderLogs.makeDurable();
        a.flush();
        a.onVoteResponse("b", 1, true, false);
        assertEquals(RaftRole.LEADER, a.role());
        assertEquals(2, leaderOut.ofKind(AppendEntries.class).size(),
                "the no-op goes to both followers before it is durable on the leader");
    }
}
