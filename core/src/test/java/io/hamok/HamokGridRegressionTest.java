// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.raft.LogEntryView;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLogs;
import io.hamok.state.StorageRequest;
import io.hamok.transport.InboundFrames;
import io.hamok.transport.LocalNetwork;
import io.hamok.transport.Transport;
import io.hamok.transport.TransportCounters;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static io.hamok.HamokScenarioCluster.JOIN_TIMEOUT;
import static io.hamok.HamokScenarioCluster.WAIT;
import static io.hamok.HamokScenarioCluster.await;
import static io.hamok.HamokScenarioCluster.scenarioRaft;
import static io.hamok.HamokScenarioMapTest.stringMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regressions of the grid plumbing on real {@link Hamok} instances (own loop threads) over a
 * {@link LocalNetwork}: write futures complete after the loop published its state; a peer's new
 * incarnation on a kept log numbers its writes and reads above the earlier one's; a follower's
 * write resent to a leader that already applied it gets no second log entry.
 */
@Timeout(60)
class HamokGridRegressionTest {
    private final LocalNetwork network = new LocalNetwork();
    private final List<Hamok> opened = new ArrayList<>();
    private HamokScenarioCluster cluster;

    @AfterEach
    void tearDown() {
        opened.forEach(Hamok::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    // ------------------------------------------------------------------ fixtures

    /** Records the grid frames (submits, read-index questions and their answers) a peer sends. */
    static final class RecordingTransport implements Transport {
        /** A grid frame sent, whether or not the network let it through. */
        record Frame(String to, HamokMessage message) {
        }

        private final Transport delegate;
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        private final List<Waiting> waiting = new CopyOnWriteArrayList<>();

        private record Waiting(Predicate<List<Frame>> condition, CompletableFuture<Void> future) {
        }

        RecordingTransport(Transport delegate) {
            this.delegate = delegate;
        }

        /** Completes once the frames recorded satisfy {@code condition}. */
        CompletableFuture<Void> when(Predicate<List<Frame>> condition) {
            final Waiting w = new Waiting(condition, new CompletableFuture<>());
            waiting.add(w);
            check();
            return w.future();
        }

        List<HamokMessage> sent(MessageType type) {
            return frames.stream().map(Frame::message).filter(m -> m.getType() == type).toList();
        }

        private void check() {
            for (Waiting w : waiting) {
                if (w.condition().test(frames)) {
                    waiting.remove(w);
                    w.future().complete(null);
                }
            }
        }

        @Override
        public String localPeerId() {
            return delegate.localPeerId();
        }

        @Override
        public void start(InboundFrames inbound) {
            delegate.start(inbound);
        }

        @Override
        public boolean send(String peerId, DirectBuffer buffer, int offset, int length) {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            final boolean sent = delegate.send(peerId, buffer, offset, length);
            try {
                final HamokMessage m = HamokMessage.parseFrom(bytes);
                switch (m.getType()) {
                    case SUBMIT_MESSAGE_REQUEST, SUBMIT_MESSAGE_RESPONSE, RAFT_READ_INDEX_REQUEST,
                         RAFT_READ_INDEX_RESPONSE -> {
                        frames.add(new Frame(peerId, m));
                        check();
                    }
                    default -> {
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                // not a message of ours to record
            }
            return sent;
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public TransportCounters counters() {
            return delegate.counters();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private Hamok create(String id, List<String> peers, RaftConfig.Builder raft, Transport transport, RaftLogs logs,
                         EpochClock epochClock) {
        final HamokConfig.Builder b = HamokConfig.builder().peerId(id).peers(peers).transport(transport)
                .raftConfig(raft.build()).requestTimeoutMs(5_000);
        if (logs != null) {
            b.raftLogs(logs);
        }
        if (epochClock != null) {
            b.clocks(SystemNanoClock.INSTANCE, epochClock);
        }
        final Hamok h = Hamok.create(b.build());
        opened.add(h);
        return h;
    }

    /** The leader every given member agrees on, after each passed a read barrier. */
    private static Hamok leaderOf(List<Hamok> members) throws Exception {
        for (int round = 0; round < 20; round++) {
            for (Hamok h : members) {
                await(h.waitUntilLeader(WAIT));
                await(h.waitUntilCommitHead(WAIT));
            }
            final String agreed = members.get(0).leaderId();
            if (agreed != null && members.stream().allMatch(h -> agreed.equals(h.leaderId()))) {
                for (Hamok h : members) {
                    if (h.localPeerId().equals(agreed) && h.isLeader()) {
                        return h;
                    }
                }
            }
        }
        throw new AssertionError("no agreed leader among " + members);
    }

    private static void joinAll(Hamok... members) throws Exception {
        final List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (Hamok h : members) {
            joins.add(h.join(JOIN_TIMEOUT));
        }
        await(CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0])));
    }

    /** One storage request found in a log. */
    record Logged(long index, StorageRequest request) {
    }

    /** The storage requests in {@code h}'s log, read on its loop thread; other entries are skipped. */
    private static List<Logged> storageEntries(Hamok h) throws Exception {
        final List<Logged> found = new ArrayList<>();
        await(h.loop().execute(() -> {
            final RaftLogs logs = h.loop().node().logs();
            final LogEntryView view = new LogEntryView();
            for (long i = logs.firstIndex(); i <= logs.lastIndex(); i++) {
                final LogEntryView e = logs.read(i, view);
                if (e.type() != LogEntryView.NORMAL) {
                    continue;
                }
                final byte[] payload = new byte[e.payloadLength()];
                e.payload().getBytes(0, payload);
                try {
                    found.add(new Logged(i, StorageRequest.fromBytes(payload)));
                } catch (IllegalArgumentException notStorage) {
                    // an entry that is not a storage request
                }
            }
        }));
        return found;
    }

    private static long countEntries(List<Logged> entries, String sourceId, long requestId) {
        return entries.stream().filter(l -> l.request().sourceId().equals(sourceId)
                && l.request().requestId() == requestId).count();
    }

    private static String key(StorageRequest r) {
        return r.keys().isEmpty() ? "" : new String(r.keys().get(0), StandardCharsets.UTF_8);
    }

    /** The storage requests a peer submitted over the wire for {@code storageId}, in send order. */
    private static List<Long> submittedIds(RecordingTransport t, String storageId) {
        return t.sent(MessageType.SUBMIT_MESSAGE_REQUEST).stream()
                .map(m -> StorageRequest.fromBytes(m.getEntries(0).getPayload().toByteArray()))
                .filter(r -> r.storageId().equals(storageId)).map(StorageRequest::requestId).distinct().toList();
    }

    private static List<Long> readNumbers(RecordingTransport t) {
        return t.sent(MessageType.RAFT_READ_INDEX_REQUEST).stream().map(HamokMessage::getRequestId).distinct()
                .toList();
    }

    /** The failure of a future within {@link HamokScenarioCluster#WAIT}, or null when it completed normally. */
    private static Throwable outcome(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(HamokScenarioCluster.WAIT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        }
    }

    // ------------------------------------------------------------------ (a) futures after publication

    @Test
    @DisplayName("a write's future completes after the loop published its state: stats().appliedIndex() read at completion already includes the write, on the leader and on a follower")
    void shouldIncludeWriteInAppliedIndexWhenItsFutureCompletes() throws Exception {
        cluster = new HamokScenarioCluster("a", "b", "c").joinAll();
        final Hamok leader = cluster.leader();
        final Hamok follower = cluster.follower();
        for (Hamok h : List.of(leader, follower)) {
            final HamokMap<String, String> map = h.createMap(stringMap("published-" + h.localPeerId()));
            final Map<String, Long> atCompletion = new LinkedHashMap<>();
            final Map<String, Long> afterAwait = new LinkedHashMap<>();
            for (int i = 0; i < 40; i++) {
                final String k = h.localPeerId() + "-" + i;
                // The callback runs where the future completes: on the loop thread, at completion.
                final CompletableFuture<Long> applied = map.set(k, "v" + i).thenApply(prev -> h.stats().appliedIndex());
                atCompletion.put(k, await(applied));
                afterAwait.put(k, h.stats().appliedIndex());
            }
            final Map<String, Long> indexOf = new LinkedHashMap<>();
            for (Logged l : storageEntries(h)) {
                if (l.request().storageId().equals("published-" + h.localPeerId())) {
                    indexOf.put(key(l.request()), l.index());
                }
            }
            for (String k : atCompletion.keySet()) {
                final Long index = indexOf.get(k);
                assertTrue(index != null, k + " is in " + h.localPeerId() + "'s log");
                assertTrue(atCompletion.get(k) >= index, h.localPeerId() + ": write " + k + " at index " + index
                        + " completed while stats().appliedIndex() was " + atCompletion.get(k));
                assertTrue(afterAwait.get(k) >= index, h.localPeerId() + ": write " + k + " at index " + index
                        + " awaited while stats().appliedIndex() was " + afterAwait.get(k));
            }
            assertTrue(h.stats().commitIndex() >= h.stats().appliedIndex());
        }
    }

    // ------------------------------------------------------------------ (b) incarnations

    /** Cluster a, b, c: a has slow election timers (so it stays a follower and talks over the wire). */
    private static RaftConfig.Builder raftOf(String id) {
        return "a".equals(id) ? scenarioRaft().followerMaxIdleMs(5_000).electionTimeoutMs(6_000) : scenarioRaft();
    }

    /**
     * a writes and reads, closes, and comes back as a new instance on the same log; its writes must
     * be applied (not taken for duplicates of the earlier incarnation's) and its reads must see the
     * current value. {@code firstClock}/{@code secondClock} are the incarnations' wall clocks (null:
     * the system clock).
     */
    private void comeBackOnKeptLog(EpochClock firstClock, EpochClock secondClock) throws Exception {
        final List<String> peers = List.of("a", "b", "c");
        final MemoryRaftLogs logsA = new MemoryRaftLogs();
        final RecordingTransport wire1 = new RecordingTransport(network.transport("a"));
        final Hamok a1 = create("a", peers, raftOf("a"), wire1, logsA, firstClock);
        final Hamok b = create("b", peers, raftOf("b"), network.transport("b"), null, null);
        final Hamok c = create("c", peers, raftOf("c"), network.transport("c"), null, null);
        joinAll(a1, b, c);
        final Hamok leader = leaderOf(List.of(a1, b, c));
        assertNotEquals("a", leader.localPeerId(), "a's timers are slow: it follows");
        final Hamok other = leader == b ? c : b;

        final HamokMap<String, String> map1 = a1.createMap(stringMap("incarnations"));
        final HamokMap<String, String> mapB = b.createMap(stringMap("incarnations"));
        assertNull(await(map1.set("k", "v1")));
        assertNull(await(map1.set("k1", "one")));
        assertEquals("v1", await(map1.getLinearizable("k")));
        assertEquals("one", await(map1.getLinearizable("k1")));
        final List<Long> ids1 = submittedIds(wire1, "incarnations");
        final List<Long> reads1 = readNumbers(wire1);
        assertEquals(2, ids1.size(), "a1 submitted its writes to the leader " + leader.localPeerId());
        assertFalse(reads1.isEmpty(), "a1 asked the leader for read indexes");
        a1.close();

        // The cluster moves on without a.
        assertEquals("v1", await(mapB.set("k", "v2")));
        await(other.waitUntilCommitHead(WAIT));

        final RecordingTransport wire2 = new RecordingTransport(network.transport("a"));
        final Hamok a2 = create("a", peers, raftOf("a"), wire2, logsA, secondClock);
        final HamokMap<String, String> map2 = a2.createMap(stringMap("incarnations"));
        joinAll(a2);

        final CompletableFuture<String> fresh = map2.set("k2", "two");
        final Throwable freshError = outcome(fresh);
        final List<Long> ids2 = submittedIds(wire2, "incarnations");
        assertNull(freshError, "a2's first write was not applied (ids of a1 " + ids1 + ", of a2 " + ids2 + "): "
                + freshError);
        assertEquals("v2", await(map2.set("k", "v3")), "a2's write sees b's");
        assertEquals("v3", await(mapB.getLinearizable("k")));
        assertEquals("two", await(mapB.getLinearizable("k2")));

        // Reads of the new incarnation return the current value, also after another peer's write.
        assertEquals("v3", await(map2.getLinearizable("k")));
        assertEquals("v3", await(mapB.set("k", "v4")));
        assertEquals("v4", await(map2.getLinearizable("k")));
        assertEquals("two", await(map2.getLinearizable("k2")));
        assertEquals("one", await(map2.getLinearizable("k1")));

        final List<Long> ids2All = submittedIds(wire2, "incarnations");
        final List<Long> reads2 = readNumbers(wire2);
        assertFalse(reads2.isEmpty(), "a2 asked the leader for read indexes");
        final long highest1 = ids1.stream().mapToLong(Long::longValue).max().orElseThrow();
        for (long id : ids2All) {
            assertTrue(id > highest1, "a2's request id " + id + " is not above a1's " + ids1);
        }
        // Read numbers only need to differ from the earlier incarnation's (Hamok draws a random base):
        // an answer meant for one of a1's reads must never match a read of a2.
        for (long r : reads2) {
            assertFalse(reads1.contains(r), "a2's read number " + r + " was used by a1: " + reads1);
        }

        // Every write of a is in the leader's log exactly once, each under its own id.
        final List<Logged> entries = storageEntries(leaderOf(List.of(a2, b, c)));
        for (long id : ids1) {
            assertEquals(1, countEntries(entries, "a", id), "a1's request " + id);
        }
        for (long id : ids2All) {
            assertEquals(1, countEntries(entries, "a", id), "a2's request " + id);
        }
    }

    @Test
    @DisplayName("a new incarnation on the kept log (same peer id, same MemoryRaftLogs) numbers its writes and reads above the earlier one's: its writes are applied and its linearizable reads return the current value")
    void shouldContinueRequestIdsAboveEarlierIncarnation() throws Exception {
        comeBackOnKeptLog(null, null);
    }

    @Test
    @DisplayName("a new incarnation on the kept log whose wall clock reads 5 s earlier than the first's (a clock step back across the restart) still numbers its writes above the earlier one's: the kept log says where they ended")
    void shouldContinueRequestIdsAboveEarlierIncarnationWhenTheClockSteppedBack() throws Exception {
        final long start = System.currentTimeMillis();
        final long firstStartNs = System.nanoTime();
        final EpochClock first = () -> start + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstStartNs);
        final EpochClock second = () -> start - 5_000 + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstStartNs);
        comeBackOnKeptLog(first, second);
    }

    // ------------------------------------------------------------------ (c) resend of an applied write

    @Test
    @DisplayName("a follower's write resent to a leader that already applied it is answered (accepted) without a second log entry, and completes once the follower applies it")
    void shouldAnswerResendOfAppliedWriteWithoutSecondEntry() throws Exception {
        final List<String> peers = List.of("a", "b", "c");
        final Map<String, RecordingTransport> wires = new LinkedHashMap<>();
        final Map<String, Hamok> members = new LinkedHashMap<>();
        for (String id : peers) {
            final RecordingTransport wire = new RecordingTransport(network.transport(id));
            wires.put(id, wire);
            members.put(id, create(id, peers, raftOf(id), wire, null, null));
        }
        joinAll(members.values().toArray(new Hamok[0]));
        final Hamok leader = leaderOf(List.copyOf(members.values()));
        assertNotEquals("a", leader.localPeerId(), "a's timers are slow: it follows");
        final String l = leader.localPeerId();
        final Hamok a = members.get("a");
        final RecordingTransport wireA = wires.get("a");
        final RecordingTransport wireL = wires.get(l);
        final HamokMap<String, String> mapA = a.createMap(stringMap("resend"));
        final HamokMap<String, String> mapL = leader.createMap(stringMap("resend"));

        // a hears nothing from the leader (no entries, no answers); its frames still reach the leader.
        network.linkFilter((from, to) -> !(from.equals(l) && to.equals("a")));
        final CompletableFuture<String> write = mapA.set("key", "value");
        await(wireA.when(frames -> !submittedIds(wireA, "resend").isEmpty()));
        final long requestId = submittedIds(wireA, "resend").get(0);
        // The leader handles a's submit before this write of its own, so once this one is applied, a's is too.
        assertNull(await(mapL.set("barrier-1", "x")));
        assertEquals("value", mapL.get("key"), "the leader applied a's write");
        assertFalse(write.isDone(), "a has not applied its write: it hears nothing from the leader");
        assertEquals(1, countEntries(storageEntries(leader), "a", requestId));

        // a resends (it got no answer); the leader already applied the request.
        final int sentBefore = countSubmits(wireA, requestId);
        await(wireA.when(frames -> countSubmits(wireA, requestId) >= sentBefore + 2));
        assertNull(await(mapL.set("barrier-2", "x"))); // the leader handled the resends before this
        assertEquals(1, countEntries(storageEntries(leader), "a", requestId),
                "the resends of an applied request add no log entry");
        final List<HamokMessage> answers = wireL.sent(MessageType.SUBMIT_MESSAGE_RESPONSE).stream()
                .filter(m -> m.getRequestId() == requestId).toList();
        assertTrue(answers.size() >= 3, "the leader answered the submit and its resends: " + answers);
        assertTrue(answers.stream().allMatch(HamokMessage::getSuccess), "every answer accepts: " + answers);

        // A copy arriving after everything settled (as from a): still accepted without a second entry.
        network.heal();
        assertNull(await(write), "a's write completes once a applies it: key was new");
        final byte[] payload = storageEntries(leader).stream()
                .filter(e -> e.request().sourceId().equals("a") && e.request().requestId() == requestId)
                .findFirst().orElseThrow().request().toBytes();
        final byte[] frame = HamokMessage.newBuilder().setType(MessageType.SUBMIT_MESSAGE_REQUEST)
                .setRequestId(requestId).addEntries(LogEntry.newBuilder().setPayload(ByteString.copyFrom(payload)))
                .build().toByteArray();
        final int answersBefore = answers.size();
        assertTrue(leader.accept("a", frame));
        await(wireL.when(frames -> wireL.sent(MessageType.SUBMIT_MESSAGE_RESPONSE).stream()
                .filter(m -> m.getRequestId() == requestId).count() > answersBefore));
        assertNull(await(mapL.set("barrier-3", "x")));
        assertEquals(1, countEntries(storageEntries(leader), "a", requestId));
        await(a.waitUntilCommitHead(WAIT));
        assertEquals(1, countEntries(storageEntries(a), "a", requestId));
        assertEquals("value", mapA.get("key"));
        assertTrue(leader.isLeader(), "the leader did not change during the test");
    }

    private static int countSubmits(RecordingTransport wire, long requestId) {
        return (int) wire.sent(MessageType.SUBMIT_MESSAGE_REQUEST).stream()
                .filter(m -> m.getRequestId() == requestId).count();
    }
}
