// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.transport.netty.HamokProperties;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.PeerAddress;
import io.hamok.transport.netty.tls.DevCertificates;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The recipe demos' cluster: Hamok instances in this process, each configured by its own properties
 * file ({@code examples/config/recipe-node1..3.properties}), talking mutual TLS over loopback TCP. Its
 * faults are the ones the recipes care about: a node stopped and started again (with an empty log, which
 * it catches up), and a node cut off from the others while it keeps running.
 */
public final class RecipeCluster implements AutoCloseable {
    /** How long any step may wait on the cluster. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final Map<String, HamokProperties> configs = new LinkedHashMap<>();
    private final Map<String, Hamok> nodes = new LinkedHashMap<>();
    private final Map<String, NettyTransport> transports = new LinkedHashMap<>();

    private RecipeCluster(List<Properties> properties) {
        for (Properties p : properties) {
            final HamokProperties config = HamokProperties.load(p);
            configs.put(config.transportConfig().localPeerId(), config);
        }
    }

    /**
     * The three recipe config files, read from {@code examples/config} (run from the repository root, as
     * the Maven profile does) or {@code config} (run from the examples module, as its tests are).
     */
    public static List<Properties> configFiles() {
        final Path dir = Files.isDirectory(Path.of("examples/config")) ? Path.of("examples/config") : Path.of("config");
        final List<Properties> files = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            final Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(dir.resolve("recipe-node" + n + ".properties"),
                    StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(p);
        }
        return files;
    }

    /**
     * Makes a development CA and a certificate per node where the configs' {@code hamok.transport.tls.trust}
     * points, starts one instance per config and waits until every one knows a leader.
     */
    public static RecipeCluster start(List<Properties> properties) throws Exception {
        final Path certs = Path.of(properties.get(0).getProperty("hamok.transport.tls.trust")).getParent();
        DevCertificates.createCluster(certs, "hamok-recipes",
                properties.stream().map(p -> p.getProperty("hamok.peerId")).toList());
        final RecipeCluster cluster = new RecipeCluster(properties); // reads the certificates
        try {
            final List<CompletableFuture<Void>> joins = new ArrayList<>();
            for (String id : cluster.configs.keySet()) {
                joins.add(cluster.startNode(id));
            }
            await(CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private CompletableFuture<Void> startNode(String id) {
        final HamokProperties c = configs.get(id);
        final NettyTransport transport = new NettyTransport(c.transportConfig());
        final Hamok hamok = Hamok.create(HamokConfig.builder()
                .peerId(id)
                .peers(c.transportConfig().peers().stream().map(PeerAddress::peerId).toList())
                .transport(transport)
                .raftConfig(c.raftConfig())
                .build());
        nodes.put(id, hamok);
        transports.put(id, transport);
        return hamok.join(WAIT);
    }

    /** The peer ids, in the order of the config files. */
    public List<String> ids() {
        return List.copyOf(configs.keySet());
    }

    /** The running instance of {@code id}. */
    public Hamok node(String id) {
        final Hamok hamok = nodes.get(id);
        if (hamok == null || hamok.isClosed()) {
            throw new IllegalStateException(id + " is not running");
        }
        return hamok;
    }

    /**
     * The Raft leader as the running nodes agree on it: each first passes a read barrier, which only the
     * current leader can answer.
     */
    public Hamok raftLeader() throws Exception {
        String leader = null;
        for (Hamok hamok : nodes.values()) {
            if (!hamok.isClosed()) {
                await(hamok.waitUntilCommitHead(WAIT));
                leader = hamok.leaderId();
            }
        }
        return node(leader);
    }

    /** Stops {@code id} at once: its instance and its transport close. */
    public void stop(String id) {
        node(id).close();
    }

    /** Starts {@code id} again, as a new instance with an empty log, and waits until it knows a leader. */
    public Hamok restart(String id) throws Exception {
        if (!nodes.get(id).isClosed()) {
            throw new IllegalStateException(id + " is still running");
        }
        await(startNode(id));
        return node(id);
    }

    /** Drops every frame between {@code id} and the others, both ways; the connections stay open. */
    public void isolate(String id) {
        for (String other : ids()) {
            if (!other.equals(id)) {
                transports.get(id).blockPeer(other);
                transports.get(other).blockPeer(id);
            }
        }
    }

    /** Ends every {@link #isolate}. */
    public void heal() {
        for (String id : ids()) {
            for (String other : ids()) {
                if (!other.equals(id)) {
                    transports.get(id).unblockPeer(other);
                }
            }
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(Hamok::close);
    }

    /** The future's value, waiting at most {@link #WAIT}. */
    public static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
