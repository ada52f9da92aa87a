// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.HamokHaltedException;
import io.hamok.HamokListener;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.HamokStats;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One Hamok instance in its own JVM, for {@link KillRestartProcessTest}: built from a properties
 * file (file log in its data directory, TCP transport), it writes to a replicated map when told to
 * and reports on its standard output. Logging goes to standard error.
 *
 * <p>Commands, one per line on standard input, and what each prints:
 * <ul>
 *   <li>{@code WRITE <window>}: starts writing keys {@code <peerId>-<pid>-<n>} with at most
 *       {@code window} writes outstanding; prints {@code ACK <key>} for each acknowledged write
 *       (committed and applied here). A failed write is not retried; its key is never reused.</li>
 *   <li>{@code PAUSE}: stops starting writes, waits for the outstanding ones; prints {@code PAUSED}.</li>
 *   <li>{@code STATUS}: prints {@code STATUS <role> <leaderId|-> <term> <commitIndex> <appliedIndex>}.</li>
 *   <li>{@code DUMP}: waits until this replica applied the leader's commit index, then prints
 *       {@code KEY <key>} for every key of the map, sorted, and {@code END <size>}.</li>
 * </ul>
 * It prints {@code READY} once it knows a leader, and {@code HALTED <reason>} if Raft halts it.
 */
final class ProcessNode {
    static final String MAP_ID = "crash-test";

    private final Hamok hamok;
    private final HamokMap<String, String> map;
    private final PrintStream out = System.out; // println flushes: a line read by the test was sent
    private final String keyPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Thread writer;
    private volatile boolean writing;
    private volatile Semaphore window;
    private volatile int windowSize;
    private volatile long quietUntilNs = System.nanoTime();

    private ProcessNode(HamokProperties config) {
        final NettyTransportConfig transport = config.transportConfig();
        hamok = Hamok.create(HamokConfig.builder()
                .peerId(transport.localPeerId())
                .peers(transport.peers().stream().map(PeerAddress::peerId).toList())
                .transport(new NettyTransport(transport))
                .raftConfig(config.raftConfig())
                .raftLogs(config.openRaftLogs())
                .requestTimeoutMs(3_000)
                .build());
        map = hamok.getOrCreateMap(HamokMapConfig.<String, String>builder().mapId(MAP_ID)
                .keyCodec(Codecs.string()).valueCodec(Codecs.string()).build());
        keyPrefix = transport.localPeerId() + "-" + ProcessHandle.current().pid() + "-";
        hamok.addListener(new HamokListener() {
            @Override
            public void onError(Throwable error) {
                if (error instanceof HamokHaltedException) {
                    out.println("HALTED " + error.getMessage().replace('\n', ' '));
                }
            }
        });
    }

    public static void main(String[] args) throws Exception {
        final ProcessNode node = new ProcessNode(HamokProperties.load(Path.of(args[0])));
        node.hamok.join(Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
        node.out.println("READY");
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            node.command(line.trim());
        }
        node.hamok.close(); // stdin closed: the test is done with this node
    }

    private void command(String line) throws Exception {
        final String[] words = line.split(" ");
        switch (words[0]) {
            case "WRITE" -> startWriting(Integer.parseInt(words[1]));
            case "PAUSE" -> pause();
            case "STATUS" -> {
                final HamokStats stats = hamok.stats();
                final String leader = hamok.leaderId();
                out.println("STATUS " + hamok.state() + " " + (leader == null ? "-" : leader) + " " + stats.term()
                        + " " + stats.commitIndex() + " " + stats.appliedIndex());
            }
            case "DUMP" -> {
                hamok.waitUntilCommitHead(Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
                final List<String> keys = new ArrayList<>(map.keySet());
                Collections.sort(keys);
                final StringBuilder text = new StringBuilder();
                for (String key : keys) {
                    text.append("KEY ").append(key).append('\n');
                }
                out.print(text);
                out.println("END " + keys.size());
            }
            default -> out.println("UNKNOWN " + line);
        }
    }

    private void startWriting(int size) {
        windowSize = size;
        window = new Semaphore(size);
        writing = true;
        writer = new Thread(this::writeLoop, "writer");
        writer.setDaemon(true);
        writer.start();
    }

    private void writeLoop() {
        final Semaphore permits = window;
        while (writing) {
            final long quietNs = quietUntilNs - System.nanoTime();
            if (quietNs > 0) {
                LockSupport.parkNanos(quietNs);
                continue;
            }
            try {
                if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            final String key = keyPrefix + sequence.incrementAndGet();
            map.set(key, "v").whenComplete((previous, error) -> {
                if (error == null) {
                    out.println("ACK " + key);
                } else {
                    quietUntilNs = System.nanoTime() + 20_000_000; // no leader yet: do not spin on failures
                }
                permits.release();
            });
        }
    }

    private void pause() throws InterruptedException {
        writing = false;
        final Thread w = writer;
        if (w != null) {
            w.join();
            window.acquire(windowSize); // every outstanding write has completed or failed
        }
        out.println("PAUSED");
    }
}
