// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.loop.RaftLoop;
import io.hamok.loop.RaftLoopBuilder;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.NettyTransportConfig;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Bare Raft over loopback TCP in this JVM: {@code size} {@link RaftLoop}s, each with its own
 * {@link NettyTransport} on 127.0.0.1 and a {@link CoreCluster.CountingStateMachine}. The fixture of
 * {@link TcpClusterRig}, {@link TcpRaftBenchmark}, {@link FixedRateRig} and {@link IdleCostRig}.
 *
 * <p>The log is {@code memory} ({@code MemoryRaftLogs}) or a {@link FileRaftLogs} with the fsync
 * policy named ({@code never}, {@code batch}, {@code always}) in a directory per node under
 * {@code dir}, which the caller owns (creates and deletes); each log is closed with its loop.
 *
 * <p>The loops wait with their own signalled idle strategy unless {@code -Dhamok.rig.idle} asks for
 * another one (see {@link #idleStrategy()}). Not thread-safe: start, use and close from
 * one thread; the loops themselves may be called from any thread.
 */
final class LoopCluster implements AutoCloseable {
    /**
     * {@code -Dhamok.rig.loopOnIoThread=false} runs each loop on its own thread instead of its
     * transport's I/O thread ({@link NettyTransportConfig#loopOnIoThread()}), to compare the two.
     */
    static final boolean LOOP_ON_IO_THREAD = Boolean.parseBoolean(System.getProperty("hamok.rig.loopOnIoThread", "true"));
    /**
     * {@code -Dhamok.rig.tls=jdk|openssl|auto} runs the links with mutual TLS by that provider
     * (certificates made per cluster). Default off.
     */
    static final String TLS = System.getProperty("hamok.rig.tls", "off");

    private final List<RaftLoop> loops;
    private final List<FileRaftLogs> fileLogs;
    private final Path certDir;

    private LoopCluster(List<RaftLoop> loops, List<FileRaftLogs> fileLogs, Path certDir) {
        this.loops = loops;
        this.fileLogs = fileLogs;
        this.certDir = certDir;
    }

    /** {@code size} loops with the memory log and {@link Loopback#raftConfig()}, TLS as {@link #TLS}. */
    static LoopCluster start(int size) throws IOException {
        return start(size, TLS);
    }

    /** {@code size} loops with the memory log and {@link Loopback#raftConfig()}; {@code tls}: off, jdk, openssl or auto. */
    static LoopCluster start(int size, String tls) throws IOException {
        return start(size, Loopback.raftConfig(), "memory", null, tls);
    }

    /** {@code log}: {@code memory}, or an fsync policy of the file log (then {@code dir} must be given). */
    static LoopCluster start(int size, RaftConfig raft, String log, Path dir) throws IOException {
        return start(size, raft, log, dir, TLS);
    }

    private static LoopCluster start(int size, RaftConfig raft, String log, Path dir, String tls) throws IOException {
        final List<String> ids = Loopback.ids(size);
        final String peers = Loopback.peers(ids);
        final Path certDir = tls.equals("off") ? null : Loopback.certificates(ids);
        final List<RaftLoop> loops = new ArrayList<>();
        final List<FileRaftLogs> fileLogs = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                final String id = ids.get(i);
                final RaftLoopBuilder loop = RaftLoop.builder();
                if (!log.equals("memory")) {
                    final FsyncPolicy policy = FsyncPolicy.valueOf(log.toUpperCase(Locale.ROOT));
                    final FileRaftLogs logs = FileRaftLogs.open(dir.resolve(id), FileLogConfig.builder().fsyncPolicy(policy).build());
                    fileLogs.add(logs);
                    loop.raftLogs(logs); // closed with the loop
                }
                final NettyTransport transport = new NettyTransport(NettyTransportConfig.builder().tls(Loopback.tls(certDir, id, tls))
                        .localPeerId(id).peers(peers).loopOnIoThread(LOOP_ON_IO_THREAD).build());
                loops.add(loop.peerId(id).raftConfig(raft).transport(transport)
                        .stateMachine(new CoreCluster.CountingStateMachine()).bootstrapVoters(ids)
                        .idleStrategy(idleStrategy()).random(new SplittableRandom(i)).build().start());
            }
        } catch (RuntimeException | IOException e) {
            loops.forEach(RaftLoop::close); // and the log of a node whose loop was not built
            fileLogs.subList(loops.size(), fileLogs.size()).forEach(FileRaftLogs::close);
            TempDirs.deleteRecursively(certDir);
            throw e;
        }
        return new LoopCluster(loops, fileLogs, certDir);
    }

    /** Fsyncs of log data so far, all nodes together (0 with the memory log). */
    long segmentFsyncs() {
        long total = 0;
        for (FileRaftLogs l : fileLogs) {
            total += l.segmentFsyncs();
        }
        return total;
    }

    /**
     * {@code -Dhamok.rig.idle=yield|spin|backoff|sleep}; default (null): the loop's own signalled
     * strategy. {@code sleep} (10 ms sleeps, no early wake-up) is for the idle-cost experiment only:
     * every frame then waits up to 10 ms.
     */
    private static IdleStrategy idleStrategy() {
        return switch (System.getProperty("hamok.rig.idle", "signalled")) {
            case "yield" -> new YieldingIdleStrategy();
            case "spin" -> new BusySpinIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy(100, 100, 1_000, 100_000);
            case "sleep" -> new SleepingMillisIdleStrategy(10);
            default -> null;
        };
    }

    List<RaftLoop> loops() {
        return loops;
    }

    /** Waits (up to 30 s) until node-0 knows a leader and returns that leader's loop. */
    RaftLoop awaitLeader() throws Exception {
        final String leaderId = loops.get(0).awaitLeader().get(30, TimeUnit.SECONDS);
        return loops.stream().filter(l -> l.peerId().equals(leaderId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown leader " + leaderId));
    }

    @Override
    public void close() {
        loops.forEach(RaftLoop::close);
        try {
            TempDirs.deleteRecursively(certDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
