// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.map.HamokMap;
import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.remotemap.MemoryRemoteMap;
import io.hamok.remotemap.RemoteMap;
import io.hamok.remotemap.redis.RedisRemoteMap;
import io.hamok.remotemap.redis.RedisRemoteMapConfig;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Load rig for {@code HamokRemoteMap.set} on a 3-node Hamok cluster over loopback TCP in one JVM, beside
 * {@code HamokMap.set} and the store's own round trip measured in the same run. A remote set goes
 * through the log, waits as a pending mutation, is executed by the leader against the store (one at a
 * time), and completes when the outcome entry is applied on the caller's node: two commits and one
 * store call. The store is a {@link MemoryRemoteMap} (no I/O: what Hamok costs), or a Redis at
 * {@code redisUrl} (one {@link RedisRemoteMap} per node).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.RemoteMapRig [samples]
 * [seconds] [inFlight] [redisUrl]}.
 */
public final class RemoteMapRig {
    private RemoteMapRig() {
    }

    public static void main(String[] args) throws Exception {
        final int samples = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        final String redisUrl = args.length > 3 ? args[3] : null;

        final List<RemoteMap> stores = new ArrayList<>();
        final MemoryRemoteMap memory = new MemoryRemoteMap();
        try (HamokCluster cluster = HamokCluster.start(3, Loopback.raftConfig())) {
            HamokRemoteMap<String, byte[]> onLeader = null;
            HamokRemoteMap<String, byte[]> onFollower = null;
            final Hamok leader = cluster.leader();
            for (Hamok node : cluster.nodes()) {
                final RemoteMap store = redisUrl == null ? memory : new RedisRemoteMap(RedisRemoteMapConfig.builder()
                        .url(redisUrl).keyPrefix("hamok-rig-" + System.nanoTime() / 1_000_000).build());
                stores.add(store);
                final HamokRemoteMap<String, byte[]> map = node.createRemoteMap(HamokRemoteMapConfig
                        .<String, byte[]>builder().mapId("remote-bench").keyCodec(Codecs.string())
                        .valueCodec(Codecs.bytes()).remoteMap(store).requestTimeoutMs(30_000).build());
                if (node == leader) {
                    onLeader = map;
                } else if (onFollower == null) {
                    onFollower = map;
                }
            }
            final HamokMap<String, byte[]> plain = HamokCluster.map(leader);
            final byte[] value = new byte[64];
            final Histogram storeLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final Histogram mapLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final Histogram leaderLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final Histogram followerLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final HamokRemoteMap<String, byte[]> leaderMap = onLeader;
            final HamokRemoteMap<String, byte[]> followerMap = onFollower;
            final RemoteMap probe = stores.get(0);
            for (int i = 0; i < samples + samples / 2; i++) {
                final boolean record = i >= samples / 2;
                final String key = "key-" + (i % 1000);
                time(() -> probe.get(key.getBytes()), record ? storeLatency : null);
                time(() -> plain.set(key, value), record ? mapLatency : null);
                time(() -> leaderMap.set(key, value), record ? leaderLatency : null);
                time(() -> followerMap.set(key, value), record ? followerLatency : null);
            }
            final long[] i = {0};
            Window.saturate(inFlight, 2, () -> leaderMap.set("key-" + (i[0]++ % 1000), value));
            final long[] leaderDone = Window.saturate(inFlight, seconds, () -> leaderMap.set("key-" + (i[0]++ % 1000),
                    value));
            final long[] followerDone = Window.saturate(inFlight, seconds, () -> followerMap.set("key-"
                    + (i[0]++ % 1000), value));

            System.out.printf("%nHamokRemoteMap.set, 64-byte values, 3 Hamok nodes over TCP loopback in one JVM, %d cores,"
                    + " store: %s%n", Runtime.getRuntime().availableProcessors(), redisUrl == null
                    ? "MemoryRemoteMap (in memory, no I/O)" : "Redis at " + redisUrl + " (RedisRemoteMap per node)");
            System.out.printf("%-44s %9s %9s %9s %9s %9s%n", "measurement (microseconds)", "p50", "p90", "p99",
                    "p99.9", "max");
            row("store read (get), the store's round trip", storeLatency);
            row("HamokMap.set on the leader (one commit)", mapLatency);
            row("HamokRemoteMap.set, client on the leader", leaderLatency);
            row("HamokRemoteMap.set, client on a follower", followerLatency);
            System.out.printf("throughput, %d in flight, client on the leader:   %,10.0f sets/s%n", inFlight,
                    leaderDone[0] / (leaderDone[1] / 1e9));
            System.out.printf("throughput, %d in flight, client on a follower:   %,10.0f sets/s%n", inFlight,
                    followerDone[0] / (followerDone[1] / 1e9));
        } finally {
            for (RemoteMap store : stores) {
                if (store instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        }
    }

    private static void time(java.util.function.Supplier<CompletableFuture<?>> op, Histogram into) throws Exception {
        final long start = System.nanoTime();
        op.get().get(30, TimeUnit.SECONDS);
        if (into != null) {
            into.recordValue(System.nanoTime() - start);
        }
    }

    private static void row(String name, Histogram h) {
        System.out.printf("%-44s %9.1f %9.1f %9.1f %9.1f %9.1f%n", name, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
