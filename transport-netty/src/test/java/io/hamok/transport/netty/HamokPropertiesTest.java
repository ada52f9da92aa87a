// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.raft.RaftConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class HamokPropertiesTest {
    @Test
    void shouldLoadEveryTransportAndRaftSettingFromFullFile() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/hamok-full.properties").toURI());

        HamokProperties loaded = HamokProperties.load(file);

        NettyTransportConfig t = loaded.transportConfig();
        assertEquals("b", t.localPeerId());
        assertEquals(3, t.peers().size());
        assertEquals(new PeerAddress("c", "::1", 7003), t.peers().get(2));
        assertEquals("0.0.0.0", t.bindHost());
        assertEquals(7102, t.bindPort());
        assertEquals("orders", t.clusterId());
        assertEquals(1_048_576, t.maxFrameBytes());
        assertEquals(2_097_152, t.perPeerOutboundBytes());
        assertEquals(3000, t.handshakeTimeoutMs());
        assertEquals(1500, t.connectTimeoutMs());
        assertEquals(20, t.reconnectInitialBackoffMs());
        assertEquals(5000, t.reconnectMaxBackoffMs());
        assertEquals(0.5, t.reconnectJitter());
        assertEquals(2, t.ioThreads());
        assertFalse(t.tls().enabled());
        assertEquals(16, t.maxPendingConnections());
        assertEquals(10, t.maxAcceptsPerSecond());
        assertEquals(2400, t.linkSilenceTimeoutMs());
        assertEquals(300, t.keepaliveIntervalMs());
        assertFalse(t.nativeTransport());
        RaftConfig r = loaded.raftConfig();
        assertEquals(50, r.heartbeatMs());
        assertEquals(500, r.followerMaxIdleMs());
        assertEquals(1500, r.electionTimeoutMs());
        assertTrue(r.onlyFollower());
        assertFalse(r.preVote());
        assertFalse(r.checkQuorum());
        assertEquals(128, r.maxEntriesPerAppend());
        assertEquals(131_072, r.maxBytesPerAppend());
        assertEquals(16, r.maxInflightAppends());
        assertEquals(32_768, r.snapshotChunkBytes());
        assertEquals(16_777_216, r.maxSnapshotBytes());
        assertEquals(5000, r.snapshotThresholdEntries());
        assertEquals(0, r.logEntriesExpirationTimeMs());
        assertEquals(1024, r.maxPendingProposals());
        assertTrue(r.skipEmptyLogGuard());
        assertEquals(7, r.maxVoters());
        assertEquals(2, r.minQuorumVoters());
        assertEquals(2500, r.stabilizationMs());
        assertEquals(45_000, r.deadPeerTimeoutMs());
    }

    @Test
    void shouldKnowAKeyForEveryRaftSetting() {
        long raftSettings = java.util.Arrays.stream(RaftConfig.class.getDeclaredMethods())
                .filter(m -> m.getParameterCount() == 0 && java.lang.reflect.Modifier.isPublic(m.getModifiers())
                        && !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                .filter(m -> !m.getName().equals("toString") && !m.getName().equals("hashCode"))
                .peek(m -> assertTrue(HamokProperties.knownKeys().contains("hamok.raft." + m.getName()),
                        "no key hamok.raft." + m.getName()))
                .count();
        assertEquals(20, raftSettings);
    }

    @Test
    void shouldUseDefaultsForMissingSettings() {
        HamokProperties loaded = HamokProperties.load(props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000"));

        assertEquals("localhost", loaded.transportConfig().bindHost());
        assertEquals(100, loaded.raftConfig().heartbeatMs());
    }

    @Test
    void shouldTakeLinkSilenceTimeoutFromElectionTimeoutUnlessSet() {
        String[] base = {"hamok.peerId", "a", "hamok.peers", "a@localhost:7000"};

        NettyTransportConfig defaults = HamokProperties.load(props(base)).transportConfig();
        NettyTransportConfig fromElection = load(base, "hamok.raft.electionTimeoutMs", "1200");
        NettyTransportConfig ownKeepalive = load(base, "hamok.raft.electionTimeoutMs", "1200",
                "hamok.transport.keepaliveIntervalMs", "100");
        NettyTransportConfig ownSilence = load(base, "hamok.raft.electionTimeoutMs", "1200",
                "hamok.transport.linkSilenceTimeoutMs", "6000");

        assertEquals(3000, defaults.linkSilenceTimeoutMs());
        assertEquals(500, defaults.keepaliveIntervalMs());
        assertTrue(defaults.nativeTransport());
        assertEquals(1200, fromElection.linkSilenceTimeoutMs());
        assertEquals(200, fromElection.keepaliveIntervalMs());
        assertEquals(1200, ownKeepalive.linkSilenceTimeoutMs());
        assertEquals(100, ownKeepalive.keepaliveIntervalMs());
        assertEquals(6000, ownSilence.linkSilenceTimeoutMs());
        assertEquals(1000, ownSilence.keepaliveIntervalMs());
    }

    @Test
    void shouldNameTheKeyOfABadLivenessSetting() {
        assertRejected("hamok.transport.linkSilenceTimeoutMs", "2", "invalid hamok.transport.linkSilenceTimeoutMs=2: "
                + "linkSilenceTimeoutMs must be in [3, ");
        assertRejected("hamok.transport.keepaliveIntervalMs", "2000",
                "invalid hamok.transport.keepaliveIntervalMs=2000: "
                        + "keepaliveIntervalMs must be in [1, linkSilenceTimeoutMs / 3 = 1000]");
        assertRejected("hamok.transport.nativeTransport", "maybe",
                "invalid hamok.transport.nativeTransport=maybe: expected true or false");
    }

    private static NettyTransportConfig load(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return HamokProperties.load(props(all)).transportConfig();
    }

    @Test
    void shouldNameKeyValueAndFormOfNonNumber() {
        assertRejected("hamok.raft.heartbeatMs", "fast",
                "invalid hamok.raft.heartbeatMs=fast: expected a non-negative integer (decimal digits)");
        assertRejected("hamok.transport.maxFrameBytes", "16MiB",
                "invalid hamok.transport.maxFrameBytes=16MiB: expected a non-negative integer (decimal digits)");
    }

    @Test
    void shouldNameKeyValueAndFormOfNegativeNumber() {
        assertRejected("hamok.transport.connectTimeoutMs", "-1",
                "invalid hamok.transport.connectTimeoutMs=-1: expected a non-negative integer, not a negative one");
    }

    @Test
    void shouldNameKeyOfNumberTooLargeForSetting() {
        assertRejected("hamok.raft.maxInflightAppends", "3000000000",
                "invalid hamok.raft.maxInflightAppends=3000000000: expected a non-negative integer up to 2147483647");
    }

    @Test
    void shouldNameKeyValueAndFormOfBadBooleanAndFraction() {
        assertRejected("hamok.raft.preVote", "yes", "invalid hamok.raft.preVote=yes: expected true or false");
        assertRejected("hamok.transport.reconnectJitter", "2",
                "invalid hamok.transport.reconnectJitter=2: expected a fraction in [0, 1]");
    }

    @Test
    void shouldNameKeyOfMalformedPeerEntry() {
        assertRejected("hamok.peers", "a@h:1, b-h:2",
                "invalid hamok.peers=a@h:1, b-h:2: malformed peer entry ' b-h:2', expected peerId@host:port");
    }

    @Test
    void shouldNameKeyOfMalformedBindAddress() {
        assertRejected("hamok.bind", "0.0.0.0", "invalid hamok.bind=0.0.0.0: bind must be host:port");
    }

    @Test
    void shouldRejectUnknownHamokKey() {
        assertRejected("hamok.raft.heartbeatMillis", "50",
                "unknown key hamok.raft.heartbeatMillis=50, expected one of [hamok.advertise, hamok.bind, hamok.clusterId,");
    }

    @Test
    void shouldWrapRaftConfigValidationWithKey() {
        assertRejected("hamok.raft.followerMaxIdleMs", "50", "invalid hamok.raft.followerMaxIdleMs=50: "
                + "followerMaxIdleMs must be greater than heartbeatMs (100), was 50");
        assertRejected("hamok.raft.maxEntriesPerAppend", "0",
                "invalid hamok.raft.maxEntriesPerAppend=0: maxEntriesPerAppend must be greater than 0, was 0");
    }

    @Test
    void shouldWrapTransportConfigValidationWithKey() {
        assertRejected("hamok.transport.perPeerOutboundBytes", "5000", "invalid hamok.transport.perPeerOutboundBytes"
                + "=5000: perPeerOutboundBytes must be a power of two, was 5000");
    }

    @Test
    void shouldRequirePeerId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HamokProperties.load(props("hamok.peers", "a@h:1")));

        assertTrue(e.getMessage().startsWith("hamok.peerId is required"), e.getMessage());
    }

    @Test
    void shouldRejectBlankPeerId() {
        assertRejected("hamok.peerId", " ", "invalid hamok.peerId= : expected a non-blank value");
    }

    @Test
    void shouldReportUnreadableFile(@TempDir Path dir) {
        assertThrows(UncheckedIOException.class, () -> HamokProperties.load(dir.resolve("missing.properties")));
    }

    @Test
    void shouldLoadFileWrittenAsUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hamok.properties");
        Files.writeString(file, "hamok.peerId=ä\nhamok.peers=ä@localhost:7000\nhamok.transport.tls=off\n");

        assertEquals("ä", HamokProperties.load(file).transportConfig().localPeerId());
    }

    /** A valid base (peer a of a, b) with {@code key=value} added: the load fails with {@code expected}. */
    private static void assertRejected(String key, String value, String expected) {
        Properties p = props("hamok.peerId", "a", "hamok.peers", "a@localhost:7001, b@localhost:7002");
        p.setProperty(key, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(p));
        assertTrue(e.getMessage().startsWith(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
    }

    @Test
    void shouldOpenAFileLogInTheDataDirectoryAndReadItBack(@TempDir Path dir) throws Exception {
        final Path data = dir.resolve("a");
        HamokProperties loaded = HamokProperties.load(props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000",
                "hamok.raft.logs", "file", "hamok.raft.dataDir", data.toString(), "hamok.raft.fsync", "always"));
        assertEquals(data, loaded.dataDir());
        try (var logs = (io.hamok.raft.file.FileRaftLogs) loaded.openRaftLogs()) {
            logs.storeTermAndVote(3, "a");
        }
        try (var logs = (io.hamok.raft.file.FileRaftLogs) loaded.openRaftLogs()) {
            assertEquals(3, logs.currentTerm(), "read back from " + data);
            assertEquals("a", logs.votedFor());
        }
        assertTrue(HamokProperties.load(props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000"))
                .openRaftLogs() instanceof io.hamok.raft.MemoryRaftLogs, "memory by default");
    }

    @Test
    void shouldNameTheLogKeyThatIsWrong() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(
                props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000", "hamok.raft.logs", "file")));
        assertTrue(missing.getMessage().startsWith("hamok.raft.dataDir is required"), missing.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(
                props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000", "hamok.raft.logs", "disk")));
        assertTrue(kind.getMessage().startsWith("invalid hamok.raft.logs=disk"), kind.getMessage());
        IllegalArgumentException fsync = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(
                props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000", "hamok.raft.logs", "file",
                        "hamok.raft.dataDir", "/tmp/x", "hamok.raft.fsync", "sometimes")));
        assertTrue(fsync.getMessage().startsWith("invalid hamok.raft.fsync=sometimes"), fsync.getMessage());
        IllegalArgumentException dirWithoutFile = assertThrows(IllegalArgumentException.class, () -> HamokProperties
                .load(props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000", "hamok.raft.dataDir", "/tmp/x")));
        assertTrue(dirWithoutFile.getMessage().startsWith("invalid hamok.raft.dataDir"), dirWithoutFile.getMessage());
    }

    @Test
    void shouldBuildTheWholeHamokConfigFromTheFile() {
        HamokProperties loaded = HamokProperties.load(props("hamok.peerId", "b",
                "hamok.peers", "a@10.0.0.1:7001, b@10.0.0.2:7002, c@[::1]:7003", "hamok.requestTimeoutMs", "2500",
                "hamok.raft.heartbeatMs", "40"));

        io.hamok.HamokConfig config = loaded.hamokConfig().build();

        assertEquals("b", config.peerId());
        assertEquals(java.util.List.of("a", "b", "c"), config.peers());
        assertEquals(java.util.Map.of("a", "10.0.0.1:7001", "b", "10.0.0.2:7002", "c", "[::1]:7003"),
                config.peerAddresses());
        assertEquals(2500, config.requestTimeoutMs());
        assertEquals(40, config.raftConfig().heartbeatMs());
        assertEquals("b", config.transport().localPeerId());
        assertTrue(config.raftLogs() instanceof io.hamok.raft.MemoryRaftLogs);
    }

    @Test
    void shouldBuildAJoinersConfigWithNoInitialVoters() {
        HamokProperties loaded = HamokProperties.load(props("hamok.peerId", "d", "hamok.bind", "127.0.0.1:7004",
                "hamok.seeds", "10.0.0.1:7001"));

        io.hamok.HamokConfig config = loaded.hamokConfig().build();

        assertEquals(java.util.List.of(), config.peers());
        assertEquals(io.hamok.HamokConfig.DEFAULT_REQUEST_TIMEOUT_MS, config.requestTimeoutMs());
    }

    @Test
    void shouldNameABadRequestTimeout() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(
                props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000", "hamok.requestTimeoutMs", "0")));
        assertTrue(zero.getMessage().startsWith("invalid hamok.requestTimeoutMs=0"), zero.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> HamokProperties.load(
                props("hamok.peerId", "a", "hamok.peers", "a@localhost:7000", "hamok.requestTimeoutMs", "soon")));
        assertTrue(text.getMessage().contains("hamok.requestTimeoutMs"), text.getMessage());
    }

    /** Properties with TLS off (the tests of TLS settings set hamok.transport.tls themselves). */
    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        p.setProperty("hamok.transport.tls", "off");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
