package io.hamok;

import org.junit.jupiter.api.Test;
import java.time.Duration;
import static io.hamok.HamokScenarioCluster.await;

class HamokScenarioDiagTest {
    @Test
    void diag() throws Exception {
        try (HamokScenarioCluster cluster = new HamokScenarioCluster("server-1", "server-2")) {
            cluster.joinAll();
            Hamok leader = cluster.leader();
            Hamok follower = cluster.follower();
            System.out.println("DIAG leader " + leader.localPeerId());
            for (Hamok h : new Hamok[] {leader, follower}) {
                long t0 = System.nanoTime();
                await(h.leave(Duration.ofSeconds(3)).thenRun(() -> System.out.println("DIAG leave completes on " + Thread.currentThread().getName())));
                System.out.println("DIAG leave " + h.localPeerId() + " took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
    }
}
