// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class NettyTransportConfigTest {
    private static final String PEERS = "a@10.0.0.1:7001, b@10.0.0.2:7002, c@10.0.0.3:7003";

    @Test
    void shouldUseDocumentedDefaultsAndLocalPeerAddressAsBindAddress() {
        NettyTransportConfig config = NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId("b").peers(PEERS).build();

        assertEquals("10.0.0.2", config.bindHost());
        assertEquals(7002, config.bindPort());
        assertEquals("hamok", config.clusterId());
        assertEquals(16 * 1024 * 1024, config.maxFrameBytes());
        assertEquals(8 * 1024 * 1024, config.perPeerOutboundBytes());
        assertEquals(2000, config.handshakeTimeoutMs());
        assertEquals(2000, config.connectTimeoutMs());
        assertEquals(50, config.reconnectInitialBackoffMs());
        assertEquals(2000, config.reconnectMaxBackoffMs());
        assertEquals(0.2, config.reconnectJitter());
        assertEquals(1, config.ioThreads());
        assertEquals(3000, config.linkSilenceTimeoutMs());
        assertEquals(500, config.keepaliveIntervalMs());
        assertTrue(config.nativeTransport());
        assertEquals(3, config.peers().size());
        assertEquals(List.of("a", "c"), config.remotePeers().stream().map(PeerAddress::peerId).toList());
    }

    @Test
    void shouldPreferExplicitBindAddress() {
        NettyTransportConfig config = NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId("b").peers(PEERS)
                .bind("0.0.0.0:9000").build();

        assertEquals("0.0.0.0", config.bindHost());
        assertEquals(9000, config.bindPort());
    }

    @Test
    void shouldParsePeerEntries() {
        List<PeerAddress> peers = PeerAddress.parseList(" a@host-1:1 ,b@[::1]:65535");

        assertEquals(new PeerAddress("a", "host-1", 1), peers.get(0));
        assertEquals(new PeerAddress("b", "::1", 65535), peers.get(1));
        assertEquals("b@[::1]:65535", peers.get(1).toString());
    }

    @Test
    void shouldRejectMalformedPeerEntryNamingItAndTheForm() {
        for (String bad : List.of("a@host", "@host:1", "a-host:1", "a@host:x", "a@host:70000", "a@:1", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("peerId@host:port"),
                    e.getMessage());
        }
    }

    @Test
    void shouldNameTheBadFieldAndExpectedForm() {
        assertRejected(b -> b.localPeerId(null), "localPeerId must be a non-blank peer id");
        assertRejected(b -> b.localPeerId(" "), "localPeerId must be a non-blank peer id");
        assertRejected(b -> b.localPeerId("z"), "bind must be host:port");
        assertRejected(b -> b.clusterId(""), "clusterId must be a non-blank name");
        assertRejected(b -> b.maxFrameBytes(0), "maxFrameBytes must be in [1, 1073741824], was 0");
        assertRejected(b -> b.perPeerOutboundBytes(1024), "perPeerOutboundBytes must be in [4096, 1073741824]");
        assertRejected(b -> b.perPeerOutboundBytes(5000), "perPeerOutboundBytes must be a power of two, was 5000");
        assertRejected(b -> b.handshakeTimeoutMs(0), "handshakeTimeoutMs must be in [1, ");
        assertRejected(b -> b.connectTimeoutMs(-5), "connectTimeoutMs must be in [1, ");
        assertRejected(b -> b.reconnectInitialBackoffMs(0), "reconnectInitialBackoffMs must be in [1, ");
        assertRejected(b -> b.reconnectInitialBackoffMs(100).reconnectMaxBackoffMs(50),
                "reconnectMaxBackoffMs must be in [100, ");
        assertRejected(b -> b.reconnectJitter(1.5), "reconnectJitter must be a fraction in [0, 1], was 1.5");
        assertRejected(b -> b.reconnectJitter(Double.NaN), "reconnectJitter must be a fraction in [0, 1]");
        assertRejected(b -> b.ioThreads(0), "ioThreads must be in [1, 1024], was 0");
        assertRejected(b -> b.addPeer("a", "10.9.9.9", 1), "peers must have distinct peer ids, 'a' is listed twice");
        assertRejected(b -> b.bindPort(70_000), "bind must be host:port");
        assertRejected(b -> b.linkSilenceTimeoutMs(2), "linkSilenceTimeoutMs must be in [3, 2147483647], was 2");
        assertRejected(b -> b.linkSilenceTimeoutMs(1L << 31), "linkSilenceTimeoutMs must be in [3, ");
        assertRejected(b -> b.keepaliveIntervalMs(0),
                "keepaliveIntervalMs must be in [1, linkSilenceTimeoutMs / 3 = 1000]");
        assertRejected(b -> b.linkSilenceTimeoutMs(1200).keepaliveIntervalMs(401),
                "keepaliveIntervalMs must be in [1, linkSilenceTimeoutMs / 3 = 400]");
    }

    @Test
    void shouldSendKeepalivesSixTimesPerSilenceTimeoutUnlessSet() {
        NettyTransportConfig.Builder b = NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId("b").peers(PEERS);

        assertEquals(200, b.linkSilenceTimeoutMs(1200).build().keepaliveIntervalMs());
        assertEquals(1, b.linkSilenceTimeoutMs(5).build().keepaliveIntervalMs());
        assertEquals(400, b.linkSilenceTimeoutMs(1200).keepaliveIntervalMs(400).build().keepaliveIntervalMs());
        NettyTransportConfig config = b.nativeTransport(false).build();
        assertTrue(config.toString().contains(
                "linkSilenceTimeoutMs=1200, keepaliveIntervalMs=400, nativeTransport=false"), config.toString());
    }

    @Test
    void shouldRejectMalformedBindAddress() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NettyTransportConfig.builder().tls(TlsConfig.off()).bind("localhost"));

        assertEquals("bind must be host:port (port 0-65535), was 'localhost'", e.getMessage());
    }

    private static void assertRejected(UnaryOperator<NettyTransportConfig.Builder> change, String expected) {
        NettyTransportConfig.Builder builder = NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId("b").peers(PEERS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> change.apply(builder).build());
        assertTrue(e.getMessage().startsWith(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
    }
}
