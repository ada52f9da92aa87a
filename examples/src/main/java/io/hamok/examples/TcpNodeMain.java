// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import io.hamok.loop.RaftLoop;
import io.hamok.raft.StateMachine;
import io.hamok.transport.netty.HamokProperties;
import io.hamok.transport.netty.NettyTransport;
import io.hamok.transport.netty.PeerAddress;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One Raft node over TCP, configured by a properties file (see {@code examples/config}). Start one
 * process per file; the node that leads appends a counter entry every second, and every node prints
 * what it applied. Stop a process with Ctrl-C and watch the others elect a new leader.
 */
public final class TcpNodeMain {
    private TcpNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TcpNodeMain <node.properties>");
            System.exit(2);
        }
        final HamokProperties config = HamokProperties.load(Path.of(args[0]));
        final String id = config.transportConfig().localPeerId();
        final RaftLoop loop = RaftLoop.builder().peerId(id).raftConfig(config.raftConfig())
                .raftLogs(config.openRaftLogs()) // hamok.raft.logs=file keeps the log in hamok.raft.dataDir
                .transport(new NettyTransport(config.transportConfig()))
                .bootstrapVoters(config.transportConfig().peers().stream().map(PeerAddress::peerId).toList())
                .stateMachine(new PrintingMachine(id)).build().start();
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        final long[] counter = {0};
        ticker.scheduleAtFixedRate(() -> {
            if (loop.isLeader()) {
                loop.propose(ByteBuffer.allocate(8).putLong(++counter[0]).array());
            }
        }, 1, 1, TimeUnit.SECONDS);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ticker.shutdownNow();
            loop.close();
            stopped.countDown();
        }));
        System.out.println(id + " started; peers " + config.transportConfig().peers());
        stopped.await();
    }

    /** Prints each applied command; keeps only a count as its state. */
    private static final class PrintingMachine implements StateMachine {
        private final String id;
        private long applied;

        PrintingMachine(String id) {
            this.id = id;
        }

        @Override
        public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
            applied++;
            System.out.printf("%s applied index %d (term %d): counter %d%n", id, index, term,
                    payload.getLong(offset, java.nio.ByteOrder.BIG_ENDIAN));
        }

        @Override
        public byte[] snapshot() {
            return ByteBuffer.allocate(8).putLong(applied).array();
        }

        @Override
        public void restore(byte[] snapshot, long index) {
            applied = ByteBuffer.wrap(snapshot).getLong();
        }
    }
}
