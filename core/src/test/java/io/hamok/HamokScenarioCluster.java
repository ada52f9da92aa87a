// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.RaftConfig;
import io.hamok.transport.LocalNetwork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Real {@link Hamok} instances (own loop threads, system clocks) on one {@link LocalNetwork}, for
 * the acceptance scenarios of the original (reference §10.3). Raft timings are the scenarios' fast
 * ones: heartbeat 50 ms, follower idle 300 ms, election timeout 600 ms. Every initial member lists
 * every id as a peer.
 *
 * <p>Waiting is done only on futures with a timeout ({@link #await}): no sleeps, no polling.
 */
final class HamokScenarioCluster implements AutoCloseable {
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
    static final Duration WAIT = Duration.ofSeconds(10);
    static final long WAIT_SECONDS = WAIT.toSeconds();

    /** The fast scenario timings, to be refined per peer. */
    static RaftConfig.Builder scenarioRaft() {
        return RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600);
    }

    final LocalNetwork network = new LocalNetwork();
    private final List<String> ids;
    private final BiFunction<String, RaftConfig.Builder, RaftConfig.Builder> raftTweak;
    private final Map<String, Hamok> members = new LinkedHashMap<>();

    /** Builds (but does not start) one instance per id with the scenario timings. */
    HamokScenarioCluster(String... ids) {
        this((id, raft) -> raft, ids);
    }

    /** Like {@link #HamokScenarioCluster(String...)}, with per-peer Raft settings on top of the scenario timings. */
    HamokScenarioCluster(BiFunction<String, RaftConfig.Builder, RaftConfig.Builder> raftTweak, String... ids) {
        this.ids = List.of(ids);
        this.raftTweak = raftTweak;
        for (String id : ids) {
            members.put(id, create(id));
        }
    }

    private Hamok create(String id) {
        return Hamok.create(HamokConfig.builder()
                .peerId(id)
                .peers(ids)
                .transport(network.transport(id))
                .raftConfig(raftTweak.apply(id, scenarioRaft()).build())
                .build());
    }

    Hamok get(String id) {
        return Objects.requireNonNull(members.get(id), id);
    }

    List<Hamok> members() {
        return new ArrayList<>(members.values());
    }

    /** Members that are not closed. */
    List<Hamok> running() {
        return members.values().stream().filter(h -> !h.isClosed()).toList();
    }

    /** Joins every member at once and waits for all joins. */
    HamokScenarioCluster joinAll() throws Exception {
        final List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (Hamok h : members.values()) {
            joins.add(h.join(JOIN_TIMEOUT));
        }
        await(CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0])));
        return this;
    }

    /**
     * A closed member's replacement: a new instance with the same id (and an empty log), which is
     * how a peer comes back here, as {@link Hamok#leave} is terminal. Not started.
     */
    Hamok replace(String id) {
        if (!get(id).isClosed()) {
            throw new IllegalStateException(id + " is still running");
        }
        final Hamok fresh = create(id);
        members.put(id, fresh);
        return fresh;
    }

    /**
     * The leader every running member agrees on. Each member first passes a read barrier (which goes
     * through the leader), so the answer is the current leader, not a stale belief. Retries a few
     * rounds while an election settles.
     */
    Hamok leader() throws Exception {
        String agreed = null;
        for (int round = 0; round < 20; round++) {
            final List<Hamok> running = running();
            for (Hamok h : running) {
                await(h.waitUntilLeader(WAIT));
                await(h.waitUntilCommitHead(WAIT));
            }
            agreed = running.get(0).leaderId();
            final String candidate = agreed;
            if (candidate != null && running.stream().allMatch(h -> candidate.equals(h.leaderId()))
                    && members.containsKey(candidate) && get(candidate).isLeader()) {
                return get(candidate);
            }
        }
        throw new AssertionError("no agreed leader among " + running() + ", last seen " + agreed);
    }

    /** A running member that is not the leader. */
    Hamok follower() throws Exception {
        final Hamok leader = leader();
        return running().stream().filter(h -> h != leader).findFirst()
                .orElseThrow(() -> new AssertionError("no follower running"));
    }

    /** Cuts every link to and from {@code id} (the instance keeps running). */
    void isolate(String id) {
        network.linkFilter((from, to) -> !from.equals(id) && !to.equals(id));
    }

    void heal() {
        network.heal();
    }

    /** Waits until every running member has applied what the leader has committed now. */
    void syncAll() throws Exception {
        for (Hamok h : running()) {
            await(h.waitUntilCommitHead(WAIT));
        }
    }

    @Override
    public void close() {
        members.values().forEach(Hamok::close);
    }

    @Override
    public String toString() {
        return "HamokScenarioCluster" + ids;
    }

    /** The future's value, waiting at most {@link #WAIT}. */
    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The cause the future fails with (within {@link #WAIT}); fails the test if it completes normally. */
    static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS),
                "expected the future to fail").getCause();
    }
}
