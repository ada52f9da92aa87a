// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process of a test, on a free loopback port, with an append-only file synced
 * on every write, so a SIGKILL loses nothing it acknowledged and a restart on the same directory and
 * port finds everything again. The binary is {@code -Dhamok.redis.server} or {@code redis-server} on
 * the PATH; when it is missing the test fails (CI installs it: {@code apt-get install redis-server}),
 * unless {@code -Dhamok.redis.skip=true} says to skip the Redis tests on this machine.
 *
 * <p>Started and waited for by its "Ready to accept connections" line on standard output, never by
 * polling; {@link #kill()} is SIGKILL.
 */
final class RedisServer implements AutoCloseable {
    private static final long START_TIMEOUT_S = 20;

    private final String binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(String binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server on a free port in a new temporary directory. */
    static RedisServer start() throws Exception {
        final String binary = binary();
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        final RedisServer server = new RedisServer(binary, Files.createTempDirectory("hamok-redis-"), port);
        server.restart();
        return server;
    }

    /** The binary, or a failure (or, with {@code -Dhamok.redis.skip=true}, a skip) that says how to get one. */
    static String binary() {
        final String configured = System.getProperty("hamok.redis.server", "").trim();
        if (!configured.isEmpty()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            final File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        final String missing = "redis-server is not installed (apt-get install redis-server, or point"
                + " -Dhamok.redis.server at a binary); the Redis tests need it";
        if (Boolean.getBoolean("hamok.redis.skip")) {
            org.junit.jupiter.api.Assumptions.abort(missing + " (skipped: -Dhamok.redis.skip=true)");
        }
        throw new AssertionError(missing);
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Starts the server (again) on the same port and directory; returns once it accepts connections. */
    void restart() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is running");
        }
        final List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--daemonize", "no", "--protected-mode", "no", "--loglevel", "notice"));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final StringBuilder output = new StringBuilder();
        final Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!ready.isDone()) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("redis-server exited:\n" + output));
            } catch (IOException e) {
                ready.completeExceptionally(new UncheckedIOException(e));
            }
        }, "redis-server-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        ready.get(START_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    /** Kills the server and deletes its directory. */
    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
