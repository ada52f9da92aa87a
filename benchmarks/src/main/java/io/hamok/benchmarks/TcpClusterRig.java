package io.hamok.benchmarks;

import io.hamok.loop.RaftLoop;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.NettyTransportConfig;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.IOException;
import java.net.ServerSocket;
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
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.TcpClusterRig [samples] [seconds] [inFlight]}
 */
public final class TcpClusterRig {
    private static final byte[] COMMAND = new byte[64];

    private TcpClusterRig() {
    }

    public static void main(String[] args) throws Exception {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;

        final Histogram floor = TcpPingPong.measure(samples / 2, samples);
        final List<RaftLoop> loops = startCluster(3);
        try {
            final RaftLoop leader = awaitLeader(loops);
            final Histogram latency = commitLatency(leader, samples / 2, samples);
            throughput(leader, inFlight, 2); // warm-up
            final double perSecond = throughput(leader, inFlight, seconds);
            final Histogram floorAfter = TcpPingPong.measure(samples / 2, samples);

            System.out.printf("%nTCP loopback, 3-node cluster in one JVM, %d cores, JDK %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("%-38s %9s %9s %9s %9s%n", "measurement (microseconds)", "p50", "p99", "p99.9", "max");
            row("TCP round trip, 64 B (floor, before)", floor);
            row("commit latency, 64 B, 1 client", latency);
            row("TCP round trip, 64 B (floor, after)", floorAfter);
            System.out.printf("throughput, %d in flight: %,.0f commits/s%n", inFlight, perSecond);
            System.out.printf("p50 ratio to floor: %.2fx, p99 ratio: %.2fx%n",
                    ratio(latency, floor, 50), ratio(latency, floor, 99));
        } finally {
            loops.forEach(RaftLoop::close);
        }
    }

    private static double ratio(Histogram h, Histogram floor, double percentile) {
        return (double) h.getValueAtPercentile(percentile) / floor.getValueAtPercentile(percentile);
    }

    private static void row(String name, Histogram h) {
        System.out.printf("%-38s %9.1f %9.1f %9.1f %9.1f%n", name, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    static List<RaftLoop> startCluster(int size) throws IOException {
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
                    .localPeerId(ids.get(i)).peers(peers.toString()).build());
            loops.add(RaftLoop.builder().peerId(ids.get(i)).raftConfig(raft).transport(transport)
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
