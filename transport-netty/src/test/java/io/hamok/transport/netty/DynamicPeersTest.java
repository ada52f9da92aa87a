package io.hamok.transport.netty;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 11: the transport connects to the members the cluster's configuration names
 * ({@code Transport.updatePeers}), not only to the peers of its own config. Real sockets on
 * 127.0.0.1; the test thread plays every transport's loop thread (send, flush, updatePeers).
 */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class DynamicPeersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Map<String, NettyTransport> running = new HashMap<>();
    private final Map<String, RecordingInboundFrames> inbound = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();

    @AfterEach
    void closeAll() {
        running.values().forEach(NettyTransport::close);
    }

    @Test
    void shouldConnectToTheMembersTheConfigurationNames() throws Exception {
        NettyTransport a = startAlone("a");
        NettyTransport b = startAlone("b");

        a.updatePeers(members("a", "b"));
        b.updatePeers(members("a", "b"));

        awaitExchange("a", "b");
    }

    @Test
    void shouldAddAMemberToARunningPair() throws Exception {
        NettyTransport a = startAlone("a");
        NettyTransport b = startAlone("b");
        a.updatePeers(members("a", "b"));
        b.updatePeers(members("a", "b"));
        awaitExchange("a", "b");
        NettyTransport c = startAlone("c");

        for (NettyTransport t : List.of(a, b, c)) {
            t.updatePeers(members("a", "b", "c"));
        }

        awaitExchange("a", "c");
        awaitExchange("b", "c");
        awaitExchange("a", "b");
        // the liveness check covers a member added later: its quiet link carries keepalives
        Await.until(() -> c.counters().peer("a").keepalivesReceived() > 0
                && a.counters().peer("c").keepalivesReceived() > 0, WAIT, "keepalives on the added member's link");
    }

    @Test
    void shouldDropAMemberTheConfigurationNoLongerNames() throws Exception {
        NettyTransport a = startAlone("a");
        NettyTransport b = startAlone("b");
        NettyTransport c = startAlone("c");
        for (NettyTransport t : List.of(a, b, c)) {
            t.updatePeers(members("a", "b", "c"));
        }
        awaitExchange("a", "b");
        awaitExchange("b", "c");

        a.updatePeers(members("a", "c"));
        c.updatePeers(members("a", "c"));

        Await.until(() -> !b.isConnected("a") && !b.isConnected("c"), WAIT, "b cut off from a and c");
        assertFalse(a.isConnected("b"));
        assertFalse(a.send("b", new UnsafeBuffer(new byte[]{1}), 0, 1), "no link to a removed member");
        awaitExchange("a", "c");
    }

    @Test
    void shouldRedialAMemberAtItsNewAddress() throws Exception {
        NettyTransport a = startAlone("a");
        NettyTransport b = startAlone("b");
        a.updatePeers(members("a", "b"));
        b.updatePeers(members("a", "b"));
        awaitExchange("a", "b");

        running.remove("b").close();
        ports.put("b", TcpTestCluster.freePort()); // b comes back elsewhere
        NettyTransport moved = startAlone("b");
        moved.updatePeers(members("a", "b")); // what its log says
        a.updatePeers(members("a", "b"));

        awaitExchange("a", "b");
        Await.until(() -> moved.isConnected("a") && a.isConnected("b"), WAIT, "a and the moved b connected");
    }

    @Test
    void shouldApplyAnUpdateGivenBeforeStartAndSkipBadAddresses() throws Exception {
        NettyTransport b = startAlone("b");
        int port = TcpTestCluster.freePort();
        ports.put("a", port);
        NettyTransport a = new NettyTransport(config("a"));
        Map<String, String> members = new HashMap<>(members("a", "b"));
        members.put("x", "not an address");
        a.updatePeers(members);
        RecordingInboundFrames frames = new RecordingInboundFrames();
        inbound.put("a", frames);
        running.put("a", a);
        a.start(frames);
        b.updatePeers(members("a", "b"));

        awaitExchange("a", "b");
        assertFalse(a.isConnected("x"));
    }

    /** Starts a transport whose config names only itself. */
    private NettyTransport startAlone(String id) {
        ports.computeIfAbsent(id, ignored -> TcpTestCluster.freePort());
        RecordingInboundFrames frames = new RecordingInboundFrames();
        NettyTransport t = new NettyTransport(config(id));
        t.start(frames);
        running.put(id, t);
        inbound.put(id, frames);
        return t;
    }

    private NettyTransportConfig config(String id) {
        return NettyTransportConfig.builder().tls(TlsConfig.off()).localPeerId(id)
                .peers(List.of(new PeerAddress(id, "127.0.0.1", ports.get(id))))
                .reconnectInitialBackoffMs(10).reconnectMaxBackoffMs(100).handshakeTimeoutMs(1000)
                .linkSilenceTimeoutMs(1200).keepaliveIntervalMs(200).build();
    }

    private Map<String, String> members(String... ids) {
        Map<String, String> m = new HashMap<>();
        for (String id : ids) {
            m.put(id, "127.0.0.1:" + ports.computeIfAbsent(id, ignored -> TcpTestCluster.freePort()));
        }
        return m;
    }

    /** Sends from each side until a frame arrived at the other (a frame may leave on a connection being replaced). */
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
