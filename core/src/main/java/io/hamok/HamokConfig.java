// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.loop.RaftLoopSettings;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLogs;
import io.hamok.transport.Transport;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.concurrent.Executor;

/**
 * Settings of one {@link Hamok} instance. Immutable; built by {@link #builder()} and validated once
 * in {@link Builder#build()}, which names the first bad field. Durations carry their unit.
 *
 * <p>The Raft timing options keep the original's names: {@code heartbeatMs} (leader heartbeat),
 * {@code followerMaxIdleMs} (a follower without a leader for this long, randomised up to twice,
 * starts an election), {@code electionTimeoutMs} (a candidate gives up; a leader without a quorum's
 * contact this long steps down). The autopilot's settings ({@code maxVoters}, {@code minQuorumVoters},
 * {@code stabilizationMs}, {@code deadPeerTimeoutMs}) are documented at {@link RaftConfig}.
 */
public final class HamokConfig {
    /** The default of {@link #requestTimeoutMs()}: 5 s. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5000;

    private final String peerId;
    private final List<String> peers;
    private final Map<String, String> peerAddresses;
    private final Transport transport;
    private final RaftConfig raftConfig;
    private final RaftLogs raftLogs;
    private final Object appData;
    private final long requestTimeoutMs;
    private final Executor eventExecutor;
    private final RaftLoopSettings loopSettings;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final RandomGenerator random;

    private HamokConfig(Builder b, RaftConfig raftConfig) {
        this.peerId = b.peerId;
        this.peers = List.copyOf(b.peers);
        this.peerAddresses = Map.copyOf(b.peerAddresses);
        this.transport = b.transport;
        this.raftConfig = raftConfig;
        this.raftLogs = b.raftLogs;
        this.appData = b.appData;
        this.requestTimeoutMs = b.requestTimeoutMs;
        this.eventExecutor = b.eventExecutor;
        this.loopSettings = b.loopSettings;
        this.nanoClock = b.nanoClock;
        this.epochClock = b.epochClock;
        this.random = b.random;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This peer's id, unique in the cluster. */
    public String peerId() {
        return peerId;
    }

    /**
     * The voters of a new cluster, this peer included: the same list on every initial member. A peer
     * that joins a running cluster leaves it empty and is added by the leader.
     */
    public List<String> peers() {
        return peers;
    }

    /**
     * Where the {@link #peers} are reached ({@code peer id -> address} in the transport's form,
     * {@code host:port} for TCP), for some or all of them; empty by default (an in-JVM cluster needs
     * none). The first configuration carries them, and the transport learns members and addresses
     * from the configuration from then on ({@link Transport#updatePeers}).
     */
    public Map<String, String> peerAddresses() {
        return peerAddresses;
    }

    public Transport transport() {
        return transport;
    }

    /** The Raft settings, {@code heartbeatMs}, {@code followerMaxIdleMs}, ... included. */
    public RaftConfig raftConfig() {
        return raftConfig;
    }

    /** Durable Raft state; {@code null} means a new in-memory log. */
    public RaftLogs raftLogs() {
        return raftLogs;
    }

    /** Anything the application wants to hang on the instance; Hamok never reads it. */
    public Object appData() {
        return appData;
    }

    /** Default time a storage write may take before it fails with {@link HamokTimeoutException}. */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /** Where listeners run; {@code null} means on the loop thread (listeners must not block then). */
    public Executor eventExecutor() {
        return eventExecutor;
    }

    public RaftLoopSettings loopSettings() {
        return loopSettings;
    }

    /** The loop's clocks; {@code null} means the system's. Tests pass clocks they advance by hand. */
    public NanoClock nanoClock() {
        return nanoClock;
    }

    public EpochClock epochClock() {
        return epochClock;
    }

    /** Election jitter; {@code null} means unseeded. Seed it for reproducible tests. */
    public RandomGenerator random() {
        return random;
    }

    /** Builder; every setter documents its default at the getter. */
    public static final class Builder {
        private String peerId;
        private List<String> peers = List.of();
        private Map<String, String> peerAddresses = Map.of();
        private Transport transport;
        private RaftConfig raftConfig;
        private final RaftConfig.Builder raft = RaftConfig.builder();
        private RaftLogs raftLogs;
        private Object appData;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
        private Executor eventExecutor;
        private RaftLoopSettings loopSettings = RaftLoopSettings.defaults();
        private NanoClock nanoClock;
        private EpochClock epochClock;
        private RandomGenerator random;

        private Builder() {
        }

        /** Clocks for the loop (both or neither); default the system's. */
        public Builder clocks(NanoClock nanoClock, EpochClock epochClock) {
            this.nanoClock = nanoClock;
            this.epochClock = epochClock;
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Builder peerId(String peerId) {
            this.peerId = peerId;
            return this;
        }

        public Builder peers(List<String> peers) {
            this.peers = peers;
            return this;
        }

        /** See {@link HamokConfig#peerAddresses()}. */
        public Builder peerAddresses(Map<String, String> peerAddresses) {
            this.peerAddresses = peerAddresses;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** Replaces every Raft setting at once (the individual setters below are then ignored). */
        public Builder raftConfig(RaftConfig raftConfig) {
            this.raftConfig = raftConfig;
            return this;
        }

        public Builder heartbeatMs(long v) {
            raft.heartbeatMs(v);
            return this;
        }

        public Builder followerMaxIdleMs(long v) {
            raft.followerMaxIdleMs(v);
            return this;
        }

        public Builder electionTimeoutMs(long v) {
            raft.electionTimeoutMs(v);
            return this;
        }

        public Builder onlyFollower(boolean v) {
            raft.onlyFollower(v);
            return this;
        }

        public Builder logEntriesExpirationTimeMs(long v) {
            raft.logEntriesExpirationTimeMs(v);
            return this;
        }

        /** Autopilot: voters at most; see {@link RaftConfig#maxVoters()}. */
        public Builder maxVoters(int v) {
            raft.maxVoters(v);
            return this;
        }

        /** Autopilot: the voters a dead-voter removal keeps at least; see {@link RaftConfig#minQuorumVoters()}. */
        public Builder minQuorumVoters(int v) {
            raft.minQuorumVoters(v);
            return this;
        }

        /** Autopilot: how long a learner stays caught up before promotion; see {@link RaftConfig#stabilizationMs()}. */
        public Builder stabilizationMs(long v) {
            raft.stabilizationMs(v);
            return this;
        }

        /** Autopilot: silence after which a member is removed (0: never); see {@link RaftConfig#deadPeerTimeoutMs()}. */
        public Builder deadPeerTimeoutMs(long v) {
            raft.deadPeerTimeoutMs(v);
            return this;
        }

        public Builder raftLogs(RaftLogs raftLogs) {
            this.raftLogs = raftLogs;
            return this;
        }

        public Builder appData(Object appData) {
            this.appData = appData;
            return this;
        }

        public Builder requestTimeoutMs(long v) {
            this.requestTimeoutMs = v;
            return this;
        }

        public Builder eventExecutor(Executor executor) {
            this.eventExecutor = executor;
            return this;
        }

        public Builder loopSettings(RaftLoopSettings settings) {
            this.loopSettings = settings;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first missing or invalid field
         */
        public HamokConfig build() {
            if (peerId == null || peerId.isBlank()) {
                throw new IllegalArgumentException("peerId is required and must not be blank");
            }
            if (transport == null) {
                throw new IllegalArgumentException("transport is required (NettyTransport for TCP, "
                        + "LocalNetwork.transport(peerId) inside one JVM)");
            }
            if (!peerId.equals(transport.localPeerId())) {
                throw new IllegalArgumentException("transport speaks for '" + transport.localPeerId()
                        + "' but peerId is '" + peerId + "'");
            }
            if (peers == null || (!peers.isEmpty() && !peers.contains(peerId))) {
                throw new IllegalArgumentException("peers must list every initial voter including this peer ('"
                        + peerId + "'), or be empty for a peer that joins later; was " + peers);
            }
            if (peerAddresses == null) {
                throw new IllegalArgumentException("peerAddresses must not be null (empty for none)");
            }
            for (Map.Entry<String, String> e : peerAddresses.entrySet()) {
                final String address = e.getValue();
                if (e.getKey() == null || !peers.contains(e.getKey()) || address == null || address.isBlank()) {
                    throw new IllegalArgumentException("peerAddresses must map peers to non-blank addresses; "
                            + e.getKey() + " -> '" + address + "' is not one (peers " + peers + ")");
                }
            }
            if (requestTimeoutMs <= 0) {
                throw new IllegalArgumentException("requestTimeoutMs must be greater than 0, was " + requestTimeoutMs);
            }
            if ((nanoClock == null) != (epochClock == null)) {
                throw new IllegalArgumentException("clocks: give both nanoClock and epochClock, or neither");
            }
            if (loopSettings == null) {
                throw new IllegalArgumentException("loopSettings must not be null");
            }
            return new HamokConfig(this, raftConfig != null ? raftConfig : raft.build());
        }
    }
}
