// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.raft.RaftConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Idle cost: the CPU an idle 3-node cluster over loopback TCP uses, per node, in % of one core.
 * Nothing is proposed; the leader only sends heartbeats. For each variant the rig starts a fresh
 * cluster in this JVM, waits for a leader, lets it settle (JIT, connections), then measures over a
 * fixed wall time:
 *
 * <ul>
 *   <li>the process's CPU time ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}):
 *       every thread of the JVM, the cluster's, the garbage collector's, the JIT compiler's and this
 *       rig's (which sleeps); divided by 3, an upper bound per node;</li>
 *   <li>the CPU time of each Java thread ({@link ThreadMXBean#getThreadCpuTime}), attributed to a
 *       node when its name contains the node's id ({@code hamok-loop-node-0},
 *       {@code hamok-netty-node-0-1-1}) and grouped by the rest of the name, digits dropped; threads
 *       named after no node are listed on their own (the file log's writer threads, for example).</li>
 * </ul>
 *
 * <p>CPU time is what the threads ran, not wall time, so other work on the machine does not
 * inflate it (it may deflate it a little: a thread that waits for a core runs later, not longer).
 *
 * <p>Variants: {@code loop} ({@link LoopCluster}: {@code RaftLoop}s with memory logs),
 * {@code loop-file} (the same with file logs, fsync policy {@code batch}, in a temporary directory)
 * and {@code hamok} ({@link HamokCluster}: Hamok instances with one map each). The Raft timing is
 * the default {@link RaftConfig} (heartbeat 100 ms) unless {@code heartbeatMs} is given.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hamok.benchmarks.IdleCostRig [seconds] [settleSeconds] [variants] [heartbeatMs]}
 * (defaults: 30, 10, {@code loop,hamok}, the default heartbeat).
 */
public final class IdleCostRig {
    private static final int NODES = 3;
    /** USER_HZ of /proc's tick counts: 100 on every Linux architecture Java runs on. */
    private static final long CLOCK_TICKS_PER_S = 100;

    private IdleCostRig() {
    }

    public static void main(String[] args) throws Exception {
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        final double settleSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        final List<String> variants = List.of((args.length > 2 ? args[2] : "loop,hamok").split(","));
        final RaftConfig raft = args.length > 3
                ? RaftConfig.builder().heartbeatMs(Long.parseLong(args[3])).build() : RaftConfig.builder().build();

        System.out.printf(Locale.ROOT, "Idle %d-node clusters over TCP loopback in one JVM: %d cores, JDK %s, heartbeat %d ms,"
                        + " %.0f s settling, %.0f s measured%n", NODES, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), raft.heartbeatMs(), settleSeconds, seconds);
        for (String variant : variants) {
            final Path dir = variant.equals("loop-file") ? TempDirs.create("hamok-idle-") : null;
            final AutoCloseable cluster = start(variant, raft, dir);
            try {
                Thread.sleep((long) (settleSeconds * 1000));
                final Map<Long, NativeThread> nativeBefore = NativeThread.take();
                final CpuSample before = CpuSample.take();
                Thread.sleep((long) (seconds * 1000));
                final CpuSample after = CpuSample.take();
                print(variant, before, after);
                printNativeThreads(NativeThread.take(), nativeBefore, (after.wallNs - before.wallNs) / 1e9);
            } finally {
                cluster.close();
                TempDirs.deleteRecursively(dir);
            }
        }
    }

    private static AutoCloseable start(String variant, RaftConfig raft, Path dir) throws Exception {
        switch (variant) {
            case "loop", "loop-file" -> {
                final LoopCluster cluster = LoopCluster.start(NODES, raft, dir == null ? "memory" : "batch", dir);
                cluster.awaitLeader();
                return cluster;
            }
            case "hamok" -> {
                return HamokCluster.start(NODES, raft);
            }
            default -> throw new IllegalArgumentException("variant must be loop, loop-file or hamok, was " + variant);
        }
    }

    private static void print(String variant, CpuSample before, CpuSample after) {
        final double wallNs = after.wallNs - before.wallNs;
        final Map<String, Long> groups = new TreeMap<>();
        final Map<String, Long> perNode = new TreeMap<>();
        long javaThreadsNs = 0;
        for (Map.Entry<Long, Long> e : after.threadCpuNs.entrySet()) {
            final long ns = e.getValue() - before.threadCpuNs.getOrDefault(e.getKey(), 0L);
            final String name = after.threadNames.get(e.getKey());
            final String node = nodeOf(name);
            groups.merge((node == null ? "(no node) " : node + " ") + role(name, node), ns, Long::sum);
            if (node != null) {
                perNode.merge(node, ns, Long::sum);
            }
            javaThreadsNs += ns;
        }
        final long processNs = after.processCpuNs - before.processCpuNs;
        System.out.printf(Locale.ROOT, "%n== %s: %.1f s measured%n", variant, wallNs / 1e9);
        System.out.printf("%-44s %10s %14s%n", "threads", "CPU ms", "% of one core");
        groups.forEach((group, ns) -> {
            if (ns > 0) {
                System.out.printf(Locale.ROOT, "%-44s %10.1f %14.3f%n", group, ns / 1e6, 100 * ns / wallNs);
            }
        });
        System.out.printf(Locale.ROOT, "%-44s %10.1f %14.3f%n", "JVM-internal (GC, JIT, VM; not Java threads)",
                (processNs - javaThreadsNs) / 1e6, 100 * (processNs - javaThreadsNs) / wallNs);
        perNode.forEach((node, ns) -> System.out.printf(Locale.ROOT, "per node, %-34s %10.1f %14.3f%n",
                node + " (its threads)", ns / 1e6, 100 * ns / wallNs));
        System.out.printf(Locale.ROOT, "%-44s %10.1f %14.3f%n", "process (getProcessCpuTime)", processNs / 1e6,
                100 * processNs / wallNs);
        System.out.printf(Locale.ROOT, "%-44s %10.1f %14.3f%n", "process / " + NODES + " (upper bound per node)",
                processNs / 1e6 / NODES, 100 * processNs / wallNs / NODES);
    }

    /**
     * Context switches per second and CPU time in user and kernel mode by native thread name, which
     * Linux cuts to 15 characters (so the nodes' threads of one kind fall together: divide by the
     * thread count). A thread is switched out each time it parks or sleeps, so switches count
     * wake-ups; the kernel's share tells the cost of parking and waking from that of the Java code.
     * User and kernel times are counted in clock ticks (10 ms), so they are coarse.
     */
    private static void printNativeThreads(Map<Long, NativeThread> after, Map<Long, NativeThread> before, double seconds) {
        if (after.isEmpty()) {
            return; // no /proc: not Linux
        }
        final Map<String, long[]> byName = new TreeMap<>(); // {threads, switches, user ticks, kernel ticks}
        after.forEach((tid, t) -> {
            final NativeThread b = before.getOrDefault(tid, new NativeThread(t.name, 0, 0, 0));
            final long[] sum = byName.computeIfAbsent(t.name, n -> new long[4]);
            sum[0]++;
            sum[1] += t.switches - b.switches;
            sum[2] += t.userTicks - b.userTicks;
            sum[3] += t.kernelTicks - b.kernelTicks;
        });
        System.out.printf("%-44s %10s %14s %10s %10s%n", "native thread name (Linux, 15 chars)", "threads", "switches/s",
                "user ms", "kernel ms");
        byName.forEach((name, sum) -> {
            if (sum[1] / seconds >= 1) {
                System.out.printf(Locale.ROOT, "%-44s %10d %14.0f %10d %10d%n", name, sum[0], sum[1] / seconds,
                        sum[2] * 1000 / CLOCK_TICKS_PER_S, sum[3] * 1000 / CLOCK_TICKS_PER_S);
            }
        });
    }

    /** The node id ({@code node-N}) in a thread's name, or null. */
    private static String nodeOf(String name) {
        for (String id : Loopback.ids(NODES)) {
            if (name.matches(".*\\b" + id + "\\b.*")) {
                return id;
            }
        }
        return null;
    }

    /** The thread's name without the node id and numbers: {@code hamok-netty-node-0-2-1} is {@code hamok-netty}. */
    private static String role(String name, String node) {
        final String rest = node == null ? name : name.replace(node, "");
        return rest.replaceAll("[#\\-]*\\d+", "").replaceAll("-+$", "").replaceAll("--+", "-");
    }

    /**
     * A native thread's name, context switches (voluntary and not) and CPU ticks in user and kernel
     * mode so far, from {@code /proc/self/task}.
     */
    private record NativeThread(String name, long switches, long userTicks, long kernelTicks) {
        static Map<Long, NativeThread> take() {
            final Map<Long, NativeThread> all = new HashMap<>();
            final Path tasks = Path.of("/proc/self/task");
            if (!Files.isDirectory(tasks)) {
                return all;
            }
            try (var dirs = Files.list(tasks)) {
                for (Path task : dirs.toList()) {
                    try {
                        long switches = 0;
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches") || line.startsWith("nonvoluntary_ctxt_switches")) {
                                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                        // stat: "pid (comm) state ...", utime and stime are the 14th and 15th fields
                        final String stat = Files.readString(task.resolve("stat"));
                        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                        all.put(Long.parseLong(task.getFileName().toString()), new NativeThread(
                                Files.readString(task.resolve("comm")).trim(), switches,
                                Long.parseLong(f[11]), Long.parseLong(f[12])));
                    } catch (IOException threadEnded) {
                        // the thread ended while we read it: leave it out
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return all;
        }
    }

    /** CPU times at one instant: the process's and every live Java thread's. */
    private record CpuSample(long wallNs, long processCpuNs, Map<Long, Long> threadCpuNs, Map<Long, String> threadNames) {
        static CpuSample take() {
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            final Map<Long, Long> cpu = new HashMap<>();
            final Map<Long, String> names = new HashMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                final long ns = threads.getThreadCpuTime(t.getId());
                if (ns >= 0) {
                    cpu.put(t.getId(), ns);
                    names.put(t.getId(), t.getName());
                }
            }
            final var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new CpuSample(System.nanoTime(), os.getProcessCpuTime(), cpu, names);
        }
    }
}
