// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.transport.LocalNetwork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hamok instances on one {@link LocalNetwork} in this JVM (own loop threads, system clocks), with the
 * fast timings of the core's scenario tests: heartbeat 50 ms, follower idle 300 ms, election timeout
 * 600 ms. Every wait is on a future with a timeout.
 */
final class InJvmCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final LocalNetwork network = new LocalNetwork();
    private final List<String> ids;
    private final Map<String, Hamok> members = new LinkedHashMap<>();

    /** Starts one instance per id and waits until each knows a leader. */
    InJvmCluster(String... ids) throws Exception {
        this.ids = List.of(ids);
        final List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String id : ids) {
            joins.add(start(id));
        }
        await(CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)));
    }

    private CompletableFuture<Void> start(String id) {
        final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(id).peers(ids).transport(network.transport(id))
                .heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600).build());
        members.put(id, hamok);
        return hamok.join(WAIT);
    }

    Hamok get(String id) {
        return members.get(id);
    }

    /** The Raft leader the running members agree on: each passes a read barrier, which only the leader answers. */
    Hamok leader() throws Exception {
        String leader = null;
        for (Hamok hamok : members.values()) {
            if (!hamok.isClosed()) {
                await(hamok.waitUntilCommitHead(WAIT));
                leader = hamok.leaderId();
            }
        }
        return members.get(leader);
    }

    /** A new instance in place of the closed {@code id}, with an empty log; waits until it knows a leader. */
    Hamok restart(String id) throws Exception {
        if (!members.get(id).isClosed()) {
            throw new IllegalStateException(id + " is still running");
        }
        await(start(id));
        return members.get(id);
    }

    /** Cuts every link to and from {@code id}; the instance keeps running. */
    void isolate(String id) {
        network.linkFilter((from, to) -> !from.equals(id) && !to.equals(id));
    }

    void heal() {
        network.heal();
    }

    @Override
    public void close() {
        members.values().forEach(Hamok::close);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
