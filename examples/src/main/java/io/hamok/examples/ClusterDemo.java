// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.record.HamokRecord;
import io.hamok.record.HamokRecordConfig;
import io.hamok.record.JsonRecordCodec;
import io.hamok.transport.netty.HamokProperties;
import io.hamok.transport.netty.tls.DevCertificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The main demo (README command 1): a three-node Hamok cluster over real loopback TCP, in ONE
 * process with three instances, each configured from its own properties file
 * ({@code examples/config/demo-node1..3.properties}), each keeping its Raft log in its own data
 * directory ({@code target/demo-data/node-N}, emptied at start: every run is a new cluster). It
 * writes a map and a record, stops the leader, shows the re-election and that no acknowledged write
 * was lost, starts the node again from its data directory alone and shows it caught up. Exits 0 when
 * every check holds, 1 with the reason otherwise.
 */
public final class ClusterDemo {
    /** The shared settings of the demo cluster, kept in a replicated record. */
    public record Settings(String theme, Integer maxUsers) {
    }

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String[] FILES = {
        "examples/config/demo-node1.properties",
        "examples/config/demo-node2.properties",
        "examples/config/demo-node3.properties"};
    /** Where the demo writes its certificates; the config files name these files. */
    private static final Path CERTS = Path.of("target/demo-certs");

    private final List<HamokProperties> configs = new ArrayList<>();
    private final Map<String, Hamok> nodes = new HashMap<>();
    private final Map<String, Long> acknowledged = new HashMap<>();
    private int step;

    public static void main(String[] args) {
        final ClusterDemo demo = new ClusterDemo();
        int status = 0;
        try {
            demo.run();
            say("\nDemo finished: every check held.");
        } catch (Exception | AssertionError e) {
            say("\nDemo FAILED: " + reason(e, WAIT));
            status = 1;
        } finally {
            demo.nodes.values().forEach(Hamok::close);
        }
        System.exit(status);
    }

    private void run() throws Exception {
        step("Making a demo CA and one certificate per node in " + CERTS + " (mutual TLS between the nodes;"
                + " each certificate names its node's peer id).");
        DevCertificates.createCluster(CERTS, "hamok-demo", List.of("node-1", "node-2", "node-3"));
        for (String file : FILES) {
            configs.add(HamokProperties.load(Path.of(file)));
        }
        for (HamokProperties c : configs) {
            deleteRecursively(c.dataDir()); // a new cluster every run
        }
        step("Reading " + FILES.length + " config files. Each names one node and lists the same peers: "
                + configs.get(0).transportConfig().peers());
        say("   Links between nodes: " + configs.get(0).transportConfig().tls() + ".");
        say("   Each node keeps its Raft log in its own data directory: "
                + configs.stream().map(c -> String.valueOf(c.dataDir())).toList() + ".");
        step("Starting three Hamok instances in this process, each listening on its own TCP port.");
        final List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (HamokProperties c : configs) {
            joins.add(start(c));
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        final Hamok first = awaitLeader(nodes.values());
        say("   They held an election: " + first.localPeerId() + " leads (term " + first.stats().term() + ").");

        step("Each node opens the replicated map 'inventory' and the replicated record 'settings'.");
        final Hamok follower = nodes.values().stream().filter(n -> !n.isLeader()).findFirst().orElseThrow();
        for (int i = 0; i < 60; i++) {
            final Hamok writer = i % 2 == 0 ? first : follower;
            write(writer, "item-" + i, (long) i * 10);
        }
        record(follower).setInstance(new Settings("dark", 100)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        say("   60 map writes went in through the leader and a follower (a follower forwards to the leader);");
        say("   the follower also set the record to theme=dark, maxUsers=100. Every write was acknowledged,");
        say("   which means: committed by a majority and applied on the writer's own replica.");
        for (Hamok n : nodes.values()) {
            n.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            check(map(n).size() == 60, n.localPeerId() + " holds " + map(n).size() + " items, expected 60");
            check(new Settings("dark", 100).equals(record(n).instance()), n.localPeerId() + " has settings "
                    + record(n).instance());
        }
        say("   Every node reads the same 60 items and the same settings from its own local replica.");

        final String stopped = first.localPeerId();
        step("Stopping the leader, " + stopped + " (its process state is gone; its data directory stays).");
        nodes.remove(stopped).close();
        final Hamok second = awaitLeader(nodes.values());
        check(!second.localPeerId().equals(stopped), "the stopped node cannot lead");
        say("   The two others noticed the silence and elected " + second.localPeerId() + " (term "
                + second.stats().term() + ").");
        for (Hamok n : nodes.values()) {
            n.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            checkAcknowledged(n);
        }
        say("   No acknowledged write was lost: all " + acknowledged.size() + " items are on both survivors.");
        for (int i = 60; i < 100; i++) {
            write(second, "item-" + i, (long) i * 10);
        }
        record(second).set("maxUsers", 250).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        say("   With two of three nodes the cluster still has a majority: 40 more items and maxUsers=250 committed.");

        step("Starting " + stopped + " again from its data directory: term, vote and log are read back from disk.");
        final HamokProperties back = configs.stream()
                .filter(c -> c.transportConfig().localPeerId().equals(stopped)).findFirst().orElseThrow();
        start(back).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        final Hamok returned = nodes.get(stopped);
        returned.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        checkAcknowledged(returned);
        check(Integer.valueOf(250).equals(record(returned).instance().maxUsers()),
                stopped + " has settings " + record(returned).instance());
        say("   " + stopped + " rejoined as a follower of " + returned.leaderId() + " and caught up: it holds all "
                + map(returned).size() + " items and maxUsers=250, the 40 writes it missed included.");
    }

    /** Builds a node from its config and starts it; the future completes once it knows a leader. */
    private CompletableFuture<Void> start(HamokProperties c) {
        final String id = c.transportConfig().localPeerId();
        final Hamok hamok = Hamok.create(c.hamokConfig().build()); // opens its log; the instance closes it
        nodes.put(id, hamok);
        hamok.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("inventory")
                .keyCodec(Codecs.string()).valueCodec(Codecs.longs()).build());
        hamok.getOrCreateRecord(HamokRecordConfig.<Settings>builder().recordId("settings")
                .codec(JsonRecordCodec.of(Settings.class)).build());
        return hamok.join(WAIT);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void write(Hamok writer, String key, long value) throws Exception {
        map(writer).set(key, value).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        acknowledged.put(key, value);
    }

    private void checkAcknowledged(Hamok n) {
        for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
            check(e.getValue().equals(map(n).get(e.getKey())), n.localPeerId() + " lost acknowledged write "
                    + e.getKey() + "=" + e.getValue() + " (has " + map(n).get(e.getKey()) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static HamokMap<String, Long> map(Hamok n) {
        return (HamokMap<String, Long>) n.storages().get("inventory");
    }

    @SuppressWarnings("unchecked")
    private static HamokRecord<Settings> record(Hamok n) {
        return (HamokRecord<Settings>) n.storages().get("settings");
    }

    private static Hamok awaitLeader(Iterable<Hamok> candidates) throws Exception {
        final List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (Hamok n : candidates) {
            waits.add(n.waitUntilLeader(WAIT));
        }
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Hamok n : candidates) {
                if (n.isLeader()) {
                    return n;
                }
            }
            Thread.onSpinWait();
        }
        throw new TimeoutException("no node took the lead within " + WAIT.toSeconds() + " s");
    }

    private void step(String text) {
        say("\n" + (++step) + ". " + text);
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    /** Why a demo failed, in one line: the cause behind the futures' wrappers; a step waits up to {@code wait}. */
    static String reason(Throwable e, Duration wait) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof TimeoutException
                ? "a step did not finish within " + wait.toSeconds() + " s (" + t.getMessage() + ")"
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
