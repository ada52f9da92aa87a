// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RaftRuleFixture.Cluster;
import io.hamok.raft.RaftRuleFixture.Peer;
import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hamok.raft.RaftRuleFixture.config;
import static io.hamok.raft.RaftRuleFixture.entryAt;
import static io.hamok.raft.RaftRuleFixture.propose;
import static io.hamok.raft.RaftRuleFixture.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Members' addresses in the configuration (issue 11): the configuration is replicated state (thesis
 * §4.1), so the addresses travel with it through the log and snapshots (paper §7) and survive restarts.
 */
@Timeout(30)
class RaftRuleMembershipAddressTest {
    private static final Map<String, String> ABC_AT = Map.of("a", "10.0.0.1:7000", "b", "10.0.0.2:7000",
            "c", "10.0.0.3:7000");
    private static final Map<String, String> ABCD_AT = Map.of("a", "10.0.0.1:7000", "b", "10.0.0.2:7000",
            "c", "10.0.0.3:7000", "d", "10.0.0.4:7000");
    private static final Membership ABC = Membership.of(List.of("a", "b", "c"), List.of(), ABC_AT);
    private static final Membership NONE = Membership.of(List.of(), List.of());

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

    @Test
    @DisplayName("thesis §4.1 the bootstrap configuration gives every initial member the peers' addresses")
    void shouldBootstrapAddresses_4_1() {
        final Cluster cluster = new Cluster(config().build(), ABC, "a", "b", "c");
        cluster.elect("b");
        for (Peer p : cluster.peers.values()) {
            for (String x : List.of("a", "b", "c")) {
                assertEquals(ABC_AT.get(x), p.node.membership().address(x), p.id + " knows where " + x + " is");
            }
        }
    }

    @Test
    @DisplayName("thesis §4.1 addPeer with an address: the CONFIG entry carries it to every node; removePeer drops it")
    void shouldAddAndRemoveAnAddressThroughTheLog_4_1() {
        final RaftConfig cfg = config().stabilizationMs(0).build(); // promoted right after its catch-up round
        final Cluster cluster = new Cluster(cfg, ABC, "a", "b", "c");
        cluster.add(new Peer("d", cfg, NONE));
        final Peer a = cluster.elect("a");
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("d", "10.0.0.4:7000"));
        assertEquals(ABCD_AT, Membership.fromBytes(entryAt(a.logs, 2).payload()).addresses(),
                "the entry carries every member's address, the new one's included");
        cluster.runUntil(() -> cluster.peers.values().stream().allMatch(p -> p.node.membership().isVoter("d"))
                && a.node.commitIndex() == a.logs.lastIndex(), 5_000);
        for (Peer p : cluster.peers.values()) {
            assertEquals(ABCD_AT, p.node.membership().addresses(), p.id + ": promoted with its address");
        }

        final long last = a.logs.lastIndex();
        assertEquals(MembershipChange.ADDRESS_CONFLICT, a.node.addPeer("d", "10.9.9.9:7000"));
        assertEquals(MembershipChange.ADDRESS_CONFLICT, a.node.addPeer("a", "10.9.9.9:7000"), "the leader too");
        assertEquals(MembershipChange.UNCHANGED, a.node.addPeer("d", "10.0.0.4:7000"), "the same: idempotent");
        assertEquals(MembershipChange.UNCHANGED, a.node.addPeer("d"), "no address given: nothing to compare");
        assertEquals(MembershipChange.NOT_LEADER, cluster.get("b").node.addPeer("e", "10.0.0.5:7000"));
        assertThrows(IllegalArgumentException.class, () -> a.node.addPeer("e", " "));
        assertEquals(last, a.logs.lastIndex(), "nothing of that reached the log");

        assertEquals(MembershipChange.ACCEPTED, a.node.removePeer("d"));
        cluster.runUntil(() -> List.of("a", "b", "c").stream()
                .noneMatch(id -> cluster.get(id).node.membership().isMember("d")), 5_000);
        for (String id : List.of("a", "b", "c")) {
            assertEquals(ABC_AT, cluster.get(id).node.membership().addresses(), id + ": the address went with d");
            assertNull(cluster.get(id).node.membership().address("d"));
        }
    }

    @Test
    @DisplayName("thesis §4.1 a member without an address keeps it that way: adding it with one is a conflict")
    void shouldRefuseAnAddressForAMemberThatHasNone_4_1() {
        final Cluster cluster = new Cluster(config().build(), voters("a", "b", "c"), "a", "b", "c");
        final Peer a = cluster.elect("a");
        assertEquals(MembershipChange.ADDRESS_CONFLICT, a.node.addPeer("b", "10.0.0.2:7000"));
        assertEquals(MembershipChange.UNCHANGED, a.node.addPeer("b"));
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("d"), "the one-argument form adds without address");
        assertNull(a.node.membership().address("d"));
        assertEquals(Map.of(), a.node.membership().addresses());
    }

    @Test
    @DisplayName("§7 the snapshot's configuration carries the addresses: a lagging follower learns them by InstallSnapshot")
    void shouldTeachALaggingFollowerTheAddressesBySnapshot_7() {
        final Cluster cluster = new Cluster(config().snapshotThresholdEntries(3).build(), ABC, "a", "b", "c");
        final Peer a = cluster.elect("a");
        final Peer c = cluster.get("c");
        cluster.drop = (from, s) -> from.equals("c") || s.to().equals("c");
        assertEquals(MembershipChange.ACCEPTED, a.node.addPeer("d", "10.0.0.4:7000")); // entry 2; d never answers
        propose(a, "p3", "p4", "p5", "p6");
        cluster.elapseMs(300);
        assertEquals(6, a.node.commitIndex());
        a.node.applyCommitted(100);
        assertEquals(ABCD_AT, a.logs.snapshot().membership().addresses());
        assertTrue(a.logs.firstIndex() > 2, "the CONFIG entry is compacted: c can only learn it by snapshot");
        assertEquals(ABC_AT, c.node.membership().addresses());

        cluster.drop = (from, s) -> false;
        cluster.runUntil(() -> c.logs.snapshotIndex() == 6, 2_000);
        assertEquals(ABCD_AT, c.node.membership().addresses());
        assertEquals(List.of("d"), c.node.membership().learners());

        c.restart(NONE, 7);
        assertEquals(ABCD_AT, c.node.membership().addresses(), "a restart takes them from the snapshot");
    }

    @Test
    @DisplayName("Figure 2 (persistent state) the addresses survive a restart, from the log or the snapshot (memory log)")
    void shouldKeepAddressesAcrossRestartsWithTheMemoryLog() {
        final Cluster cluster = new Cluster(config().snapshotThresholdEntries(3).build(), NONE);
        cluster.add(new Peer("a", config().snapshotThresholdEntries(3).build(), new MemoryRaftLogs(),
                Membership.of(List.of("a"), List.of(), Map.of("a", "10.0.0.1:7000")), 1));
        restartsKeepAddresses(cluster);
    }

    @Test
    @DisplayName("Figure 2 (persistent state) the addresses survive a restart, from the log or the snapshot (file log)")
    void shouldKeepAddressesAcrossRestartsWithTheFileLog() throws IOException {
        final Cluster cluster = new Cluster(config().snapshotThresholdEntries(3).build(), NONE);
        cluster.add(new Peer("a", config().snapshotThresholdEntries(3).build(), open("a"),
                Membership.of(List.of("a"), List.of(), Map.of("a", "10.0.0.1:7000")), 1));
        restartsKeepAddresses(cluster);
    }

    /**
     * One voter {@code a}: adds {@code d} with an address, restarts on what its log holds with a bootstrap
     * configuration without addresses (the CONFIG entry wins), snapshots, restarts again (the snapshot's
     * configuration wins).
     */
    private void restartsKeepAddresses(Cluster cluster) {
        final Map<String, String> both = Map.of("a", "10.0.0.1:7000", "d", "10.0.0.4:7000");
        final Peer first = cluster.elect("a");
        cluster.runUntil(() -> first.node.commitIndex() == 1, 1_000);
        assertEquals(MembershipChange.ACCEPTED, first.node.addPeer("d", "10.0.0.4:7000"));
        cluster.runUntil(() -> first.node.commitIndex() == 2, 1_000);

        final Peer second = restart(cluster, first);
        assertEquals(both, second.node.membership().addresses(), "recovered from the CONFIG entry in the log");

        cluster.elect("a");
        propose(second, "p1", "p2", "p3");
        cluster.runUntil(() -> second.node.commitIndex() == second.logs.lastIndex(), 1_000);
        second.node.applyCommitted(100);
        assertTrue(second.logs.snapshotIndex() >= 3 && second.logs.firstIndex() > 2, "the CONFIG entry is compacted");
        assertEquals(both, second.logs.snapshot().membership().addresses());

        final Peer third = restart(cluster, second);
        assertEquals(both, third.node.membership().addresses(), "recovered from the snapshot");
        assertEquals(both, third.logs.snapshot().membership().addresses());
    }

    /** A new process on what {@code p}'s log holds (the file log closed and opened again), bootstrap without addresses. */
    private Peer restart(Cluster cluster, Peer p) {
        final RaftLogs logs;
        if (p.logs instanceof FileRaftLogs file) {
            file.close();
            try {
                logs = open(p.id);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        } else {
            logs = p.logs;
        }
        final Peer fresh = new Peer(p.id, p.config, logs, voters("a"), 9);
        fresh.nowNs = cluster.nowNs;
        fresh.restart(voters("a"), 9);
        cluster.add(fresh);
        return fresh;
    }
}
