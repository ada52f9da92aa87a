// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.Membership;
import io.hamok.raft.RaftSnapshot;
import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The durable Raft log alone: a {@link FileRaftLogs} (default config but for the fsync policy: 64 MiB
 * segments, 8 MiB journal) in a fresh temporary directory (under {@code java.io.tmpdir}, deleted at
 * teardown), driven the way the Raft loop drives it. One invocation appends {@value #BATCH} entries of
 * 64 bytes one by one with {@link FileRaftLogs#append} (as the leader's {@code propose} and the
 * follower's AppendEntries handling do; {@value #BATCH} is the default {@code maxEntriesPerAppend}),
 * then waits, spinning and yielding, until {@link FileRaftLogs#durableIndex()} reaches the last entry
 * (as the loop waits before it acknowledges or counts its own log toward a commit; under
 * {@link FsyncPolicy#NEVER} that is "written to the operating system"). Every
 * {@value #SNAPSHOT_EVERY} entries it stores a new small snapshot (64 bytes of state, three voters)
 * and compacts the log to keep the last {@value #SNAPSHOT_EVERY}/2 entries, as
 * {@code CompactionPolicy} does with the default {@code snapshotThresholdEntries}; so the mirror's
 * memory is recycled and whole segments below the log start are deleted from the disk.
 *
 * <p>The score is entries made durable per second. The writer thread runs in the same JVM, so
 * {@code -prof gc} reports the bytes allocated per entry by both threads (the loop side and the
 * writer), plus the benchmark's own snapshot objects, which the loop would allocate too.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FileLogAppendBenchmark -prof gc -wi 3 -w 2s -i 5 -r 2s -f 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FileLogAppendBenchmark {
    static final int BATCH = 256;
    static final int PAYLOAD_BYTES = 64;
    static final long SNAPSHOT_EVERY = 10_000;
    static final long TERM = 1;
    private static final int SPINS_BEFORE_YIELD = 100;

    @Param({"NEVER", "BATCH", "ALWAYS"})
    public FsyncPolicy policy;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_BYTES]);
    private final Membership members = Membership.ofVoters("a", "b", "c");
    private final byte[] stateMachineData = new byte[64];
    private Path dir;
    private FileRaftLogs logs;
    private long lastSnapshotIndex;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("hamok-filelog-bench-");
        logs = FileRaftLogs.open(dir, FileLogConfig.builder().fsyncPolicy(policy).build());
        logs.storeTermAndVote(TERM, "a");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            if (logs != null) {
                logs.close();
                if (logs.failure() != null) {
                    throw new IllegalStateException("the file log failed", logs.failure());
                }
            }
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long append() {
        long last = 0;
        for (int i = 0; i < BATCH; i++) {
            payload.putLong(0, ++sequence);
            last = logs.append(TERM, sequence, LogEntryView.NORMAL, payload, 0, PAYLOAD_BYTES);
        }
        if (last - lastSnapshotIndex >= SNAPSHOT_EVERY) {
            // Deliberate allocation, as in CompactionPolicy: one small snapshot every SNAPSHOT_EVERY entries.
            logs.storeSnapshot(RaftSnapshot.of(last, TERM, members, stateMachineData), last - SNAPSHOT_EVERY / 2);
            lastSnapshotIndex = last;
        }
        awaitDurable(last);
        return last;
    }

    private void awaitDurable(long index) {
        int spins = 0;
        while (logs.durableIndex() < index) {
            if (logs.failure() != null) {
                throw new IllegalStateException("the file log failed", logs.failure());
            }
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
