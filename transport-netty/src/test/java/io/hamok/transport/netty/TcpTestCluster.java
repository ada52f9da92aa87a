// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;


import io.hamok.loop.RaftLoop;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.StateMachine;
import io.hamok.transport.netty.tls.DevAuthority;
import io.hamok.transport.netty.tls.DevCertificates;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raft nodes over real loopback TCP, one {@link RaftLoop} and one {@link NettyTransport} each, in
 * this JVM. A node's {@link MemoryRaftLogs} survives {@link #stop}/{@link #start}, as a disk would.
 * Every wait is on a future with a timeout.
 */
final class TcpTestCluster implements AutoCloseable {
    static final long TIMEOUT_S = 30;

    final List<Node> nodes = new ArrayList<>();
    private final RaftConfig raftConfig;
    private final AtomicLong sequence = new AtomicLong();

    /** One member: its config, its durable log, and (while running) its loop. */
    static final class Node {
        final String id;
        final NettyTransportConfig transportConfig;
        final MemoryRaftLogs logs = new MemoryRaftLogs();
        RecordingMachine machine;
        RaftLoop loop;
        NettyTransport transport;

        Node(String id, NettyTransportConfig transportConfig) {
            this.id = id;
            this.transportConfig = transportConfig;
        }

        boolean running() {
            return loop != null;
        }
    }

    TcpTestCluster(int size) {
        this(configsFor(size), RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .snapshotThresholdEntries(2_000).build());
    }

    TcpTestCluster(List<NettyTransportConfig> configs, RaftConfig raftConfig) {
        this.raftConfig = raftConfig;
        for (NettyTransportConfig c : configs) {
            nodes.add(new Node(c.localPeerId(), c));
        }
    }

    static List<NettyTransportConfig> configsFor(int size) {
        return configsFor(size, null);
    }

    /**
     * Configs of peers n1..n{size} on free loopback ports; with {@code certDir}, mutual TLS with the
     * files {@link #writeCertificates} wrote there, else TLS off.
     */
    static List<NettyTransportConfig> configsFor(int size, Path certDir) {
        final StringBuilder peers = new StringBuilder();
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add("n" + (i + 1));
            peers.append(i == 0 ? "" : ", ").append("n").append(i + 1).append("@127.0.0.1:").append(freePort());
        }
        final List<NettyTransportConfig> configs = new ArrayList<>();
        for (String id : ids) {
            configs.add(NettyTransportConfig.builder().tls(certDir == null ? TlsConfig.off() : tls(certDir, id))
                    .localPeerId(id).peers(peers.toString())
                    .reconnectInitialBackoffMs(20).reconnectMaxBackoffMs(200).build());
        }
        return configs;
    }

    /** A new CA and the certificates of n1..n{size} in {@code certDir}; the CA can issue more. */
    static DevAuthority writeCertificates(Path certDir, int size) {
        final List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        try {
            return DevCertificates.createCluster(certDir, "test", ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The TLS settings of {@code peerId} from the files {@link DevCertificates#createCluster} wrote,
     * with the JDK's TLS engine: what users get without netty-tcnative (on this module's test class
     * path, so {@code AUTO} would pick OpenSSL here).
     */
    static TlsConfig tls(Path certDir, String peerId) {
        return TlsConfig.pem(certDir.resolve(peerId + ".pem"), certDir.resolve(peerId + "-key.pem"),
                certDir.resolve(DevCertificates.CA_FILE)).withProvider(TlsConfig.Provider.JDK);
    }

    TcpTestCluster startAll() {
        nodes.forEach(this::start);
        return this;
    }

    void start(Node node) {
        node.machine = new RecordingMachine();
        node.transport = new NettyTransport(node.transportConfig);
        node.loop = RaftLoop.builder().peerId(node.id).raftConfig(raftConfig).raftLogs(node.logs)
                .stateMachine(node.machine).transport(node.transport)
                .bootstrapVoters(nodes.stream().map(n -> n.id).toList())
                .random(new SplittableRandom(node.id.hashCode())).build().start();
    }

    /** Stops the node: its loop and its transport close; its log stays. */
    void stop(Node node) {
        node.loop.close();
        node.loop = null;
        node.transport = null;
    }

    Node node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    List<Node> running() {
        return nodes.stream().filter(Node::running).toList();
    }

    /** Waits until one of {@code candidates} leads (as that node itself says) and returns it. */
    Node awaitLeader(List<Node> candidates) throws Exception {
        final CompletableFuture<?>[] leads = candidates.stream()
                .map(n -> n.loop.await(RaftLoop::isLeader)).toArray(CompletableFuture[]::new);
        CompletableFuture.anyOf(leads).get(TIMEOUT_S, TimeUnit.SECONDS);
        return candidates.stream().filter(n -> n.loop.isLeader()).findFirst()
                .orElseThrow(() -> new AssertionError("a leader was announced but none leads now"));
    }

    /**
     * Proposes {@code count} new commands on {@code leader} with up to {@code window} in flight and
     * returns the index of the last one once every future completed.
     */
    long commit(Node leader, int count, int window) throws Exception {
        final ArrayList<CompletableFuture<Long>> inFlight = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < count; i++) {
            final byte[] payload = ByteBuffer.allocate(8).putLong(sequence.incrementAndGet()).array();
            inFlight.add(leader.loop.propose(payload));
            if (inFlight.size() == window) {
                last = Math.max(last, inFlight.remove(0).get(TIMEOUT_S, TimeUnit.SECONDS));
            }
        }
        for (CompletableFuture<Long> f : inFlight) {
            last = Math.max(last, f.get(TIMEOUT_S, TimeUnit.SECONDS));
        }
        return last;
    }

    /** Waits until every node in {@code which} applied {@code index}. */
    void awaitApplied(List<Node> which, long index) throws Exception {
        CompletableFuture.allOf(which.stream().map(n -> n.loop.awaitApplied(index)).toArray(CompletableFuture[]::new))
                .get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        running().forEach(this::stop);
    }

    /**
     * A port that is free now, below Linux's ephemeral range (32768-60999): a port from that range
     * may be taken as the local port of some client socket before the transport binds it (a test
     * with hundreds of client sockets made that happen).
     */
    static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port in 20000-32000"));
    }

    /**
     * Records the command sequence (8-byte numbers) it applies. Written on the loop thread; read by
     * the test after a future completed, which orders the reads after the writes.
     */
    static final class RecordingMachine implements StateMachine {
        private volatile long[] applied = new long[0];
        private int size;
        /** The thread that applied the last entry: the loop's. */
        volatile String applyThread;

        @Override
        public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
            long[] a = applied;
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(16, a.length * 2));
            }
            a[size++] = payload.getLong(offset, java.nio.ByteOrder.BIG_ENDIAN);
            applied = a;
            applyThread = Thread.currentThread().getName();
        }

        @Override
        public byte[] snapshot() {
            final ByteBuffer b = ByteBuffer.allocate(4 + size * 8).putInt(size);
            for (int i = 0; i < size; i++) {
                b.putLong(applied[i]);
            }
            return b.array();
        }

        @Override
        public void restore(byte[] snapshot, long index) {
            final ByteBuffer b = ByteBuffer.wrap(snapshot);
            size = b.getInt();
            final long[] a = new long[Math.max(16, size)];
            for (int i = 0; i < size; i++) {
                a[i] = b.getLong();
            }
            applied = a;
        }

        /** A copy of the sequence applied so far (call after an await on the loop). */
        List<Long> sequence() {
            final long[] a = applied;
            final List<Long> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(a[i]);
            }
            return out;
        }
    }

    static void requireSame(List<Long> expected, List<Long> actual, String who) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(who + " applied a different sequence: " + actual.size() + " entries vs "
                    + expected.size());
        }
    }
}
