// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.emitter.EmitterHub;
import io.hamok.emitter.HamokEmitter;
import io.hamok.emitter.HamokEmitterConfig;
import io.hamok.internal.ClusterView;
import io.hamok.internal.Events;
import io.hamok.internal.Grid;
import io.hamok.internal.Joining;
import io.hamok.internal.MembershipRequests;
import io.hamok.internal.Reads;
import io.hamok.internal.RequestBuffers;
import io.hamok.internal.RequestIds;
import io.hamok.internal.LoopBackend;
import io.hamok.internal.StorageRegistry;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
import io.hamok.record.HamokRecord;
import io.hamok.record.HamokRecordConfig;
import io.hamok.loop.LoopExtension;
import io.hamok.loop.RaftLoop;
import io.hamok.loop.RaftLoopBuilder;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.SystemEpochClock;
import io.hamok.raft.Membership;
import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftRole;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.StorageKind;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One member of a Hamok cluster: a Raft node on its own loop thread, the replicated storages it
 * applies committed requests to, and the factories of the typed storages ({@link HamokMap},
 * {@link HamokRecord}, {@link HamokQueue}).
 *
 * <p>Lifecycle: {@link #create} builds it, {@link #join} starts it and waits for a leader,
 * {@link #leave} hands leadership over (if it leads) and stops it, {@link #close} stops it at once.
 * Every method may be called from any thread and none blocks: what waits on the cluster returns a
 * {@link CompletableFuture}, completed on the loop thread.
 */
public final class Hamok implements AutoCloseable {
    private final HamokConfig config;
    private final ReplicatedStorages state;
    private final Grid grid;
    private final Reads reads;
    private final Joining seedJoin;
    private final MembershipRequests membershipRequests;
    private final EmitterHub emitters;
    private final RaftLoop loop;
    private final LoopBackend backend;
    private final StorageRegistry storages;
    /** Subscribers per storage id, as immutable lists replaced on change: the loop iterates them by index, allocating nothing. */
    private final Map<String, List<Consumer<io.hamok.state.StorageEvent>>> subscribers = new ConcurrentHashMap<>();
    /** Buffers that writes are encoded into on the callers' threads; the loop gives them back. */
    private final RequestBuffers requestBuffers = new RequestBuffers(1024);
    private final List<HamokListener> listeners = new CopyOnWriteArrayList<>();
    private final Events events;
    private volatile boolean started;
    private volatile CompletableFuture<Void> joining;
    private CompletableFuture<Void> left;
    private volatile java.util.concurrent.Executor closer = task -> {
        final Thread thread = new Thread(task, "hamok-leave-" + config().peerId());
        thread.setDaemon(true);
        thread.start();
    };
    private volatile boolean closed;
    private final ClusterView cluster;
    private volatile int pendingRequests;
    private volatile long logSizeBytes;
    private final HamokMonitor monitor;

    private Hamok(HamokConfig config) {
        this.config = config;
        this.events = new Events(listeners, config.eventExecutor());
        this.state = new ReplicatedStorages(new StateObserver());
        this.grid = new Grid(config.peerId(), Math.max(4 * config.raftConfig().heartbeatMs(), 200), state,
                requestBuffers);
        final RaftLoopBuilder builder = RaftLoop.builder().peerId(config.peerId()).raftConfig(config.raftConfig())
                .raftLogs(config.raftLogs()).stateMachine(state).transport(config.transport())
                .bootstrapVoters(config.peers()).bootstrapAddresses(config.peerAddresses())
                .settings(config.loopSettings()).extension(new Extension())
                .random(config.random());
        if (config.nanoClock() != null) {
            builder.clocks(config.nanoClock(), config.epochClock());
        }
        this.loop = builder.build();
        this.monitor = new HamokMonitor(config.peerId(), loop);
        final long now = (config.epochClock() != null ? config.epochClock() : SystemEpochClock.INSTANCE).time();
        // Read numbers need only be unique across incarnations (a late answer to an earlier
        // incarnation's read must not match a new read): a random base with 32 bits of room.
        final long readBase = (config.random() != null ? config.random().nextLong()
                : new java.util.SplittableRandom().nextLong()) & 0x7FFF_FFFF_0000_0000L;
        this.reads = new Reads(readBase);
        this.backend = new LoopBackend(config, RequestIds.first(config.peerId(), state, loop.node().logs(), now),
                loop, grid, reads, requestBuffers, state, subscribers, monitor::requestFuture, () -> closed,
                this::forgetStorage);
        this.emitters = new EmitterHub(config.peerId(), loop, state, config.eventExecutor(),
                config.raftConfig().maxBytesPerAppend(), now << 20);
        this.storages = new StorageRegistry(config, state, backend, emitters, loop, () -> closed);
        this.seedJoin = new Joining(config.peerId(), config.raftConfig().electionTimeoutMs(), readBase | 1);
        this.membershipRequests = new MembershipRequests(config.peerId());
        this.cluster = new ClusterView(config.peerId(), events, loop.node(), config.raftConfig().electionTimeoutMs());
    }

    /** Builds an instance; nothing runs until {@link #join}. */
    public static Hamok create(HamokConfig config) {
        return new Hamok(Objects.requireNonNull(config, "config"));
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the instance (first call) and completes once a leader is known, the local peer
     * included. Fails with {@link NoLeaderException} when no leader appears within
     * {@code timeout}, and with {@link HamokClosedException} when closed.
     */
    public synchronized CompletableFuture<Void> join(Duration timeout) {
        if (closed) {
            return CompletableFuture.failedFuture(new HamokClosedException(config.peerId() + " is closed"));
        }
        if (!started) {
            started = true;
            loop.start();
        } else {
            events.rejoining();
        }
        // no initial voters: join through the seeds (also when the log names it: that entry may be lost)
        final boolean throughSeeds = config.peers().isEmpty();
        final CompletableFuture<Void> join = (throughSeeds ? seedJoin.request(timeout) : waitUntilLeader(timeout))
                .thenRun(events::joined);
        joining = join;
        return join;
    }

    /**
     * Like {@link #join(Duration)}, waiting up to {@code maxRetries + 1} times {@code timeout} for a
     * leader before failing with {@link NoLeaderException} (Raft keeps trying in between anyway).
     */
    public CompletableFuture<Void> join(Duration timeout, int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        return join(timeout.multipliedBy(maxRetries + 1L));
    }

    /**
     * Appends a raw application message to the replicated log (the original's {@code submit}). Every
     * peer gets it through {@link HamokListener#onMessage} once it is committed, in log order. Only
     * the leader accepts it; elsewhere the future fails with {@link NotLeaderException} naming the
     * leader. Completes with the entry's index once it is applied here. A close fails it with
     * {@link HamokClosedException}; its {@link HamokException#mayHaveBeenApplied()} is true unless
     * the instance was closed before the call.
     */
    public CompletableFuture<Long> submit(byte[] payload) {
        if (closed) {
            return CompletableFuture.failedFuture(new HamokClosedException(config.peerId() + " is closed"));
        }
        final byte[] entry = io.hamok.wire.proto.HamokMessage.newBuilder()
                .setType(io.hamok.wire.proto.MessageType.SUBMIT_MESSAGE_REQUEST)
                .setSourceId(config.peerId())
                .addKeys(com.google.protobuf.ByteString.copyFrom(payload))
                .build().toByteArray();
        return loop.propose(entry).exceptionallyCompose(Hamok::closedMeansUnknown);
    }

    /** A close cuts a proposal the leader may have appended already: its outcome is unknown. */
    private static <T> CompletableFuture<T> closedMeansUnknown(Throwable e) {
        final Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return CompletableFuture.failedFuture(cause instanceof HamokClosedException closedMeanwhile
                ? new HamokClosedException(closedMeanwhile.getMessage() + "; the message may have been appended", true)
                : cause);
    }

    /**
     * The original's {@code ready}: completes with this instance once it has joined (the latest
     * {@link #join} call), or, before any join, once a leader is known within the request timeout.
     */
    public CompletableFuture<Hamok> ready() {
        final CompletableFuture<Void> join = joining;
        return (join != null ? join : waitUntilLeader(Duration.ofMillis(config.requestTimeoutMs())))
                .thenApply(ignored -> this);
    }

    /**
     * Leaves the cluster and stops: a leader first hands leadership to another voter (thesis §3.10);
     * then this peer is removed from the configuration through the log (by the leader, whoever it
     * is), and the instance closes once the leader has answered that the removal is <b>committed</b>
     * (see {@link MembershipRequests#leave}). Completes when closed; fails with {@link HamokTimeoutException} (closed
     * all the same; the removal may still commit) when no such answer came within {@code timeout}.
     * The last member cannot remove itself ({@code REJECTED}): it just closes. The same id may join
     * again later, as a new member (a new instance).
     */
    public synchronized CompletableFuture<Void> leave(Duration timeout) {
        if (closed || !started) {
            close();
            return CompletableFuture.completedFuture(null);
        }
        if (left == null) {
            loop.execute(seedJoin::stop); // no more join requests
            // Closing waits for the loop thread to end, so it must not run on the loop thread, where the
            // answer arrives: the closer runs it, and the future completes once closed.
            left = membershipRequests.leave(timeout.toMillis()).handleAsync((result, error) -> {
                events.left();
                close();
                if (error != null) {
                    throw new java.util.concurrent.CompletionException(
                            error instanceof java.util.concurrent.CompletionException ? error.getCause() : error);
                }
                return (Void) null;
            }, closer);
        }
        return left;
    }

    /** The remote voter with the smallest replication lag (as last published), or null when there is none. */
    private String mostCaughtUpVoter() {
        final Membership membership = loop.node().membership(); // read off-thread: a hint, re-checked by the leader
        final Map<String, Long> lag = monitor.replicationLag();
        return cluster.remotePeerIds().stream().filter(membership::isVoter)
                .min(java.util.Comparator.comparingLong(peer -> lag.getOrDefault(peer, Long.MAX_VALUE)))
                .orElse(null);
    }

    /** Where {@link #leave} closes the instance (the simulation runs it between steps). */
    void closer(java.util.concurrent.Executor executor) {
        this.closer = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Stops the loop and the transport at once; pending futures fail with {@link HamokClosedException}.
     * Blocks until the loop thread has ended, except when called on the loop thread itself (from a
     * listener or a continuation), where the loop finishes closing on its own shortly after.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        storages.closeAll();
        loop.close();
        events.closed();
    }

    /**
     * Starts the instance without a thread, for deterministic tests: the caller drives the loop
     * with {@link AgentInvoker#invoke()}.
     */
    synchronized AgentInvoker startInvoker() {
        if (started || closed) {
            throw new IllegalStateException(config.peerId() + " is already started or closed");
        }
        started = true;
        return loop.startInvoker();
    }

    /** Completes when this peer knows a leader; fails with {@link NoLeaderException} after {@code timeout}. */
    public CompletableFuture<Void> waitUntilLeader(Duration timeout) {
        final CompletableFuture<Void> result = new CompletableFuture<>();
        loop.awaitLeader().whenComplete((leader, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(null);
            }
        });
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            final Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof java.util.concurrent.TimeoutException
                    ? new NoLeaderException(config.peerId() + ": no leader within " + timeout.toMillis() + " ms")
                    : cause);
        });
    }

    /**
     * Completes once this peer has applied everything the leader had committed when the call was
     * made (the leader's commit index, learnt by ReadIndex, not the local log head).
     */
    public CompletableFuture<Void> waitUntilCommitHead(Duration timeout) {
        return backend.readBarrier(timeout.toMillis());
    }

    // ------------------------------------------------------------------ membership

    /**
     * Adds a peer to the cluster through the log, as a learner. Any member may call it: a follower
     * hands it to the leader. Completes once the change is committed ({@link MembershipChange#ACCEPTED}),
     * or with the leader's refusal ({@code UNCHANGED}, {@code REJECTED}); {@link HamokTimeoutException}
     * after the request timeout. The leader's autopilot promotes the learner to voter later, once it
     * stayed caught up for {@code stabilizationMs} and while voters are fewer than {@code maxVoters}:
     * {@link HamokListener#onRemotePeerPromoted} and {@link #clusterConfiguration()} tell when.
     */
    public CompletableFuture<MembershipChange> addRemotePeerId(String peerId) {
        return membershipRequests.submit(true, peerId, null, config.requestTimeoutMs());
    }

    /** As {@link #addRemotePeerId(String)}, reached at {@code address} (a member with another: ADDRESS_CONFLICT). */
    public CompletableFuture<MembershipChange> addRemotePeerId(String peerId, String address) {
        if (address != null && address.isBlank()) {
            throw new IllegalArgumentException("the address of '" + peerId + "' must not be blank");
        }
        return membershipRequests.submit(true, peerId, address, config.requestTimeoutMs());
    }

    /** Removes a peer from the cluster through the log, from any member; completes as {@link #addRemotePeerId}. */
    public CompletableFuture<MembershipChange> removeRemotePeerId(String peerId) {
        return membershipRequests.submit(false, peerId, null, config.requestTimeoutMs());
    }

    // ------------------------------------------------------------------ storages

    /**
     * Creates a replicated map. Its content is whatever the cluster's log holds for {@code mapId}
     * (a map created late sees everything written before).
     *
     * @throws IllegalStateException        when a storage with that id is already open here
     * @throws StorageKindMismatchException when the id belongs to a storage of another kind
     * @throws HamokClosedException         when this instance is closed
     */
    public <K, V> HamokMap<K, V> createMap(HamokMapConfig<K, V> mapConfig) {
        return storages.createMap(mapConfig);
    }

    /**
     * The open map with that id, or a new one. The open map keeps its own settings.
     *
     * @throws StorageCodecMismatchException when the open map has other codecs (compared with {@code equals})
     */
    public <K, V> HamokMap<K, V> getOrCreateMap(HamokMapConfig<K, V> mapConfig) {
        return storages.getOrCreateMap(mapConfig);
    }

    /** Creates a replicated record; see {@link #createMap} for the rules. */
    public <T> HamokRecord<T> createRecord(HamokRecordConfig<T> recordConfig) {
        return storages.createRecord(recordConfig);
    }

    /**
     * The open record with that id, or a new one. The open record keeps its own settings.
     *
     * @throws StorageCodecMismatchException when the open record has another codec (compared with {@code equals})
     */
    public <T> HamokRecord<T> getOrCreateRecord(HamokRecordConfig<T> recordConfig) {
        return storages.getOrCreateRecord(recordConfig);
    }

    /** Creates a replicated queue; see {@link #createMap} for the rules. */
    public <T> HamokQueue<T> createQueue(HamokQueueConfig<T> queueConfig) {
        return storages.createQueue(queueConfig);
    }

    /** The open queue with that id (else {@link StorageCodecMismatchException} for another codec), or a new one. */
    public <T> HamokQueue<T> getOrCreateQueue(HamokQueueConfig<T> queueConfig) {
        return storages.getOrCreateQueue(queueConfig);
    }

    /** Creates a replicated emitter (pub/sub); see {@link HamokEmitter} and {@link #createMap} for the rules. */
    public <M> HamokEmitter<M> createEmitter(HamokEmitterConfig<M> emitterConfig) {
        return storages.createEmitter(emitterConfig);
    }

    /**
     * The open emitter with that id, or a new one. The open emitter keeps its own settings.
     *
     * @throws StorageCodecMismatchException when the open emitter has another metadata codec
     */
    public <M> HamokEmitter<M> getOrCreateEmitter(HamokEmitterConfig<M> emitterConfig) {
        return storages.getOrCreateEmitter(emitterConfig);
    }

    /**
     * Creates a remote map: its entries live in {@code config.remoteMap()}, its mutations are ordered by
     * the log and executed once, by the leader (see {@link HamokRemoteMap}). Every peer that may lead
     * must open it. Throws as {@link #createMap} does.
     */
    public <K, V> HamokRemoteMap<K, V> createRemoteMap(HamokRemoteMapConfig<K, V> config) {
        return storages.createRemoteMap(config);
    }

    /** The open remote map with that id (same codecs and {@code remoteMap}, else {@link StorageCodecMismatchException}), or a new one. */
    public <K, V> HamokRemoteMap<K, V> getOrCreateRemoteMap(HamokRemoteMapConfig<K, V> config) {
        return storages.getOrCreateRemoteMap(config);
    }

    // ------------------------------------------------------------------ properties

    public HamokConfig config() {
        return config;
    }

    public String localPeerId() {
        return config.peerId();
    }

    /**
     * The other members of the cluster configuration, voters and learners alike (the original's
     * meaning); {@link #clusterConfiguration()} tells them apart. Any thread.
     */
    public Set<String> remotePeerIds() {
        return cluster.remotePeerIds();
    }

    /**
     * The cluster configuration this peer uses (the latest in its log): voters, learners, addresses,
     * its log index and whether it is committed, as published by the loop. Any thread.
     */
    public ClusterMembers clusterConfiguration() {
        return cluster.members();
    }


    public boolean isLeader() {
        return loop.isLeader();
    }

    /** The Raft role right now. */
    public RaftRole state() {
        return loop.role();
    }

    /** The leader this peer knows of, or {@code null}. */
    public String leaderId() {
        return loop.leaderId();
    }

    /** Started and not closed. */
    public boolean isRunning() {
        return started && !closed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The storages open on this instance, by id. */
    public Map<String, AutoCloseable> storages() {
        return storages.snapshot();
    }

    public Object appData() {
        return config.appData();
    }

    /** Counters and indexes, read from any thread. */
    public HamokStats stats() {
        return new HamokStats(pendingRequests, logSizeBytes, loop.commitIndex(), loop.lastApplied(), loop.term(),
                monitor.replicationLag());
    }

    /** Live values and latency hooks for monitoring (see {@code io.hamok.metrics.HamokMetrics}), any thread. */
    public HamokMonitor monitor() {
        return monitor;
    }

    /** Replicated time, the leader's clock on the last entry applied here: {@link ReplicatedStorages#appliedTimestampMs()}. */
    public long replicatedTimeMs() {
        return state.appliedTimestampMs();
    }

    public void addListener(HamokListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(HamokListener listener) {
        listeners.remove(listener);
    }

    /** The loop this instance runs on (advanced use and tests). */
    RaftLoop loop() {
        return loop;
    }

    // ------------------------------------------------------------------ inner plumbing

    /** Runs on the loop thread: grid work, frames, Raft events. */
    private final class Extension implements LoopExtension {
        private long lastCommit;
        private long nextHeartbeatNs;

        @Override
        public void onStart(RaftLoop started) {
            grid.start(started);
            reads.start(started);
            seedJoin.start(started);
            membershipRequests.start(started);
        }

        @Override
        public boolean onFrame(String fromPeerId, DirectBuffer buffer, int offset, int length) {
            return grid.onFrame(fromPeerId, buffer, offset, length) || emitters.onFrame(fromPeerId, buffer, offset, length)
                    || reads.onFrame(fromPeerId, buffer, offset, length)
                    || seedJoin.onFrame(fromPeerId, buffer, offset, length)
                    || membershipRequests.onFrame(fromPeerId, buffer, offset, length);
        }

        @Override
        public int doWork(long nowNs) {
            cluster.doWork(loop.node(), nowNs); // first: a committed change is published before its future completes
            int work = grid.doWork(nowNs) + reads.doWork(nowNs) + seedJoin.doWork(nowNs)
                    + membershipRequests.doWork(nowNs) + emitters.doWork(nowNs) + storages.doWork(nowNs);
            final long commit = loop.node().lastApplied();
            if (commit != lastCommit) {
                lastCommit = commit;
                events.commit(commit);
            }
            pendingRequests = grid.pendingCount() + reads.pendingCount();
            logSizeBytes = loop.node().logs().sizeInBytes();
            monitor.afterCycle(nowNs);
            if (nowNs >= nextHeartbeatNs) {
                nextHeartbeatNs = nowNs + TimeUnit.MILLISECONDS.toNanos(config.raftConfig().heartbeatMs());
                events.heartbeat();
            }
            return work;
        }

        @Override
        public void onRoleChanged(RaftRole role, long term) {
            events.stateChanged(role, term);
            emitters.onRoleChanged(role);
        }

        @Override
        public void onLeaderChanged(String leaderId, long term) {
            events.leaderChanged(leaderId, term);
            reads.onLeaderChanged(leaderId);
        }

        @Override
        public void onMembershipChanged(Membership membership) {
            emitters.onMembershipChanged(membership);
            final Set<String> before = cluster.remotePeerIds();
            cluster.onMembershipChanged(loop.node());
            seedJoin.onMembershipChanged(before, membership);
        }

        @Override
        public void onSnapshotInstalled(long index) {
            grid.onSnapshotInstalled();
        }

        @Override
        public void onReadIndex(long context, long readIndex) {
            reads.onReadIndex(context, readIndex);
        }

        @Override
        public void onReadIndexFailed(long context) {
            reads.onReadIndexFailed(context);
        }

        @Override
        public void onHalted(String reason) {
            final HamokHaltedException e = new HamokHaltedException(config.peerId(), reason);
            grid.failAll(sent -> new HamokHaltedException(config.peerId(), reason, sent));
            reads.failAll(e);
            events.error(e);
        }

        @Override
        public void onClose() {
            seedJoin.close();
            membershipRequests.close();
            emitters.close();
            final HamokClosedException e = new HamokClosedException(config.peerId() + " is closed");
            grid.failAll(sent -> sent ? new HamokClosedException(config.peerId()
                    + " closed; the write had reached a leader and may still be applied", true) : e);
            reads.failAll(e);
        }
    }

    /** Hears the state machine on the loop thread. */
    private final class StateObserver implements ReplicatedStorages.Observer {
        @Override
        public void onApplied(io.hamok.state.RequestView request, io.hamok.state.ResultView result, long index,
                              long timestampMs) {
            grid.onApplied(request, result);
        }

        @Override
        public io.hamok.state.StorageRequest heldRequest(String sourceId, long requestId) {
            return grid.heldRequest(sourceId, requestId);
        }

        @Override
        public void onRawEntry(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
            final byte[] bytes = new byte[length];
            payload.getBytes(offset, bytes);
            try {
                final io.hamok.wire.proto.HamokMessage m = io.hamok.wire.proto.HamokMessage.parseFrom(bytes);
                if (m.getType() == io.hamok.wire.proto.MessageType.SUBMIT_MESSAGE_REQUEST && m.getKeysCount() == 1) {
                    events.message(index, m.getKeys(0).toByteArray());
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException notOurs) {
                // an entry this version does not know: nothing to deliver
            }
        }

        @Override
        public void onDuplicate(io.hamok.state.RequestView request, long index) {
            // applied before: its requester was answered then
        }

        /**
         * The event is the state machine's reused one: delivered at once on this thread it needs no
         * copy (subscribers decode it during the call); handed to the event executor it is copied,
         * because it is read later.
         */
        @Override
        public void onEvent(io.hamok.state.StorageEvent event) {
            final List<Consumer<io.hamok.state.StorageEvent>> list = subscribers.get(event.storageId());
            if (list == null) {
                return;
            }
            if (events.synchronous()) {
                for (int i = 0; i < list.size(); i++) {
                    Grid.deliver(event, list.get(i));
                }
                return;
            }
            final io.hamok.state.StorageEvent kept = event.copy(); // one copy, read later by every subscriber
            for (int i = 0; i < list.size(); i++) {
                final Consumer<io.hamok.state.StorageEvent> l = list.get(i);
                events.dispatch(() -> Grid.deliver(kept, l));
            }
        }
    }

    /** Its owner closed the storage {@code id}; the instance forgets it (the replicated state stays). */
    private void forgetStorage(String id) {
        storages.remove(id);
    }

    /** Accepts a frame from a custom transport as if it had arrived from {@code fromPeerId}. */
    public boolean accept(String fromPeerId, byte[] frame) {
        return loop.acceptFrame(fromPeerId, new UnsafeBuffer(frame), 0, frame.length);
    }
}
