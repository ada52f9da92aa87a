// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.transport.LocalNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three {@link RaftLoop}s on their own threads, with system clocks and the default idle strategy. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RaftLoopThreadedTest {
    private static final String THREAD_PREFIX = "hamok-loop-threaded-";
    private static final int PROPOSALS = 10_000;

    @Test
    void shouldElectCommitTenThousandProposalsInFlightAndEndTheirThreadsOnClose() throws Exception {
        final LocalNetwork network = new LocalNetwork();
        final List<String> ids = List.of("threaded-a", "threaded-b", "threaded-c");
        final List<RaftLoop> loops = new ArrayList<>();
        final List<RecordingStateMachine> stateMachines = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            final RecordingStateMachine sm = new RecordingStateMachine();
            stateMachines.add(sm);
            loops.add(RaftLoop.builder().peerId(ids.get(i)).transport(network.transport(ids.get(i)))
                    .bootstrapVoters(ids).stateMachine(sm).random(new SplittableRandom(100 + i)).build());
        }
        final List<Thread> threads;
        try {
            loops.forEach(RaftLoop::start);
            threads = loopThreads();
            assertEquals(ids.size(), threads.size(), "one thread per loop, named after it: " + threads);

            final String leaderId = loops.get(0).awaitLeader().get(10, SECONDS);
            final RaftLoop leader = loops.get(ids.indexOf(leaderId));

            final List<CompletableFuture<Long>> futures = new ArrayList<>(PROPOSALS);
            for (int i = 0; i < PROPOSALS; i++) {
                futures.add(leader.propose(("p-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, SECONDS);
            final long first = futures.get(0).join();
            for (int i = 0; i < PROPOSALS; i++) {
                assertEquals(first + i, futures.get(i).join(), "proposal " + i);
            }
            final long last = first + PROPOSALS - 1;
            for (RaftLoop loop : loops) {
                assertTrue(loop.awaitApplied(last).get(30, SECONDS) >= last, loop.peerId());
            }
            final List<String> expected = new ArrayList<>(PROPOSALS);
            for (int i = 0; i < PROPOSALS; i++) {
                expected.add("p-" + i);
            }
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(expected, stateMachines.get(i).payloads(), ids.get(i));
            }
            assertEquals(PROPOSALS, leader.counters().proposalsCommitted());
        } finally {
            loops.forEach(RaftLoop::close);
        }

        for (Thread t : threads) {
            final long deadlineNs = System.nanoTime() + SECONDS.toNanos(10);
            while (t.isAlive() && System.nanoTime() < deadlineNs) {
                t.join(100);
            }
            assertFalse(t.isAlive(), t.getName() + " still runs after close");
        }
        assertEquals(List.of(), loopThreads(), "no loop thread is left");
        for (RaftLoop loop : loops) {
            assertTrue(loop.propose(new byte[1]).isCompletedExceptionally(), "a closed loop refuses commands");
        }
    }

    private static List<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(THREAD_PREFIX) && t.isAlive())
                .toList();
    }
}
