// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.HamokClosedException;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.TcpTestCluster.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9: the TCP transport lends its I/O thread to the Raft loop (NettyTransportConfig.loopOnIoThread),
 * so a frame is read, handled and answered on one thread. Where the loop runs shows in the thread that
 * completes a proposal's future (the loop thread applies the entry and completes it).
 */
@Tag("integration")
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class LoopOnIoThreadTest {
    private static final RaftConfig RAFT = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
            .electionTimeoutMs(600).build();

    private static List<NettyTransportConfig> configs(boolean loopOnIoThread) {
        return TcpTestCluster.configsFor(3).stream()
                .map(c -> NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId(c.localPeerId())
                        .peers(c.peers())
                        .reconnectInitialBackoffMs(20).reconnectMaxBackoffMs(200).loopOnIoThread(loopOnIoThread).build())
                .toList();
    }

    /**
     * The thread that applies the leader's entries, which is its loop thread. (Not the thread of a
     * continuation on the proposal's future: that is the caller's when the future is complete before
     * the continuation is attached.)
     */
    private static String threadThatCompletes(TcpTestCluster cluster) throws Exception {
        final Node leader = cluster.awaitLeader(cluster.nodes);
        leader.loop.propose(new byte[8]).get(TcpTestCluster.TIMEOUT_S, TimeUnit.SECONDS);
        return leader.machine.applyThread;
    }

    @Test
    void shouldRunTheLoopOnTheTransportsIoThreadByDefault() throws Exception {
        try (TcpTestCluster cluster = new TcpTestCluster(configs(true), RAFT).startAll()) {
            final String thread = threadThatCompletes(cluster);
            assertTrue(thread.startsWith("hamok-netty-"), thread);
            final long last = cluster.commit(cluster.awaitLeader(cluster.nodes), 2_000, 64);
            cluster.awaitApplied(cluster.nodes, last);
            for (Node n : cluster.nodes) {
                TcpTestCluster.requireSame(cluster.nodes.get(0).machine.sequence(), n.machine.sequence(), n.id);
            }
        }
    }

    @Test
    void shouldRunTheLoopOnItsOwnThreadWhenTheTransportKeepsItsThread() throws Exception {
        try (TcpTestCluster cluster = new TcpTestCluster(configs(false), RAFT).startAll()) {
            final String thread = threadThatCompletes(cluster);
            assertTrue(thread.startsWith("hamok-loop-"), thread);
        }
    }

    @Test
    void shouldCloseFromTheLoopThreadItself() throws Exception {
        try (TcpTestCluster cluster = new TcpTestCluster(configs(true), RAFT).startAll()) {
            final Node leader = cluster.awaitLeader(cluster.nodes);
            final CompletableFuture<Long> closedFromInside = leader.loop.propose(new byte[8])
                    .thenApply(index -> {
                        leader.loop.close(); // a continuation on the loop (I/O) thread closes its own loop
                        return index;
                    });
            closedFromInside.get(TcpTestCluster.TIMEOUT_S, TimeUnit.SECONDS);
            final ExecutionException e = assertThrows(ExecutionException.class, () -> leader.loop
                    .awaitApplied(Long.MAX_VALUE).get(TcpTestCluster.TIMEOUT_S, TimeUnit.SECONDS));
            assertInstanceOf(HamokClosedException.class, e.getCause());
            cluster.nodes.remove(leader); // already closed
            final Node next = cluster.awaitLeader(cluster.nodes);
            assertEquals(1, cluster.nodes.stream().filter(n -> n == next).count());
        }
    }
}
