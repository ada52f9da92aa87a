// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.loop.RaftLoop;
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

import java.util.concurrent.TimeUnit;

/**
 * A bare Raft commit over loopback TCP: {@link RaftLoop#propose} on the leader of a {@link LoopCluster}
 * ({@code nodes} loops with memory logs and {@code NettyTransport}s on 127.0.0.1, all in the benchmark's
 * JVM, started once per trial and closed after it). A commit is done when the entry is committed by
 * a quorum and applied on the leader (the future completes).
 *
 * <ul>
 *   <li>{@link #commitLatency}: one caller proposes and waits for each future; {@code SampleTime}
 *       prints the percentiles (p0.50 ... p0.9999) of the time from {@code propose} to completion.</li>
 *   <li>{@link #commitThroughput}: a window of {@value #IN_FLIGHT} proposals outstanding (see
 *       {@link TcpWindowState}); the score is completed commits per second.</li>
 * </ul>
 *
 * <p>{@code -prof gc}: the whole cluster lives in this JVM, so {@code gc.alloc.rate.norm} is the
 * bytes allocated per commit by every thread: all nodes' loops and Netty event loops plus the
 * caller's proposal and future, not the leader alone.
 *
 * <p>Heap: 4 GiB. Each node's memory log holds up to 15,000 entries (a snapshot every 10,000, half
 * kept), 240 MB per node at 16 KB, plus up to 64 MiB of free segments; five such nodes do not fit in
 * 1 GiB (it ran out of memory). At 16 KB the figures are in steady state only once the warm-up has
 * covered about 20,000 commits (the log and its pool grow to that size first; before, every entry is
 * new memory): raise {@code -wi} where the throughput is low.
 *
 * <p>If leadership moves during a trial (it should not on a quiet machine), a proposal fails with
 * {@code NotLeaderException} and the benchmark stops with that error rather than measuring an election.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class TcpRaftBenchmark {
    static final int IN_FLIGHT = TcpWindowState.IN_FLIGHT;

    @Param({"3", "5"})
    public int nodes;

    @Param({"64", "1024", "16384"})
    public int payloadBytes;

    /** Mutual TLS on the links by the JDK's engine or OpenSSL ({@code -p tls=off,jdk,openssl} to compare in one run); off by default. */
    @Param({"off"})
    public String tls;

    private LoopCluster cluster;
    private RaftLoop leader;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        cluster = LoopCluster.start(nodes, tls);
        leader = cluster.awaitLeader();
        payload = new byte[payloadBytes]; // never changed: every proposal may share it
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long commitLatency() throws Exception {
        return leader.propose(payload).get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void commitThroughput(TcpWindowState window) throws Exception {
        window.acquire();
        window.track(leader.propose(payload));
    }
}
