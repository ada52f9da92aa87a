// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftNode;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The Raft core alone: 3 nodes on one thread, zero-latency delivery through the wire codec,
 * 64-byte commands, batching on. One invocation proposes {@value #BATCH} commands on the leader,
 * flushes, and delivers until all of them are committed and applied on every node; the score is
 * committed entries per second (each entry is appended, encoded, decoded, stored and applied on 3
 * nodes). Run with {@code -prof gc} for bytes allocated per committed entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CoreCommitBenchmark {
    static final int BATCH = 1024;

    /** Entries between snapshots (and log compactions) on each node. */
    @Param({"10000", "100000"})
    public long snapshotThresholdEntries;

    private final UnsafeBuffer command = new UnsafeBuffer(new byte[64]);
    private CoreCluster cluster;
    private RaftNode leader;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() {
        cluster = new CoreCluster(3, RaftConfig.builder()
                .maxEntriesPerAppend(256)
                .maxInflightAppends(32)
                .snapshotThresholdEntries(snapshotThresholdEntries)
                .build());
        leader = cluster.electLeader();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long commit() {
        long last = 0;
        for (int i = 0; i < BATCH; i++) {
            command.putLong(0, ++sequence);
            last = leader.propose(command, 0, command.capacity());
        }
        if (last <= 0) {
            throw new IllegalStateException("leader refused a proposal: " + last);
        }
        leader.flush();
        cluster.deliverAll();
        if (leader.commitIndex() < last) {
            throw new IllegalStateException("not committed: " + leader.commitIndex() + " < " + last);
        }
        cluster.applyAll();
        return cluster.machines[0].sum;
    }
}
