// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.raft.RaftConfig;
import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.netty.tls.DevAuthority;
import io.hamok.transport.netty.tls.DevIdentity;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutual TLS between peers (issue 10): what works, and what a misconfigured or stale peer meets. */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class TlsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final RaftConfig RAFT = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
            .electionTimeoutMs(600).build();

    @TempDir
    Path dir;

    @Test
    void shouldCommitOverMutualTls13WithPemFiles() throws Exception {
        TcpTestCluster.writeCertificates(dir, 3);
        try (TcpTestCluster cluster = new TcpTestCluster(TcpTestCluster.configsFor(3, dir), RAFT).startAll()) {
            TcpTestCluster.Node leader = cluster.awaitLeader(cluster.nodes);
            long last = cluster.commit(leader, 200, 16);
            cluster.awaitApplied(cluster.nodes, last);
            Channel link = cluster.node("n2").transport.peerChannel("n1");
            SslHandler ssl = link.pipeline().get(SslHandler.class);
            assertEquals("TLSv1.3", ssl.engine().getSession().getProtocol());
            X509Certificate peer = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
            assertTrue(TlsContexts.namesOf(peer).contains("n1"), "n2 sees n1's certificate");
            assertEquals(0, cluster.node("n2").transport.counters().refusals());
        }
    }

    /** The same with OpenSSL (netty-tcnative, on the test class path), and an identity check that works there too. */
    @Test
    void shouldCommitOverOpenSslAndStillCheckThePeerId() throws Exception {
        DevAuthority ca = TcpTestCluster.writeCertificates(dir, 3);
        List<NettyTransportConfig> configs = new ArrayList<>();
        for (NettyTransportConfig c : TcpTestCluster.configsFor(3, dir)) {
            configs.add(NettyTransportConfig.builder().localPeerId(c.localPeerId()).peers(c.peers())
                    .reconnectInitialBackoffMs(20).reconnectMaxBackoffMs(200)
                    .tls(TcpTestCluster.tls(dir, c.localPeerId()).withProvider(TlsConfig.Provider.OPENSSL)).build());
        }
        try (TcpTestCluster cluster = new TcpTestCluster(configs, RAFT).startAll()) {
            TcpTestCluster.Node leader = cluster.awaitLeader(cluster.nodes);
            cluster.awaitApplied(cluster.nodes, cluster.commit(leader, 100, 8));
            assertEquals(io.netty.handler.ssl.SslProvider.OPENSSL, cluster.node("n2").transport.tlsProvider());
            try (Stranger s = Stranger.withCertificate(cluster.node("n2").transport.boundAddress(),
                    ca.issue("n3", List.of("n3")))) {
                s.tlsHandshake();
                s.send(TestFrames.framed(TestFrames.handshake(NettyTransport.PROTOCOL_VERSION, "hamok", "n1")));
                assertEquals(0, s.readUntilClosed(5000).length);
            }
            Await.until(() -> cluster.node("n2").transport.counters().refusals(ConnectionRefusal.PEER_IDENTITY) == 1,
                    WAIT, "n3's certificate claiming n1 refused");
        }
    }

    @Test
    void shouldCommitWithKeyStores() throws Exception {
        DevAuthority ca = TcpTestCluster.writeCertificates(dir, 3);
        char[] password = "changeit".toCharArray();
        ca.writeTruststore(dir.resolve("trust.p12"), password);
        List<NettyTransportConfig> pem = TcpTestCluster.configsFor(3, dir);
        List<NettyTransportConfig> stores = new ArrayList<>();
        for (NettyTransportConfig c : pem) {
            Path store = dir.resolve(c.localPeerId() + ".p12");
            ca.issue(c.localPeerId(), List.of(c.localPeerId())).writePkcs12(store, password);
            stores.add(NettyTransportConfig.builder().localPeerId(c.localPeerId()).peers(c.peers())
                    .reconnectInitialBackoffMs(20).reconnectMaxBackoffMs(200)
                    .tls(TlsConfig.keyStores(store, password, dir.resolve("trust.p12"), password)).build());
        }
        try (TcpTestCluster cluster = new TcpTestCluster(stores, RAFT).startAll()) {
            TcpTestCluster.Node leader = cluster.awaitLeader(cluster.nodes);
            cluster.awaitApplied(cluster.nodes, cluster.commit(leader, 100, 8));
        }
    }

    @Test
    void shouldKeepOutAPeerWhoseCertificateExpired() throws Exception {
        DevAuthority ca = TcpTestCluster.writeCertificates(dir, 3);
        Instant now = Instant.now();
        DevIdentity expired = ca.issue("n3", List.of("n3"), now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        expired.writeCertificateChain(dir.resolve("n3.pem"));
        expired.writePrivateKey(dir.resolve("n3-key.pem"));
        try (TcpTestCluster cluster = new TcpTestCluster(TcpTestCluster.configsFor(3, dir), RAFT).startAll()) {
            TcpTestCluster.Node leader = cluster.awaitLeader(List.of(cluster.node("n1"), cluster.node("n2")));
            cluster.awaitApplied(List.of(cluster.node("n1"), cluster.node("n2")), cluster.commit(leader, 50, 8));
            Await.until(() -> cluster.node("n1").transport.counters().refusals(ConnectionRefusal.TLS_HANDSHAKE)
                    + cluster.node("n2").transport.counters().refusals(ConnectionRefusal.TLS_HANDSHAKE) > 0,
                    WAIT, "the expired certificate refused");
            assertFalse(cluster.node("n3").transport.isConnected("n1"));
            assertFalse(cluster.node("n3").transport.isConnected("n2"));
        }
    }

    /** The dialer checks the answering side too: a peer address that leads to another peer is refused. */
    @Test
    void shouldRefuseToTalkToTheWrongPeerAtAnAddress() throws Exception {
        TcpTestCluster.writeCertificates(dir, 3);
        List<NettyTransportConfig> configs = TcpTestCluster.configsFor(3, dir);
        PeerAddress n2 = configs.get(0).peers().get(1);
        PeerAddress n3 = configs.get(0).peers().get(2);
        // n1 believes n3 listens where n2 does: it dials "n3" and n2 answers with n2's certificate
        List<PeerAddress> wrong = List.of(configs.get(0).peers().get(0), n2, new PeerAddress("n3", n2.host(), n2.port()));
        NettyTransportConfig misled = NettyTransportConfig.builder().localPeerId("n1").peers(wrong)
                .bindPort(configs.get(0).bindPort()).reconnectInitialBackoffMs(20).reconnectMaxBackoffMs(200)
                .tls(TcpTestCluster.tls(dir, "n1")).build();
        try (TcpTestCluster cluster = new TcpTestCluster(List.of(misled, configs.get(1), configs.get(2)), RAFT)
                .startAll()) {
            TcpTestCluster.Node n1 = cluster.node("n1");
            Await.until(() -> n1.transport.counters().refusals(ConnectionRefusal.PEER_IDENTITY) > 0, WAIT,
                    "n1 to refuse n2's certificate when dialing n3");
            assertFalse(n1.transport.isConnected("n3"));
            assertNotEquals(n3.port(), n2.port());
        }
    }

    @Test
    void shouldReloadCertificatesForNewConnectionsAndKeepTheOldOnesOnABadFile() throws Exception {
        DevAuthority ca = TcpTestCluster.writeCertificates(dir, 3);
        try (TcpTestCluster cluster = new TcpTestCluster(TcpTestCluster.configsFor(3, dir), RAFT).startAll()) {
            TcpTestCluster.Node leader = cluster.awaitLeader(cluster.nodes);
            NettyTransport n1 = cluster.node("n1").transport;

            Files.writeString(dir.resolve("n1.pem"), "not a certificate");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, n1::reloadTls);
            assertTrue(bad.getMessage().startsWith("tls.certificate"), bad.getMessage());

            DevIdentity renewed = ca.issue("n1", List.of("n1"));
            renewed.writeCertificateChain(dir.resolve("n1.pem"));
            renewed.writePrivateKey(dir.resolve("n1-key.pem"));
            n1.reloadTls();
            Channel old = cluster.node("n2").transport.peerChannel("n1");
            old.close().sync(); // n1 redials with the renewed certificate
            Await.until(() -> {
                Channel now = cluster.node("n2").transport.peerChannel("n1");
                return now != null && now != old && now.isActive();
            }, WAIT, "n1 back with its renewed certificate");
            X509Certificate seen = (X509Certificate) cluster.node("n2").transport.peerChannel("n1").pipeline()
                    .get(SslHandler.class).engine().getSession().getPeerCertificates()[0];
            assertEquals(renewed.certificate().getSerialNumber(), seen.getSerialNumber());
            cluster.awaitApplied(cluster.nodes, cluster.commit(leader, 50, 8));
        }
    }

    @Test
    void shouldNameTheTlsSettingThatIsWrong() throws Exception {
        TcpTestCluster.writeCertificates(dir, 1);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> NettyTransportConfig
                .builder().localPeerId("n1").peers("n1@127.0.0.1:1").tls(TlsConfig.pem(dir.resolve("nope.pem"),
                        dir.resolve("n1-key.pem"), dir.resolve("ca.pem"))).build());
        assertTrue(missing.getMessage().startsWith("tls.certificate must be a readable file"), missing.getMessage());
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class, () -> NettyTransportConfig
                .builder().localPeerId("n1").peers("n1@127.0.0.1:1").build());
        assertTrue(unset.getMessage().startsWith("tls must be set"), unset.getMessage());

        Properties p = new Properties();
        p.setProperty("hamok.peerId", "n1");
        p.setProperty("hamok.peers", "n1@127.0.0.1:1");
        IllegalArgumentException noTls = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(p));
        assertTrue(noTls.getMessage().startsWith("invalid hamok.transport.tls=(default): tls must be set"),
                noTls.getMessage());
        p.setProperty("hamok.transport.tls.certificate", dir.resolve("n1.pem").toString());
        p.setProperty("hamok.transport.tls.key", dir.resolve("n1-key.pem").toString());
        IllegalArgumentException noTrust = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(p));
        assertTrue(noTrust.getMessage().startsWith("hamok.transport.tls.trust is required"), noTrust.getMessage());
        p.setProperty("hamok.transport.tls.trust", dir.resolve("ca.pem").toString());
        assertTrue(HamokProperties.load(p).transportConfig().tls().enabled());
        p.setProperty("hamok.transport.tls", "off");
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(p));
        assertTrue(both.getMessage().startsWith("invalid hamok.transport.tls=off"), both.getMessage());
    }
}
