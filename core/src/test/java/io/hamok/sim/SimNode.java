// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.Membership;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftNode;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One simulated member: its {@link RaftNode} and {@link RegisterStateMachine} (both lost in a
 * crash) and its disk: either a {@link MemoryRaftLogs}, which survives crashes whole (its writes are
 * durable when they return), or a write-behind {@link SimDisk}, which loses in a crash what it had
 * not synced yet. The logs are wrapped in a {@link CheckedRaftLogs} so the {@link Invariants} see
 * every change.
 */
public final class SimNode {
    private final String id;
    private final RaftConfig config;
    private final Membership bootstrap;
    private final SimNetwork network;
    private final Invariants invariants;
    private final Consumer<RaftNode> customizer;
    private final CheckedRaftLogs logs;
    private final SimDisk disk;
    private RaftNode raft;
    private RegisterStateMachine stateMachine;
    private int incarnation;
    private boolean removed;

    /**
     * @param bootstrap  the configuration a first boot starts with (empty for a node added later)
     * @param customizer called with every new {@link RaftNode} of this member (e.g. to break it on purpose)
     */
    public SimNode(String id, RaftConfig config, Membership bootstrap, SimNetwork network, Invariants invariants,
                   Consumer<RaftNode> customizer) {
        this(id, config, bootstrap, network, invariants, customizer, null);
    }

    /**
     * @param disk the node's write-behind disk, or {@code null} for a {@link MemoryRaftLogs} that is
     *             durable when its methods return
     */
    public SimNode(String id, RaftConfig config, Membership bootstrap, SimNetwork network, Invariants invariants,
                   Consumer<RaftNode> customizer, SimDisk disk) {
        this.id = id;
        this.config = config;
        this.bootstrap = bootstrap;
        this.network = network;
        this.invariants = invariants;
        this.customizer = customizer;
        this.disk = disk;
        final RaftLogs store = disk == null ? new MemoryRaftLogs() : disk;
        this.logs = new CheckedRaftLogs(id, store, invariants.logObserver(id, this::commitIndex));
        invariants.durableLogs(id, disk == null ? store : disk.durable());
    }

    private long commitIndex() {
        return raft == null ? 0 : raft.commitIndex();
    }

    /** Boots (or reboots) the node on its durable logs with a fresh state machine. */
    public void start(long nowNs, SplittableRandom random) {
        start(nowNs, random, config);
    }

    /**
     * Boots (or reboots) the node like {@link #start(long, SplittableRandom)}, with {@code config}
     * for this incarnation only (an operator's override, e.g. {@link RaftConfig#skipEmptyLogGuard()}).
     */
    public void start(long nowNs, SplittableRandom random, RaftConfig config) {
        if (raft != null) {
            throw new IllegalStateException(id + " is running");
        }
        if (removed) {
            throw new IllegalStateException(id + " was removed from the cluster");
        }
        incarnation++;
        invariants.nodeStarted(id);
        network.nodeUp(id);
        stateMachine = new RegisterStateMachine(invariants.stateMachineObserver(id));
        final RaftNode node = new RaftNode(id, config, logs, stateMachine, new SimOutbox(id, network), bootstrap,
                random, nowNs);
        customizer.accept(node);
        raft = node;
    }

    /**
     * Reboots a crashed node on its surviving logs with a fresh state machine (a new incarnation).
     *
     * @throws IllegalStateException when the node is running or was removed
     */
    public void restart(long nowNs, SplittableRandom random) {
        start(nowNs, random);
    }

    /** Like {@link #restart(long, SplittableRandom)}, with {@code config} for this incarnation only. */
    public void restart(long nowNs, SplittableRandom random, RaftConfig config) {
        start(nowNs, random, config);
    }

    /**
     * Crash: the node object, its state machine and its messages in flight are lost; the logs stay
     * (what a write-behind disk had not synced is lost).
     */
    public void crash() {
        crash(0);
    }

    /**
     * Crash: the node object and its state machine are lost; the logs stay, except for what a
     * write-behind disk had not synced yet. Each message it sent
     * before crashing still arrives with {@code keepSentProbability} (see
     * {@link SimNetwork#nodeDown(String, double)}).
     */
    public void crash(double keepSentProbability) {
        raft = null;
        stateMachine = null;
        if (disk != null) {
            disk.crash();
        }
        network.nodeDown(id, keepSentProbability);
    }

    /** Stops the node for good: it was removed from the configuration. */
    public void decommission() {
        if (raft != null) {
            crash();
        }
        removed = true;
    }

    /**
     * The node was removed from the configuration (or its addition was overwritten) but keeps
     * running for now, talking to the members with whatever it believes, until
     * {@link #decommission()}; it cannot be restarted once it stops.
     */
    public void markRemoved() {
        removed = true;
    }

    public String id() {
        return id;
    }

    /** The running node, or {@code null} while crashed. */
    public RaftNode raft() {
        return raft;
    }

    /** The running state machine, or {@code null} while crashed. */
    public RegisterStateMachine stateMachine() {
        return stateMachine;
    }

    /** The node's log as it reads it (with a write-behind disk, what a crash would keep is {@link SimDisk#durable()}). */
    public CheckedRaftLogs logs() {
        return logs;
    }

    /** The write-behind disk, or {@code null} when the logs are durable when their methods return. */
    public SimDisk disk() {
        return disk;
    }

    public boolean alive() {
        return raft != null;
    }

    /** Whether the node was removed from the cluster (it may still run for a while, see {@link #markRemoved()}). */
    public boolean removed() {
        return removed;
    }

    /** How many times the node has booted. */
    public int incarnation() {
        return incarnation;
    }

    @Override
    public String toString() {
        return raft == null ? id + (removed ? "(removed)" : "(crashed)")
                : id + "(" + (removed ? "removed, " : "") + raft.role() + " t" + raft.term() + " c" + raft.commitIndex() + " a" + raft.lastApplied()
                + " l" + logs.lastIndex() + (disk == null ? "" : " d" + disk.durableIndex()) + " s"
                + logs.snapshotIndex() + ")";
    }
}
