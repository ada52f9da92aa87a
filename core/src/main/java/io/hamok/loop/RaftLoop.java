// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.BackPressureException;
import io.hamok.EntryLostException;
import io.hamok.HamokHaltedException;
import io.hamok.HamokClosedException;
import io.hamok.HamokTimeoutException;
import io.hamok.NotLeaderException;
import io.hamok.raft.AutopilotDecision;
import io.hamok.raft.Membership;
import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftListener;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.transport.InboundFrames;
import io.hamok.transport.LoopHost;
import io.hamok.transport.Transport;
import io.hamok.wire.RaftPublisher;
import io.hamok.wire.RaftWireDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one thread that owns a {@link RaftNode} (DESIGN.md §3): an Agrona {@link Agent} whose duty
 * cycle reads the clock once, drains inbound frames and user commands (both bounded), ticks and
 * flushes the node, applies committed entries, completes futures, and hands outbound frames to the
 * transport.
 *
 * <p>Run it on its own thread with {@link #start()} or drive it from a test with
 * {@link #startInvoker()} and {@link AgentInvoker#invoke()}.
 *
 * <p>Threads: every public method may be called from any thread; none blocks. Futures complete on
 * the loop thread, so continuations attached with {@code thenApply} and friends run there and must
 * not block; use the {@code ...Async} variants with an executor for blocking work. The read-only
 * getters return values the loop published at the end of its latest duty cycle.
 *
 * <p>Budgets: the inbound ring buffer ({@code inboundBufferBytes}) drops and counts frames when
 * full; the command queue ({@code commandQueueCapacity}) fails new commands at once with
 * {@link BackPressureException}.
 */
public final class RaftLoop implements Agent, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaftLoop.class);
    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Duty cycles a host runs in a row before it lets its I/O go first (see hostedCycles). */
    private static final int HOSTED_CYCLES_PER_RUN = 16;

    private final String peerId;
    private final RaftNode node;
    private final Transport transport;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final RaftLoopSettings settings;
    private final PeerDirectory peers = new PeerDirectory();
    private final ManyToOneRingBuffer inbound;
    private final ManyToOneConcurrentArrayQueue<Command> commands;
    private final RaftWireDecoder decoder = new RaftWireDecoder();
    private final MessageHandler frameHandler = this::onFrame;
    private final Consumer<Command> commandHandler = this::onCommand;
    private final InboundFrames inboundFrames = this::offerInbound;
    private final List<Waiter> waiters = new ArrayList<>();
    private final LoopCounters counters = new LoopCounters();
    private final PendingProposals pending = new PendingProposals(counters);
    private final RefusalLog refusalLog;
    private final IdleStrategy idleStrategy;
    private final SignalledIdleStrategy signal;

    private final int maxPayloadBytes;
    private final LoopExtension extension;
    private long nowNs;
    private long epochMs;
    private static final DutyCycleFaults.Step[] STEPS = DutyCycleFaults.Step.values();
    private final DutyCycleFaults faults;
    private long nextHousekeepingNs;
    private volatile boolean closed;
    /** Why the node halted for good (RaftListener#onHalted), or null. */
    private volatile String haltReason;
    private AgentRunner runner;
    private volatile Thread loopThread;
    private AgentInvoker invoker;
    /** The transport's thread the loop runs on, or null when it runs on its own (see {@link #start()}). */
    private volatile LoopHost host;
    private final boolean onTransportThread;
    private final long hostTickNs;
    private boolean transportStarted;
    private final PeerAddresses peerAddresses;

    // published at the end of each duty cycle for readers on other threads
    private volatile RaftRole role = RaftRole.FOLLOWER;
    private volatile String leaderId;
    private volatile long term;
    private volatile long commitIndex;
    private volatile long lastApplied;

    RaftLoop(RaftLoopBuilder b) {
        this.peerId = b.peerId;
        this.faults = new DutyCycleFaults("hamok-loop-" + b.peerId, LOG);
        this.refusalLog = new RefusalLog(roleName(), b.refusalLogSink != null ? b.refusalLogSink : LOG::warn);
        this.transport = b.transport;
        this.peerAddresses = new PeerAddresses(transport);
        this.nanoClock = b.nanoClock;
        this.epochClock = b.epochClock;
        this.settings = b.settings();
        this.inbound = new ManyToOneRingBuffer(b.inboundBuffer());
        this.commands = new ManyToOneConcurrentArrayQueue<>(settings.commandQueueCapacity());
        this.onTransportThread = b.onTransportThread && b.idleStrategy == null;
        // Timers only: frames, commands and syncs ask for cycles themselves. A quarter of a heartbeat
        // (1 to 25 ms) keeps heartbeats and election timeouts within 25% and an idle node under 1% CPU.
        this.hostTickNs = TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(25, b.raftConfig.heartbeatMs() / 4)));
        this.signal = b.idleStrategy == null ? SignalledIdleStrategy.defaults(this::hasWork) : null;
        this.idleStrategy = b.idleStrategy == null ? signal : b.idleStrategy;
        this.nowNs = nanoClock.nanoTime();
        this.maxPayloadBytes = b.raftConfig.maxBytesPerAppend();
        this.extension = b.extension == null ? new LoopExtension() {
        } : b.extension;
        b.raftLogs.durabilityListener(this::wake); // a write-behind log wakes the loop when it synced
        final RaftPublisher publisher = new RaftPublisher(transport::send);
        this.node = new RaftNode(peerId, b.raftConfig, b.raftLogs, b.stateMachine, publisher, b.bootstrap, b.random,
                nowNs);
        node.listener(new RaftListener() {
            @Override
            public void onRoleChanged(RaftRole newRole, long newTerm) {
                extension.onRoleChanged(newRole, newTerm);
            }

            @Override
            public void onLeaderChanged(String newLeader, long newTerm) {
                extension.onLeaderChanged(newLeader, newTerm);
            }

            @Override
            public void onMembershipChanged(Membership membership) {
                peerAddresses.changed(); // the transport is told once the node's call returns
                extension.onMembershipChanged(membership);
            }

            @Override
            public void onAutopilot(AutopilotDecision decision, String peer, String reason) {
                LOG.info("{}: autopilot {} {}: {}", roleName(), decision, peer, reason);
                extension.onAutopilot(decision, peer, reason);
            }

            @Override
            public void onApplied(long index, long entryTerm) {
                pending.applied(index, entryTerm);
                extension.onApplied(index, entryTerm);
            }

            @Override
            public void onSnapshotInstalled(long index) {
                pending.coveredBySnapshot(peerId, index);
                extension.onSnapshotInstalled(index);
            }

            @Override
            public void onReadIndex(long context, long readIndex) {
                extension.onReadIndex(context, readIndex);
            }

            @Override
            public void onReadIndexFailed(long context) {
                extension.onReadIndexFailed(context);
            }

            @Override
            public void onHalted(String reason) {
                LOG.error("{}: halted for good, it serves nothing more: {}", roleName(), reason);
                haltReason = reason;
                extension.onHalted(reason);
            }
        });
        publish();
    }

    public static RaftLoopBuilder builder() {
        return new RaftLoopBuilder();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the transport and the loop: on the transport's I/O thread when it lends one
     * ({@link Transport#loopHost()}, see {@link RaftLoopBuilder#onTransportThread}), else on a thread
     * of its own, named after the agent.
     */
    public synchronized RaftLoop start() {
        if (runner != null || invoker != null || closed) {
            throw new IllegalStateException(roleName() + (closed ? " is closed; build a new loop" : " is already started"));
        }
        if (onTransportThread) {
            startTransport();
            host = transport.loopHost();
        }
        if (host == null) {
            runner = new AgentRunner(idleStrategy, this::onError, null, this);
            AgentRunner.startOnThread(runner);
            return this;
        }
        invoker = new AgentInvoker(this::onError, null, this);
        host.start(invoker::start, this::hostedCycles, hostTickNs);
        return this;
    }

    /**
     * What the host runs when asked: duty cycles while they find work, a bounded number, so that the
     * host's I/O is not starved; with work left it asks again (after the I/O of this round).
     */
    private void hostedCycles() {
        for (int i = 0; i < HOSTED_CYCLES_PER_RUN; i++) {
            if (invoker.invoke() == 0) {
                return;
            }
        }
        host.wake();
    }

    private void startTransport() {
        if (!transportStarted) {
            transportStarted = true;
            transport.start(inboundFrames);
        }
    }

    /** Starts the loop without a thread: the caller drives it with {@link AgentInvoker#invoke()}. */
    public synchronized AgentInvoker startInvoker() {
        if (runner != null || invoker != null || closed) {
            throw new IllegalStateException(roleName() + (closed ? " is closed; build a new loop" : " is already started"));
        }
        invoker = new AgentInvoker(this::onError, null, this);
        invoker.start();
        return invoker;
    }

    /**
     * Stops the loop thread and the transport; pending futures fail with {@link HamokClosedException}.
     * Called from the loop thread itself (a continuation or a listener), it hands the work to a new
     * thread and returns at once, since a thread cannot wait for itself to stop.
     */
    @Override
    public void close() {
        if ((runner != null || host != null) && Thread.currentThread() == loopThread) {
            final Thread closer = new Thread(this::closeNow, roleName() + "-closer");
            closer.setDaemon(true);
            closer.start();
            return;
        }
        closeNow();
    }

    private synchronized void closeNow() {
        if (runner != null) {
            runner.close();
        } else if (host != null) {
            host.stop(); // no cycle runs from here on: this thread takes over the loop's state
            invoker.close();
        } else if (invoker != null) {
            invoker.close();
        } else if (!closed) {
            onClose();
        }
    }

    @Override
    public void onStart() {
        loopThread = Thread.currentThread();
        startTransport();
        tellPeers();
        extension.onStart(this);
    }

    @Override
    public void onClose() {
        closed = true;
        extension.onClose();
        transport.close();
        closeLogs();
        final HamokClosedException e = new HamokClosedException(roleName() + " is closed");
        // appended to the log: a later leader may commit them (outcome unknown); queued commands never ran
        pending.close(roleName());
        waiters.forEach(w -> w.future.completeExceptionally(e));
        waiters.clear();
        Command c;
        while ((c = commands.poll()) != null) {
            c.fail(e);
        }
    }

    /** A log that holds resources (files, a writer thread) is closed with the loop that owns it. */
    private void closeLogs() {
        if (node.logs() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.error("{}: closing the Raft log failed", roleName(), e);
            }
        }
    }

    @Override
    public String roleName() {
        return "hamok-loop-" + peerId;
    }

    private void onError(Throwable t) {
        counters.errors.increment();
        LOG.error("{}: error in duty cycle", roleName(), t);
    }

    // ------------------------------------------------------------------ the duty cycle

    /**
     * One duty cycle. Each step runs even when an earlier one threw: a failure is contained, counted
     * ({@link LoopCounters#errors()}) and logged at most once per step and interval
     * ({@link DutyCycleFaults}). A frame or command that throws is consumed, not retried.
     */
    @Override
    public int doWork() {
        nowNs = nanoClock.nanoTime();
        epochMs = epochClock.time();
        int work = 0;
        for (DutyCycleFaults.Step step : STEPS) {
            try {
                work += runStep(step);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                counters.errors.increment();
                faults.failed(step, t, nowNs);
            }
        }
        counters.dutyCycles.increment();
        return work;
    }

    private int runStep(DutyCycleFaults.Step step) {
        return switch (step) {
            case INBOUND -> inbound.read(frameHandler, settings.maxFramesPerCycle());
            case COMMANDS -> commands.drain(commandHandler, settings.maxCommandsPerCycle());
            case TICK -> {
                node.tick(nowNs, epochMs);
                tellPeers();
                yield 0;
            }
            case APPLY -> node.applyCommitted(settings.maxAppliedPerCycle());
            case REFUSALS -> {
                counters.messagesRefused.add(refusalLog.check(node.counters(), nowNs)); // ≤ 1 line/cause/10 s
                yield 0;
            }
            case HOUSEKEEPING -> {
                if (nowNs >= nextHousekeepingNs) {
                    nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
                    pending.expire(nowNs, settings.proposalTimeoutMs());
                }
                yield 0;
            }
            // before the extension completes its futures: a completed write is in the published state
            case PUBLISH -> {
                publish();
                yield 0;
            }
            case EXTENSION -> extension.doWork(nowNs);
            case FLUSH -> {
                transport.flush();
                yield 0;
            }
        };
    }

    private void onFrame(int peerNumber, DirectBuffer buffer, int offset, int length) {
        final int status = decoder.decode(buffer, offset, length, peers.peerOf(peerNumber), node);
        tellPeers(); // an appended or truncated CONFIG entry, or an installed snapshot
        if (status == RaftWireDecoder.OK) {
            counters.framesDecoded.increment();
        } else if (status == RaftWireDecoder.NOT_RAFT) {
            if (!extension.onFrame(peers.peerOf(peerNumber), buffer, offset, length)) {
                counters.framesIgnored.increment();
            }
        } else {
            counters.framesMalformed.increment();
        }
    }

    private boolean offerInbound(String fromPeerId, DirectBuffer buffer, int offset, int length) {
        if (length > inbound.maxMsgLength()) {
            counters.framesTooLarge.increment();
            return false;
        }
        if (closed || !inbound.write(peers.idOf(fromPeerId), buffer, offset, length)) {
            counters.inboundDropped.increment();
            return false;
        }
        wake();
        return true;
    }

    private boolean hasWork() {
        return inbound.size() > 0 || !commands.isEmpty();
    }

    private void wake() {
        final LoopHost h = host;
        if (h != null) {
            h.wake();
        } else if (signal != null) {
            signal.signal();
        }
    }

    private void onCommand(Command command) {
        command.execute(this);
        tellPeers(); // a membership change
    }

    /** Tells the transport the members' addresses if the configuration changed them (see {@link PeerAddresses}). */
    private void tellPeers() {
        peerAddresses.tell(node, nowNs);
    }

    private void publish() {
        role = node.role();
        leaderId = node.leaderId();
        term = node.term();
        commitIndex = node.commitIndex();
        lastApplied = node.lastApplied();
        if (!waiters.isEmpty()) {
            waiters.removeIf(w -> w.tryComplete(this));
        }
    }

    // ------------------------------------------------------------------ proposals

    /**
     * Appends {@code payload} to the replicated log through this node, which must be the leader.
     * The future completes with the entry's index once the entry is committed and applied on this
     * node; it fails with {@link NotLeaderException}, {@link BackPressureException},
     * {@link EntryLostException} (a new leader overwrote it), {@link HamokTimeoutException}
     * (outcome unknown after {@code proposalTimeoutMs}) or {@link HamokClosedException}.
     */
    public CompletableFuture<Long> propose(byte[] payload) {
        if (payload.length > maxPayloadBytes) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the largest entry ("
                    + maxPayloadBytes + " bytes, maxBytesPerAppend); split it or raise maxBytesPerAppend"
                    + " together with inboundBufferBytes");
        }
        final Proposal proposal = new Proposal(payload);
        submit(proposal);
        return proposal.future;
    }

    void onProposal(Proposal proposal) {
        if (haltReason != null) {
            pending.fail(proposal, new HamokHaltedException(peerId, haltReason));
            return;
        }
        final long index = node.propose(proposal.buffer, 0, proposal.buffer.capacity());
        if (index == RaftNode.NOT_LEADER) {
            pending.fail(proposal, new NotLeaderException(peerId, node.leaderId()));
        } else if (index == RaftNode.BUSY) {
            pending.fail(proposal, new BackPressureException(peerId
                    + ": maxPendingProposals entries already wait for commit; retry later"));
        } else {
            proposal.accepted(index, node.term(), nowNs + settings.proposalTimeoutNs());
            pending.add(proposal);
        }
    }

    // ------------------------------------------------------------------ membership and waiting

    /** Adds a peer as a learner (the autopilot promotes it to voter later); see {@link RaftNode#addPeer(String)}. */
    public CompletableFuture<MembershipChange> addPeer(String id) {
        return addPeer(id, null);
    }

    /**
     * Adds a peer reached at {@code address} ({@code null}: none) as a learner, which the autopilot
     * promotes to voter later; see {@link RaftNode#addPeer(String, String)}.
     *
     * @throws IllegalArgumentException at once when {@code address} is blank
     */
    public CompletableFuture<MembershipChange> addPeer(String id, String address) {
        if (address != null && address.isBlank()) {
            throw new IllegalArgumentException("the address of '" + id + "' must not be blank");
        }
        return call(loop -> loop.node.addPeer(id, address));
    }

    /** Removes a peer from the configuration; see {@link RaftNode#removePeer}. */
    public CompletableFuture<MembershipChange> removePeer(String id) {
        return call(loop -> loop.node.removePeer(id));
    }

    /** Hands leadership to {@code id}; see {@link RaftNode#transferLeadership}. */
    public CompletableFuture<MembershipChange> transferLeadership(String id) {
        return call(loop -> loop.node.transferLeadership(id));
    }

    /** Completes with the leader's id as soon as this node knows a leader (itself included). */
    public CompletableFuture<String> awaitLeader() {
        return await(loop -> loop.leaderId() != null).thenApply(ignored -> leaderId);
    }

    /** Completes once this node has applied {@code index} (with the index it has applied). */
    public CompletableFuture<Long> awaitApplied(long index) {
        return await(loop -> loop.lastApplied() >= index);
    }

    /**
     * Completes (with the applied index) once {@code condition} holds. The condition runs on the loop
     * thread after every duty cycle, against this loop's published getters; it must be cheap and
     * must not block. For tests and operational tooling: "this node leads", "this node applied X".
     */
    public CompletableFuture<Long> await(Predicate<RaftLoop> condition) {
        final Waiter w = new Waiter(condition);
        submit(w);
        return w.future;
    }

    void addWaiter(Waiter waiter) {
        if (!waiter.tryComplete(this)) {
            waiters.add(waiter);
        }
    }

    private <T> CompletableFuture<T> call(Function<RaftLoop, T> action) {
        final Call<T> call = new Call<>(action);
        submit(call);
        return call.future;
    }

    private void submit(Command command) {
        if (closed) {
            command.fail(new HamokClosedException(roleName() + " is closed"));
        } else if (!commands.offer(command)) {
            counters.commandsRejected.increment();
            command.fail(new BackPressureException(roleName() + ": command queue full ("
                    + settings.commandQueueCapacity() + "); slow down and retry"));
        } else if (closed) {
            // close() may have drained the queue just before this offer: fail the straggler here.
            command.fail(new HamokClosedException(roleName() + " is closed"));
        } else {
            wake();
        }
    }

    /**
     * Runs {@code action} on the loop thread (for extensions and the facade). Fails the returned
     * future with {@link BackPressureException} or {@link HamokClosedException} when it cannot run.
     */
    public CompletableFuture<Void> execute(Runnable action) {
        return call(loop -> {
            action.run();
            return null;
        });
    }

    /**
     * Offers a frame as if the transport had received it from {@code fromPeerId} (custom transports);
     * any thread. Returns {@code false} when it was dropped (inbound budget full, too large, closed).
     */
    public boolean acceptFrame(String fromPeerId, DirectBuffer buffer, int offset, int length) {
        return offerInbound(fromPeerId, buffer, offset, length);
    }

    /**
     * Keeps {@code peerId} reachable at {@code address} although the configuration no longer names it
     * (the answer to its own removal is still to go out), or, with a {@code null} address, no more.
     * Loop thread only (extensions).
     */
    public void keepLinked(String peerId, String address) {
        peerAddresses.keep(peerId, address);
    }

    /** Sends a frame to a peer; loop thread only (extensions). */
    public boolean send(String toPeerId, DirectBuffer buffer, int offset, int length) {
        return transport.send(toPeerId, buffer, offset, length);
    }

    /** The loop's clock as of the current duty cycle; loop thread only. */
    public long nowNanos() {
        return nowNs;
    }

    // ------------------------------------------------------------------ published state

    public String peerId() {
        return peerId;
    }

    public RaftRole role() {
        return role;
    }

    public boolean isLeader() {
        return role == RaftRole.LEADER;
    }

    /** The leader this node knows of, or {@code null}. */
    public String leaderId() {
        return leaderId;
    }

    public long term() {
        return term;
    }

    public long commitIndex() {
        return commitIndex;
    }

    public long lastApplied() {
        return lastApplied;
    }

    /** Failures of each duty cycle step; for tests. */
    DutyCycleFaults faults() {
        return faults;
    }

    /** Why the node halted for good (it then serves nothing), or {@code null} while it runs. */
    public String haltReason() {
        return haltReason;
    }

    public LoopCounters counters() {
        return counters;
    }

    public Transport transport() {
        return transport;
    }

    /** The node, for the loop thread only (tests driving the loop with an invoker, and the facade). */
    public RaftNode node() {
        return node;
    }

    long nowNs() {
        return nowNs;
    }
}
