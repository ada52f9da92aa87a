package io.hamok;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.hamok.HamokScenarioCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Hamok#replicatedTimeMs()}: the leader's clock on the entry, the same on every replica. */
@Timeout(60)
class HamokReplicatedTimeTest {
    private final HamokScenarioCluster cluster = new HamokScenarioCluster("a", "b", "c");

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static HamokMap<String, String> map(Hamok hamok) {
        return hamok.getOrCreateMap(HamokMapConfig.<String, String>builder().mapId("m")
                .keyCodec(Codecs.string()).valueCodec(Codecs.string()).build());
    }

    @Test
    void shouldReadTheLeadersClockOnAWriteBetweenItsSendAndItsCompletion() throws Exception {
        cluster.joinAll();
        final Hamok follower = cluster.follower();
        assertEquals(0, follower.replicatedTimeMs(), "no entry of the state machine applied yet");

        final long beforeMs = System.currentTimeMillis(); // the leaders of this in-JVM cluster share this clock
        await(map(follower).set("k", "v"));
        final long afterMs = System.currentTimeMillis();

        final long stamped = follower.replicatedTimeMs();
        assertTrue(stamped >= beforeMs && stamped <= afterMs,
                "stamped " + stamped + " outside [" + beforeMs + ", " + afterMs + "]");
    }

    @Test
    void shouldGiveEveryReplicaTheSameTimeForTheSameEntry() throws Exception {
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

        final HashSet<Long> times = new HashSet<>();
        for (CompletableFuture<Long> time : seen) {
            times.add(await(time));
        }
        assertEquals(1, times.size(), "every replica saw the entry at " + times);
    }
}
