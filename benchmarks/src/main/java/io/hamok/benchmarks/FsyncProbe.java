// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The latency of fsync on this machine's file system when 1, 2, ... threads fsync at once, each its
 * own file (write 64 bytes, {@code force(false)}): what three nodes that share one disk pay in the
 * file-log rows of {@link TcpClusterRig}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.FsyncProbe [maxThreads=3] [samples=3000] [dir]}
 */
public final class FsyncProbe {
    private FsyncProbe() {
    }

    public static void main(String[] args) throws Exception {
        final int maxThreads = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final int samples = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        final Path dir = Files.createTempDirectory(Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir")),
                "hamok-fsync-");
        try {
            for (int threads = 1; threads <= maxThreads; threads++) {
                final Histogram h = run(dir, threads, samples);
                System.out.printf("%d thread(s) fsyncing at once, %d fsyncs each: p50 %.1f us, p99 %.1f us, max %.1f us%n",
                        threads, samples, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getMaxValue() / 1e3);
            }
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private static Histogram run(Path dir, int threads, int samples) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            final List<Future<Histogram>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final Path file = dir.resolve("probe-" + threads + "-" + t);
                results.add(pool.submit(() -> fsyncs(file, 0, samples)));
            }
            final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (Future<Histogram> f : results) {
                all.add(f.get());
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * {@code warmup + samples} fsyncs of a new file (write 64 bytes at the end, force the data), the
     * last {@code samples} recorded; the file is deleted afterwards.
     */
    static Histogram fsyncs(Path file, int warmup, int samples) throws IOException {
        final Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final ByteBuffer record = ByteBuffer.allocateDirect(64);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < warmup + samples; i++) {
                final long start = System.nanoTime();
                record.clear();
                channel.write(record, (long) i * 64);
                channel.force(false);
                if (i >= warmup) {
                    h.recordValue(System.nanoTime() - start);
                }
            }
        }
        Files.delete(file);
        return h;
    }
}
