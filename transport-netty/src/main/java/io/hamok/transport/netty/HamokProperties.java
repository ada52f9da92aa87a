// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.HamokConfig;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Reads the settings of one Hamok node from a properties file: the transport
 * ({@link NettyTransportConfig}) and Raft ({@link RaftConfig}). Keys:
 *
 * <pre>
 * hamok.peerId=a                                   # required
 * hamok.peers=a@10.0.0.1:7000, b@10.0.0.2:7000     # peerId@host:port, comma-separated
 * hamok.bind=0.0.0.0:7000                          # default: the address of hamok.peerId in hamok.peers
 * hamok.clusterId=orders                           # default hamok
 * hamok.seeds=10.0.0.1:7000, 10.0.0.2:7000         # members to join through (an instance not in hamok.peers)
 * hamok.advertise=10.0.0.9:7000                    # the address members dial (default: the bind address)
 * hamok.requestTimeoutMs=5000                      # how long a storage operation waits (HamokConfig)
 * hamok.transport.&lt;setting&gt;=...                    # any NettyTransportConfig setting, e.g. maxFrameBytes
 * hamok.raft.&lt;setting&gt;=...                         # any RaftConfig setting, e.g. heartbeatMs
 * hamok.raft.maxVoters=5                           # autopilot (RaftConfig documents each): voters at most,
 * hamok.raft.minQuorumVoters=3                     #   the voters a dead-voter removal keeps,
 * hamok.raft.stabilizationMs=10000                 #   how long a learner stays caught up before promotion,
 * hamok.raft.deadPeerTimeoutMs=30000               #   silence before a member is removed (0: never)
 * hamok.raft.logs=memory                           # memory (default) or file: where Raft keeps its log
 * hamok.raft.dataDir=/var/lib/hamok/a              # the file log's directory (required with logs=file)
 * hamok.raft.fsync=batch                           # always, batch (default) or never (see FsyncPolicy)
 * hamok.transport.tls.certificate=/etc/hamok/a.pem  # mutual TLS from PEM files (see TlsConfig) ...
 * hamok.transport.tls.key=/etc/hamok/a-key.pem      #   unencrypted PKCS#8
 * hamok.transport.tls.trust=/etc/hamok/ca.pem       #   the CA certificates
 * hamok.transport.tls.keyStore=/etc/hamok/a.p12     # ... or from key stores (PKCS#12 or JKS), with
 * hamok.transport.tls.keyStorePassword=...          #   .trustStore and .trustStorePassword
 * hamok.transport.tls.peerNames=a=a.example.com     # certificate names other than the peer ids
 * hamok.transport.tls.provider=auto                 # auto (OpenSSL if netty-tcnative is there), jdk, openssl
 * hamok.transport.tls=off                           # or no TLS at all (logs a warning; trusted networks only)
 * </pre>
 *
 * TLS is required unless {@code hamok.transport.tls=off} says otherwise. Paths are relative to the
 * working directory.
 *
 * <p>{@code hamok.transport.linkSilenceTimeoutMs} (a link that hears nothing for this long is closed and
 * redialled) defaults to {@code hamok.raft.electionTimeoutMs} when only that is set, and
 * {@code hamok.transport.keepaliveIntervalMs} to a sixth of the silence timeout (at least 1 ms) when
 * it is not set.
 *
 * Keys outside {@code hamok.*} are ignored, so the file may hold other settings. Every problem
 * fails the load with an {@link IllegalArgumentException} that names the key, the bad value and
 * the expected form: a value that is not a number or is negative, a malformed peer entry, an
 * unknown {@code hamok.*} key, and whatever {@link NettyTransportConfig.Builder#build()} or
 * {@link RaftConfig.Builder#build()} reject.
 */
public final class HamokProperties {
    static final String PREFIX = "hamok.";
    static final String TRANSPORT = "hamok.transport.";
    static final String RAFT = "hamok.raft.";

    private static final Map<String, BiConsumer<NettyTransportConfig.Builder, PropertyValue>> TRANSPORT_KEYS =
            transportKeys();
    private static final Map<String, BiConsumer<RaftConfig.Builder, PropertyValue>> RAFT_KEYS = raftKeys();

    static final String REQUEST_TIMEOUT = PREFIX + "requestTimeoutMs";
    private static final Set<String> HAMOK_KEYS = Set.of(REQUEST_TIMEOUT);

    static final String LOGS = RAFT + "logs";
    static final String DATA_DIR = RAFT + "dataDir";
    static final String FSYNC = RAFT + "fsync";
    private static final Set<String> LOG_KEYS = Set.of(LOGS, DATA_DIR, FSYNC);

    static final String TLS = TRANSPORT + "tls";
    private static final String TLS_CERTIFICATE = TLS + ".certificate";
    private static final String TLS_KEY = TLS + ".key";
    private static final String TLS_TRUST = TLS + ".trust";
    private static final String TLS_KEY_STORE = TLS + ".keyStore";
    private static final String TLS_KEY_STORE_PASSWORD = TLS + ".keyStorePassword";
    private static final String TLS_TRUST_STORE = TLS + ".trustStore";
    private static final String TLS_TRUST_STORE_PASSWORD = TLS + ".trustStorePassword";
    private static final String TLS_PEER_NAMES = TLS + ".peerNames";
    private static final String TLS_PROVIDER = TLS + ".provider";
    private static final Set<String> TLS_KEYS = Set.of(TLS, TLS_CERTIFICATE, TLS_KEY, TLS_TRUST, TLS_KEY_STORE,
            TLS_KEY_STORE_PASSWORD, TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD, TLS_PEER_NAMES, TLS_PROVIDER);

    private final NettyTransportConfig transportConfig;
    private final RaftConfig raftConfig;
    private final Path dataDir;
    private final FsyncPolicy fsyncPolicy;
    private final long requestTimeoutMs;

    private HamokProperties(NettyTransportConfig transportConfig, RaftConfig raftConfig, Path dataDir,
                            FsyncPolicy fsyncPolicy, long requestTimeoutMs) {
        this.transportConfig = transportConfig;
        this.raftConfig = raftConfig;
        this.dataDir = dataDir;
        this.fsyncPolicy = fsyncPolicy;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Reads a properties file (UTF-8).
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException naming the bad key, its value and the expected form
     */
    public static HamokProperties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Hamok properties " + file, e);
        }
        return load(properties);
    }

    /**
     * @throws IllegalArgumentException naming the bad key, its value and the expected form
     */
    public static HamokProperties load(Properties properties) {
        NettyTransportConfig.Builder transport = NettyTransportConfig.builder();
        RaftConfig.Builder raft = RaftConfig.builder();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.startsWith(PREFIX) && !LOG_KEYS.contains(key) && !TLS_KEYS.contains(key)
                    && !HAMOK_KEYS.contains(key)) {
                apply(new PropertyValue(key, properties.getProperty(key)), transport, raft);
            }
        }
        linkSilenceFromElectionTimeout(properties, transport);
        if (properties.getProperty("hamok.peerId") == null) {
            throw new IllegalArgumentException("hamok.peerId is required: the id of this peer, e.g. hamok.peerId=a");
        }
        transport.tls(tlsOf(properties));
        return new HamokProperties(
                build(() -> transport.build(), properties, "hamok.transport settings"),
                build(() -> raft.build(), properties, "hamok.raft settings"),
                dataDirOf(properties), fsyncOf(properties), requestTimeoutOf(properties));
    }

    private static long requestTimeoutOf(Properties properties) {
        final String raw = properties.getProperty(REQUEST_TIMEOUT);
        if (raw == null) {
            return HamokConfig.DEFAULT_REQUEST_TIMEOUT_MS;
        }
        final long value = new PropertyValue(REQUEST_TIMEOUT, raw).longValue();
        if (value <= 0) {
            throw new IllegalArgumentException("invalid " + REQUEST_TIMEOUT + "=" + raw + ": expected a number of "
                    + "milliseconds greater than 0");
        }
        return value;
    }

    /** The TLS settings, or {@code null} when none is given (the transport's build then says what to set). */
    private static TlsConfig tlsOf(Properties properties) {
        String mode = properties.getProperty(TLS, "on").trim();
        boolean pem = has(properties, TLS_CERTIFICATE) || has(properties, TLS_KEY) || has(properties, TLS_TRUST);
        boolean stores = has(properties, TLS_KEY_STORE) || has(properties, TLS_TRUST_STORE);
        if (mode.equals("off")) {
            if (pem || stores || has(properties, TLS_PEER_NAMES) || has(properties, TLS_PROVIDER)) {
                throw new IllegalArgumentException("invalid " + TLS + "=off: TLS files are set as well ("
                        + TLS + ".*); remove them or the off");
            }
            return TlsConfig.off();
        }
        if (!mode.equals("on")) {
            throw new IllegalArgumentException("invalid " + TLS + "=" + mode + ": expected on (the default) or off");
        }
        if (pem && stores) {
            throw new IllegalArgumentException("invalid " + TLS + " settings: give PEM files (" + TLS_CERTIFICATE
                    + ", " + TLS_KEY + ", " + TLS_TRUST + ") or key stores (" + TLS_KEY_STORE + ", "
                    + TLS_TRUST_STORE + "), not both");
        }
        TlsConfig tls;
        if (pem) {
            tls = TlsConfig.pem(required(properties, TLS_CERTIFICATE), required(properties, TLS_KEY),
                    required(properties, TLS_TRUST));
        } else if (stores) {
            tls = TlsConfig.keyStores(required(properties, TLS_KEY_STORE),
                    properties.getProperty(TLS_KEY_STORE_PASSWORD, "").toCharArray(),
                    required(properties, TLS_TRUST_STORE),
                    properties.getProperty(TLS_TRUST_STORE_PASSWORD, "").toCharArray());
        } else {
            return null;
        }
        String names = properties.getProperty(TLS_PEER_NAMES);
        if (names != null) {
            tls = tls.withPeerNames(peerNames(names));
        }
        String provider = properties.getProperty(TLS_PROVIDER, "auto").trim();
        try {
            return tls.withProvider(TlsConfig.Provider.valueOf(provider.toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + TLS_PROVIDER + "=" + provider
                    + ": expected auto (the default), jdk or openssl", e);
        }
    }

    private static boolean has(Properties properties, String key) {
        return properties.getProperty(key) != null;
    }

    private static Path required(Properties properties, String key) {
        String v = properties.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is required with the other " + TLS + " files: a path");
        }
        return Path.of(v.trim());
    }

    private static Map<String, String> peerNames(String list) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String[] kv = entry.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("invalid " + TLS_PEER_NAMES + "=" + list
                        + ": expected peerId=certificateName, comma-separated, e.g. a=a.example.com");
            }
            names.put(kv[0].trim(), kv[1].trim());
        }
        return names;
    }

    /**
     * Without {@code hamok.transport.linkSilenceTimeoutMs}, a link counts as dead after the election
     * timeout, when one is set: a node that hears nothing from its leader for that long campaigns
     * anyway. The keepalive interval follows (a sixth) unless set; see {@link NettyTransportConfig}.
     */
    private static void linkSilenceFromElectionTimeout(Properties properties, NettyTransportConfig.Builder transport) {
        String electionKey = RAFT + "electionTimeoutMs";
        String election = properties.getProperty(electionKey);
        if (properties.getProperty(TRANSPORT + "linkSilenceTimeoutMs") == null && election != null) {
            transport.linkSilenceTimeoutMs(new PropertyValue(electionKey, election).longValue());
        }
    }

    /** The file log's directory, or {@code null} for the in-memory log. */
    private static Path dataDirOf(Properties properties) {
        final String kind = properties.getProperty(LOGS, "memory").trim();
        final String dir = properties.getProperty(DATA_DIR);
        if (kind.equals("memory")) {
            if (dir != null) {
                throw new IllegalArgumentException("invalid " + DATA_DIR + "=" + dir + ": a data directory needs "
                        + LOGS + "=file (now " + LOGS + "=memory)");
            }
            return null;
        }
        if (!kind.equals("file")) {
            throw new IllegalArgumentException("invalid " + LOGS + "=" + kind + ": expected memory or file");
        }
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException(DATA_DIR + " is required with " + LOGS
                    + "=file: the directory of this peer's log, e.g. " + DATA_DIR + "=/var/lib/hamok/a");
        }
        return Path.of(dir.trim());
    }

    private static FsyncPolicy fsyncOf(Properties properties) {
        final String raw = properties.getProperty(FSYNC, "batch").trim();
        try {
            return FsyncPolicy.valueOf(raw.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + FSYNC + "=" + raw + ": expected always, batch or never",
                    e);
        }
    }

    /**
     * Opens the Raft log these settings name: a new {@link MemoryRaftLogs}, or the {@link FileRaftLogs}
     * in {@code hamok.raft.dataDir} (created when missing, recovered when not). Call once per instance:
     * the instance's loop closes the log when it closes.
     *
     * @throws UncheckedIOException when the directory cannot be opened or its log is corrupt (the
     *                              message names the file and offset)
     */
    public RaftLogs openRaftLogs() {
        if (dataDir == null) {
            return new MemoryRaftLogs();
        }
        try {
            return FileRaftLogs.open(dataDir, FileLogConfig.builder().fsyncPolicy(fsyncPolicy).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Raft log in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A {@link HamokConfig} builder with everything this file says: the peer id, the initial voters
     * ({@code hamok.peers}, empty for an instance that joins through {@code hamok.seeds}) and their
     * addresses, a new {@link NettyTransport} of {@link #transportConfig()}, the Raft settings, the
     * log ({@link #openRaftLogs()}, so call this once per instance: the instance closes the log) and
     * {@code hamok.requestTimeoutMs}. Add what a file cannot hold (an event executor, app data) and
     * build it:
     *
     * <pre>{@code
     * Hamok hamok = Hamok.create(HamokProperties.load(Path.of("node.properties")).hamokConfig().build());
     * }</pre>
     *
     * @throws UncheckedIOException when the file log cannot be opened
     */
    public HamokConfig.Builder hamokConfig() {
        final List<String> voters = new ArrayList<>();
        final Map<String, String> addresses = new LinkedHashMap<>();
        for (PeerAddress peer : transportConfig.peers()) {
            voters.add(peer.peerId());
            addresses.put(peer.peerId(), HostPort.format(peer.host(), peer.port()));
        }
        return HamokConfig.builder()
                .peerId(transportConfig.localPeerId())
                .peers(voters)
                .peerAddresses(addresses)
                .transport(new NettyTransport(transportConfig))
                .raftConfig(raftConfig)
                .raftLogs(openRaftLogs())
                .requestTimeoutMs(requestTimeoutMs);
    }

    /** {@code hamok.requestTimeoutMs}: how long a storage operation waits (default {@link HamokConfig#DEFAULT_REQUEST_TIMEOUT_MS}). */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /** The file log's directory, or {@code null} when the log is in memory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Every {@code hamok.*} key this loader knows, sorted. */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(TRANSPORT_KEYS.keySet());
        keys.addAll(RAFT_KEYS.keySet());
        keys.addAll(LOG_KEYS);
        keys.addAll(TLS_KEYS);
        keys.addAll(HAMOK_KEYS);
        return Collections.unmodifiableSet(keys);
    }

    public NettyTransportConfig transportConfig() {
        return transportConfig;
    }

    public RaftConfig raftConfig() {
        return raftConfig;
    }

    private static void apply(PropertyValue value, NettyTransportConfig.Builder transport, RaftConfig.Builder raft) {
        var transportSetter = TRANSPORT_KEYS.get(value.key());
        var raftSetter = RAFT_KEYS.get(value.key());
        if (transportSetter == null && raftSetter == null) {
            throw new IllegalArgumentException("unknown key " + value.key() + "=" + value.raw()
                    + ", expected one of " + knownKeys());
        }
        try {
            if (transportSetter != null) {
                transportSetter.accept(transport, value);
            } else {
                raftSetter.accept(raft, value);
            }
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith(value.prefix())) {
                throw e;
            }
            throw value.invalid(e.getMessage());
        }
    }

    /** Builds a config and puts the key of the field that the builder names in front of its message. */
    private static <T> T build(Supplier<T> builder, Properties properties, String what) {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int space = message.indexOf(' ');
            String field = space > 0 ? message.substring(0, space) : message;
            String key = keyOfField(field);
            if (key == null) {
                throw new IllegalArgumentException("invalid " + what + ": " + message, e);
            }
            throw new IllegalArgumentException("invalid " + key + "=" + properties.getProperty(key, "(default)")
                    + ": " + message, e);
        }
    }

    private static String keyOfField(String field) {
        for (String key : knownKeys()) {
            if (key.endsWith("." + field)) {
                return key;
            }
        }
        return field.equals("localPeerId") ? "hamok.peerId" : null;
    }

    private static Map<String, BiConsumer<NettyTransportConfig.Builder, PropertyValue>> transportKeys() {
        Map<String, BiConsumer<NettyTransportConfig.Builder, PropertyValue>> m = new LinkedHashMap<>();
        m.put("hamok.peerId", (b, v) -> b.localPeerId(v.nonBlank()));
        m.put("hamok.bind", (b, v) -> b.bind(v.trimmed()));
        m.put("hamok.peers", (b, v) -> b.peers(v.trimmed()));
        m.put("hamok.clusterId", (b, v) -> b.clusterId(v.nonBlank()));
        m.put("hamok.seeds", (b, v) -> b.seeds(v.trimmed()));
        m.put("hamok.advertise", (b, v) -> b.advertisedAddress(v.trimmed()));
        m.put(TRANSPORT + "maxFrameBytes", (b, v) -> b.maxFrameBytes(v.intValue()));
        m.put(TRANSPORT + "perPeerOutboundBytes", (b, v) -> b.perPeerOutboundBytes(v.intValue()));
        m.put(TRANSPORT + "handshakeTimeoutMs", (b, v) -> b.handshakeTimeoutMs(v.longValue()));
        m.put(TRANSPORT + "connectTimeoutMs", (b, v) -> b.connectTimeoutMs(v.longValue()));
        m.put(TRANSPORT + "reconnectInitialBackoffMs", (b, v) -> b.reconnectInitialBackoffMs(v.longValue()));
        m.put(TRANSPORT + "reconnectMaxBackoffMs", (b, v) -> b.reconnectMaxBackoffMs(v.longValue()));
        m.put(TRANSPORT + "reconnectJitter", (b, v) -> b.reconnectJitter(v.fraction()));
        m.put(TRANSPORT + "ioThreads", (b, v) -> b.ioThreads(v.intValue()));
        m.put(TRANSPORT + "loopOnIoThread", (b, v) -> b.loopOnIoThread(v.booleanValue()));
        m.put(TRANSPORT + "maxPendingConnections", (b, v) -> b.maxPendingConnections(v.intValue()));
        m.put(TRANSPORT + "maxAcceptsPerSecond", (b, v) -> b.maxAcceptsPerSecond(v.intValue()));
        m.put(TRANSPORT + "maxGuests", (b, v) -> b.maxGuests(v.intValue()));
        m.put(TRANSPORT + "linkSilenceTimeoutMs", (b, v) -> b.linkSilenceTimeoutMs(v.longValue()));
        m.put(TRANSPORT + "keepaliveIntervalMs", (b, v) -> b.keepaliveIntervalMs(v.longValue()));
        m.put(TRANSPORT + "nativeTransport", (b, v) -> b.nativeTransport(v.booleanValue()));
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, BiConsumer<RaftConfig.Builder, PropertyValue>> raftKeys() {
        Map<String, BiConsumer<RaftConfig.Builder, PropertyValue>> m = new LinkedHashMap<>();
        m.put(RAFT + "heartbeatMs", (b, v) -> b.heartbeatMs(v.longValue()));
        m.put(RAFT + "followerMaxIdleMs", (b, v) -> b.followerMaxIdleMs(v.longValue()));
        m.put(RAFT + "electionTimeoutMs", (b, v) -> b.electionTimeoutMs(v.longValue()));
        m.put(RAFT + "onlyFollower", (b, v) -> b.onlyFollower(v.booleanValue()));
        m.put(RAFT + "preVote", (b, v) -> b.preVote(v.booleanValue()));
        m.put(RAFT + "checkQuorum", (b, v) -> b.checkQuorum(v.booleanValue()));
        m.put(RAFT + "maxEntriesPerAppend", (b, v) -> b.maxEntriesPerAppend(v.intValue()));
        m.put(RAFT + "maxBytesPerAppend", (b, v) -> b.maxBytesPerAppend(v.intValue()));
        m.put(RAFT + "maxInflightAppends", (b, v) -> b.maxInflightAppends(v.intValue()));
        m.put(RAFT + "snapshotChunkBytes", (b, v) -> b.snapshotChunkBytes(v.intValue()));
        m.put(RAFT + "maxSnapshotBytes", (b, v) -> b.maxSnapshotBytes(v.intValue()));
        m.put(RAFT + "snapshotThresholdEntries", (b, v) -> b.snapshotThresholdEntries(v.longValue()));
        m.put(RAFT + "logEntriesExpirationTimeMs", (b, v) -> b.logEntriesExpirationTimeMs(v.longValue()));
        m.put(RAFT + "maxPendingProposals", (b, v) -> b.maxPendingProposals(v.intValue()));
        m.put(RAFT + "neverVoteWhileEmpty", (b, v) -> b.neverVoteWhileEmpty(v.booleanValue()));
        m.put(RAFT + "skipEmptyLogGuard", (b, v) -> b.skipEmptyLogGuard(v.booleanValue()));
        m.put(RAFT + "maxVoters", (b, v) -> b.maxVoters(v.intValue()));
        m.put(RAFT + "minQuorumVoters", (b, v) -> b.minQuorumVoters(v.intValue()));
        m.put(RAFT + "stabilizationMs", (b, v) -> b.stabilizationMs(v.longValue()));
        m.put(RAFT + "deadPeerTimeoutMs", (b, v) -> b.deadPeerTimeoutMs(v.longValue()));
        return Collections.unmodifiableMap(m);
    }
}
