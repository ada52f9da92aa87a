// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code HamokQueue} push and pop over loopback TCP on a {@link HamokCluster} (the fixture of
 * {@link TcpMapSetBenchmark}: {@code nodes} Hamok instances with memory logs and {@code NettyTransport}s
 * on 127.0.0.1, in the benchmark's JVM, started once per trial). The client uses the queue
 * {@value #QUEUE_ID} on the {@code leader}, or on a {@code follower} (which forwards each request to the
 * leader and completes once the entry is applied on itself). Every item is {@code payloadBytes}
 * bytes.
 *
 * <ul>
 *   <li>{@link #pushLatency}: one caller pushes and waits for each future ({@code SampleTime}). The
 *       queue is cleared before every iteration, so it holds at most one iteration's pushes.</li>
 *   <li>{@link #popLatency}: one caller pops and waits; before every iteration the queue is filled with
 *       {@value #POP_PREFILL} items (in batches of {@value #BATCH}), more than an iteration pops. A pop
 *       that finds the queue empty fails the iteration, so every sample took an item.</li>
 *   <li>{@link #pushThroughput}: {@value TcpWindowState#IN_FLIGHT} pushes in flight
 *       ({@link TcpWindowState}); cleared before every iteration.</li>
 *   <li>{@link #pushPopThroughput}: {@value TcpWindowState#IN_FLIGHT} operations in flight, pushes and
 *       pops alternately, on a queue filled with {@value #STEADY_ITEMS} items before every iteration:
 *       a producer and a consumer in steady state (about {@value #STEADY_ITEMS} items, as
 *       {@code TcpMapSetBenchmark}'s map holds 1,024 values). The score counts both; an empty pop
 *       fails the iteration.</li>
 * </ul>
 *
 * <p>Snapshots (every 10,000 entries, the default) include the queue's items, so the prefilled pop
 * runs write larger snapshots than the map's (at most {@value #POP_PREFILL} items of 64 bytes, 2.6 MB).
 *
 * <p>If leadership moves during a trial, an operation fails and the benchmark stops with that error.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class TcpQueueBenchmark {
    static final String QUEUE_ID = "bench-queue";
    static final int POP_PREFILL = 40_000;
    static final int STEADY_ITEMS = 1_024;
    static final int BATCH = 1_000;

    /** Cluster size; {@code -p nodes=3,5} for five nodes too. */
    @Param({"3"})
    public int nodes;

    /** Where the client pushes and pops: {@code leader} or {@code follower}. */
    @Param({"leader", "follower"})
    public String client;

    @Param({"64"})
    public int payloadBytes;

    private final AtomicLong emptyPops = new AtomicLong();
    private HamokCluster cluster;
    private HamokQueue<byte[]> queue;
    private byte[] item;
    private boolean popNext;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        item = new byte[payloadBytes]; // never changed: every push may share it
        cluster = HamokCluster.start(nodes, Loopback.raftConfig());
        final Hamok node = switch (client) {
            case "leader" -> cluster.leader();
            case "follower" -> cluster.follower();
            default -> throw new IllegalArgumentException("client must be leader or follower, was " + client);
        };
        queue = node.createQueue(HamokQueueConfig.<byte[]>builder().queueId(QUEUE_ID).codec(Codecs.bytes()).build());
    }

    /** Empties or fills the queue for the benchmark about to run (see the class comment). */
    @Setup(Level.Iteration)
    public void prepare(BenchmarkParams params) throws Exception {
        final String method = params.getBenchmark();
        final int items = method.endsWith("popLatency") ? POP_PREFILL
                : method.endsWith("pushPopThroughput") ? STEADY_ITEMS : 0;
        final List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < Math.min(items, BATCH); i++) {
            batch.add(item);
        }
        queue.clear().get(10, TimeUnit.SECONDS);
        for (int filled = 0; filled < items; filled += batch.size()) {
            queue.pushAll(batch).get(10, TimeUnit.SECONDS);
        }
        emptyPops.set(0);
    }

    @TearDown(Level.Iteration)
    public void checkEmptyPops() {
        if (emptyPops.get() > 0) {
            throw new IllegalStateException(emptyPops.get() + " pops found the queue empty: prefill more items");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private CompletableFuture<byte[]> pop() {
        return queue.pop().thenApply(popped -> {
            if (popped == null) {
                emptyPops.incrementAndGet();
            }
            return popped;
        });
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Void pushLatency() throws Exception {
        return queue.push(item).get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] popLatency() throws Exception {
        return pop().get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void pushThroughput(TcpWindowState window) throws Exception {
        window.acquire();
        window.track(queue.push(item));
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void pushPopThroughput(TcpWindowState window) throws Exception {
        window.acquire();
        popNext = !popNext;
        window.track(popNext ? pop() : queue.push(item));
    }
}
