// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.raft.RaftConfig;
import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.TransportCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: strangers that open connections and send nothing. Before, each could buffer up to
 * {@code maxFrameBytes} for as long as the handshake timeout, with no cap on their number: 1,000 idle
 * connections exhausted a 1,024 file descriptor limit and every one logged a WARN line. Now at most
 * {@code maxPendingConnections} wait for their handshake, new ones beyond the accept rate are
 * closed at once, the cluster keeps committing, and the log gets a few lines.
 */
@Timeout(90)
@ExtendWith(LeakCheckExtension.class)
class ConnectionFloodTest {
    private static final int STRANGERS = 300;

    @Test
    void shouldHoldAFloodOfIdleStrangersWithinItsLimits(@TempDir Path certs) throws Exception {
        TcpTestCluster.writeCertificates(certs, 3);
        PrintStream realErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TcpTestCluster cluster = new TcpTestCluster(TcpTestCluster.configsFor(3, certs), RaftConfig.builder()
                .heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600).build()).startAll()) {
            TcpTestCluster.Node leader = cluster.awaitLeader(cluster.nodes);
            cluster.commit(leader, 50, 8);
            TcpTestCluster.Node target = cluster.node("n2");
            ConnectionAdmission admission = target.transport.admission();
            long fdsBefore = openFileDescriptors();
            long bytesBefore = nettyBytes();
            long maxBytes = bytesBefore;
            long termBefore = leader.loop.term();

            System.setErr(new PrintStream(new TeeStream(realErr, log), true, StandardCharsets.UTF_8));
            List<Stranger> strangers = new ArrayList<>();
            int maxPending = 0;
            try {
                for (int i = 0; i < STRANGERS; i++) {
                    strangers.add(new Stranger(target.transport.boundAddress()));
                    maxPending = Math.max(maxPending, admission.pending());
                    maxBytes = Math.max(maxBytes, nettyBytes());
                    if (i % 50 == 0) {
                        cluster.commit(leader, 10, 4); // the cluster keeps committing through the flood
                    }
                }
                TransportCounters c = target.transport.counters();
                // the kernel accepted every connection; the node refuses most of them as soon as it sees them
                Await.until(() -> c.refusals(ConnectionRefusal.TOO_MANY_PENDING) + c.refusals(ConnectionRefusal.ACCEPT_RATE)
                        + c.refusals(ConnectionRefusal.HANDSHAKE_TIMEOUT) + admission.pending() == STRANGERS,
                        Duration.ofSeconds(10), "every stranger refused or pending: " + c);
                assertTrue(c.refusals(ConnectionRefusal.TOO_MANY_PENDING) + c.refusals(ConnectionRefusal.ACCEPT_RATE)
                        >= STRANGERS - 3 * target.transportConfig.maxPendingConnections(), "refused at once: " + c);
                assertTrue(maxPending <= target.transportConfig.maxPendingConnections(), "pending " + maxPending);
                assertTrue(maxBytes - bytesBefore < 4 << 20, "Netty buffers grew by " + (maxBytes - bytesBefore)
                        + " bytes during the flood (all nodes of this JVM)");

                // the admitted ones are closed by the handshake timeout: none stays past it
                for (Stranger s : strangers) {
                    s.readUntilClosed((int) (target.transportConfig.handshakeTimeoutMs() + 5000));
                }
                Await.until(() -> admission.pending() == 0, Duration.ofSeconds(10), "no stranger pending");
                assertTrue(c.refusals(ConnectionRefusal.HANDSHAKE_TIMEOUT) > 0, "timeouts: " + c);
                assertEquals(STRANGERS, c.refusals(ConnectionRefusal.TOO_MANY_PENDING)
                        + c.refusals(ConnectionRefusal.ACCEPT_RATE) + c.refusals(ConnectionRefusal.HANDSHAKE_TIMEOUT)
                        + c.refusals(ConnectionRefusal.TLS_HANDSHAKE), "every stranger refused once: " + c);
            } finally {
                for (Stranger s : strangers) {
                    s.close();
                }
                System.setErr(realErr);
            }

            assertEquals(termBefore, leader.loop.term(), "no election");
            long last = cluster.commit(leader, 100, 8);
            cluster.awaitApplied(cluster.nodes, last);
            Await.until(() -> openFileDescriptors() <= fdsBefore + 10, Duration.ofSeconds(10),
                    "file descriptors back to " + fdsBefore + " (now " + openFileDescriptors() + ")");
            long lines = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("refused connection"))
                    .count();
            assertTrue(lines <= ConnectionRefusal.values().length, lines + " log lines for " + STRANGERS
                    + " refused strangers:\n" + log.toString(StandardCharsets.UTF_8));
        }
    }

    /** Bytes held by the transports' pooled buffers (every node of this JVM). */
    private static long nettyBytes() {
        io.netty.buffer.PooledByteBufAllocatorMetric m =
                ((io.netty.buffer.PooledByteBufAllocator) NettyTransport.ALLOCATOR).metric();
        return m.usedDirectMemory() + m.usedHeapMemory();
    }

    /** Open file descriptors of this process (Linux), or 0 where /proc is not there. */
    private static long openFileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(fds)) {
            return list.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
