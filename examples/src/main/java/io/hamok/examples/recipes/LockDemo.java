// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.examples.recipes.DistributedLock.Lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hamok.examples.recipes.Narrator.check;
import static io.hamok.examples.recipes.RecipeCluster.WAIT;
import static io.hamok.examples.recipes.RecipeCluster.await;

/**
 * The distributed lock with a fencing token on three nodes: a holder that pauses past its lease loses
 * the lock to another node, and its late write is refused by the token; a release hands the lock over at
 * once; three nodes contend without ever holding it together. Run it with
 * {@code mvn -q -B -DskipTests -Precipe -Drecipe=Lock verify}.
 */
public final class LockDemo {
    static final DistributedLock.Timing TIMING = DistributedLock.Timing.of(Duration.ofSeconds(2), Duration.ofMillis(500));

    private LockDemo() {
    }

    public static void main(String[] args) {
        Narrator.main("The distributed lock", LockDemo::run);
    }

    static void run(RecipeCluster cluster, Narrator n) throws Exception {
        final ExecutorService waiters = Executors.newCachedThreadPool();
        final List<DistributedLock> locks = new ArrayList<>();
        try {
            for (String id : cluster.ids()) {
                locks.add(DistributedLock.open(cluster.node(id), "printer", TIMING));
            }
            run(locks, new FencedResource<>(), waiters, n);
        } finally {
            locks.forEach(DistributedLock::close);
            waiters.shutdownNow();
        }
    }

    private static void run(List<DistributedLock> locks, FencedResource<String> printer, ExecutorService waiters,
                            Narrator n) throws Exception {
        final DistributedLock one = locks.get(0);
        final DistributedLock two = locks.get(1);
        final DistributedLock three = locks.get(2);
        n.step("Each node opens the lock 'printer': lease " + TIMING.lease().toMillis() + " ms in the leader's time, "
                + "clock margin " + TIMING.clockMargin().toMillis() + " ms. The printer checks fencing tokens.");

        n.step("node-1 takes the lock and prints.");
        final Lease first = one.acquire(WAIT);
        check(first.isValid(), "node-1's new lease is not valid");
        n.say("node-1 holds it with token " + first.token() + ", valid for " + first.remaining().toMillis()
                + " ms more by node-1's own clock (lease minus margin, from when it sent the write).");
        check(printer.write(first.token(), "page 1 from node-1"), "the printer refused node-1's first page");
        n.say("Page 1 printed with token " + first.token() + ".");

        n.step("node-2 asks for the lock and waits; node-1 renews its lease and keeps it.");
        final CompletableFuture<Lease> secondWait = acquireLater(two, waiters);
        check(first.renew(WAIT), "node-1 could not renew");
        check(!secondWait.isDone(), "node-2 took the lock while node-1's lease was renewed");
        n.say("Renewed: same token " + first.token() + ", valid for " + first.remaining().toMillis() + " ms more. "
                + "node-2 is still waiting.");

        n.step("node-1 pauses, as in a long GC pause: it neither renews nor releases.");
        final long pausedNs = System.nanoTime();
        final Lease second = await(secondWait);
        n.say("node-2 took the lock " + (System.nanoTime() - pausedNs) / 1_000_000 + " ms later, with token "
                + second.token() + ". It waited until replicated time (the leader's clock, stamped on the log "
                + "entries it wrote while waiting) had moved on by a full lease with node-1's state unchanged.");
        check(second.token() == first.token() + 1, "the token did not grow by one");
        check(!first.isValid(), "node-1's lease was still valid when node-2 took the lock");
        n.say("By then node-1's lease had run out on node-1's own clock, a margin before node-2 could take over.");
        check(printer.write(second.token(), "page 2 from node-2"), "the printer refused node-2's page");
        n.say("node-2 prints page 2 with token " + second.token() + ".");

        n.step("node-1 wakes up and, unaware, prints with its old token.");
        check(!printer.write(first.token(), "late page from node-1"), "the printer took node-1's late page");
        n.say("The printer refuses it: token " + first.token() + " is below " + printer.highestToken()
                + ", the highest it has seen. Page 2 stays: \"" + printer.value() + "\".");
        check(!first.renew(WAIT), "node-1 renewed a lock node-2 holds");
        n.say("node-1's renewal fails too: the lock moved on, and node-1 knows it now.");

        n.step("node-3 waits for the lock; node-2 releases it, and node-3 takes it at once.");
        final CompletableFuture<Lease> thirdWait = acquireLater(three, waiters);
        check(second.release(WAIT), "node-2 could not release");
        final Lease third = await(thirdWait);
        check(third.token() == second.token() + 1, "the token did not grow by one");
        n.say("node-3 holds it with token " + third.token() + ": a release keeps the token, the next taker adds one.");
        check(third.release(WAIT), "node-3 could not release");

        n.step("Contention: each node takes the lock 5 times, all three at once, and prints while it holds it.");
        final String outcome = contend(locks, printer, waiters, 5);
        n.say(outcome);
    }

    /**
     * Every lock takes its turn {@code rounds} times on its own thread; a turn holds the lock, prints with
     * its token and releases. Fails if two turns ever overlapped or the printer refused a valid holder.
     */
    static String contend(List<DistributedLock> locks, FencedResource<String> printer, ExecutorService threads,
                          int rounds) throws Exception {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final List<Long> tokens = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<CompletableFuture<Void>> all = new ArrayList<>();
        for (DistributedLock lock : locks) {
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < rounds; i++) {
                    final Lease lease = acquire(lock);
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    if (lease.isValid() && printer.write(lease.token(), "page from " + lock.owner())) {
                        tokens.add(lease.token());
                    }
                    inside.decrementAndGet();
                    release(lease);
                }
            }, threads));
        }
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        check(overlaps.get() == 0, overlaps.get() + " turns overlapped");
        check(tokens.size() == locks.size() * rounds, "the printer took " + tokens.size() + " pages, expected "
                + locks.size() * rounds);
        return locks.size() * rounds + " turns, never two at once; the printer took every page, with tokens "
                + tokens.get(0) + " to " + tokens.get(tokens.size() - 1) + ".";
    }

    private static CompletableFuture<Lease> acquireLater(DistributedLock lock, ExecutorService threads) {
        return CompletableFuture.supplyAsync(() -> acquire(lock), threads);
    }

    private static Lease acquire(DistributedLock lock) {
        try {
            return lock.acquire(WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private static void release(Lease lease) {
        try {
            lease.release(WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
