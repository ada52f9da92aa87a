package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.netty.tls.DevAuthority;
import io.hamok.transport.netty.tls.DevCertificates;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: an instance that is not a member reaches the cluster through seed addresses alone. It
 * dials each seed as a joiner; a seed takes it as a guest (whatever the ids' order, up to
 * {@code maxGuests}), both sides can exchange frames (the join request and its answer), and once
 * the configuration names it, its links follow the configuration like any member's. Real sockets
 * on 127.0.0.1; the test thread plays every transport's loop thread.
 */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class SeedJoinTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path certs;
    private final Map<String, NettyTransport> running = new HashMap<>();
    private final Map<String, RecordingInboundFrames> inbound = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();

    @AfterEach
    void closeAll() {
        running.values().forEach(NettyTransport::close);
    }

    @Test
    void shouldReachASeedAsAGuestAndBecomeAMemberWhenTheConfigurationNamesIt() throws Exception {
        NettyTransport b = start("b", c -> c.peers(addresses("b", "c")));
        NettyTransport c = start("c", c2 -> c2.peers(addresses("b", "c")));
        NettyTransport a = start("a", x -> x.seeds(address("c"))); // sorts lowest, knows only c's address

        awaitExchange("a", "c"); // the join request and its answer can flow
        assertEquals(java.util.Set.of("c"), a.seedPeerIds(), "where a sends its join request");
        assertEquals(address("a"), a.localAddress(), "what a's join request says members dial");
        assertTrue(c.peerLink("a").guest());
        assertTrue(a.peerLink("c").guest());
        assertFalse(a.isConnected("b"), "a knows no other member yet");

        Map<String, String> members = Map.of("a", address("a"), "b", address("b"), "c", address("c"));
        for (NettyTransport t : List.of(a, b, c)) {
            t.updatePeers(members);
        }

        awaitExchange("a", "b");
        awaitExchange("a", "c");
        Await.until(() -> !c.peerLink("a").guest() && !a.peerLink("c").guest(), WAIT, "member links");
        Await.until(() -> a.seedPeerIds().isEmpty(), WAIT, "no seed links once a member");
        assertTrue(a.counters().peer("c").connectionsAttached() >= 2, "the guest connection made way");
    }

    @Test
    void shouldTakeNoMoreGuestsThanItsLimitAndFreeTheSlotWhenOneGoes() throws Exception {
        start("s", x -> x.peers(addresses("s")).maxGuests(1));
        NettyTransport first = start("j1", x -> x.seeds(address("s")));
        awaitExchange("j1", "s");

        NettyTransport second = start("j2", x -> x.seeds(address("s")));
        NettyTransport seed = running.get("s");
        Await.until(() -> seed.counters().refusals(ConnectionRefusal.GUEST_LIMIT) > 0, WAIT, "j2 refused");
        assertFalse(second.isConnected("s"));

        running.remove("j1").close();
        Await.until(() -> seed.peerLink("j1") == null, WAIT, "j1's guest link gone with its connection");
        assertFalse(seed.send("j1", new UnsafeBuffer(new byte[]{1}), 0, 1));
        awaitExchange("j2", "s");
        assertTrue(first.counters().framesReceived() > 0);
    }

    @Test
    void shouldAdvertiseTheConfiguredAddressOrNoneForAWildcardBind() {
        NettyTransport wildcard = start("w", x -> x.bind("0.0.0.0:0"));
        assertEquals(null, wildcard.localAddress(), "0.0.0.0 cannot be dialed");
        NettyTransport advertised = start("v", x -> x.bind("0.0.0.0:0").advertisedAddress("10.1.2.3:7000"));
        assertEquals("10.1.2.3:7000", advertised.localAddress());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NettyTransportConfig.builder().advertisedAddress("nowhere"));
        assertTrue(bad.getMessage().startsWith("advertisedAddress must be host:port"), bad.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownPeerThatDoesNotSayItJoins() throws Exception {
        NettyTransport s = start("s", x -> x.peers(addresses("s")));
        start("r", x -> x.peers(addresses("r", "s"))); // believes it is a member; s never heard of it

        Await.until(() -> s.counters().refusals(ConnectionRefusal.HANDSHAKE_MISMATCH) > 0, WAIT, "r refused");
        assertFalse(s.isConnected("r"));
    }

    @Test
    void shouldCheckAJoinersCertificateAgainstTheIdItClaims() throws Exception {
        DevAuthority ca = DevCertificates.createCluster(certs, "test", List.of("s", "j"));
        ca.issuePeer(certs, "x");
        NettyTransport s = start("s", x -> x.peers(addresses("s")).tls(tls("s", "s")));
        start("j", x -> x.seeds(address("s")).tls(tls("j", "j")));
        awaitExchange("j", "s");

        start("k", x -> x.seeds(address("s")).tls(tls("x", "x"))); // x's certificate, claiming k
        Await.until(() -> s.counters().refusals(ConnectionRefusal.PEER_IDENTITY) > 0, WAIT, "k refused");
        assertFalse(s.isConnected("k"));
    }

    private TlsConfig tls(String certificateOf, String keyOf) {
        return TlsConfig.pem(certs.resolve(certificateOf + ".pem"), certs.resolve(keyOf + "-key.pem"),
                certs.resolve(DevCertificates.CA_FILE)).withProvider(TlsConfig.Provider.JDK);
    }

    /** Starts a transport that lists itself (and what {@code tweak} adds) with fast timings. */
    private NettyTransport start(String id, UnaryOperator<NettyTransportConfig.Builder> tweak) {
        NettyTransportConfig.Builder builder = NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId(id)
                .peers(addresses(id)).reconnectInitialBackoffMs(10).reconnectMaxBackoffMs(100)
                .handshakeTimeoutMs(1000).linkSilenceTimeoutMs(1200).keepaliveIntervalMs(200);
        NettyTransport t = new NettyTransport(tweak.apply(builder).build());
        RecordingInboundFrames frames = new RecordingInboundFrames();
        t.start(frames);
        running.put(id, t);
        inbound.put(id, frames);
        return t;
    }

    private String address(String id) {
        return "127.0.0.1:" + ports.computeIfAbsent(id, ignored -> TcpTestCluster.freePort());
    }

    private List<PeerAddress> addresses(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new PeerAddress(id, "127.0.0.1",
                ports.computeIfAbsent(id, ignored -> TcpTestCluster.freePort()))).toList();
    }

    /** Sends from each side until a frame arrived at the other. */
    private void awaitExchange(String x, String y) throws Exception {
        int atY = inbound.get(y).framesFrom(x).size();
        int atX = inbound.get(x).framesFrom(y).size();
        Await.until(() -> {
            boolean toY = inbound.get(y).framesFrom(x).size() > atY;
            boolean toX = inbound.get(x).framesFrom(y).size() > atX;
            if (!toY) {
                sendOne(x, y);
            }
            if (!toX) {
                sendOne(y, x);
            }
            return toX && toY;
        }, WAIT, x + " and " + y + " to exchange frames");
    }

    private void sendOne(String from, String to) {
        NettyTransport t = running.get(from);
        t.send(to, new UnsafeBuffer(new byte[]{42}), 0, 1);
        t.flush();
    }
}
