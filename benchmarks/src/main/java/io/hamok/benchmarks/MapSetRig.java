// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.Hamok;
import io.hamok.map.HamokMap;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Load rig for {@code HamokMap.set} on a 3-node Hamok cluster over loopback TCP in one JVM, beside
 * the TCP floor measured in the same run. Two clients: the <em>leader client</em> calls
 * {@code map.set} on the leader; the <em>follower client</em> calls it on a follower, whose grid
 * forwards the write to the leader (SUBMIT_MESSAGE_REQUEST) and completes the future when the entry
 * is applied on the follower. Reported, for both in the same run: latency of one request at a time
 * (p50/p90/p99/p99.9/max; the two clients take turns, one request each, so that noise from other
 * work on the machine hits both alike), throughput with {@code inFlight} sets in flight, and the
 * bytes the leader's loop thread allocates per set. The cluster is a {@link HamokCluster}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.MapSetRig [samples] [seconds] [inFlight]}
 * ({@code samples} per client; {@code seconds} of throughput per client).
 */
public final class MapSetRig {
    private static final long HEARTBEAT_MS = Loopback.HEARTBEAT_MS;

    private MapSetRig() {
    }

    public static void main(String[] args) throws Exception {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;

        final Histogram floor = TcpPingPong.measure(samples / 2, samples);
        try (HamokCluster cluster = HamokCluster.start(3, Loopback.raftConfig())) {
            final Hamok leader = cluster.leader();
            final Hamok follower = cluster.follower();
            final HamokMap<String, byte[]> leaderMap = HamokCluster.map(leader);
            final HamokMap<String, byte[]> followerMap = HamokCluster.map(follower);
            final byte[] value = new byte[64];
            final Histogram leaderLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final Histogram followerLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < samples + samples / 2; i++) {
                final boolean record = i >= samples / 2;
                setOnce(leaderMap, "key-" + (i % 1000), value, record ? leaderLatency : null);
                setOnce(followerMap, "key-" + (i % 1000), value, record ? followerLatency : null);
            }
            throughput(leaderMap, value, inFlight, 2);
            final Thread loopThread = loopThread(leader.localPeerId());
            long allocatedBefore = allocated(loopThread);
            final long[] leaderDone = throughput(leaderMap, value, inFlight, seconds);
            final long leaderBytes = allocated(loopThread) - allocatedBefore;
            throughput(followerMap, value, inFlight, 2);
            allocatedBefore = allocated(loopThread);
            final long[] followerDone = throughput(followerMap, value, inFlight, seconds);
            final long followerBytes = allocated(loopThread) - allocatedBefore;

            System.out.printf("%nHamokMap.set, 64-byte values, 3 Hamok nodes over TCP loopback in one JVM, %d cores;"
                            + " leader %s, follower client on %s%n", Runtime.getRuntime().availableProcessors(),
                    leader.localPeerId(), follower.localPeerId());
            System.out.printf("%-40s %9s %9s %9s %9s %9s%n", "measurement (microseconds)", "p50", "p90", "p99",
                    "p99.9", "max");
            row("TCP round trip, 64 B (floor)", floor);
            row("map.set, 1 client on the leader", leaderLatency);
            row("map.set, 1 client on a follower", followerLatency);
            final long halfHeartbeatNs = TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MS / 2);
            System.out.printf("sets slower than half a heartbeat (%d ms): leader client %d, follower client %d (of %d each)%n",
                    HEARTBEAT_MS / 2, slowerThan(leaderLatency, halfHeartbeatNs),
                    slowerThan(followerLatency, halfHeartbeatNs), samples);
            System.out.printf("throughput, %d in flight, client on the leader:   %,10.0f sets/s, leader loop %,d bytes/set%n",
                    inFlight, rate(leaderDone), leaderBytes / Math.max(1, leaderDone[0]));
            System.out.printf("throughput, %d in flight, client on a follower:   %,10.0f sets/s, leader loop %,d bytes/set%n",
                    inFlight, rate(followerDone), followerBytes / Math.max(1, followerDone[0]));
        }
    }

    private static void setOnce(HamokMap<String, byte[]> map, String key, byte[] value, Histogram into)
            throws Exception {
        final long start = System.nanoTime();
        map.set(key, value).get(10, TimeUnit.SECONDS);
        if (into != null) {
            into.recordValue(System.nanoTime() - start);
        }
    }

    private static long slowerThan(Histogram h, long ns) {
        return h.getTotalCount() - h.getCountBetweenValues(0, ns);
    }

    private static double rate(long[] done) {
        return done[0] / (done[1] / 1e9);
    }

    /** Returns {sets completed, elapsed ns}. */
    private static long[] throughput(HamokMap<String, byte[]> map, byte[] value, int inFlight, int seconds)
            throws Exception {
        final long[] i = {0};
        return Window.saturate(inFlight, seconds, () -> map.set("key-" + (i[0]++ % 1000), value));
    }

    /** The thread the node's loop runs on: its own ({@code hamok-loop-<id>}) or its transport's I/O thread. */
    private static Thread loopThread(String peerId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("hamok-loop-" + peerId)
                        || (LoopCluster.LOOP_ON_IO_THREAD && t.getName().startsWith("hamok-netty-" + peerId + "-")))
                .findFirst().orElseThrow(() -> new IllegalStateException("no loop thread for " + peerId));
    }

    private static long allocated(Thread t) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(t.getId());
    }

    private static void row(String name, Histogram h) {
        System.out.printf("%-40s %9.1f %9.1f %9.1f %9.1f %9.1f%n", name, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
