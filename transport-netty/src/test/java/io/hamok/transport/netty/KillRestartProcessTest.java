// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.netty.tls.DevCertificates;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash and restart with real processes (issue 8): three JVMs ({@link ProcessNode}), each from its
 * own properties file, over loopback TCP, each keeping its Raft log in its own data directory. Every
 * node writes to a replicated map all the time. Then, {@code hamok.crash.cycles} times (20 by
 * default): wait for writes to progress, SIGKILL the leader ({@link Process#destroyForcibly()}, which
 * is SIGKILL on Linux and macOS), wait for the two others to elect a new leader, restart the killed
 * node under the same id from its data directory. Once at the end, SIGKILL all three at once and
 * restart them all. Finally: every write any node acknowledged is present on every replica, and the
 * three replicas are identical.
 *
 * <p>Properties: {@code -Dhamok.crash.cycles=N} (leader kills), {@code -Dhamok.crash.fsync=always|batch|never}
 * (default {@code batch}; with {@code never} only a machine crash may lose writes, a process kill must not).
 */
@Tag("integration")
@Timeout(value = 30, unit = TimeUnit.MINUTES) // the real limit is computed from the number of cycles below
class KillRestartProcessTest {
    private static final int CYCLES = Integer.getInteger("hamok.crash.cycles", 20);
    private static final String FSYNC = System.getProperty("hamok.crash.fsync", "batch");
    private static final int WINDOW = 8;
    private static final int PROGRESS = 200;
    private static final Duration STEP = Duration.ofSeconds(60);

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong acks = new AtomicLong();
    private final List<String> halted = new ArrayList<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private Path dir;

    @Test
    void shouldLoseNoAcknowledgedWriteWhenLeadersAndTheWholeClusterAreKilled(@TempDir Path tempDir) {
        dir = tempDir;
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(120 + CYCLES * 30L), this::run);
        } catch (Throwable failure) {
            logTails();
            throw failure;
        }
    }

    @Test
    void shouldRefuseASecondProcessOnADataDirectoryInUse(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        final Path file = dir.resolve("solo.properties");
        Files.writeString(file, String.join("\n",
                "hamok.peerId=solo",
                "hamok.peers=solo@127.0.0.1:" + TcpTestCluster.freePort(),
                "hamok.transport.tls=off",
                "hamok.raft.logs=file",
                "hamok.raft.dataDir=" + dir.resolve("data"),
                ""));
        final Node first = new Node("solo", file);
        final Node second = new Node("solo", file);
        nodes.put("first", first);
        nodes.put("second", second);
        try {
            first.start();
            first.awaitReply("READY");
            second.start();
            assertTrue(second.process.waitFor(60, TimeUnit.SECONDS), "the second process gave up");
            assertTrue(second.process.exitValue() != 0, "and failed");
            final String log = Files.readString(second.logs.get(0));
            assertTrue(log.contains("in use by another instance"), log);
            first.send("STATUS");
            assertTrue(first.awaitReply("STATUS").startsWith("STATUS LEADER"), "the first runs on");
        } catch (Throwable failure) {
            logTails();
            throw failure;
        } finally {
            killAll();
        }
    }

    private void run() throws Exception {
        final String peers = "p1@127.0.0.1:" + TcpTestCluster.freePort() + ", p2@127.0.0.1:"
                + TcpTestCluster.freePort() + ", p3@127.0.0.1:" + TcpTestCluster.freePort();
        final Path certs = dir.resolve("certs");
        DevCertificates.createCluster(certs, "crash-test", List.of("p1", "p2", "p3")); // mutual TLS, as in production
        for (String id : List.of("p1", "p2", "p3")) {
            final Path file = dir.resolve(id + ".properties");
            Files.writeString(file, String.join("\n",
                    "hamok.peerId=" + id,
                    "hamok.peers=" + peers,
                    "hamok.transport.tls.certificate=" + certs.resolve(id + ".pem"),
                    "hamok.transport.tls.key=" + certs.resolve(id + "-key.pem"),
                    "hamok.transport.tls.trust=" + certs.resolve(DevCertificates.CA_FILE),
                    "hamok.clusterId=crash-test",
                    "hamok.raft.heartbeatMs=50",
                    "hamok.raft.followerMaxIdleMs=300",
                    "hamok.raft.electionTimeoutMs=600",
                    "hamok.raft.snapshotThresholdEntries=1000",
                    "hamok.raft.logs=file",
                    "hamok.raft.dataDir=" + dir.resolve("data-" + id),
                    "hamok.raft.fsync=" + FSYNC,
                    "hamok.transport.reconnectMaxBackoffMs=100",
                    ""));
            nodes.put(id, new Node(id, file));
        }
        try {
            for (Node n : nodes.values()) {
                n.start();
            }
            for (Node n : nodes.values()) {
                n.awaitReadyAndWrite();
            }
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                awaitProgress();
                final Node leader = awaitLeader();
                leader.kill();
                final Node next = awaitLeader();
                assertTrue(next != leader, "the killed node cannot lead");
                leader.start();
                leader.awaitReadyAndWrite();
                System.out.printf("cycle %d: killed leader %s, %s took over, %d writes acknowledged so far%n",
                        cycle, leader.id, next.id, acks.get());
            }
            awaitProgress();
            killAll();
            for (Node n : nodes.values()) {
                n.start();
            }
            for (Node n : nodes.values()) {
                n.awaitReadyAndWrite();
            }
            awaitProgress();
            System.out.printf("whole cluster killed and restarted; %d writes acknowledged%n", acks.get());
            for (Node n : nodes.values()) {
                n.send("PAUSE");
                n.awaitReply("PAUSED");
            }
            checkReplicas();
        } finally {
            killAll();
        }
    }

    /** SIGKILL to every node first, then waits for each to be gone: a whole-cluster crash. */
    private void killAll() {
        for (Node n : nodes.values()) {
            if (n.process != null) {
                n.process.destroyForcibly();
            }
        }
        for (Node n : nodes.values()) {
            n.kill();
        }
    }

    private void checkReplicas() throws Exception {
        List<String> first = null;
        for (Node n : nodes.values()) {
            final List<String> keys = n.dump();
            final Set<String> present = new HashSet<>(keys);
            final List<String> lost = acknowledged.stream().filter(k -> !present.contains(k)).sorted().toList();
            assertEquals(List.of(), lost.subList(0, Math.min(20, lost.size())),
                    n.id + " lost " + lost.size() + " of " + acknowledged.size() + " acknowledged writes");
            if (first == null) {
                first = keys;
            } else {
                assertEquals(first, keys, n.id + " differs from the first replica");
            }
            System.out.printf("%s holds %d keys; all %d acknowledged writes among them%n", n.id, keys.size(),
                    acknowledged.size());
        }
        synchronized (halted) {
            assertEquals(List.of(), halted, "a node halted");
        }
    }

    private void awaitProgress() throws TimeoutException {
        final long target = acks.get() + PROGRESS;
        Await.until(() -> acks.get() >= target, STEP, PROGRESS + " more acknowledged writes");
    }

    /** Polls STATUS on the running nodes until one says it leads. */
    private Node awaitLeader() throws Exception {
        final long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (Node n : nodes.values()) {
                if (n.isRunning()) {
                    n.send("STATUS");
                    if (n.awaitReply("STATUS").startsWith("STATUS LEADER ")) {
                        return n;
                    }
                }
            }
            LockSupport.parkNanos(20_000_000); // polling child processes: there is no event to wait on
        }
        throw new TimeoutException("no leader within " + STEP);
    }

    private void logTails() {
        final StringBuilder text = new StringBuilder("last log lines of each node:\n");
        for (Node n : nodes.values()) {
            for (Path log : n.logs) {
                try {
                    final List<String> lines = Files.readAllLines(log);
                    text.append("== ").append(log.getFileName()).append('\n');
                    lines.subList(Math.max(0, lines.size() - 15), lines.size())
                            .forEach(l -> text.append(l).append('\n'));
                } catch (IOException e) {
                    text.append("== ").append(log).append(": ").append(e.getMessage()).append('\n');
                }
            }
        }
        System.err.print(text);
    }

    /** One node: its config file and, while it runs, its process. */
    private final class Node {
        final String id;
        final Path config;
        final List<Path> logs = new ArrayList<>();
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        Process process;
        PrintStream stdin;

        Node(String id, Path config) {
            this.id = id;
            this.config = config;
        }

        void start() throws IOException {
            final Path log = dir.resolve(id + "-" + (logs.size() + 1) + ".log");
            logs.add(log);
            replies.clear();
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-cp", System.getProperty("java.class.path"),
                    ProcessNode.class.getName(), config.toString())
                    .redirectError(log.toFile())
                    .start();
            stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            final Process mine = process;
            final Thread reader = new Thread(() -> read(mine), id + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read(Process p) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(line.substring(4));
                        acks.incrementAndGet();
                    } else if (line.startsWith("HALTED ")) {
                        synchronized (halted) {
                            halted.add(id + ": " + line);
                        }
                    } else {
                        replies.add(line);
                    }
                }
            } catch (IOException e) {
                // the process was killed: its pipe is gone
            }
        }

        boolean isRunning() {
            return process != null && process.isAlive();
        }

        void awaitReadyAndWrite() throws Exception {
            awaitReply("READY");
            send("WRITE " + WINDOW);
        }

        void send(String command) {
            stdin.println(command);
        }

        String awaitReply(String prefix) throws Exception {
            final long deadline = System.nanoTime() + STEP.toNanos();
            while (true) {
                final String line = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new TimeoutException(id + " did not answer " + prefix + " within " + STEP
                            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")"));
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        List<String> dump() throws Exception {
            send("DUMP");
            final List<String> keys = new ArrayList<>();
            final long deadline = System.nanoTime() + STEP.toNanos();
            while (true) {
                final String line = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail(id + " did not finish its dump within " + STEP);
                } else if (line.startsWith("KEY ")) {
                    keys.add(line.substring(4));
                } else if (line.startsWith("END ")) {
                    assertEquals(Integer.parseInt(line.substring(4)), keys.size(), id + " dump size");
                    return keys;
                }
            }
        }

        /** SIGKILL: no shutdown hook, no close, nothing flushed that was not already written. */
        void kill() {
            if (process == null) {
                return;
            }
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(id + " survived SIGKILL for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            process = null;
        }
    }
}
