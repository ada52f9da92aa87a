// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.Hamok;
import io.hamok.map.HamokMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code HamokMap.set} over loopback TCP on a {@link HamokCluster} ({@code nodes} Hamok instances with
 * memory logs and {@code NettyTransport}s on 127.0.0.1, all in the benchmark's JVM, started once per
 * trial and closed after it). The client calls {@code set} on the {@code leader}, or on a
 * {@code follower}, which forwards the request to the leader and completes the future once the
 * entry is applied on itself. Keys cycle through {@value #KEYS} strings made in advance; the value
 * is {@code payloadBytes} bytes (so the map holds at most {@value #KEYS} values of that size, and
 * every node takes a snapshot of it every 10,000 sets, the default threshold).
 *
 * <ul>
 *   <li>{@link #setLatency}: one caller sets and waits for each future; {@code SampleTime} prints
 *       the percentiles (p0.50 ... p0.9999).</li>
 *   <li>{@link #setThroughput}: a window of {@value TcpWindowState#IN_FLIGHT} sets outstanding
 *       (see {@link TcpWindowState}); the score is completed sets per second.</li>
 * </ul>
 *
 * <p>{@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per set by every thread of
 * the JVM: all nodes' loops (decode, apply, the stored value and key) and Netty event loops plus
 * the caller's encoding and future. {@code MapSetRig} reads the leader loop's share alone.
 *
 * <p>Heap: 4 GiB, for the memory logs at 16 KB (see {@link TcpRaftBenchmark}).
 *
 * <p>If leadership moves during a trial, a set fails and the benchmark stops with that error.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class TcpMapSetBenchmark {
    static final int KEYS = 1024;

    /** Cluster size; {@code -p nodes=3,5} for five nodes too. */
    @Param({"3"})
    public int nodes;

    /** Where the client calls {@code set}: {@code leader} or {@code follower}. */
    @Param({"leader", "follower"})
    public String client;

    @Param({"64", "1024", "16384"})
    public int payloadBytes;

    private final String[] keys = new String[KEYS];
    private HamokCluster cluster;
    private HamokMap<String, byte[]> map;
    private byte[] value;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key-" + i;
        }
        value = new byte[payloadBytes]; // never changed: every set may share it
        cluster = HamokCluster.start(nodes, Loopback.raftConfig());
        final Hamok node = switch (client) {
            case "leader" -> cluster.leader();
            case "follower" -> cluster.follower();
            default -> throw new IllegalArgumentException("client must be leader or follower, was " + client);
        };
        map = HamokCluster.map(node);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private CompletableFuture<byte[]> set() {
        next = (next + 1) & (KEYS - 1);
        return map.set(keys[next], value);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] setLatency() throws Exception {
        return set().get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void setThroughput(TcpWindowState window) throws Exception {
        window.acquire();
        window.track(set());
    }
}
