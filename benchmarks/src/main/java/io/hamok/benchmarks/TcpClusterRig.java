// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.loop.RaftLoop;
import io.hamok.transport.netty.NettyTransport;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Load rig: a 3-node Raft cluster over loopback TCP in one process (three {@link RaftLoop}s, three
 * {@link NettyTransport}s), measured against the TCP round trip of the same machine in the same
 * run. The cluster is a {@link LoopCluster}.
 *
 * <ol>
 *   <li>Floor: {@link TcpPingPong}, 64-byte frames.</li>
 *   <li>Commit latency: one client proposes 64-byte commands to the leader one after another and
 *       waits for each future (committed on a quorum and applied on the leader).</li>
 *   <li>Throughput: the client keeps {@code inFlight} proposals outstanding for a fixed time.</li>
 * </ol>
 *
 * <p>The Raft log of each node is chosen by the fourth argument, a comma-separated list run one
 * after the other on a fresh cluster each: {@code memory} (the default) or an fsync policy of the
 * file log ({@code never}, {@code batch}, {@code always}), kept in a temporary directory under
 * {@code -Dhamok.rig.dir} (default: the system's temporary directory) and deleted afterwards. With a
 * file log the rig also measures one fsync on the same file system (write 64 bytes, force) for
 * reference.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.TcpClusterRig [samples] [seconds] [inFlight] [logs]}
 */
public final class TcpClusterRig {
    private static final byte[] COMMAND = new byte[64];

    private TcpClusterRig() {
    }

    public static void main(String[] args) throws Exception {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        final List<String> kinds = List.of((args.length > 3 ? args[3] : "memory").split(","));

        final Histogram floor = TcpPingPong.measure(samples / 2, samples);
        final List<String> lines = new ArrayList<>();
        Histogram fsync = null;
        for (String kind : kinds) {
            final Path dir = kind.equals("memory") ? null : TempDirs.create("hamok-rig-");
            try {
                if (dir != null && fsync == null) {
                    fsync = FsyncProbe.fsyncs(dir.resolve("fsync-probe"), samples / 2, samples);
                }
                try (LoopCluster cluster = LoopCluster.start(3, Loopback.raftConfig(), kind, dir)) {
                    final RaftLoop leader = cluster.awaitLeader();
                    final Histogram latency = commitLatency(leader, samples / 2, samples);
                    throughput(leader, inFlight, 2); // warm-up
                    final long entriesBefore = leader.commitIndex();
                    final long fsyncsBefore = cluster.segmentFsyncs();
                    final double perSecond = throughput(leader, inFlight, seconds);
                    final long fsyncs = cluster.segmentFsyncs() - fsyncsBefore;
                    lines.add(row("commit latency, log " + kind, latency)
                            + String.format(Locale.ROOT, " %,12.0f", perSecond)
                            + (fsyncs == 0 ? "" : String.format(Locale.ROOT, "   (%.1f entries per fsync)",
                                    3.0 * (leader.commitIndex() - entriesBefore) / fsyncs)));
                }
            } finally {
                TempDirs.deleteRecursively(dir);
            }
        }
        final Histogram floorAfter = TcpPingPong.measure(samples / 2, samples);

        System.out.printf("%nTCP loopback, 3-node cluster in one JVM, %d cores, JDK %s, 64 B commands%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("%-38s %9s %9s %9s %9s %12s%n", "measurement (microseconds)", "p50", "p99", "p99.9",
                "max", String.format("commits/s, %d in flight", inFlight));
        System.out.println(row("TCP round trip, 64 B (floor, before)", floor));
        if (fsync != null) {
            System.out.println(row("one fsync (64 B write + force)", fsync));
        }
        lines.forEach(System.out::println);
        System.out.println(row("TCP round trip, 64 B (floor, after)", floorAfter));
    }

    private static String row(String name, Histogram h) {
        return String.format(Locale.ROOT, "%-38s %9.1f %9.1f %9.1f %9.1f", name, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    private static Histogram commitLatency(RaftLoop leader, int warmup, int samples) throws Exception {
        final Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < warmup + samples; i++) {
            final long start = System.nanoTime();
            leader.propose(COMMAND).get(10, TimeUnit.SECONDS);
            if (i >= warmup) {
                h.recordValue(System.nanoTime() - start);
            }
        }
        return h;
    }

    private static double throughput(RaftLoop leader, int inFlight, int seconds) throws Exception {
        final long[] done = Window.saturate(inFlight, seconds, () -> leader.propose(COMMAND));
        return done[0] / (done[1] / 1e9);
    }
}
