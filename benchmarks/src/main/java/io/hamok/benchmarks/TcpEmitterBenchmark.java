// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.Codecs;
import io.hamok.emitter.EmitterEvent;
import io.hamok.Hamok;
import io.hamok.emitter.HamokEmitter;
import io.hamok.emitter.HamokEmitterConfig;
import io.hamok.emitter.PublishResult;
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

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code HamokEmitter.publish} and {@code notify} over loopback TCP on a {@link HamokCluster} (3 Hamok
 * instances with {@code NettyTransport}s on 127.0.0.1 in the benchmark's JVM, started once per trial):
 * the leader publishes, the two followers subscribe. Neither goes through the Raft log: each message
 * is one frame from the publisher to each subscriber (and, for publish, one answer back).
 *
 * <ul>
 *   <li>{@link #notifyLatency}: from {@code notify} on the leader to the delivery at one remote
 *       subscriber (its listener completes the future the benchmark thread waits for);
 *       {@code SampleTime} prints the percentiles.</li>
 *   <li>{@link #notifyThroughput}: {@value TcpWindowState#IN_FLIGHT} notifies outstanding, one counted
 *       done when that subscriber got it; ops/s = notifies delivered per second (each also reaches the
 *       second subscriber).</li>
 *   <li>{@link #publishLatency}, {@link #publishThroughput}: until both subscribers answered.</li>
 * </ul>
 *
 * <p>Compare with {@code TcpMapSetBenchmark} (client {@code leader}) in the same run: see
 * {@code benchmarks/README.md}. The payload's first 8 bytes carry a sequence number.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class TcpEmitterBenchmark {
    private static final EmitterEvent<byte[]> EVENT = EmitterEvent.of("bench", Codecs.bytes());
    /** Slots of the futures waiting for a delivery: more than ever outstanding. */
    private static final int SLOTS = 1024;

    @Param({"64", "1024"})
    public int payloadBytes;

    private final AtomicReferenceArray<CompletableFuture<Void>> waiting = new AtomicReferenceArray<>(SLOTS);
    private HamokCluster cluster;
    private HamokEmitter<Void> publisher;
    private byte[] payload;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        payload = new byte[payloadBytes];
        cluster = HamokCluster.start(3, Loopback.raftConfig());
        final Hamok leader = cluster.leader();
        String measured = null;
        for (Hamok node : cluster.nodes()) {
            final HamokEmitter<Void> emitter = node.createEmitter(HamokEmitterConfig.<Void>builder()
                    .emitterId("bench-emitter").publishTimeoutMs(10_000).build());
            if (node == leader) {
                publisher = emitter;
            } else if (measured == null) {
                measured = node.localPeerId();
                emitter.subscribe(EVENT, (bytes, from) -> delivered(bytes)).get(10, TimeUnit.SECONDS);
            } else {
                emitter.subscribe(EVENT, (bytes, from) -> { }).get(10, TimeUnit.SECONDS);
            }
        }
        leader.waitUntilCommitHead(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        if (publisher.subscribers("bench").size() != 2) {
            throw new IllegalStateException("the publisher sees " + publisher.subscribers("bench"));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** At the measured subscriber, on its loop thread: completes the future of that sequence number. */
    private void delivered(byte[] bytes) {
        final int slot = (int) (ByteBuffer.wrap(bytes).getLong() & (SLOTS - 1));
        final CompletableFuture<Void> future = waiting.getAndSet(slot, null);
        if (future != null) {
            future.complete(null);
        }
    }

    /** Sends one notify numbered in its payload; the future completes when the measured subscriber got it. */
    private CompletableFuture<Void> notifyOne() {
        final long seq = ++sequence;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        waiting.set((int) (seq & (SLOTS - 1)), done);
        final byte[] numbered = payload.clone();
        ByteBuffer.wrap(numbered).putLong(seq);
        publisher.notify(EVENT, numbered);
        return done;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void notifyLatency() throws Exception {
        notifyOne().get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void notifyThroughput(TcpWindowState window) throws Exception {
        window.acquire();
        window.track(notifyOne());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public PublishResult publishLatency() throws Exception {
        final PublishResult result = publisher.publish(EVENT, payload).get(10, TimeUnit.SECONDS);
        if (!result.allDelivered()) {
            throw new IllegalStateException("not every subscriber answered: " + result);
        }
        return result;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void publishThroughput(TcpWindowState window) throws Exception {
        window.acquire();
        window.track(publisher.publish(EVENT, payload));
    }
}
