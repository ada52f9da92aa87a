// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.Membership;
import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A deterministic Raft cluster on one thread: N {@link SimNode}s, a {@link SimNetwork}, a virtual
 * {@link SimClock}, a {@link SimClient} and the {@link Invariants}, all driven by one seed.
 *
 * <p>{@link #step()} advances virtual time to the next event, either a disk sync (with
 * {@link SimDisk write-behind disks}), the next message delivery or the next tick (every
 * {@link #TICK_MS} ms, all live nodes), feeds it to the node(s), applies what they committed and
 * checks the invariants. The fault vocabulary ({@link #drop}, {@link #delay},
 * {@link #duplicate}, {@link #reorder}, {@link #cut}, {@link #isolate}, {@link #partition},
 * {@link #heal}, {@link #crash}, {@link #restart}, {@link #slowDisk}, and
 * {@link #lingerRemoved removed nodes that run on})
 * changes the world between steps; {@link #stabilize()} heals it and asserts that the cluster
 * recovers, and {@link #checkLiveWith} heals only a majority and asserts that it makes progress.
 */
public final class SimCluster {
    /** Virtual milliseconds between two ticks of every node. */
    public static final long TICK_MS = 5;

    /**
     * {@code logEntriesExpirationTimeMs} of {@link #defaultConfig()}, in virtual milliseconds
     * ({@code -Dhamok.sim.logExpiryMs=}; 0 turns the age rule off).
     */
    public static final long LOG_EXPIRY_MS = Long.getLong("hamok.sim.logExpiryMs", 2_000);

    private static final long MS = 1_000_000;
    private static final int APPLY_BATCH = 256;

    /**
     * A liveness failure of {@link #stabilize()} or {@link #checkLiveWith}: the cluster made no
     * progress within the budget (never a broken invariant, which is an {@link InvariantViolation}).
     */
    public static final class LivenessFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        LivenessFailure(String message) {
            super(message);
        }
    }

    /** A membership change in the log whose fate (committed or overwritten) is not known yet. */
    private record PendingChange(String nodeId, boolean add, long index, long term) {
    }

    /** A removed node that keeps running until {@code untilNs}. */
    private record Lingering(SimNode node, long untilNs) {
    }

    private final long seed;
    private final RaftConfig config;
    private final Consumer<RaftNode> customizer;
    private final SplittableRandom random;
    private final SimClock clock = new SimClock();
    private final SimNetwork network;
    private final Invariants invariants = new Invariants(clock);
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final List<PendingChange> pending = new ArrayList<>();
    /** The configuration each leader used after its latest step, to see the changes it makes itself. */
    private final Map<String, Membership> leaderConfigs = new HashMap<>();
    private int autopilotRemovals;
    private int promotions;
    private final List<Lingering> lingering = new ArrayList<>();
    private final SimClient client;
    private final SplittableRandom faultRandom;
    /** Seeds the write-behind disks, or {@code null} when the logs are durable when their methods return. */
    private final SplittableRandom diskRandom;
    /** Every write-behind disk ever created (a discarded node's disk stays idle). */
    private final List<SimDisk> disks = new ArrayList<>();
    private double lingerProbability;
    private Consumer<SimNode> afterDelivery = node -> {
    };
    private Consumer<SimNode> afterSync = node -> {
    };
    private long lingerMaxMs;
    private long nextTickNs = TICK_MS * MS;
    private int nodeCounter;
    private long steps;
    /** Whether members have addresses (see the constructor). */
    private final boolean addresses;

    /** A cluster of {@code size} nodes with {@link #defaultConfig()}. */
    public SimCluster(long seed, int size) {
        this(seed, size, defaultConfig(), node -> {
        });
    }

    /**
     * @param customizer called with every {@link RaftNode} created (boots, restarts, added nodes)
     */
    public SimCluster(long seed, int size, RaftConfig config, Consumer<RaftNode> customizer) {
        this(seed, size, config, customizer, false);
    }

    /**
     * @param customizer  called with every {@link RaftNode} created (boots, restarts, added nodes)
     * @param writeBehind whether every node gets a write-behind {@link SimDisk} that loses in a crash
     *                    what it had not synced; otherwise a {@code MemoryRaftLogs} that a crash leaves whole
     */
    public SimCluster(long seed, int size, RaftConfig config, Consumer<RaftNode> customizer, boolean writeBehind) {
        this(seed, size, config, customizer, writeBehind, false);
    }

    /**
     * @param addresses whether every member has an address ({@link #addressOf}): the bootstrap
     *                  configuration and every added node carry one, and the invariants check that
     *                  every configuration a node uses has them all
     */
    public SimCluster(long seed, int size, RaftConfig config, Consumer<RaftNode> customizer, boolean writeBehind,
                      boolean addresses) {
        this.seed = seed;
        this.addresses = addresses;
        invariants.expectAddresses(addresses);
        this.config = config;
        this.customizer = customizer;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(clock, random.split());
        this.client = new SimClient(this, random.split());
        this.faultRandom = random.split();
        this.diskRandom = writeBehind ? random.split() : null;
        final String[] ids = new String[size];
        for (int i = 0; i < size; i++) {
            ids[i] = "n" + (++nodeCounter);
        }
        final Map<String, String> bootstrapAddresses = new LinkedHashMap<>();
        for (String id : addresses ? ids : new String[0]) {
            bootstrapAddresses.put(id, addressOf(id));
        }
        final Membership bootstrap = Membership.of(List.of(ids), List.of(), bootstrapAddresses);
        for (String id : ids) {
            final SimNode node = new SimNode(id, config, bootstrap, network, invariants, customizer, newDisk());
            nodes.put(id, node);
            node.start(clock.nowNs(), random.split());
        }
    }

    /**
     * Timeouts short enough for many elections per simulated minute, a small snapshot threshold so
     * that snapshots and InstallSnapshot happen often, and a short log expiry (2 virtual seconds)
     * so that age-based compaction happens many times in every run. The autopilot only promotes,
     * right after a learner's catch-up round, and removes nobody: {@link #autopilotConfigBuilder}
     * turns the rest on.
     */
    public static RaftConfig defaultConfig() {
        return defaultConfigBuilder().build();
    }

    /** A builder preset to {@link #defaultConfig()}, to change a setting or two. */
    public static RaftConfig.Builder defaultConfigBuilder() {
        return RaftConfig.builder()
                .heartbeatMs(50)
                .followerMaxIdleMs(300)
                .electionTimeoutMs(600)
                .snapshotThresholdEntries(200)
                .logEntriesExpirationTimeMs(LOG_EXPIRY_MS)
                .maxEntriesPerAppend(32)
                .maxInflightAppends(8)
                .snapshotChunkBytes(64)
                .stabilizationMs(0)
                .deadPeerTimeoutMs(0);
    }

    /**
     * {@link #defaultConfigBuilder()} with the whole autopilot: learners promoted after
     * {@code stabilizationMs} while the voters are fewer than {@code maxVoters}, members silent for
     * {@code deadPeerTimeoutMs} removed (voters within {@code minQuorumVoters} 3).
     */
    public static RaftConfig.Builder autopilotConfigBuilder(int maxVoters, long stabilizationMs, long deadPeerTimeoutMs) {
        return defaultConfigBuilder().maxVoters(maxVoters).minQuorumVoters(Math.min(3, maxVoters))
                .stabilizationMs(stabilizationMs).deadPeerTimeoutMs(deadPeerTimeoutMs);
    }

    // ------------------------------------------------------------------ the step loop

    private SimDisk newDisk() {
        if (diskRandom == null) {
            return null;
        }
        final SimDisk disk = new SimDisk(clock, diskRandom.split());
        disks.add(disk);
        return disk;
    }

    /**
     * Advances to the next event (a disk sync, a delivery, or a tick of every live node) and checks
     * the invariants.
     */
    public void step() {
        steps++;
        try {
            final long deliveryNs = network.nextDeliveryNs();
            final long syncNs = nextSyncNs();
            if (syncNs <= deliveryNs && syncNs <= nextTickNs) {
                clock.advanceTo(syncNs);
                syncDisks();
            } else if (deliveryNs <= nextTickNs) {
                clock.advanceTo(deliveryNs);
                deliver(network.poll());
            } else {
                clock.advanceTo(nextTickNs);
                nextTickNs += TICK_MS * MS;
                tickAll();
            }
        } catch (InvariantViolation v) {
            throw v.at(clock.nowNs());
        }
    }

    private void deliver(SimNetwork.Envelope e) {
        if (e == null) {
            return;
        }
        final SimNode node = nodes.get(e.to());
        if (node == null || !node.alive()) {
            return;
        }
        final RaftNode raft = node.raft();
        e.message().deliverTo(e.from(), raft);
        raft.flush();
        settle(node);
        afterDelivery.accept(node);
    }

    /** The next time a disk syncs, {@link SimDisk#NEVER} without write-behind disks or pending writes. */
    private long nextSyncNs() {
        long next = SimDisk.NEVER;
        for (int i = 0; i < disks.size(); i++) {
            next = Math.min(next, disks.get(i).syncAtNs());
        }
        return next;
    }

    private long nextEventNs() {
        return Math.min(Math.min(network.nextDeliveryNs(), nextTickNs), nextSyncNs());
    }

    /**
     * Every disk due syncs; each node whose disk made something durable is flushed (what the real
     * loop does every duty cycle): the answers that waited for these writes leave, and a leader
     * counts its newly durable entries.
     */
    private void syncDisks() {
        final long now = clock.nowNs();
        for (SimNode node : nodes.values()) {
            if (node.disk().syncAtNs() <= now && node.disk().sync() && node.alive()) {
                node.raft().flush();
                settle(node);
                afterSync.accept(node);
            }
        }
    }

    /**
     * Calls {@code hook} with the receiver after every message delivered and handled (and the
     * invariants checked); the hook may crash or cut off nodes, so that a fault lands between two
     * particular messages (for example right after a new leader's first acknowledgement).
     */
    public void afterDelivery(Consumer<SimNode> hook) {
        this.afterDelivery = hook == null ? node -> {
        } : hook;
    }

    /**
     * Calls {@code hook} with a live node whose disk synced, once it was flushed (its waiting
     * answers sent, a leader's newly durable entries counted) and the invariants checked; like
     * {@link #afterDelivery}, the hook may crash or cut off nodes.
     */
    public void afterSync(Consumer<SimNode> hook) {
        this.afterSync = hook == null ? node -> {
        } : hook;
    }

    private void tickAll() {
        for (SimNode node : nodes.values()) {
            if (node.alive()) {
                node.raft().tick(clock.nowNs(), clock.epochMs());
                settle(node);
            }
        }
        if (!pending.isEmpty()) {
            resolvePendingChanges();
        }
        if (!lingering.isEmpty()) {
            for (Iterator<Lingering> it = lingering.iterator(); it.hasNext(); ) {
                final Lingering l = it.next();
                if (clock.nowNs() >= l.untilNs() || !l.node().alive()) {
                    it.remove();
                    l.node().decommission();
                }
            }
        }
    }

    /** After an input to {@code node}: checks, applies what it committed, checks again. */
    void settle(SimNode node) {
        invariants.afterStep(node);
        watchLeaderChanges(node);
        final RaftNode raft = node.raft();
        boolean applied = false;
        while (raft.applyCommitted(APPLY_BATCH) > 0) {
            applied = true;
        }
        if (applied) {
            invariants.afterStep(node);
        }
    }

    /** Runs steps for {@code ms} virtual milliseconds. */
    public void runFor(long ms) {
        final long untilNs = clock.nowNs() + ms * MS;
        while (nextEventNs() <= untilNs) {
            step();
        }
        clock.advanceTo(untilNs);
    }

    /**
     * Runs steps until {@code condition} holds (checked after every step) or {@code maxMs} virtual
     * milliseconds passed.
     *
     * @return whether the condition holds
     */
    public boolean runUntil(BooleanSupplier condition, long maxMs) {
        final long untilNs = clock.nowNs() + maxMs * MS;
        while (!condition.getAsBoolean()) {
            if (nextEventNs() > untilNs) {
                clock.advanceTo(untilNs);
                return condition.getAsBoolean();
            }
            step();
        }
        return true;
    }

    // ------------------------------------------------------------------ faults

    public SimCluster drop(double probability) {
        network.drop(probability);
        return this;
    }

    public SimCluster delay(long baseMs, long jitterMs) {
        network.delay(baseMs, jitterMs);
        return this;
    }

    public SimCluster duplicate(double probability) {
        network.duplicate(probability);
        return this;
    }

    public SimCluster reorder(double probability, long maxExtraMs) {
        network.reorder(probability, maxExtraMs);
        return this;
    }

    /** Slows every message to or from {@code node} by up to {@code maxExtraMs}, until {@link #calm()}. */
    public SimCluster slow(String node, long maxExtraMs) {
        network.slow(node, maxExtraMs);
        return this;
    }

    /** Reliable, fast network and disks again (topology unchanged). */
    public SimCluster calm() {
        network.calm();
        if (diskRandom != null) {
            for (SimNode node : nodes.values()) {
                node.disk().fast();
            }
        }
        return this;
    }

    /**
     * A slow disk: {@code id}'s writes wait up to {@code maxSyncMs} virtual milliseconds for their
     * sync, until {@link #calm()} (nothing without write-behind disks).
     */
    public SimCluster slowDisk(String id, long maxSyncMs) {
        final SimDisk disk = node(id).disk();
        if (disk != null) {
            disk.slow(maxSyncMs);
        }
        return this;
    }

    /** Whether the nodes have write-behind disks ({@link SimDisk}). */
    public boolean writeBehind() {
        return diskRandom != null;
    }

    public void cut(String a, String b) {
        network.cut(a, b);
    }

    public void isolate(String node) {
        network.isolate(node);
    }

    /** Ends the isolation of {@code node} (other cuts and partitions stay). */
    public void rejoin(String node) {
        network.rejoin(node);
    }

    @SafeVarargs
    public final void partition(Set<String>... groups) {
        network.partition(groups);
    }

    /** Removes cuts, isolations and partitions. */
    public void heal() {
        network.heal();
    }

    /**
     * Crashes {@code id}: its node object, state machine and messages are lost; its logs survive
     * (with a write-behind disk, only what it synced).
     */
    public void crash(String id) {
        node(id).crash();
    }

    /**
     * Crashes {@code id} like {@link #crash(String)}, except that each message it sent before
     * crashing still arrives with {@code keepSentProbability} (perhaps after its restart), and
     * messages to it still arrive if it is running again by then.
     */
    public void crash(String id, double keepSentProbability) {
        node(id).crash(keepSentProbability);
    }

    /**
     * From now on, a node removed from the configuration (or whose addition was overwritten) keeps
     * running with {@code probability}, for up to {@code maxMs} virtual milliseconds, still sending
     * whatever it believes (votes, appends, answers) before it stops for good.
     */
    public SimCluster lingerRemoved(double probability, long maxMs) {
        lingerProbability = probability;
        lingerMaxMs = maxMs;
        return this;
    }

    /** Removed nodes that still run. */
    public int lingeringCount() {
        return lingering.size();
    }

    /** Boots {@code id} again on its surviving logs with a fresh state machine. */
    public void restart(String id) {
        node(id).restart(clock.nowNs(), random.split());
    }

    /**
     * Boots {@code id} again like {@link #restart(String)}, with {@code config} instead of the
     * cluster's for this incarnation only (an operator's override, e.g.
     * {@link RaftConfig#skipEmptyLogGuard()}); later restarts use the cluster's again.
     */
    public void restart(String id, RaftConfig config) {
        node(id).restart(clock.nowNs(), random.split(), config);
    }

    /**
     * Heals the network (topology and message quality), then asserts liveness: a leader within 10
     * election timeouts, and within 10 more every live member has committed and applied everything
     * the leader holds. Crashed nodes stay crashed.
     *
     * @throws LivenessFailure when the cluster does not recover in time
     */
    public void stabilize() {
        heal();
        calm();
        final long budgetMs = 10 * config.electionTimeoutMs();
        if (!runUntil(() -> leader() != null, budgetMs)) {
            throw new LivenessFailure("liveness: no leader within " + budgetMs + " ms after healing; " + describe());
        }
        if (!runUntil(this::converged, budgetMs)) {
            throw new LivenessFailure("liveness: live members did not converge on the leader's log within "
                    + budgetMs + " ms after electing it; " + describe());
        }
    }

    /** One leader that every live member follows; everything it holds is committed and applied everywhere. */
    public boolean converged() {
        final SimNode leader = leader();
        if (leader == null) {
            return false;
        }
        final RaftNode l = leader.raft();
        final long commit = l.commitIndex();
        if (commit != l.logs().lastIndex() || l.lastApplied() != commit) {
            return false;
        }
        for (SimNode n : liveMembers()) {
            final RaftNode r = n.raft();
            if (!leader.id().equals(r.leaderId()) || r.commitIndex() != commit || r.lastApplied() != commit) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ membership

    /** Adds a node with a generated id; see {@link #addNode(String)}. */
    public MembershipChange addNode() {
        return addNode("n" + (++nodeCounter));
    }

    /**
     * Starts a fresh node with an empty bootstrap configuration and asks the leader to add it. When
     * the leader refuses, the node is discarded; when the change is later overwritten instead of
     * committed, the node is stopped.
     */
    public MembershipChange addNode(String id) {
        final SimNode leader = leader();
        if (leader == null) {
            return MembershipChange.NOT_LEADER;
        }
        if (nodes.containsKey(id)) {
            throw new IllegalArgumentException("node id already used: " + id);
        }
        final SimNode node = new SimNode(id, config, Membership.of(List.of(), List.of()), network, invariants,
                customizer, newDisk());
        nodes.put(id, node);
        node.start(clock.nowNs(), random.split());
        final RaftNode l = leader.raft();
        final MembershipChange result = l.addPeer(id, addresses ? addressOf(id) : null);
        if (result == MembershipChange.ACCEPTED) {
            pending.add(new PendingChange(id, true, l.logs().lastIndex(), l.term()));
            l.flush();
            settle(leader);
        } else {
            node.decommission();
            nodes.remove(id);
        }
        return result;
    }

    /** Asks the leader to remove {@code id}; once the removal commits, the node is stopped for good. */
    public MembershipChange removeNode(String id) {
        final SimNode leader = leader();
        if (leader == null) {
            return MembershipChange.NOT_LEADER;
        }
        final RaftNode l = leader.raft();
        final MembershipChange result = l.removePeer(id);
        if (result == MembershipChange.ACCEPTED) {
            pending.add(new PendingChange(id, false, l.logs().lastIndex(), l.term()));
            l.flush();
            settle(leader);
        }
        return result;
    }

    /** Asks the leader to hand leadership to {@code id}. */
    public MembershipChange transferLeadership(String id) {
        final SimNode leader = leader();
        if (leader == null) {
            return MembershipChange.NOT_LEADER;
        }
        final MembershipChange result = leader.raft().transferLeadership(id);
        leader.raft().flush();
        settle(leader);
        return result;
    }

    /** The address a node has in a cluster with addresses: a made-up one, the same for the same id. */
    public static String addressOf(String id) {
        return id + ".sim.hamok:7000";
    }

    /** Whether a membership change is in the log with its fate unknown. */
    public boolean changePending() {
        return !pending.isEmpty();
    }

    private void resolvePendingChanges() {
        for (Iterator<PendingChange> it = pending.iterator(); it.hasNext(); ) {
            final PendingChange p = it.next();
            final long committed = invariants.committedTermAt(p.index());
            if (committed == Invariants.NONE) {
                continue;
            }
            it.remove();
            final boolean done = committed == p.term();
            final SimNode node = nodes.get(p.nodeId());
            if (done != p.add() && node != null && !node.removed()) {
                // a committed removal, or an addition that was overwritten: stop the node for good,
                // or let it run on for a while as a removed server that does not know it yet
                retire(node);
            }
        }
    }

    private void retire(SimNode node) {
        if (node.alive() && lingerProbability > 0 && faultRandom.nextDouble() < lingerProbability) {
            node.markRemoved();
            lingering.add(new Lingering(node, clock.nowNs() + (1 + faultRandom.nextLong(lingerMaxMs)) * MS));
        } else {
            node.decommission();
        }
    }

    /**
     * Sees the configuration changes a leader makes on its own (its autopilot): a removal nobody asked
     * for through {@link #removeNode} becomes a pending change like one asked for, so the removed node
     * is stopped once the removal commits; promotions are counted. Allocates nothing without a change.
     */
    private void watchLeaderChanges(SimNode node) {
        final RaftNode raft = node.raft();
        if (raft.role() != RaftRole.LEADER) {
            leaderConfigs.remove(node.id());
            return;
        }
        final Membership m = raft.membership();
        final Membership before = leaderConfigs.put(node.id(), m);
        final long index = raft.membershipIndex();
        if (before == null || before == m || raft.logs().termAt(index) != raft.term()) {
            return;
        }
        for (String id : before.voters()) {
            if (m.isLearner(id) || !m.isMember(id)) {
                removedByLeader(id, index, raft.term());
            }
        }
        for (String id : before.learners()) {
            if (m.isVoter(id)) {
                promotions++;
            } else if (!m.isMember(id)) {
                removedByLeader(id, index, raft.term());
            }
        }
    }

    private void removedByLeader(String id, long index, long term) {
        for (PendingChange p : pending) {
            if (p.nodeId().equals(id) && p.index() == index) {
                return; // asked for through removeNode
            }
        }
        autopilotRemovals++;
        pending.add(new PendingChange(id, false, index, term));
    }

    /** Members removed by a leader on its own (its autopilot), counted when appended. */
    public int autopilotRemovals() {
        return autopilotRemovals;
    }

    /** Learners promoted to voters by a leader, counted when appended. */
    public int promotions() {
        return promotions;
    }

    // ------------------------------------------------------------------ partial heal

    /**
     * Liveness after a partial heal: only {@code group} (a majority of the voters, and any other
     * node the caller wants connected) can talk, within itself, on a reliable network; every other
     * node stays cut off. A leader must appear in the group within 10 election timeouts and then
     * commit (apply) a proposal within 10 more. The topology stays as it is afterwards.
     *
     * @throws LivenessFailure when the group does not elect a leader or commits nothing in time
     */
    public void checkLiveWith(Set<String> group) {
        partition(group);
        calm();
        final long budgetMs = 10 * config.electionTimeoutMs();
        if (!runUntil(() -> leaderIn(group) != null, budgetMs)) {
            throw new LivenessFailure("liveness: no leader within " + budgetMs + " ms among the connected "
                    + group + " (the rest cut off); " + describe());
        }
        final int before = client.acceptedCount();
        final long untilNs = clock.nowNs() + budgetMs * MS;
        long nextProposalNs = 0;
        while (true) {
            for (int i = before; i < client.acceptedCount(); i++) {
                final SimClient.Accepted a = client.accepted().get(i);
                if (invariants.appliedProposalAt(a.index()) == a.proposalId()) {
                    return;
                }
            }
            if (clock.nowNs() > untilNs) {
                throw new LivenessFailure("liveness: the connected " + group + " (the rest cut off) committed no"
                        + " proposal within " + budgetMs + " ms; " + describe());
            }
            final SimNode leader = leaderIn(group);
            if (leader != null && clock.nowNs() >= nextProposalNs) {
                client.proposeTo(leader, 1);
                nextProposalNs = clock.nowNs() + 100 * MS;
            }
            runFor(5);
        }
    }

    /** A node of {@code group} that leads (the one with the highest term), or {@code null}. */
    public SimNode leaderIn(Set<String> group) {
        SimNode best = null;
        for (String id : group) {
            final SimNode n = nodes.get(id);
            if (n != null && n.alive() && n.raft().role() == RaftRole.LEADER
                    && (best == null || n.raft().term() > best.raft().term())) {
                best = n;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ queries

    /** The live node that leads the highest term, or {@code null}. */
    public SimNode leader() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.alive() && n.raft().role() == RaftRole.LEADER
                    && (best == null || n.raft().term() > best.raft().term())) {
                best = n;
            }
        }
        return best;
    }

    /** Every live node that believes it leads (there can be stale ones in other partitions). */
    public List<SimNode> leaders() {
        final List<SimNode> result = new ArrayList<>(2);
        for (SimNode n : nodes.values()) {
            if (n.alive() && n.raft().role() == RaftRole.LEADER) {
                result.add(n);
            }
        }
        return result;
    }

    /** Live nodes that are voters or learners in the leader's configuration (empty without a leader). */
    public List<SimNode> liveMembers() {
        final SimNode leader = leader();
        final List<SimNode> result = new ArrayList<>();
        if (leader == null) {
            return result;
        }
        final Membership m = leader.raft().membership();
        for (SimNode n : nodes.values()) {
            if (n.alive() && m.isMember(n.id())) {
                result.add(n);
            }
        }
        return result;
    }

    public SimNode node(String id) {
        final SimNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
        }
        return node;
    }

    /** Every node ever started, removed ones included, in creation order. */
    public Collection<SimNode> nodes() {
        return nodes.values();
    }

    public long seed() {
        return seed;
    }

    public RaftConfig config() {
        return config;
    }

    public SimClock clock() {
        return clock;
    }

    public long nowNs() {
        return clock.nowNs();
    }

    public SimNetwork network() {
        return network;
    }

    public Invariants invariants() {
        return invariants;
    }

    public SimClient client() {
        return client;
    }

    public long steps() {
        return steps;
    }

    /** One line about the run and every node, for failure messages. */
    public String describe() {
        return "seed " + seed + " at " + SimClock.format(clock.nowNs()) + ", " + steps + " steps, nodes "
                + Arrays.toString(nodes.values().toArray()) + ", network " + network.stats();
    }
}
