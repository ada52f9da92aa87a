// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.hamok.examples.recipes.Narrator.check;
import static io.hamok.examples.recipes.RecipeCluster.WAIT;
import static io.hamok.examples.recipes.RecipeCluster.await;

/**
 * Leader election for the application on three nodes: one latch leads; cut off from the others, it says
 * "I lost it" before another node says "I lead"; back in the cluster it stays a follower; a leader that
 * closes its latch hands over at once. Run it with {@code mvn -q -B -DskipTests -Precipe -Drecipe=Election verify}.
 */
public final class ElectionDemo {
    static final DistributedLock.Timing TIMING = DistributedLock.Timing.of(Duration.ofSeconds(2), Duration.ofMillis(500));

    private ElectionDemo() {
    }

    public static void main(String[] args) {
        Narrator.main("Leader election for the application", ElectionDemo::run);
    }

    static void run(RecipeCluster cluster, Narrator n) throws Exception {
        final Map<String, LeaderLatch> latches = new LinkedHashMap<>();
        try {
            run(cluster, new Tenures(), latches, n);
        } finally {
            latches.values().forEach(LeaderLatch::close);
        }
    }

    private static void run(RecipeCluster cluster, Tenures tenures, Map<String, LeaderLatch> latches, Narrator n)
            throws Exception {
        final String first = cluster.raftLeader().localPeerId();
        n.step("Every node runs a latch 'scheduler' (lease " + TIMING.lease().toMillis() + " ms, clock margin "
                + TIMING.clockMargin().toMillis() + " ms). " + first + ", the Raft leader, starts first: it will lead "
                + "both Raft and the application, the hardest case to cut off.");
        final var firstLead = tenures.nextLead(first::equals);
        latches.put(first, start(cluster, first, tenures, n));
        await(firstLead);
        for (String id : cluster.ids()) {
            latches.computeIfAbsent(id, other -> start(cluster, other, tenures, n));
        }
        check(first.equals(tenures.leader()), "expected " + first + " to lead, not " + tenures.leader());
        n.say("The two others wait for it to give the latch up.");

        n.step("Cutting " + first + " off from the others: frames are dropped both ways; its process keeps running.");
        final var nextLead = tenures.nextLead(peer -> !peer.equals(first));
        cluster.isolate(first);
        final Recorder.Entry<Tenures.Event> taken = await(nextLead);
        final Recorder.Entry<Tenures.Event> lost = tenures.lastLoss(first);
        check(lost != null && lost.atNs() < taken.atNs(), first + " did not say 'I lost it' before "
                + taken.value().peer() + " said 'I lead': " + tenures.events());
        n.say(first + " said 'I lost it' " + (taken.atNs() - lost.atNs()) / 1_000_000 + " ms before "
                + taken.value().peer() + " said 'I lead'. Cut off, it could not renew, and gave up on its own clock "
                + "when its lease ran out; the others first had to elect a new Raft leader and see the leader's "
                + "clock move on by a full lease.");
        n.say("The new leader's token is " + taken.value().token() + ": the old leader's, if it were paused and "
                + "woke up, is lower, and a resource that checks tokens would refuse it.");

        n.step("Healing the partition.");
        cluster.heal();
        await(cluster.node(first).waitUntilCommitHead(WAIT));
        check(!latches.get(first).hasLeadership(), first + " leads again after the partition healed");
        check(taken.value().peer().equals(tenures.leader()), "the leader changed: " + tenures.events());
        n.say(first + " is back and caught up; it waits, and " + taken.value().peer() + " still leads.");

        final String second = taken.value().peer();
        n.step(second + " closes its latch, as on shutdown: it says 'I lost it', releases the latch, and another "
                + "node takes over without waiting for a lease to run out.");
        final var handedOver = tenures.nextLead(peer -> !peer.equals(second));
        latches.remove(second).close();
        n.say(await(handedOver).value().peer() + " took over.");

        check(tenures.overlap() == null, tenures.overlap() + ": " + tenures.events());
        n.say("In all " + tenures.events().size() + " callbacks, and never two leaders at once.");
    }

    private static LeaderLatch start(RecipeCluster cluster, String id, Tenures tenures, Narrator n) {
        return LeaderLatch.start(cluster.node(id), "scheduler", TIMING,
                tenures.listenerFor(id, event -> n.event(event.toString())));
    }
}
