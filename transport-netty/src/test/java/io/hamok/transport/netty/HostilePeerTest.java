// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.TransportCounters;
import io.hamok.transport.netty.tls.DevAuthority;
import io.hamok.transport.netty.tls.DevCertificates;
import io.hamok.transport.netty.tls.DevIdentity;
import io.hamok.raft.RaftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.hamok.transport.netty.TestFrames.framed;
import static io.hamok.transport.netty.TestFrames.handshake;
import static io.hamok.transport.netty.TestFrames.lengthOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: the attacks tried against a running cluster, each against a real three-node cluster
 * over loopback TCP with mutual TLS (certificates from a fresh {@link DevCertificates} CA). In every
 * test the attacker gets nothing in or out, the refusal is counted by cause, the peer links stay as
 * they were and the cluster keeps committing.
 */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class HostilePeerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path certs;
    private TcpTestCluster cluster;
    private TcpTestCluster.Node leader;
    private TcpTestCluster.Node target;
    private DevAuthority authority;

    @BeforeEach
    void startTlsCluster() throws Exception {
        authority = TcpTestCluster.writeCertificates(certs, 3);
        cluster = new TcpTestCluster(TcpTestCluster.configsFor(3, certs), RaftConfig.builder().heartbeatMs(50)
                .followerMaxIdleMs(300).electionTimeoutMs(600).build()).startAll();
        leader = cluster.awaitLeader(cluster.nodes);
        cluster.commit(leader, 50, 8);
        target = cluster.node("n2"); // accepts from n1: the attacker claims to be n1 where it can
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Before: a plain-text HANDSHAKE naming n1 was accepted and forged AppendEntries were applied. */
    @Test
    void shouldRefuseAPlainTextStrangerBeforeItsFirstFrame() throws Exception {
        long termBefore = leader.loop.term();
        try (Stranger s = new Stranger(address(target))) {
            s.send(framed(handshake(NettyTransport.PROTOCOL_VERSION, "hamok", "n1")));
            s.send(framed(new byte[]{8, 3, 16, 99})); // would be a Raft message after the handshake
            byte[] answer = s.readUntilClosed(5000);
            assertEquals(0, answer.length, "a stranger gets no HANDSHAKE answer");
        }
        Await.until(() -> counters(target).refusals(ConnectionRefusal.TLS_HANDSHAKE) == 1, WAIT, "a TLS refusal");
        assertClusterUnharmed(termBefore);
    }

    @Test
    void shouldRefuseACertificateFromAnotherAuthority() throws Exception {
        long termBefore = leader.loop.term();
        DevAuthority other = DevCertificates.newAuthority("attacker");
        try (Stranger s = Stranger.withCertificate(address(target), other.issue("n1", List.of("n1")))) {
            s.tlsHandshake();
            s.send(framed(handshake(NettyTransport.PROTOCOL_VERSION, "hamok", "n1")));
            assertEquals(0, s.readUntilClosed(5000).length);
        }
        Await.until(() -> counters(target).refusals(ConnectionRefusal.TLS_HANDSHAKE) == 1, WAIT, "a TLS refusal");
        assertClusterUnharmed(termBefore);
    }

    /** A valid certificate of the cluster, but for n3, claiming to be n1. */
    @Test
    void shouldRefuseAValidCertificateThatNamesAnotherPeer() throws Exception {
        long termBefore = leader.loop.term();
        DevIdentity n3 = clusterAuthorityIssue("n3");
        try (Stranger s = Stranger.withCertificate(address(target), n3)) {
            assertTrue(s.tlsHandshake(), "the certificate itself is valid");
            s.send(framed(handshake(NettyTransport.PROTOCOL_VERSION, "hamok", "n1")));
            assertEquals(0, s.readUntilClosed(5000).length);
        }
        Await.until(() -> counters(target).refusals(ConnectionRefusal.PEER_IDENTITY) == 1, WAIT, "an identity refusal");
        assertClusterUnharmed(termBefore);
    }

    /** Before: a newer connection for a peer id replaced the live one (and got the peer's entries). */
    @Test
    void shouldRefuseATakeoverEvenWithThePeersOwnCertificate() throws Exception {
        long termBefore = leader.loop.term();
        io.netty.channel.Channel live = target.transport.peerChannel("n1");
        DevIdentity stolen = clusterAuthorityIssue("n1");
        for (int i = 0; i < 5; i++) {
            try (Stranger s = Stranger.withCertificate(address(target), stolen)) {
                assertTrue(s.tlsHandshake());
                s.send(framed(handshake(NettyTransport.PROTOCOL_VERSION, "hamok", "n1")));
                assertEquals(0, s.readUntilClosed(5000).length, "no answer, no entries");
            }
        }
        Await.until(() -> counters(target).refusals(ConnectionRefusal.LINK_TAKEOVER) == 5, WAIT, "5 takeover refusals");
        assertSame(live, target.transport.peerChannel("n1"), "the live link was never swapped");
        assertClusterUnharmed(termBefore);
    }

    /** Before: one 16 MiB frame before the handshake was buffered and parsed on the I/O thread. */
    @Test
    void shouldCloseAStrangerAnnouncingAHugeFrameAtOnce() throws Exception {
        long termBefore = leader.loop.term();
        cluster.close();
        cluster = new TcpTestCluster(TcpTestCluster.configsFor(3), RaftConfig.builder().heartbeatMs(50)
                .followerMaxIdleMs(300).electionTimeoutMs(600).build()).startAll(); // TLS off: the frame limit alone
        leader = cluster.awaitLeader(cluster.nodes);
        target = cluster.node("n2");
        termBefore = leader.loop.term();
        try (Stranger s = new Stranger(address(target))) {
            s.send(lengthOnly(16 * 1024 * 1024));
            s.send(new byte[64 * 1024]);
            s.readUntilClosed(5000);
        }
        Await.until(() -> counters(target).refusals(ConnectionRefusal.HANDSHAKE_MALFORMED) == 1, WAIT, "a refusal");
        assertClusterUnharmed(termBefore);
    }

    /** Before: a vote storm (term + 1 every 200 ms) from a connection claiming a peer stopped all commits. */
    @Test
    void shouldNotLetAStrangersVoteStormReachRaft() throws Exception {
        long termBefore = leader.loop.term();
        DevAuthority other = DevCertificates.newAuthority("attacker");
        DevIdentity fake = other.issue("n1", List.of("n1"));
        for (int i = 0; i < 10; i++) { // every 200 ms for 2 s, as in the issue: in plain text, and with a foreign CA
            try (Stranger s = i % 2 == 0 ? new Stranger(address(cluster.node("n3")))
                    : Stranger.withCertificate(address(cluster.node("n3")), fake)) {
                if (i % 2 == 1) {
                    s.tlsHandshake();
                }
                s.send(framed(handshake(NettyTransport.PROTOCOL_VERSION, "hamok", "n1")));
                s.send(framed(new byte[]{8, 5, 0x10, (byte) (termBefore + i + 1)}));
                assertEquals(0, s.readUntilClosed(5000).length, "the storm gets no answer");
            }
            cluster.commit(leader, 20, 4);
        }
        Await.until(() -> counters(cluster.node("n3")).refusals(ConnectionRefusal.TLS_HANDSHAKE) == 10, WAIT,
                "ten TLS refusals");
        assertEquals(termBefore, leader.loop.term(), "no election happened");
        assertClusterUnharmed(termBefore);
    }

    /** A certificate from the cluster's own CA. */
    private DevIdentity clusterAuthorityIssue(String cn) {
        return authority.issue(cn, List.of(cn));
    }

    /** The leader is the same, in the same term, and the cluster commits and applies everywhere. */
    private void assertClusterUnharmed(long termBefore) throws Exception {
        assertTrue(leader.loop.isLeader(), "the leader kept leading");
        assertEquals(termBefore, leader.loop.term(), "no election happened");
        long last = cluster.commit(leader, 100, 8);
        cluster.awaitApplied(cluster.nodes, last);
        for (TcpTestCluster.Node n : cluster.nodes) {
            for (TcpTestCluster.Node peer : cluster.nodes) {
                if (peer != n) {
                    assertTrue(n.transport.isConnected(peer.id), n.id + " lost its link to " + peer.id);
                }
            }
        }
    }

    private static TransportCounters counters(TcpTestCluster.Node node) {
        return node.transport.counters();
    }

    private static InetSocketAddress address(TcpTestCluster.Node node) {
        return node.transport.boundAddress();
    }
}
