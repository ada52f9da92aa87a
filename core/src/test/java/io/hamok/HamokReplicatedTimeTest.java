// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.map.MapListener;
import io.hamok.transport.LocalNetwork;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Hamok#replicatedTimeMs()}: the leader's clock on the entry, the same on every replica. */
@Timeout(60)
class HamokReplicatedTimeTest {
    private static HamokMap<String, String> map(Hamok hamok) {
        return hamok.getOrCreateMap(HamokMapConfig.<String, String>builder().mapId("m")
                .keyCodec(Codecs.string()).valueCodec(Codecs.string()).build());
    }

    @Test
    void shouldBeTheLeadersWallClockOfTheCycleThatAppendedTheLastEntry() {
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final CachedEpochClock epochClock = new CachedEpochClock();
        nanoClock.update(1_000_000_000L);
        epochClock.update(1_700_000_000_000L);
        try (Hamok solo = Hamok.create(HamokConfig.builder().peerId("solo").peers(List.of("solo"))
                .transport(new LocalNetwork().transport("solo")).clocks(nanoClock, epochClock)
                .random(new SplittableRandom(3)).heartbeatMs(50).electionTimeoutMs(600).build())) {
            final HamokMap<String, String> map = map(solo);
            final AgentInvoker loop = solo.startInvoker();
            for (int i = 0; i < 3_000 && !solo.isLeader(); i++) {
                nanoClock.advance(1_000_000);
                loop.invoke();
            }
            assertTrue(solo.isLeader(), "a single node elects itself");
            assertEquals(0, solo.replicatedTimeMs(), "no entry of the state machine applied yet");

            epochClock.update(1_700_000_000_123L); // the wall clock the loop reads from now on
            loop.invoke();                         // a cycle that has read it
            runUntilDone(map.set("k", "1"), nanoClock, loop);
            assertEquals(1_700_000_000_123L, solo.replicatedTimeMs());

            epochClock.update(1_700_000_005_000L);
            loop.invoke();
            runUntilDone(map.set("k", "2"), nanoClock, loop);
            assertEquals(1_700_000_005_000L, solo.replicatedTimeMs());
        }
    }

    private static void runUntilDone(CompletableFuture<?> write, CachedNanoClock nanoClock, AgentInvoker loop) {
        for (int i = 0; i < 1_000 && !write.isDone(); i++) {
            nanoClock.advance(1_000_000);
            loop.invoke();
        }
        write.join();
    }

    @Test
    void shouldGiveEveryReplicaTheSameTimeForTheSameEntryAndNeverATimeFromTheFuture() throws Exception {
        try (HamokScenarioCluster cluster = new HamokScenarioCluster("a", "b", "c")) {
            final List<CompletableFuture<Long>> seen = new ArrayList<>();
            for (Hamok hamok : cluster.members()) {
                final CompletableFuture<Long> time = new CompletableFuture<>();
                seen.add(time);
                map(hamok).addListener(new MapListener<>() {
                    @Override
                    public void onInserted(String key, String value) {
                        time.complete(hamok.replicatedTimeMs()); // on the loop thread, while the entry is applied
                    }
                });
            }
            cluster.joinAll();

            await(map(cluster.follower()).set("k", "v"));
            final long afterMs = System.currentTimeMillis(); // the in-JVM leaders read this clock

            final HashSet<Long> times = new HashSet<>();
            for (CompletableFuture<Long> time : seen) {
                times.add(await(time));
            }
            assertEquals(1, times.size(), "every replica saw the entry at " + times);
            assertTrue(times.iterator().next() <= afterMs, times + " is after " + afterMs);
        }
    }
}
