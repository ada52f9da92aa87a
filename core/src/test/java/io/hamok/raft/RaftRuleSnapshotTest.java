// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Delivery;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.InstallSnapshot;
import io.hamok.raft.RecordingOutbox.InstallSnapshotResponse;
import io.hamok.raft.RecordingOutbox.VoteResponse;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.hamok.raft.RaftRuleFixture.propose;
import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.entryAt;
import static io.hamok.raft.RaftRuleFixture.text;
import static io.hamok.raft.RaftRuleFixture.voters;
import static io.hamok.raft.RecordingOutbox.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log compaction and InstallSnapshot (paper §7), and recovery from durable state (paper Figure 2). */
@Timeout(30)
class RaftRuleSnapshotTest {
    private static final Membership ABC = voters("a", "b", "c");

    @Test
    @DisplayName("§7 a node snapshots its state machine every snapshotThresholdEntries applied entries and compacts its log")
    void shouldSnapshotAfterThresholdAndCompact_7() {
        final Peer a = new Peer("a", config().snapshotThresholdEntries(5).build(), voters("a"));
        a.runUntil(() -> a.node.role() == RaftRole.LEADER, 3000);
        propose(a, "p2", "p3", "p4", "p5");
        assertEquals(5, a.node.commitIndex());

        assertEquals(4, a.node.applyCommitted(4));
        assertNull(a.logs.snapshot(), "4 applied entries are below the threshold");
        assertEquals(1, a.logs.firstIndex());

        assertEquals(1, a.node.applyCommitted(10));
        final RaftSnapshot s = a.logs.snapshot();
        assertEquals(5, s.index());
        assertEquals(1, s.term());
        assertEquals(voters("a"), s.membership());
        assertEquals("p2,p3,p4,p5", new String(s.stateMachineData(), StandardCharsets.UTF_8));
        assertEquals(4, a.logs.firstIndex(),
                "the entries the snapshot covers are dropped but the last snapshotThresholdEntries / 2");

        propose(a, "p6", "p7", "p8", "p9");
        a.node.applyCommitted(10);
        assertEquals(5, a.logs.snapshotIndex());
        propose(a, "p10");
        a.node.applyCommitted(10);
        assertEquals(10, a.logs.snapshotIndex());
        assertEquals(9, a.logs.firstIndex());
    }

    @Test
    @DisplayName("§7 logEntriesExpirationTimeMs: entries older than the limit by leader timestamp are compacted, never unapplied ones")
    void shouldCompactExpiredEntriesButNeverUnappliedOnes_7() {
        final Peer a = new Peer("a", config().logEntriesExpirationTimeMs(1000).build(), voters("a"));
        a.runUntil(() -> a.node.role() == RaftRole.LEADER, 3000);
        propose(a, "old");
        a.elapseMs(2000);
        propose(a, "new1", "new2");
        assertEquals(4, a.node.commitIndex());
        assertEquals(2000, entryAt(a.logs, 3).timestampMs() - entryAt(a.logs, 1).timestampMs());

        assertEquals(2, a.node.applyCommitted(2));
        assertNull(a.logs.snapshot(), "the newest applied entry is as old as the oldest: nothing has expired");

        assertEquals(1, a.node.applyCommitted(1));
        assertEquals(3, a.logs.snapshotIndex(), "the snapshot covers the applied entries");
        assertEquals(3, a.logs.firstIndex(), "only the expired entries (1 and 2) are dropped");
        assertEquals(4, a.logs.lastIndex());
        assertEquals("new1", entryAt(a.logs, 3).text(), "an applied entry that has not expired is kept");
        assertEquals("new2", entryAt(a.logs, 4).text(), "the committed but unapplied entry is still held");

        a.node.applyCommitted(10);
        assertEquals(List.of("old", "new1", "new2"), a.sm.applied);

        final Peer off = new Peer("a", config().logEntriesExpirationTimeMs(0).build(), voters("a"));
        off.runUntil(() -> off.node.role() == RaftRole.LEADER, 3000);
        propose(off, "old");
        off.elapseMs(2000);
        propose(off, "new");
        off.node.applyCommitted(10);
        assertNull(off.logs.snapshot(), "0 disables the age rule");
    }

    @Test
    @DisplayName("§7 a leader sends InstallSnapshot in chunks of snapshotChunkBytes to a follower behind its first index")
    void shouldSendSnapshotInChunksToLaggingFollower_7() {
        final RaftConfig cfg = config().snapshotThresholdEntries(3).snapshotChunkBytes(16).build();
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer b = cluster.get("b");
        cluster.drop = (from, s) -> from.equals("b") || s.to().equals("b");
        propose(a, "entry-2", "entry-3", "entry-4", "entry-5");
        cluster.elapseMs(300);
        assertEquals(5, a.node.commitIndex());
        a.node.applyCommitted(100);
        final RaftSnapshot snapshot = a.logs.snapshot();
        assertEquals(5, snapshot.index());
        assertEquals(5, a.logs.firstIndex(), "b needs entry 2, which is compacted");

        cluster.drop = (from, s) -> false;
        cluster.runUntil(() -> b.logs.snapshotIndex() == 5, 1000);

        final List<InstallSnapshot> chunks = cluster.deliveredOfKind(InstallSnapshot.class).stream()
                .map(Delivery::message).map(InstallSnapshot.class::cast).toList();
        final int length = snapshot.length();
        assertTrue(length > 32, "the snapshot takes several chunks: " + length);
        final byte[] joined = new byte[length];
        long expectedOffset = 0;
        for (InstallSnapshot c : chunks) {
            assertEquals("b", c.to());
            assertEquals(5, c.snapshotIndex());
            assertEquals(1, c.snapshotTerm());
            assertEquals(expectedOffset, c.chunkOffset());
            assertEquals(Math.min(16, length - expectedOffset), c.data().length);
            assertEquals(length, c.snapshotLength());
            assertEquals(snapshot.checksum(), c.checksum());
            assertEquals(expectedOffset + c.data().length == length, c.done());
            System.arraycopy(c.data(), 0, joined, (int) c.chunkOffset(), c.data().length);
            expectedOffset += c.data().length;
        }
        assertEquals(length, expectedOffset);
        assertEquals(snapshot.checksum(), RaftSnapshot.crc32c(joined, 0, joined.length));

        assertEquals(List.of("entry-2", "entry-3", "entry-4", "entry-5"), b.sm.applied);
        assertEquals(5, b.sm.restoredIndex);
        cluster.elapseMs(300);
        assertEquals(5, b.logs.lastIndex(), "replication goes on after the snapshot");
        assertEquals(5, b.node.commitIndex());
    }

    @Test
    @DisplayName("§7 a follower checks the CRC-32C of a received snapshot and asks for a restart from offset 0 when it is wrong")
    void shouldRejectCorruptedSnapshotAndAskForRestart_7() {
        final Peer b = new Peer("b", config().build(), ABC);
        final RaftSnapshot snapshot = RaftSnapshot.of(10, 2, ABC, "k1=v1,k2=v2,k3=v3".getBytes(StandardCharsets.UTF_8));
        final byte[] corrupted = snapshot.bytes().clone();
        corrupted[corrupted.length / 2] ^= 0x10;

        sendInChunks(b, snapshot, corrupted, 8);
        final List<InstallSnapshotResponse> answers = b.out.ofKind(InstallSnapshotResponse.class);
        final InstallSnapshotResponse last = answers.get(answers.size() - 1);
        assertEquals(new InstallSnapshotResponse("a", 2, false, 10, 0), last);
        assertTrue(answers.subList(0, answers.size() - 1).stream().allMatch(InstallSnapshotResponse::success),
                "each chunk is accepted; the whole is checked at the end");
        assertEquals(0, b.logs.snapshotIndex());
        assertEquals(-1, b.sm.restoredIndex, "the state machine is untouched");
        assertEquals(0, b.node.commitIndex());

        b.out.clear();
        b.node.onInstallSnapshot("a", 2, 10, 2, 8, new UnsafeBuffer(snapshot.bytes()), 8, 8, false,
                snapshot.length(), snapshot.checksum());
        assertEquals(List.of(new InstallSnapshotResponse("a", 2, false, 10, 0)), b.out.takeAll(),
                "a chunk that continues no transfer asks for offset 0");

        sendInChunks(b, snapshot, snapshot.bytes(), 8);
        assertEquals(10, b.logs.snapshotIndex(), "the retransmitted good snapshot is installed");
    }

    private static void sendInChunks(Peer follower, RaftSnapshot snapshot, byte[] bytes, int chunkBytes) {
        for (int off = 0; off < bytes.length; off += chunkBytes) {
            final int len = Math.min(chunkBytes, bytes.length - off);
            follower.node.onInstallSnapshot("a", snapshot.term(), snapshot.index(), snapshot.term(), off,
                    new UnsafeBuffer(bytes), off, len, off + len == bytes.length, bytes.length, snapshot.checksum());
        }
    }

    @Test
    @DisplayName("§7 (Figure 13 step 6) a follower whose log holds the snapshot's last entry keeps its log and skips the transfer")
    void shouldKeepLogAndSkipTransferWhenLogHoldsSnapshotEntry_7() {
        final Peer b = new Peer("b", config().build(), ABC);
        b.node.onAppendEntries("a", 1, 0, 0, 2, batch(Entry.normal(1, "x1"), Entry.normal(1, "x2"),
                Entry.normal(1, "x3"), Entry.normal(1, "x4"), Entry.normal(1, "x5")));
        b.node.applyCommitted(10);
        assertEquals(List.of("x1", "x2"), b.sm.applied);
        b.out.clear();

        final RaftSnapshot snapshot = RaftSnapshot.of(3, 1, ABC, "s1,s2,s3".getBytes(StandardCharsets.UTF_8));
        sendInChunks(b, snapshot, snapshot.bytes(), 1 << 16);

        assertEquals(List.of(new InstallSnapshotResponse("a", 1, true, 3, snapshot.length())), b.out.takeAll(),
                "the follower answers 'have it all' so the leader continues with AppendEntries");
        assertEquals(-1, b.sm.restoredIndex, "entry 3 matches: the state machine is not reset");
        assertEquals(0, b.logs.snapshotIndex());
        assertEquals(1, b.logs.firstIndex());
        assertEquals(5, b.logs.lastIndex(), "entries 1 to 5 are kept");

        b.node.onAppendEntries("a", 1, 5, 1, 5, batch());
        b.node.applyCommitted(10);
        assertEquals(List.of("x1", "x2", "x3", "x4", "x5"), b.sm.applied);

        // A snapshot that does not match the log replaces all of it.
        final Peer c = new Peer("c", config().build(), RaftRuleFixture.logOfTerms(1, 1, 1), ABC, 1);
        final RaftSnapshot newer = RaftSnapshot.of(5, 2, ABC, "t".getBytes(StandardCharsets.UTF_8));
        sendInChunks(c, newer, newer.bytes(), 1 << 16);
        assertEquals(6, c.logs.firstIndex());
        assertEquals(5, c.logs.lastIndex());
        assertEquals(2, c.logs.termAt(5));
        assertEquals(List.of("t"), c.sm.applied);
    }

    @Test
    @DisplayName("Figure 2 (persistent state) a restarted node recovers term, vote, log and snapshot from its logs")
    void shouldRecoverTermVoteLogAndSnapshotAfterRestart() {
        final Peer a = new Peer("a", config().snapshotThresholdEntries(3).build(), ABC);
        a.electByHand();
        propose(a, "p2", "p3", "p4");
        a.ackAllFrom("b"); // the NOOP: b now streams
        a.node.flush();
        a.ackAllFrom("b");
        assertEquals(4, a.node.commitIndex());
        a.node.applyCommitted(10);
        assertEquals(4, a.logs.snapshotIndex());
        propose(a, "p5");
        final byte[] p5 = entryAt(a.logs, 5).payload();

        a.restart(voters("x"), 99);

        assertEquals(RaftRole.FOLLOWER, a.node.role());
        assertEquals(1, a.node.term());
        assertEquals("a", a.logs.votedFor());
        assertEquals(ABC, a.node.membership(), "the configuration comes from the snapshot, not the bootstrap");
        assertEquals(4, a.node.commitIndex());
        assertEquals(4, a.node.lastApplied());
        assertEquals(4, a.sm.restoredIndex);
        assertEquals(List.of("p2", "p3", "p4"), a.sm.applied);
        assertEquals(5, a.logs.lastIndex());
        assertArrayEquals(p5, entryAt(a.logs, 5).payload());

        a.node.onVoteRequest("b", 1, 5, 1, false, false);
        assertEquals(List.of(new VoteResponse("b", 1, false, false)), a.out.takeAll(),
                "the vote it cast before the crash still binds it");

        a.node.onAppendEntries("b", 2, 5, 1, 5, batch());
        a.node.applyCommitted(10);
        assertEquals(List.of("p2", "p3", "p4", "p5"), a.sm.applied);
    }
}
