// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftLimits;
import io.hamok.raft.RaftRefusal;
import io.hamok.raft.RaftRole;
import io.hamok.sim.SimulationSeedExtension;
import io.hamok.wire.RaftWireEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, findings 5 and 6, through the whole loop: hostile frames (terms of 2^63 - 1 and 2^64 - 1,
 * a snapshot announcing 2 GiB, an AppendEntries to the leader of its own term) arrive as a flood from
 * a member's connection. Each is refused and counted once, each cause is logged at most once per
 * {@link RefusalLog#INTERVAL_NS} with the count of what was suppressed, and the cluster keeps electing
 * and committing. Virtual time, seeded randomness: a run is a function of its seed.
 */
@Timeout(120)
class RaftLoopHostileFramesTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    private static final long FLOOD_MS = 25_000;
    private static final long INTERVAL_MS = RefusalLog.INTERVAL_NS / 1_000_000;

    private static final EntryBatch NO_ENTRIES = new EntryBatch() {
        @Override
        public int count() {
            return 0;
        }

        @Override
        public LogEntryView read(int i, LogEntryView view) {
            throw new IndexOutOfBoundsException(i);
        }
    };

    private final RaftWireEncoder encoder = new RaftWireEncoder();
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[64]);

    private static CompletableFuture<Long> propose(RaftLoop leader, String text) {
        return leader.propose(text.getBytes(StandardCharsets.UTF_8));
    }

    private long lines(LocalCluster cluster, String peer, RaftRefusal cause) {
        return cluster.refusalLines.stream()
                .filter(l -> l.startsWith("hamok-loop-" + peer + ":") && l.contains(cause.name())).count();
    }

    @Test
    @DisplayName("issue 7 findings 5 and 6: a flood of hostile frames is refused and counted, logged at most once per cause per interval, and the cluster still elects and commits")
    void shouldRefuseFloodOfHostileFramesWithBoundedLogLinesAndKeepElectingAndCommitting() throws Exception {
        final long seed = 7;
        SEEDS.register(seed);
        try (LocalCluster cluster = LocalCluster.ofThree(seed)) {
            final RaftLoop leader = cluster.awaitStableLeader(20_000);
            final CompletableFuture<Long> before = propose(leader, "before");
            assertTrue(cluster.runUntil(before::isDone, 5_000), cluster::describe);
            final long term = leader.term();
            final String leaderId = leader.peerId();
            final List<RaftLoop> followers = cluster.loops().stream().filter(l -> l != leader).toList();
            final String member = followers.get(0).peerId(); // the connection the flood comes through

            final long[] injected = new long[3];
            for (long ms = 0; ms < FLOOD_MS; ms++) {
                for (int i = 0; i < 3; i++) {
                    final RaftLoop loop = cluster.loops().get(i);
                    final String from = loop == leader ? member : leaderId;
                    injected[i] += inject(loop, from, encoder.encodeAppendEntries(frame, 0, Long.MAX_VALUE, 0, 0, 0,
                            NO_ENTRIES));
                    injected[i] += inject(loop, from, encoder.encodeVoteRequest(frame, 0, Long.MAX_VALUE, 1, 1,
                            false, true));
                    injected[i] += inject(loop, from, encoder.encodeTimeoutNow(frame, 0, -1L));
                    if (loop == leader) {
                        // Finding 6: a second "leader" of the same term.
                        injected[i] += inject(loop, from, encoder.encodeAppendEntries(frame, 0, term, 0, 0, 0,
                                NO_ENTRIES));
                    } else {
                        // Finding 5: 2 GiB announced.
                        injected[i] += inject(loop, from, encoder.encodeInstallSnapshot(frame, 0, term, 1L << 40, term,
                                0, chunk, 0, chunk.capacity(), false, 1L << 31, 0));
                    }
                }
                cluster.step();
            }
            cluster.step();

            for (int i = 0; i < 3; i++) {
                final RaftLoop loop = cluster.loops().get(i);
                final String id = loop.peerId();
                assertEquals(0, loop.counters().inboundDropped(), id);
                assertEquals(injected[i], loop.counters().messagesRefused(), id + ": " + cluster.describe());
                assertEquals(term, loop.term(), id + " kept its term");
                assertEquals(3 * FLOOD_MS, loop.node().counters().refused(RaftRefusal.TERM_OUT_OF_RANGE), id);
                final Set<RaftRefusal> causes = EnumSet.of(RaftRefusal.TERM_OUT_OF_RANGE,
                        loop == leader ? RaftRefusal.APPEND_TO_LEADER : RaftRefusal.SNAPSHOT_TOO_LARGE);
                for (RaftRefusal cause : causes) {
                    final long n = lines(cluster, id, cause);
                    assertTrue(n >= 1 && n <= FLOOD_MS / INTERVAL_MS + 1, id + " logged " + n + " lines of " + cause);
                }
            }
            assertEquals(RaftRole.LEADER, leader.role());
            assertTrue(cluster.refusalLines.stream().anyMatch(l -> l.contains("suppressed")), cluster.refusalLines.toString());

            // The cluster still elects (the leader is cut off) and the new leader commits.
            cluster.isolate(leaderId);
            assertTrue(cluster.runUntil(() -> followers.stream().anyMatch(l -> l.isLeader() && l.term() > term), 20_000),
                    cluster::describe);
            final RaftLoop next = followers.stream().filter(RaftLoop::isLeader).findFirst().orElseThrow();
            final CompletableFuture<Long> after = propose(next, "after");
            assertTrue(cluster.runUntil(after::isDone, 5_000), cluster::describe);
            cluster.heal();
            final long index = after.get();
            assertTrue(cluster.runUntil(() -> cluster.allApplied(index), 20_000), cluster::describe);
            assertTrue(next.term() < RaftLimits.MAX_TERM);
        }
    }

    private long inject(RaftLoop loop, String from, int length) {
        assertTrue(loop.acceptFrame(from, frame, 0, length), "frame accepted into the inbound buffer");
        return 1;
    }
}
