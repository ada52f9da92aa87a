// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
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
import java.util.List;
import java.util.Map;

import static io.hamok.transport.netty.LoopbackTransports.WAIT;
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
    @TempDir
    Path certs;
    private final LoopbackTransports net = new LoopbackTransports();

    @AfterEach
    void closeAll() {
        net.close();
    }

    @Test
    void shouldReachASeedAsAGuestAndBecomeAMemberWhenTheConfigurationNamesIt() throws Exception {
        NettyTransport b = net.start("b", c -> c.peers(net.addresses("b", "c")));
        NettyTransport c = net.start("c", c2 -> c2.peers(net.addresses("b", "c")));
        NettyTransport a = net.start("a", x -> x.seeds(net.address("c"))); // sorts lowest, knows only c's address

        net.awaitExchange("a", "c", LoopbackTransports.JOIN_FRAME); // the join request and its answer can flow
        assertEquals(java.util.Set.of("c"), a.seedPeerIds(), "where a sends its join request");
        // a guest is not a member: anything but the join exchange (a Raft message, a write) is dropped
        long dropped = c.counters().guestFramesDropped();
        int atC = net.inbound.get("c").framesFrom("a").size();
        net.sendOne("a", "c", new byte[]{0x08, 16, 0x28, 99}); // an AppendEntries header
        Await.until(() -> c.counters().guestFramesDropped() > dropped, WAIT, "c to drop a's Raft frame");
        assertEquals(atC, net.inbound.get("c").framesFrom("a").size(), "nothing handed to c's loop");
        assertEquals(net.address("a"), a.localAddress(), "what a's join request says members dial");
        assertTrue(c.peerLink("a").guest());
        assertTrue(a.peerLink("c").guest());
        assertFalse(a.isConnected("b"), "a knows no other member yet");

        Map<String, String> members = Map.of("a", net.address("a"), "b", net.address("b"), "c", net.address("c"));
        for (NettyTransport t : List.of(a, b, c)) {
            t.updatePeers(members);
        }

        net.awaitExchange("a", "b");
        net.awaitExchange("a", "c");
        Await.until(() -> !c.peerLink("a").guest() && !a.peerLink("c").guest(), WAIT, "member links");
        Await.until(() -> a.seedPeerIds().isEmpty(), WAIT, "no seed links once a member");
        assertTrue(a.counters().peer("c").connectionsAttached() >= 2, "the guest connection made way");
    }

    /**
     * A member that lost the cluster (it knows no leader; the members it knows may all be gone) dials its
     * seeds again when the loop asks ({@code redialSeeds}), until an update names it again.
     */
    @Test
    void shouldDialTheSeedsAgainForAMemberThatLostTheCluster() throws Exception {
        NettyTransport a = net.start("a", x -> x.seeds(net.address("s"))); // s does not listen yet
        a.updatePeers(Map.of("a", net.address("a"))); // a member now, of a configuration that lacks s: no seeds
        NettyTransport s = net.start("s", x -> x.peers(net.addresses("s")));
        assertTrue(a.seedPeerIds().isEmpty());

        a.redialSeeds();
        Await.until(() -> a.seedPeerIds().equals(java.util.Set.of("s")), WAIT, "the seed reached again");
        net.awaitExchange("a", "s", LoopbackTransports.JOIN_FRAME); // where a asks where the cluster is
        assertTrue(s.peerLink("a").guest());
        a.redialSeeds(); // asked again while dialing: nothing more
        a.updatePeers(Map.of("a", net.address("a"), "s", net.address("s")));
        s.updatePeers(Map.of("a", net.address("a"), "s", net.address("s")));
        net.awaitExchange("a", "s");
        Await.until(() -> a.seedPeerIds().isEmpty() && !a.peerLink("s").guest(), WAIT, "a member link to s");
    }

    @Test
    void shouldTakeNoMoreGuestsThanItsLimitAndFreeTheSlotWhenOneGoes() throws Exception {
        net.start("s", x -> x.peers(net.addresses("s")).maxGuests(1));
        NettyTransport first = net.start("j1", x -> x.seeds(net.address("s")));
        net.awaitExchange("j1", "s", LoopbackTransports.JOIN_FRAME);

        NettyTransport second = net.start("j2", x -> x.seeds(net.address("s")));
        NettyTransport seed = net.running.get("s");
        Await.until(() -> seed.counters().refusals(ConnectionRefusal.GUEST_LIMIT) > 0, WAIT, "j2 refused");
        assertFalse(second.isConnected("s"));

        net.running.remove("j1").close();
        Await.until(() -> seed.peerLink("j1") == null, WAIT, "j1's guest link gone with its connection");
        assertFalse(seed.send("j1", new UnsafeBuffer(new byte[]{1}), 0, 1));
        net.awaitExchange("j2", "s", LoopbackTransports.JOIN_FRAME);
        assertTrue(first.counters().framesReceived() > 0);
    }

    @Test
    void shouldAdvertiseTheConfiguredAddressOrNoneForAWildcardBind() {
        NettyTransport wildcard = net.start("w", x -> x.bind("0.0.0.0:0"));
        assertEquals(null, wildcard.localAddress(), "0.0.0.0 cannot be dialed");
        NettyTransport advertised = net.start("v", x -> x.bind("0.0.0.0:0").advertisedAddress("10.1.2.3:7000"));
        assertEquals("10.1.2.3:7000", advertised.localAddress());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NettyTransportConfig.builder().advertisedAddress("nowhere"));
        assertTrue(bad.getMessage().startsWith("advertisedAddress must be host:port"), bad.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownPeerThatDoesNotSayItJoins() throws Exception {
        NettyTransport s = net.start("s", x -> x.peers(net.addresses("s")));
        net.start("r", x -> x.peers(net.addresses("r", "s"))); // believes it is a member; s never heard of it

        Await.until(() -> s.counters().refusals(ConnectionRefusal.HANDSHAKE_MISMATCH) > 0, WAIT, "r refused");
        assertFalse(s.isConnected("r"));
    }

    @Test
    void shouldCheckAJoinersCertificateAgainstTheIdItClaims() throws Exception {
        DevAuthority ca = DevCertificates.createCluster(certs, "test", List.of("s", "j"));
        ca.issuePeer(certs, "x");
        NettyTransport s = net.start("s", x -> x.peers(net.addresses("s")).tls(tls("s", "s")));
        net.start("j", x -> x.seeds(net.address("s")).tls(tls("j", "j")));
        net.awaitExchange("j", "s", LoopbackTransports.JOIN_FRAME);

        net.start("k", x -> x.seeds(net.address("s")).tls(tls("x", "x"))); // x's certificate, claiming k
        Await.until(() -> s.counters().refusals(ConnectionRefusal.PEER_IDENTITY) > 0, WAIT, "k refused");
        assertFalse(s.isConnected("k"));
    }

    private TlsConfig tls(String certificateOf, String keyOf) {
        return TlsConfig.pem(certs.resolve(certificateOf + ".pem"), certs.resolve(keyOf + "-key.pem"),
                certs.resolve(DevCertificates.CA_FILE)).withProvider(TlsConfig.Provider.JDK);
    }

}
