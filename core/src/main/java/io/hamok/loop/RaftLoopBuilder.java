// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.StateMachine;
import io.hamok.transport.Transport;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** Builds a {@link RaftLoop}; {@link #build()} checks every field and names the first bad one. */
public final class RaftLoopBuilder {
    String peerId;
    RaftConfig raftConfig = RaftConfig.builder().build();
    RaftLogs raftLogs;
    StateMachine stateMachine;
    Transport transport;
    private List<String> bootstrapVoters;
    private Map<String, String> bootstrapAddresses = Map.of();
    /** Built from the voters and addresses by {@link #build()}. */
    Membership bootstrap;
    RandomGenerator random;
    NanoClock nanoClock = SystemNanoClock.INSTANCE;
    EpochClock epochClock = SystemEpochClock.INSTANCE;
    IdleStrategy idleStrategy;
    boolean onTransportThread = true;
    LoopExtension extension;
    /** Where refusal lines go; null = the loop's logger at WARN. Tests set it to count lines. */
    Consumer<String> refusalLogSink;
    private RaftLoopSettings settings = RaftLoopSettings.defaults();

    RaftLoopBuilder() {
    }

    /** This node's id; required; the transport must speak for the same id. */
    public RaftLoopBuilder peerId(String peerId) {
        this.peerId = peerId;
        return this;
    }

    public RaftLoopBuilder raftConfig(RaftConfig raftConfig) {
        this.raftConfig = raftConfig;
        return this;
    }

    /**
     * Durable Raft state; default a new {@link MemoryRaftLogs}. The loop owns it from then on: a log
     * that is {@link AutoCloseable} (the file log) is closed when the loop closes, so a restart opens
     * the log again from its directory.
     */
    public RaftLoopBuilder raftLogs(RaftLogs raftLogs) {
        this.raftLogs = raftLogs;
        return this;
    }

    /** Required: what committed entries are applied to, on the loop thread. */
    public RaftLoopBuilder stateMachine(StateMachine stateMachine) {
        this.stateMachine = stateMachine;
        return this;
    }

    /** Required. */
    public RaftLoopBuilder transport(Transport transport) {
        this.transport = transport;
        return this;
    }

    /**
     * The voters of a new cluster (the same list on every initial member, this node included), used
     * when the log is empty. A node joining a running cluster passes an empty list.
     */
    public RaftLoopBuilder bootstrapVoters(List<String> voters) {
        this.bootstrap = Membership.of(voters, List.of()); // checks the ids now
        this.bootstrapVoters = List.copyOf(voters);
        return this;
    }

    /**
     * Where the voters of {@link #bootstrapVoters} are reached ({@code peer id -> address} in the
     * transport's form, {@code host:port} for TCP), for some or all of them; default none. The
     * bootstrap configuration carries them, so they travel in snapshots and reach the transport
     * ({@link Transport#updatePeers}). Every key must be one of the bootstrap voters.
     */
    public RaftLoopBuilder bootstrapAddresses(Map<String, String> addressesById) {
        this.bootstrapAddresses = Map.copyOf(addressesById);
        return this;
    }

    /** Election jitter; default an unseeded {@link SplittableRandom}. Seed it for reproducible tests. */
    public RaftLoopBuilder random(RandomGenerator random) {
        this.random = random;
        return this;
    }

    /** Clocks; default the system's. Tests pass cached clocks they advance by hand. */
    public RaftLoopBuilder clocks(NanoClock nanoClock, EpochClock epochClock) {
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        return this;
    }

    /**
     * How the loop thread waits when a duty cycle found no work. Default (null): spin, yield, then
     * park for up to 1 ms, woken early by arriving frames and commands. {@code new
     * BusySpinIdleStrategy()} trades a whole core for the lowest latency; any strategy given here is
     * not woken early, so it should not park for long.
     */
    public RaftLoopBuilder idleStrategy(IdleStrategy idleStrategy) {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * Whether {@link RaftLoop#start()} runs the loop on a thread the transport lends
     * ({@link io.hamok.transport.Transport#loopHost()}: the TCP transport's I/O thread), so that
     * frames cross no thread hand-off; default true. Without a lending transport, or with an
     * {@link #idleStrategy} given, the loop runs on its own thread.
     */
    public RaftLoopBuilder onTransportThread(boolean onTransportThread) {
        this.onTransportThread = onTransportThread;
        return this;
    }

    /** Code to run on the loop thread beside the node (the Hamok grid); optional. */
    public RaftLoopBuilder extension(LoopExtension extension) {
        this.extension = extension;
        return this;
    }

    /** Tests: receive the rate-limited refusal lines instead of the logger. */
    RaftLoopBuilder refusalLogSink(Consumer<String> sink) {
        this.refusalLogSink = sink;
        return this;
    }

    public RaftLoopBuilder settings(RaftLoopSettings settings) {
        this.settings = settings;
        return this;
    }

    /**
     * @throws IllegalArgumentException naming the first missing or invalid field
     */
    public RaftLoop build() {
        require("peerId", peerId);
        if (peerId.isBlank()) {
            throw new IllegalArgumentException("peerId must not be blank");
        }
        require("raftConfig", raftConfig);
        require("stateMachine", stateMachine);
        require("transport", transport);
        require("bootstrapVoters", bootstrap);
        try {
            bootstrap = Membership.of(bootstrapVoters, List.of(), bootstrapAddresses);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bootstrapAddresses: " + e.getMessage(), e);
        }
        require("clocks", nanoClock);
        require("clocks", epochClock);
        require("settings", settings);
        if (!peerId.equals(transport.localPeerId())) {
            throw new IllegalArgumentException("transport speaks for '" + transport.localPeerId()
                    + "' but peerId is '" + peerId + "'");
        }
        final long largestFrame = largestFrameBytes(raftConfig);
        if (largestFrame > settings.inboundBufferBytes() / 8) {
            throw new IllegalArgumentException("inboundBufferBytes (" + settings.inboundBufferBytes()
                    + ") must be at least 8 x the largest frame (" + largestFrame + " bytes for maxBytesPerAppend "
                    + raftConfig.maxBytesPerAppend() + ", maxEntriesPerAppend " + raftConfig.maxEntriesPerAppend()
                    + " and snapshotChunkBytes " + raftConfig.snapshotChunkBytes() + "): raise it or lower those");
        }
        if (raftLogs == null) {
            raftLogs = new MemoryRaftLogs();
        }
        if (random == null) {
            random = new SplittableRandom();
        }
        return new RaftLoop(this);
    }

    /**
     * Upper bound of an encoded AppendEntries or InstallSnapshot: the payload budget, plus the
     * framing of each entry (entry tag and length, term, timestamp, type, payload tag and length:
     * at most 32 bytes) and of the message (type, term, prevLogIndex, prevLogTerm, leaderCommit: at
     * most 64 bytes; the snapshot fields: at most 80).
     */
    static long largestFrameBytes(RaftConfig config) {
        final long append = (long) config.maxBytesPerAppend() + 32L * config.maxEntriesPerAppend() + 64;
        final long chunk = config.snapshotChunkBytes() + 80L;
        return Math.max(append, chunk);
    }

    RaftLoopSettings settings() {
        return settings;
    }

    UnsafeBuffer inboundBuffer() {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(
                settings.inboundBufferBytes() + RingBufferDescriptor.TRAILER_LENGTH));
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
