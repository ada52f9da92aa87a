// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.LogEntryView;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Rough figures for the file log on this machine's disk (not a test, not a benchmark harness):
 * append throughput per policy, the latency of one fsync, and recovery time. Run with the test
 * class path: {@code java -cp ... io.hamok.raft.file.FileLogFigures [dir]}.
 */
public final class FileLogFigures {
    private FileLogFigures() {
    }

    public static void main(String[] args) throws IOException {
        final Path base = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of("/tmp"), "filelog-");
        try {
            fsyncLatency(base.resolve("fsync"));
            throughput(base.resolve("batch"), FsyncPolicy.BATCH, 1_000_000);
            throughput(base.resolve("never"), FsyncPolicy.NEVER, 1_000_000);
            throughput(base.resolve("always"), FsyncPolicy.ALWAYS, 5_000);
            recovery(base.resolve("batch"));
            recovery(base.resolve("recovery100k"), 100_000);
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void fsyncLatency(Path dir) throws IOException {
        Files.createDirectories(dir);
        final int count = 500;
        final long[] ns = new long[count];
        try (FileChannel channel = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
            final ByteBuffer record = ByteBuffer.allocateDirect(97);
            long position = 0;
            for (int i = 0; i < count; i++) {
                record.clear();
                position += channel.write(record, position);
                final long start = System.nanoTime();
                channel.force(false);
                ns[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(ns);
        System.out.printf("fsync (fdatasync after a 97-byte append), %d samples: p50 %.1f us, p99 %.1f us, max %.1f us%n",
            count, ns[count / 2] / 1e3, ns[count * 99 / 100] / 1e3, ns[count - 1] / 1e3);
    }

    private static void throughput(Path dir, FsyncPolicy policy, int count) throws IOException {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        final FileLogConfig config = FileLogConfig.builder().fsyncPolicy(policy).build();
        try (FileRaftLogs logs = FileRaftLogs.open(dir, config)) {
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                logs.append(1, i, LogEntryView.NORMAL, payload, 0, 64);
            }
            final long appended = System.nanoTime();
            while (logs.durableSequence() < logs.writeSequence()) {
                Thread.onSpinWait();
            }
            final long durable = System.nanoTime();
            System.out.printf("%s: %,d appends of 64 B: loop side %.0f ns/append; all durable after %.1f ms = %,.0f"
                    + " appends/s; back-pressure waits %d%n", policy, count, (appended - start) / (double) count,
                (durable - start) / 1e6, count / ((durable - start) / 1e9), logs.backPressureWaits());
            if (policy != FsyncPolicy.NEVER) {
                System.out.printf("%s: segment fsyncs %d (%.1f appends per fsync)%n", policy, logs.writer().fsyncs(),
                    count / (double) Math.max(1, logs.writer().fsyncs()));
            }
        }
    }

    private static void recovery(Path dir, int count) throws IOException {
        try (FileRaftLogs logs = FileRaftLogs.open(dir, FileLogConfig.builder().fsyncPolicy(FsyncPolicy.NEVER).build())) {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < count; i++) {
                logs.append(1, i, LogEntryView.NORMAL, payload, 0, 100);
            }
        }
        recovery(dir);
    }

    private static void recovery(Path dir) throws IOException {
        for (int round = 0; round < 3; round++) {
            final long start = System.nanoTime();
            try (FileRaftLogs logs = FileRaftLogs.open(dir, FileLogConfig.defaults())) {
                final long elapsed = System.nanoTime() - start;
                System.out.printf("recovery of %,d entries (%,d bytes in memory), round %d: %.1f ms%n",
                    logs.lastIndex() - logs.firstIndex() + 1, logs.sizeInBytes(), round, elapsed / 1e6);
            }
        }
    }
}
