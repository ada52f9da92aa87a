// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.map.HamokMap;
import io.hamok.loop.RaftLoop;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency at a fixed offered rate, which JMH cannot measure: for each target (the bare Raft loop,
 * {@code RaftLoop.propose} on the leader of a 3-node {@link LoopCluster}; {@code HamokMap.set} on the
 * leader of a 3-node {@link HamokCluster}; both over loopback TCP in this JVM) the rig first finds
 * the maximum throughput (64 in flight for {@code maxSeconds}, after as long a warm-up) unless it
 * is given, then offers 10%, 20%, ... 100% of it, each level for {@code warmup} unrecorded and
 * {@code seconds} recorded seconds on the same cluster.
 *
 * <p><b>Coordinated omission.</b> Request {@code i} of a level is due at {@code start + i / rate};
 * its latency is measured from that intended time to the completion of its future, not from the
 * moment it was sent. A sender that falls behind (the system stalls, or the window of
 * {@code outstanding} requests is full) sends the overdue requests at once, and their waiting
 * counts as latency, as it would for clients arriving at that rate. The sender's own lateness
 * (actual minus intended send time) is reported beside, to tell the load generator's delays from
 * the system's: the sender parks when the next request is more than 200 µs away and yields below.
 *
 * <p><b>Output</b> into {@code out} (created if needed): per target and level the percentile
 * distribution in HdrHistogram's text form ({@code raft-050pct.hgrm}, values in µs), a summary
 * {@code fixed-rate.csv} (one row per target and level), and the two charts of
 * {@link LatencyCharts}.
 *
 * <p>Run: {@code java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.FixedRateRig [key=value ...]}
 * with keys (defaults): {@code out} ({@code benchmarks/results}), {@code targets} ({@code raft,map}),
 * {@code levels} ({@code 10,20,...,100}, % of the maximum), {@code seconds} (10), {@code warmup}
 * (2), {@code max} ({@code auto}, or ops/s for every target, or {@code raft:200000,map:120000}),
 * {@code maxSeconds} (5), {@code payload} (64 bytes), {@code outstanding} (8192).
 */
public final class FixedRateRig {
    static final String SUMMARY = "fixed-rate.csv";
    static final String SUMMARY_HEADER = "target,percent,offered_per_s,achieved_per_s,count,errors,"
            + "p50_us,p90_us,p99_us,p99_9_us,p99_99_us,max_us,sender_late_p99_us";
    private static final long PARK_ABOVE_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int IN_FLIGHT_FOR_MAX = 64;
    private static final int KEYS = 1024;

    private FixedRateRig() {
    }

    /** One system under load: each call to {@link #send()} starts one operation. */
    private interface Target extends AutoCloseable {
        CompletableFuture<?> send();

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        final Map<String, String> options = options(args);
        final Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
        final double seconds = Double.parseDouble(options.getOrDefault("seconds", "10"));
        final double warmup = Double.parseDouble(options.getOrDefault("warmup", "2"));
        final double maxSeconds = Double.parseDouble(options.getOrDefault("maxSeconds", "5"));
        final int payload = Integer.parseInt(options.getOrDefault("payload", "64"));
        final int outstanding = Integer.parseInt(options.getOrDefault("outstanding", "8192"));
        final List<Integer> levels = new ArrayList<>();
        for (String level : options.getOrDefault("levels", "10,20,30,40,50,60,70,80,90,100").split(",")) {
            levels.add(Integer.parseInt(level));
        }
        Files.createDirectories(out);
        final List<String> rows = new ArrayList<>();
        for (String name : options.getOrDefault("targets", "raft,map").split(",")) {
            try (Target target = start(name, payload)) {
                final double max = maxRate(options.getOrDefault("max", "auto"), name, target, maxSeconds);
                System.out.printf(Locale.ROOT, "%n%s, %d B: maximum %,.0f ops/s%n", name, payload, max);
                System.out.printf("%5s %12s %12s %9s %9s %9s %9s %9s %7s %12s%n", "level", "offered/s", "achieved/s",
                        "p50 µs", "p99 µs", "p99.9 µs", "max µs", "errors", "", "late p99 µs");
                for (int percent : levels) {
                    final Level level = runLevel(target, max * percent / 100, warmup, seconds, outstanding);
                    rows.add(level.write(out, name, percent));
                    level.print(percent);
                    Thread.sleep(1000); // let the cluster drain its queues before the next level
                }
            }
        }
        Files.write(out.resolve(SUMMARY), withHeader(rows));
        LatencyCharts.plot(out);
        System.out.println("\nwrote " + out.toAbsolutePath());
    }

    private static List<String> withHeader(List<String> rows) {
        final List<String> lines = new ArrayList<>();
        lines.add(SUMMARY_HEADER);
        lines.addAll(rows);
        return lines;
    }

    private static Map<String, String> options(String[] args) {
        final Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            final int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, was '" + arg + "'");
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return options;
    }

    private static Target start(String name, int payloadBytes) throws Exception {
        final byte[] payload = new byte[payloadBytes]; // never changed: every operation may share it
        switch (name) {
            case "raft" -> {
                final LoopCluster cluster = LoopCluster.start(3);
                final RaftLoop leader = cluster.awaitLeader();
                return new Target() {
                    @Override
                    public CompletableFuture<?> send() {
                        return leader.propose(payload);
                    }

                    @Override
                    public void close() {
                        cluster.close();
                    }
                };
            }
            case "map" -> {
                final HamokCluster cluster = HamokCluster.start(3, Loopback.raftConfig());
                final HamokMap<String, byte[]> map = HamokCluster.map(cluster.leader());
                final String[] keys = new String[KEYS];
                for (int i = 0; i < KEYS; i++) {
                    keys[i] = "key-" + i;
                }
                return new Target() {
                    private int next; // the sender thread only

                    @Override
                    public CompletableFuture<?> send() {
                        next = (next + 1) & (KEYS - 1);
                        return map.set(keys[next], payload);
                    }

                    @Override
                    public void close() {
                        cluster.close();
                    }
                };
            }
            default -> throw new IllegalArgumentException("targets are raft and map, was " + name);
        }
    }

    /** {@code spec}: {@code auto} (measure), a rate for every target, or {@code name:rate,...}. */
    private static double maxRate(String spec, String name, Target target, double seconds) throws Exception {
        if (spec.equals("auto")) {
            Window.saturate(IN_FLIGHT_FOR_MAX, seconds, target::send); // warm-up
            final long[] done = Window.saturate(IN_FLIGHT_FOR_MAX, seconds, target::send);
            return done[0] / (done[1] / 1e9);
        }
        if (!spec.contains(":")) {
            return Double.parseDouble(spec);
        }
        for (String entry : spec.split(",")) {
            final String[] kv = entry.split(":");
            if (kv[0].equals(name)) {
                return Double.parseDouble(kv[1]);
            }
        }
        throw new IllegalArgumentException("max=" + spec + " gives no rate for " + name);
    }

    /** Offers {@code rate} ops/s for {@code warmup} + {@code seconds}; records the requests due in the latter. */
    private static Level runLevel(Target target, double rate, double warmup, double seconds, int maxOutstanding)
            throws Exception {
        final Recorder latency = new Recorder(HIGHEST_NS, 3); // written by the threads that complete futures
        final Histogram late = new Histogram(HIGHEST_NS, 3); // the sender's only
        final Semaphore slots = new Semaphore(maxOutstanding);
        final AtomicLong errors = new AtomicLong();
        final double intervalNs = 1e9 / rate;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        final long measureFrom = start + (long) (warmup * 1e9);
        final long end = measureFrom + (long) (seconds * 1e9);
        for (long i = 0; ; i++) {
            final long intended = start + (long) (i * intervalNs);
            if (intended >= end) {
                break;
            }
            waitUntil(intended);
            if (!slots.tryAcquire(Window.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new TimeoutException(maxOutstanding + " requests outstanding for " + Window.TIMEOUT_SECONDS + " s");
            }
            final boolean recorded = intended >= measureFrom;
            if (recorded) {
                late.recordValue(Math.min(HIGHEST_NS, System.nanoTime() - intended));
            }
            target.send().whenComplete((result, error) -> {
                if (error != null) {
                    errors.incrementAndGet();
                } else if (recorded) {
                    latency.recordValue(Math.min(HIGHEST_NS, System.nanoTime() - intended));
                }
                slots.release();
            });
        }
        if (!slots.tryAcquire(maxOutstanding, Window.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException("requests still outstanding after " + Window.TIMEOUT_SECONDS + " s");
        }
        final double elapsedS = (System.nanoTime() - measureFrom) / 1e9;
        final Histogram h = latency.getIntervalHistogram();
        return new Level(rate, h.getTotalCount() / elapsedS, h, late, errors.get());
    }

    private static void waitUntil(long deadlineNs) {
        long now;
        while ((now = System.nanoTime()) < deadlineNs) {
            final long remaining = deadlineNs - now;
            if (remaining > PARK_ABOVE_NS) {
                LockSupport.parkNanos(remaining - PARK_ABOVE_NS / 2);
            } else {
                Thread.yield();
            }
        }
    }

    /** The outcome of one load level; latencies in ns. */
    private record Level(double offered, double achieved, Histogram latency, Histogram late, long errors) {
        String write(Path out, String target, int percent) throws IOException {
            try (PrintStream file = new PrintStream(Files.newOutputStream(
                    out.resolve(String.format(Locale.ROOT, "%s-%03dpct.hgrm", target, percent))), false, "UTF-8")) {
                latency.outputPercentileDistribution(file, 1000.0); // in µs
            }
            return String.format(Locale.ROOT, "%s,%d,%.0f,%.0f,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f", target, percent,
                    offered, achieved, latency.getTotalCount(), errors, us(latency, 50), us(latency, 90), us(latency, 99),
                    us(latency, 99.9), us(latency, 99.99), latency.getMaxValue() / 1e3, us(late, 99));
        }

        void print(int percent) {
            System.out.printf(Locale.ROOT, "%4d%% %,12.0f %,12.0f %9.1f %9.1f %9.1f %9.1f %9d %7s %12.1f%n", percent,
                    offered, achieved, us(latency, 50), us(latency, 99), us(latency, 99.9), latency.getMaxValue() / 1e3,
                    errors, "", us(late, 99));
        }

        private static double us(Histogram h, double percentile) {
            return h.getValueAtPercentile(percentile) / 1e3;
        }
    }
}
