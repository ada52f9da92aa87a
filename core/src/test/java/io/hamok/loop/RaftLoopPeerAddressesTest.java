// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.MembershipChange;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;
import io.hamok.transport.LocalNetwork;
import io.hamok.transport.RecordingTransport;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop tells its transport the members' addresses ({@code Transport.updatePeers}, issue 11): at
 * start, whenever the configuration in force changes them (before this node sends anything to a new
 * member), after a snapshot install and after recovering a log; never when nothing changed; always on
 * the loop thread.
 */
@Timeout(60)
class RaftLoopPeerAddressesTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Map<String, String> ABC_AT = Map.of("a", "10.0.0.1:7000", "b", "10.0.0.2:7000",
            "c", "10.0.0.3:7000");
    private static final Map<String, String> ABCD_AT = Map.of("a", "10.0.0.1:7000", "b", "10.0.0.2:7000",
            "c", "10.0.0.3:7000", "d", "10.0.0.4:7000");
    private static final List<String> ABC = List.of("a", "b", "c");

    @TempDir
    Path dataDir;

    /** Loops on one {@link LocalNetwork}, each behind a {@link RecordingTransport}, driven on the test thread. */
    private static final class Rig implements AutoCloseable {
        final LocalNetwork network = new LocalNetwork();
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final CachedEpochClock epochClock = new CachedEpochClock();
        final Map<String, RaftLoop> loops = new LinkedHashMap<>();
        final Map<String, AgentInvoker> invokers = new LinkedHashMap<>();
        final Map<String, RecordingTransport> transports = new LinkedHashMap<>();
        final RaftConfig raft;

        Rig(RaftConfig raft) {
            this.raft = raft;
            epochClock.update(1_700_000_000_000L);
        }

        RaftLoop start(String id, List<String> voters, Map<String, String> addresses) {
            final RecordingTransport transport = new RecordingTransport(network.transport(id));
            final RaftLoop loop = RaftLoop.builder().peerId(id).transport(transport).bootstrapVoters(voters)
                    .bootstrapAddresses(addresses).stateMachine(new RecordingStateMachine()).raftConfig(raft)
                    .clocks(nanoClock, epochClock).random(new SplittableRandom(id.hashCode())).build();
            loops.put(id, loop);
            transports.put(id, transport);
            invokers.put(id, loop.startInvoker());
            return loop;
        }

        RecordingTransport transport(String id) {
            return transports.get(id);
        }

        RaftLoop loop(String id) {
            return loops.get(id);
        }

        void step() {
            nanoClock.advance(MS);
            epochClock.advance(1);
            invokers.values().forEach(AgentInvoker::invoke);
        }

        void runFor(long ms) {
            for (long i = 0; i < ms; i++) {
                step();
            }
        }

        void runUntil(BooleanSupplier condition, long maxMs) {
            for (long i = 0; i < maxMs; i++) {
                if (condition.getAsBoolean()) {
                    return;
                }
                step();
            }
            assertTrue(condition.getAsBoolean(), "not reached within " + maxMs + " virtual ms");
        }

        <T> T await(CompletableFuture<T> future) {
            runUntil(future::isDone, 10_000);
            return future.join();
        }

        RaftLoop awaitLeader() {
            runUntil(() -> loops.values().stream().filter(RaftLoop::isLeader).count() == 1
                    && loops.values().stream().allMatch(l -> l.leaderId() != null), 20_000);
            return loops.values().stream().filter(RaftLoop::isLeader).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            loops.values().forEach(RaftLoop::close);
        }
    }

    private static byte[] payload(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertAllOnThread(RecordingTransport transport, Thread thread) {
        for (RecordingTransport.Event e : transport.updateEvents()) {
            assertEquals(thread, e.thread(), "updatePeers on the loop thread");
        }
    }

    @Test
    void shouldTellTheTransportAtStartAndNotAgainWhileNothingChanges() {
        try (Rig rig = new Rig(RaftConfig.builder().build())) {
            for (String id : ABC) {
                rig.start(id, ABC, ABC_AT);
                assertEquals(List.of(ABC_AT), rig.transport(id).updates(), id + ": told once the loop started");
            }
            final RaftLoop leader = rig.awaitLeader();
            for (int i = 0; i < 20; i++) {
                rig.await(leader.propose(payload("w" + i)));
            }
            rig.runFor(3_000);
            for (String id : ABC) {
                assertEquals(List.of(ABC_AT), rig.transport(id).updates(), id + ": an election and writes change nothing");
                assertAllOnThread(rig.transport(id), Thread.currentThread());
            }
        }
    }

    @Test
    void shouldNeverTellTheTransportWhenNoMemberHasAnAddress() {
        try (Rig rig = new Rig(RaftConfig.builder().stabilizationMs(0).build())) {
            for (String id : ABC) {
                rig.start(id, ABC, Map.of());
            }
            final RaftLoop leader = rig.awaitLeader();
            final RaftLoop joining = rig.start("d", List.of(), Map.of());
            assertEquals(MembershipChange.ACCEPTED, rig.await(leader.addPeer("d")));
            rig.runUntil(() -> joining.node().membership().isVoter("d"), 10_000);
            assertEquals(MembershipChange.ACCEPTED, rig.await(leader.removePeer("d")));
            rig.runFor(1_000);
            for (String id : List.of("a", "b", "c", "d")) {
                assertEquals(List.of(), rig.transport(id).updates(), id);
            }
        }
    }

    @Test
    void shouldTellEveryNodeOfANewMemberBeforeTheLeaderSendsItAnythingAndForgetItOnRemoval() {
        try (Rig rig = new Rig(RaftConfig.builder().stabilizationMs(0).build())) {
            for (String id : ABC) {
                rig.start(id, ABC, ABC_AT);
            }
            final RaftLoop leader = rig.awaitLeader();
            final RaftLoop d = rig.start("d", List.of(), Map.of());
            assertEquals(List.of(), rig.transport("d").updates(), "a joining node knows no addresses yet");

            assertEquals(MembershipChange.ACCEPTED, rig.await(leader.addPeer("d", "10.0.0.4:7000")));
            rig.runUntil(() -> rig.loops.values().stream().allMatch(l -> l.node().membership().isVoter("d"))
                    && leader.commitIndex() == leader.node().logs().lastIndex(), 10_000);
            for (String id : ABC) {
                assertEquals(List.of(ABC_AT, ABCD_AT), rig.transport(id).updates(),
                        id + ": told once more, not again for the promotion (same addresses)");
            }
            assertEquals(List.of(ABCD_AT), rig.transport("d").updates(), "d learns them from the log");
            assertEquals(ABCD_AT, d.node().membership().addresses());

            final List<RecordingTransport.Event> events = rig.transport(leader.peerId()).events();
            int told = -1;
            int firstSend = -1;
            for (int i = 0; i < events.size(); i++) {
                final RecordingTransport.Event e = events.get(i);
                if (told < 0 && e.addresses() != null && e.addresses().containsKey("d")) {
                    told = i;
                }
                if (firstSend < 0 && "d".equals(e.sentTo())) {
                    firstSend = i;
                }
            }
            assertTrue(told >= 0 && firstSend > told, "the leader's transport knew d (event " + told
                    + ") before the first frame to d (event " + firstSend + ")");

            final int calls = rig.transport(leader.peerId()).updates().size();
            assertEquals(MembershipChange.ADDRESS_CONFLICT, rig.await(leader.addPeer("d", "10.9.9.9:7000")));
            assertEquals(MembershipChange.UNCHANGED, rig.await(leader.addPeer("d", "10.0.0.4:7000")));
            assertEquals(MembershipChange.UNCHANGED, rig.await(leader.addPeer("d")));
            assertThrows(IllegalArgumentException.class, () -> leader.addPeer("e", ""));
            assertEquals(calls, rig.transport(leader.peerId()).updates().size(), "nothing changed, nothing told");

            assertEquals(MembershipChange.ACCEPTED, rig.await(leader.removePeer("d")));
            // a removed peer stays reachable until its removal is committed, and a little longer (it may ask
            // whether it went through)
            rig.runUntil(() -> ABC.stream().map(rig::loop).noneMatch(l -> l.node().membership().isMember("d")
                    || l.node().commitIndex() < l.node().membershipIndex()), 10_000);
            rig.runFor(TimeUnit.NANOSECONDS.toMillis(PeerAddresses.LINGER_NS) + 10);
            for (String id : ABC) {
                assertEquals(List.of(ABC_AT, ABCD_AT, ABC_AT), rig.transport(id).updates(), id + ": d is gone");
                assertAllOnThread(rig.transport(id), Thread.currentThread());
            }
        }
    }

    /**
     * Issue 11, leaving: a peer the latest configuration entry removed stays in the transport's map
     * until that entry is committed here and a little longer (the peer may still ask whether its removal
     * went through, and this node, should it lead, must be able to answer), and a peer kept by
     * {@code keepLinked} stays until released.
     */
    @Test
    void shouldKeepARemovedPeerReachableUntilItsRemovalIsCommittedAndAKeptPeerUntilReleased() {
        try (Rig rig = new Rig(RaftConfig.builder().build())) {
            for (String id : ABC) {
                rig.start(id, ABC, ABC_AT);
            }
            final RaftLoop leader = rig.awaitLeader();
            final String other = ABC.stream().filter(id -> !id.equals(leader.peerId())).findFirst().orElseThrow();
            final String removed = ABC.stream().filter(id -> !id.equals(leader.peerId()) && !id.equals(other))
                    .findFirst().orElseThrow();
            rig.network.linkFilter((from, to) -> !from.equals(other) && !to.equals(other)); // no majority without it
            assertEquals(MembershipChange.ACCEPTED, rig.await(leader.removePeer(removed)));
            rig.runFor(200);
            assertTrue(leader.commitIndex() < leader.node().membershipIndex(), "the removal is not committed");
            assertEquals(ABC_AT, last(rig.transport(leader.peerId()).updates()), "still reachable while uncommitted");

            final CompletableFuture<Void> kept = leader.execute(() -> leader.keepLinked(removed, ABC_AT.get(removed)));
            rig.await(kept);
            rig.network.linkFilter((from, to) -> true);
            rig.runUntil(() -> leader.commitIndex() >= leader.node().membershipIndex(), 10_000);
            rig.runFor(10);
            assertEquals(ABC_AT, last(rig.transport(other).updates()), "committed, for a while still reachable");
            rig.runFor(TimeUnit.NANOSECONDS.toMillis(PeerAddresses.LINGER_NS));
            assertEquals(ABC_AT, last(rig.transport(leader.peerId()).updates()), "committed a while ago, but kept");
            final Map<String, String> without = new java.util.HashMap<>(ABC_AT);
            without.remove(removed);
            assertEquals(without, last(rig.transport(other).updates()), "committed a while ago at " + other + ": gone");

            rig.await(leader.execute(() -> leader.keepLinked(removed, null)));
            rig.runFor(10);
            assertEquals(without, last(rig.transport(leader.peerId()).updates()), "released: gone");
            assertAllOnThread(rig.transport(leader.peerId()), Thread.currentThread());
        }
    }

    private static Map<String, String> last(List<Map<String, String>> updates) {
        return updates.get(updates.size() - 1);
    }

    @Test
    void shouldTellALaggingNodeTheAddressesItLearnsByInstallSnapshot() {
        try (Rig rig = new Rig(RaftConfig.builder().snapshotThresholdEntries(10).build())) {
            for (String id : ABC) {
                rig.start(id, ABC, ABC_AT);
            }
            final RaftLoop leader = rig.awaitLeader();
            final String lagging = ABC.stream().filter(id -> !id.equals(leader.peerId())).findFirst().orElseThrow();
            rig.network.linkFilter((from, to) -> !from.equals(lagging) && !to.equals(lagging));
            assertEquals(MembershipChange.ACCEPTED, rig.await(leader.addPeer("d", "10.0.0.4:7000"))); // d never runs
            final long configIndex = leader.node().logs().lastIndex();
            for (int i = 0; i < 40; i++) {
                rig.await(leader.propose(payload("w" + i)));
            }
            assertTrue(leader.node().logs().firstIndex() > configIndex, "the CONFIG entry is compacted on the leader");
            assertEquals(List.of(ABC_AT), rig.transport(lagging).updates());

            rig.network.heal();
            rig.runUntil(() -> rig.loop(lagging).node().membership().isMember("d"), 20_000);
            final RaftLogs logs = rig.loop(lagging).node().logs();
            assertTrue(logs.snapshotIndex() > configIndex && logs.firstIndex() > configIndex,
                    "it learnt d from the snapshot, never from the CONFIG entry");
            assertEquals(List.of(ABC_AT, ABCD_AT), rig.transport(lagging).updates());
            assertAllOnThread(rig.transport(lagging), Thread.currentThread());
        }
    }

    @Test
    void shouldCallUpdatePeersOnTheLoopsOwnThread() throws Exception {
        final RecordingTransport transport = new RecordingTransport(new LocalNetwork().transport("a"));
        final RaftLoop loop = RaftLoop.builder().peerId("a").transport(transport).bootstrapVoters(List.of("a"))
                .bootstrapAddresses(Map.of("a", "10.0.0.1:7000")).stateMachine(new RecordingStateMachine())
                .raftConfig(fast()).build().start();
        try {
            loop.await(l -> l.isLeader() && l.commitIndex() >= 1).get(10, TimeUnit.SECONDS); // its no-op
            assertEquals(MembershipChange.ACCEPTED, loop.addPeer("d", "10.0.0.4:7000").get(10, TimeUnit.SECONDS));
            loop.await(l -> transport.updates().size() == 2).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(Map.of("a", "10.0.0.1:7000"), Map.of("a", "10.0.0.1:7000", "d", "10.0.0.4:7000")),
                    transport.updates());
            for (RecordingTransport.Event e : transport.updateEvents()) {
                assertEquals(loop.roleName(), e.thread().getName(), "the loop's thread");
                assertNotEquals(Thread.currentThread(), e.thread());
            }
        } finally {
            loop.close();
        }
    }

    @Test
    void shouldTellTheAddressesItRecoversFromAMemoryLogAtStart() throws Exception {
        final MemoryRaftLogs logs = new MemoryRaftLogs();
        restartTellsRecoveredAddresses(() -> logs);
    }

    @Test
    void shouldTellTheAddressesItRecoversFromAFileLogAtStart() throws Exception {
        restartTellsRecoveredAddresses(() -> FileRaftLogs.open(dataDir.resolve("a"),
                FileLogConfig.builder().fsyncPolicy(FsyncPolicy.BATCH).build()));
    }

    private interface LogsSource {
        RaftLogs open() throws Exception;
    }

    /**
     * One voter a (with an address) adds d with an address, then writes enough for a snapshot; after
     * each stage the loop restarts on its log with a bootstrap without addresses and tells the
     * transport, at start, what it recovered: from the CONFIG entry, then from the snapshot.
     */
    private void restartTellsRecoveredAddresses(LogsSource logs) throws Exception {
        final Map<String, String> both = Map.of("a", "10.0.0.1:7000", "d", "10.0.0.4:7000");
        final RaftConfig raft = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .snapshotThresholdEntries(10).build();
        RaftLoop loop = RaftLoop.builder().peerId("a").transport(new LocalNetwork().transport("a"))
                .bootstrapVoters(List.of("a")).bootstrapAddresses(Map.of("a", "10.0.0.1:7000"))
                .stateMachine(new RecordingStateMachine()).raftConfig(raft).raftLogs(logs.open()).build().start();
        try {
            loop.await(l -> l.isLeader() && l.commitIndex() >= 1).get(10, TimeUnit.SECONDS); // its no-op
            assertEquals(MembershipChange.ACCEPTED, loop.addPeer("d", "10.0.0.4:7000").get(10, TimeUnit.SECONDS));
            loop.propose(payload("after the change")).get(10, TimeUnit.SECONDS);
        } finally {
            loop.close();
        }
        for (int stage = 0; stage < 2; stage++) {
            final RecordingTransport transport = new RecordingTransport(new LocalNetwork().transport("a"));
            loop = RaftLoop.builder().peerId("a").transport(transport).bootstrapVoters(List.of("a"))
                    .stateMachine(new RecordingStateMachine()).raftConfig(raft).raftLogs(logs.open()).build().start();
            try {
                final RaftLoop started = loop;
                final AtomicLong firstIndex = new AtomicLong();
                started.execute(() -> firstIndex.set(started.node().logs().firstIndex())).get(10, TimeUnit.SECONDS);
                assertEquals(stage == 0, firstIndex.get() <= 2, "stage " + stage + ": the CONFIG entry (index 2) is "
                        + (stage == 0 ? "in the log" : "compacted into the snapshot"));
                assertEquals(List.of(both), transport.updates(), "stage " + stage + ": told what it recovered");
                if (stage == 0) {
                    started.await(RaftLoop::isLeader).get(10, TimeUnit.SECONDS);
                    for (int i = 0; i < 30; i++) {
                        started.propose(payload("w" + i)).get(10, TimeUnit.SECONDS);
                    }
                }
            } finally {
                loop.close();
            }
        }
    }

    private static RaftConfig fast() {
        return RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600).build();
    }

    @Test
    void shouldRefuseBootstrapAddressesOfPeersThatAreNotBootstrapVoters() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaftLoop.builder()
                .peerId("a").transport(new LocalNetwork().transport("a")).bootstrapVoters(List.of("a"))
                .bootstrapAddresses(Map.of("b", "10.0.0.2:7000")).stateMachine(new RecordingStateMachine()).build());
        assertTrue(e.getMessage().startsWith("bootstrapAddresses"), e.getMessage());
    }
}
