// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.hamok.transport.netty.LoopbackTransports.WAIT;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 11: the transport connects to the members the cluster's configuration names
 * ({@code Transport.updatePeers}), not only to the peers of its own config. Real sockets on
 * 127.0.0.1; each transport's config lists only itself.
 */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class DynamicPeersTest {
    private final LoopbackTransports net = new LoopbackTransports();

    @AfterEach
    void closeAll() {
        net.close();
    }

    @Test
    void shouldConnectToTheMembersTheConfigurationNames() throws Exception {
        NettyTransport a = net.start("a");
        NettyTransport b = net.start("b");

        a.updatePeers(net.members("a", "b"));
        b.updatePeers(net.members("a", "b"));

        net.awaitExchange("a", "b");
    }

    @Test
    void shouldAddAMemberToARunningPair() throws Exception {
        NettyTransport a = net.start("a");
        NettyTransport b = net.start("b");
        a.updatePeers(net.members("a", "b"));
        b.updatePeers(net.members("a", "b"));
        net.awaitExchange("a", "b");
        NettyTransport c = net.start("c");

        for (NettyTransport t : List.of(a, b, c)) {
            t.updatePeers(net.members("a", "b", "c"));
        }

        net.awaitExchange("a", "c");
        net.awaitExchange("b", "c");
        net.awaitExchange("a", "b");
        // the liveness check covers a member added later: its quiet link carries keepalives
        Await.until(() -> c.counters().peer("a").keepalivesReceived() > 0
                && a.counters().peer("c").keepalivesReceived() > 0, WAIT, "keepalives on the added member's link");
    }

    @Test
    void shouldDropAMemberTheConfigurationNoLongerNames() throws Exception {
        NettyTransport a = net.start("a");
        NettyTransport b = net.start("b");
        NettyTransport c = net.start("c");
        for (NettyTransport t : List.of(a, b, c)) {
            t.updatePeers(net.members("a", "b", "c"));
        }
        net.awaitExchange("a", "b");
        net.awaitExchange("b", "c");

        a.updatePeers(net.members("a", "c"));
        c.updatePeers(net.members("a", "c"));

        Await.until(() -> !b.isConnected("a") && !b.isConnected("c"), WAIT, "b cut off from a and c");
        assertFalse(a.isConnected("b"));
        assertFalse(a.send("b", new UnsafeBuffer(new byte[]{1}), 0, 1), "no link to a removed member");
        net.awaitExchange("a", "c");
    }

    @Test
    void shouldRedialAMemberAtItsNewAddress() throws Exception {
        NettyTransport a = net.start("a");
        NettyTransport b = net.start("b");
        a.updatePeers(net.members("a", "b"));
        b.updatePeers(net.members("a", "b"));
        net.awaitExchange("a", "b");

        net.running.remove("b").close();
        net.ports.put("b", TcpTestCluster.freePort()); // b comes back elsewhere
        NettyTransport moved = net.start("b");
        moved.updatePeers(net.members("a", "b")); // what its log says
        a.updatePeers(net.members("a", "b"));

        net.awaitExchange("a", "b");
        Await.until(() -> moved.isConnected("a") && a.isConnected("b"), WAIT, "a and the moved b connected");
    }

    @Test
    void shouldApplyAnUpdateGivenBeforeStartAndSkipBadAddresses() throws Exception {
        NettyTransport b = net.start("b");
        NettyTransport a = new NettyTransport(net.config("a").build());
        Map<String, String> members = new HashMap<>(net.members("a", "b"));
        members.put("x", "not an address");
        a.updatePeers(members);
        RecordingInboundFrames frames = new RecordingInboundFrames();
        net.inbound.put("a", frames);
        net.running.put("a", a);
        a.start(frames);
        b.updatePeers(net.members("a", "b"));

        net.awaitExchange("a", "b");
        assertFalse(a.isConnected("x"));
    }
}
