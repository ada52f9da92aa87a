package io.hamok.benchmarks;

import io.hamok.loop.RaftLoop;
import io.hamok.loop.RaftLoopBuilder;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.NettyTransportConfig;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load rig: a 3-node Raft cluster over loopback TCP in one process (three {@link RaftLoop}s, three
 * {@link NettyTransport}s), measured against the TCP round trip of the same machine in the same
 * run.
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
            final Path dir = kind.equals("memory") ? null
                    : Files.createTempDirectory(Path.of(System.getProperty("hamok.rig.dir",
                            System.getProperty("java.io.tmpdir"))), "hamok-rig-");
            try {
                if (dir != null && fsync == null) {
                    fsync = fsyncLatency(dir, samples / 2, samples);
                }
                final List<FileRaftLogs> fileLogs = new ArrayList<>();
                final List<RaftLoop> loops = startCluster(3, kind, dir, fileLogs);
                try {
                    final RaftLoop leader = awaitLeader(loops);
                    final Histogram latency = commitLatency(leader, samples / 2, samples);
                    throughput(leader, inFlight, 2); // warm-up
                    final long entriesBefore = leader.commitIndex();
                    final long fsyncsBefore = fsyncs(fileLogs);
                    final double perSecond = throughput(leader, inFlight, seconds);
                    final long fsyncs = fsyncs(fileLogs) - fsyncsBefore;
                    lines.add(row("commit latency, log " + kind, latency)
                            + String.format(Locale.ROOT, " %,12.0f", perSecond)
                            + (fsyncs == 0 ? "" : String.format(Locale.ROOT, "   (%.1f entries per fsync, 3 nodes)",
                                    3.0 * (leader.commitIndex() - entriesBefore) / fsyncs)));
                } finally {
                    loops.forEach(RaftLoop::close);
                }
            } finally {
                deleteRecursively(dir);
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

    private static double ratio(Histogram h, Histogram floor, double percentile) {
        return (double) h.getValueAtPercentile(percentile) / floor.getValueAtPercentile(percentile);
    }

    private static String row(String name, Histogram h) {
        return String.format(Locale.ROOT, "%-38s %9.1f %9.1f %9.1f %9.1f", name, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    /** The latency of one fsync on the file system the logs use: append 64 bytes, force the data. */
    private static Histogram fsyncLatency(Path dir, int warmup, int samples) throws IOException {
        final Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final ByteBuffer record = ByteBuffer.allocateDirect(64);
        final Path file = dir.resolve("fsync-probe");
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

    static List<RaftLoop> startCluster(int size) throws IOException {
        return startCluster(size, "memory", null, new ArrayList<>());
    }

    private static long fsyncs(List<FileRaftLogs> logs) {
        long total = 0;
        for (FileRaftLogs l : logs) {
            total += l.segmentFsyncs();
        }
        return total;
    }

    /**
     * {@code kind}: {@code memory}, or a file log with that fsync policy in a directory per node under
     * {@code dir} (each added to {@code fileLogs}).
     */
    static List<RaftLoop> startCluster(int size, String kind, Path dir, List<FileRaftLogs> fileLogs) throws IOException {
        final List<String> ids = new ArrayList<>();
        final StringBuilder peers = new StringBuilder();
        for (int i = 0; i < size; i++) {
            ids.add("node-" + i);
            peers.append(i == 0 ? "" : ",").append("node-").append(i).append("@127.0.0.1:").append(freePort());
        }
        final RaftConfig raft = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(500).electionTimeoutMs(1000)
                .build();
        final List<RaftLoop> loops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            final NettyTransport transport = new NettyTransport(NettyTransportConfig.builder()
                    .localPeerId(ids.get(i)).peers(peers.toString())
                    .loopOnIoThread(Boolean.parseBoolean(System.getProperty("hamok.rig.loopOnIoThread", "true")))
                    .build());
            final RaftLoopBuilder loop = RaftLoop.builder();
            if (dir != null) {
                final FsyncPolicy policy = FsyncPolicy.valueOf(kind.toUpperCase(Locale.ROOT));
                final FileRaftLogs logs = FileRaftLogs.open(dir.resolve(ids.get(i)),
                        FileLogConfig.builder().fsyncPolicy(policy).build());
                fileLogs.add(logs);
                loop.raftLogs(logs); // closed with the loop
            }
            loops.add(loop.peerId(ids.get(i)).raftConfig(raft).transport(transport)
                    .stateMachine(new CoreCluster.CountingStateMachine()).bootstrapVoters(ids)
                    .idleStrategy(idleStrategy()).random(new SplittableRandom(i)).build().start());
        }
        return loops;
    }

    /** {@code -Dhamok.rig.idle=yield|spin|backoff}; default: the loop's own signalled strategy. */
    private static IdleStrategy idleStrategy() {
        return switch (System.getProperty("hamok.rig.idle", "signalled")) {
            case "yield" -> new YieldingIdleStrategy();
            case "spin" -> new BusySpinIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy(100, 100, 1_000, 100_000);
            default -> null;
        };
    }

    static RaftLoop awaitLeader(List<RaftLoop> loops) throws Exception {
        final String leaderId = loops.get(0).awaitLeader().get(30, TimeUnit.SECONDS);
        for (RaftLoop loop : loops) {
            if (loop.peerId().equals(leaderId)) {
                return loop;
            }
        }
        throw new IllegalStateException("unknown leader " + leaderId);
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
        final Semaphore window = new Semaphore(inFlight);
        final AtomicLong committed = new AtomicLong();
        final long start = System.nanoTime();
        final long end = start + TimeUnit.SECONDS.toNanos(seconds);
        CompletableFuture<Long> last = CompletableFuture.completedFuture(0L);
        while (System.nanoTime() < end) {
            window.acquire();
            last = leader.propose(COMMAND).whenComplete((index, error) -> {
                if (error == null) {
                    committed.incrementAndGet();
                }
                window.release();
            });
        }
        last.get(10, TimeUnit.SECONDS);
        window.acquire(inFlight);
        return committed.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
