// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import io.hamok.ClusterMembers;
import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.NettyTransportConfig;
import io.hamok.transport.netty.TlsConfig;
import io.hamok.transport.netty.tls.DevCertificates;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The rolling-replacement demo (README "Membership"): a three-node cluster over loopback TCP with
 * mutual TLS, in one process, replaced one instance at a time by instances with new ids while a
 * client writes all the time through whichever instance runs. Each new instance knows only the
 * addresses of the members that run (its seeds): it joins, catches up, is promoted to voter, and
 * then one old instance leaves (a leader first hands leadership over). At the end the old ids are
 * gone from the configuration, and every write the client saw acknowledged is on every new instance.
 * Run it with {@code mvn -q -B -DskipTests -Prolling verify}; exits 0 when every check held.
 */
public final class RollingReplacementDemo {
    /** What a run did: the writes the client saw acknowledged, how many of them every final member holds, and who they are. */
    public record Result(long acknowledged, long presentOnEveryMember, long failedWrites, List<String> finalMembers) {
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> OLD = List.of("node-1", "node-2", "node-3");
    private static final List<String> NEW = List.of("node-4", "node-5", "node-6");
    /** Acknowledged writes the client adds between two steps: it writes throughout. */
    private static final int PROGRESS = 50;

    private final Path certs;
    private final PrintStream out;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Hamok> running = new CopyOnWriteArrayList<>();
    private final List<Hamok> everyInstance = new ArrayList<>();
    private final Map<String, Long> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean stopWriting;
    private int step;

    private RollingReplacementDemo(Path certs, PrintStream out) {
        this.certs = certs;
        this.out = out;
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            final Result r = run(Path.of("target/rolling-certs"), System.out);
            System.out.println("\nDemo finished: " + r.acknowledged() + " writes acknowledged, " + r.presentOnEveryMember()
                    + " of them on every member " + r.finalMembers() + ".");
        } catch (Exception | AssertionError e) {
            System.out.println("\nDemo FAILED: " + ClusterDemo.reason(e, WAIT));
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Runs the demo, writing the certificates to {@code certDir} and the story to {@code out}; closes
     * every instance before it returns. Throws when a step fails or a check does not hold.
     */
    public static Result run(Path certDir, PrintStream out) throws Exception {
        final RollingReplacementDemo demo = new RollingReplacementDemo(certDir, out);
        try {
            return demo.replaceEveryNode();
        } finally {
            demo.stopWriting = true;
            demo.everyInstance.forEach(Hamok::close);
        }
    }

    private Result replaceEveryNode() throws Exception {
        final List<String> ids = new ArrayList<>(OLD);
        ids.addAll(NEW);
        DevCertificates.createCluster(certs, "hamok-rolling", ids);
        step("A development CA and a certificate for each of " + ids + " in " + certs + " (mutual TLS).");
        for (String id : ids) {
            ports.put(id, freePort());
        }

        step("Starting " + OLD + ": the initial voters, each given the others' addresses.");
        final Map<String, String> addresses = new LinkedHashMap<>();
        OLD.forEach(id -> addresses.put(id, address(id)));
        final List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String id : OLD) {
            joins.add(start(HamokConfig.builder().peerId(id).peers(OLD).peerAddresses(addresses), id, OLD, List.of())
                    .join(WAIT));
        }
        for (CompletableFuture<Void> j : joins) {
            j.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        say("   " + leader() + " leads.");

        final Thread client = new Thread(this::write, "client");
        client.setDaemon(true);
        client.start();
        step("A client writes key w-0, w-1, ... one after another, each through the next instance that runs.");
        awaitProgress();

        for (int i = 0; i < OLD.size(); i++) {
            final String oldId = OLD.get(i);
            final String newId = NEW.get(i);
            final List<String> seeds = running.stream().map(Hamok::localPeerId).toList();
            step("Starting " + newId + " with no peer list, only seeds: the addresses of " + seeds + ".");
            final Hamok fresh = start(HamokConfig.builder().peerId(newId).peers(List.of()), newId, List.of(), seeds);
            fresh.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitUntil(() -> configuration().isVoter(newId) && configuration().committed(), newId + " to vote");
            say("   " + newId + " joined through a seed, caught up and votes now: " + configuration().voters() + ".");
            awaitProgress();

            final Hamok old = running.stream().filter(h -> h.localPeerId().equals(oldId)).findFirst().orElseThrow();
            final boolean wasLeader = old.isLeader();
            step(oldId + " leaves" + (wasLeader ? " (it leads: it hands leadership over first)" : "") + ".");
            running.remove(old);
            old.leave(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitUntil(() -> !configuration().isMember(oldId) && configuration().committed(), oldId + " to be out");
            say("   Out of the configuration (committed): voters " + configuration().voters() + "; " + leader()
                    + " leads; " + acknowledged.size() + " writes acknowledged so far.");
            awaitProgress();
        }

        step("Stopping the client and checking every new instance.");
        stopWriting = true;
        client.join(2 * WAIT.toMillis());
        long presentEverywhere = acknowledged.size();
        for (Hamok h : running) {
            h.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            final long present = acknowledged.entrySet().stream()
                    .filter(e -> e.getValue().equals(map(h).get(e.getKey()))).count();
            say("   " + h.localPeerId() + " holds " + present + " of the " + acknowledged.size() + " acknowledged writes.");
            presentEverywhere = Math.min(presentEverywhere, present);
        }
        final ClusterMembers last = configuration();
        final List<String> members = new ArrayList<>(last.voters());
        members.addAll(last.learners());
        check(presentEverywhere == acknowledged.size(), "an acknowledged write is missing");
        check(members.size() == NEW.size() && members.containsAll(NEW), "the configuration is " + members);
        say("   " + acknowledged.size() + " writes acknowledged, " + presentEverywhere + " on every member ("
                + failedWrites.get() + " writes failed while an instance left: the client tried the next one).");
        return new Result(acknowledged.size(), presentEverywhere, failedWrites.get(), members);
    }

    /** The client: one write after another, through the next instance that runs; a failure moves on. */
    private void write() {
        for (long i = 0; !stopWriting; i++) {
            final List<Hamok> live = running.stream().filter(h -> !h.isClosed()).toList();
            if (live.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            final Hamok h = live.get((int) (i % live.size()));
            try {
                map(h).set("w-" + i, i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                acknowledged.put("w-" + i, i);
            } catch (Exception e) {
                failedWrites.incrementAndGet(); // not acknowledged (it may or may not be in): the next one goes elsewhere
            }
        }
    }

    private Hamok start(HamokConfig.Builder config, String id, List<String> peers, List<String> seeds) {
        final StringBuilder list = new StringBuilder(id + "@" + address(id));
        for (String peer : peers) {
            if (!peer.equals(id)) {
                list.append(", ").append(peer).append('@').append(address(peer));
            }
        }
        final NettyTransportConfig.Builder transport = NettyTransportConfig.builder().localPeerId(id)
                .clusterId("hamok-rolling").peers(list.toString()).reconnectMaxBackoffMs(200)
                .tls(TlsConfig.pem(certs.resolve(id + ".pem"), certs.resolve(id + "-key.pem"),
                        certs.resolve(DevCertificates.CA_FILE)));
        if (!seeds.isEmpty()) {
            transport.seeds(String.join(", ", seeds.stream().map(this::address).toList()));
        }
        final Hamok h = Hamok.create(config.transport(new NettyTransport(transport.build()))
                .raftConfig(RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600).build())
                .requestTimeoutMs(10_000).build());
        running.add(h);
        everyInstance.add(h);
        return h;
    }

    private static HamokMap<String, Long> map(Hamok h) {
        return h.getOrCreateMap(HamokMapConfig.<String, Long>builder().mapId("orders").keyCodec(Codecs.string())
                .valueCodec(Codecs.longs()).build());
    }

    /** The configuration as the leader among the running instances knows it (or the first one's). */
    private ClusterMembers configuration() {
        return running.stream().filter(Hamok::isLeader).findFirst().orElse(running.get(0)).clusterConfiguration();
    }

    private String leader() {
        return running.stream().filter(Hamok::isLeader).map(Hamok::localPeerId).findFirst().orElse("nobody");
    }

    private void awaitProgress() throws TimeoutException {
        final int before = acknowledged.size();
        awaitUntil(() -> acknowledged.size() >= before + PROGRESS, PROGRESS + " more acknowledged writes");
    }

    /** Polls a condition that has no event to wait on (membership as published, a counter) until a deadline. */
    private static void awaitUntil(BooleanSupplier condition, String what) throws TimeoutException {
        final long deadlineNs = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs > 0) {
                throw new TimeoutException("waited " + WAIT.toSeconds() + " s for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private String address(String id) {
        return "127.0.0.1:" + ports.get(id);
    }

    /** A port below the ephemeral range that nobody listens on now. */
    private static int freePort() throws IOException {
        final java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            final int port = random.nextInt(27_200, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 27200-32000");
    }

    private void step(String text) {
        say("\n" + (++step) + ". " + text);
    }

    private void say(String line) {
        out.println(line);
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
