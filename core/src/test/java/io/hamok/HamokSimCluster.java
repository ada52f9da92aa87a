// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.loop.RaftLoopSettings;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftRole;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Three or five whole {@link Hamok} instances on one thread and virtual time (DESIGN.md §10,
 * layer 2): shared Agrona cached clocks advanced in 1 ms steps; each {@link #step()} advances the
 * clocks, delivers the frames due on the {@link HamokSimNetwork}, and runs one duty cycle of every
 * live instance (a random one of them twice, so the interleavings vary). Every random choice comes
 * from the seed.
 *
 * <p>Crash is {@link Hamok#close()} (loop and transport); restart is a new {@link Hamok} with the same
 * {@link HamokSimRaftLogs} (the in-memory log plays the disk) and a new transport on the same
 * network; the instance rebuilds its storages from snapshot and log.
 *
 * <p>Membership (issue 11): the first peers are the bootstrap voters ("founders"); {@link #addJoiner}
 * starts an instance with a new id that joins through seeds ({@link Hamok#join}), {@link #leave} calls
 * {@link Hamok#leave} (the instance closes itself between two steps, and is never restarted: it has
 * "departed"), and {@link #rejoin} starts a departed id again, on an empty disk, through seeds.
 *
 * <p>Cheap invariants are checked after every step: at most one leader per term, commit and applied
 * indexes never go back within an incarnation, no log holds two configuration entries above the
 * highest commit index seen (one change at a time), and no two peers commit different configuration
 * entries at one index.
 */
final class HamokSimCluster {
    static final long MS = 1_000_000;
    /** Virtual time of the first step: not 0, so that no "unset" sentinel looks like a time. */
    private static final long START_NS = 1_000_000 * MS;
    private static final long EPOCH_START_MS = 1_700_000_000_000L;
    /** How long a joiner waits to be a member (virtual ms). */
    static final long JOIN_TIMEOUT_MS = 10_000;

    /** One peer over its incarnations. */
    static final class Node {
        final int index;
        final String id;
        HamokSimRaftLogs logs;
        /** One of the bootstrap voters; the others join through {@link #seeds}. */
        private boolean founder = true;
        private List<String> seeds = List.of();
        /** Its {@link Hamok#leave} was called (or it gave up joining): never restarted. */
        private boolean departed;
        /** The latest join through seeds, or null. */
        private java.util.concurrent.CompletableFuture<Void> joined;
        private Hamok hamok;
        private AgentInvoker invoker;
        private int incarnation;
        private long lastCommit;
        private long lastApplied;
        /** The commit index up to which this incarnation's configuration entries were recorded. */
        private long configsChecked;
        private long pausedUntilNs;

        Node(int index, String id, HamokSimRaftLogs logs) {
            this.index = index;
            this.id = id;
            this.logs = logs;
        }

        Hamok hamok() {
            return hamok;
        }

        boolean alive() {
            return hamok != null && !hamok.isClosed();
        }

        boolean departed() {
            return departed;
        }

        boolean founder() {
            return founder;
        }

        /** The latest join through seeds of this peer, or null (a founder). */
        java.util.concurrent.CompletableFuture<Void> joined() {
            return joined;
        }

        /** 1 for the first start, +1 for every restart. */
        int incarnation() {
            return incarnation;
        }

        @Override
        public String toString() {
            if (!alive()) {
                return id + "#" + incarnation + "(down)";
            }
            return id + "#" + incarnation + "(" + hamok.state() + " term=" + hamok.loop().term() + " commit="
                    + hamok.loop().commitIndex() + " applied=" + hamok.loop().lastApplied() + " leader="
                    + hamok.leaderId() + ")";
        }
    }

    private final long seed;
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final SplittableRandom random;
    private final HamokSimNetwork network;
    private final HamokSimRaftLogs.Ground ground = new HamokSimRaftLogs.Ground();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> peerIds = new ArrayList<>();
    private final RaftConfig raftConfig;
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private Consumer<Node> onStart = n -> {
    };
    /** What {@link Hamok#leave} hands its closer: run after the step that completed it. */
    private final List<Runnable> deferred = new ArrayList<>();
    /** The highest commit index any peer reached: every configuration entry below it is committed. */
    private long highestCommit;
    /** Index to term of every configuration entry some peer holds at or below its commit index. */
    private final Map<Long, Long> committedConfigs = new HashMap<>();
    private long nowNs = START_NS;
    private long steps;
    private boolean addresses;
    /** A peer joined or left: crashes then count the voters of the configuration, not the peers. */
    private boolean membershipChanged;

    HamokSimCluster(long seed, int size) {
        this(seed, size, defaultRaftConfig());
    }

    HamokSimCluster(long seed, int size, RaftConfig raftConfig) {
        this.seed = seed;
        this.raftConfig = raftConfig;
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        nanoClock.update(nowNs);
        epochClock.update(EPOCH_START_MS);
        this.network = new HamokSimNetwork(nanoClock, new SplittableRandom(seed * 31 + 7));
        for (int i = 0; i < size; i++) {
            peerIds.add("peer-" + i);
        }
        for (int i = 0; i < size; i++) {
            nodes.add(new Node(i, peerIds.get(i), new HamokSimRaftLogs(peerIds.get(i), ground)));
        }
    }

    /**
     * Timings for virtual time: a leader is elected within about a second, a quorum loss noticed
     * within 600 ms; snapshots every 100 entries and small chunks, so that lagging and restarted
     * peers catch up by multi-chunk snapshots.
     */
    /**
     * Fast timings and small snapshots. The autopilot removes nobody: this simulation does not model
     * removed members (a crashed peer always comes back as a member); {@code RandomScenario} covers it.
     * A learner is promoted after one catch-up round ({@code stabilizationMs} 0), as the membership
     * scenarios expect; {@code RandomScenario} covers the stabilization time.
     */
    static RaftConfig defaultRaftConfig() {
        return RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .snapshotThresholdEntries(100).snapshotChunkBytes(256).maxEntriesPerAppend(64)
                .maxBytesPerAppend(16 * 1024).maxInflightAppends(8).logEntriesExpirationTimeMs(0)
                .deadPeerTimeoutMs(0).stabilizationMs(0).build();
    }

    /**
     * Called with every new incarnation before it starts (to open storages and add listeners); actions
     * added later run after the earlier ones.
     */
    void onStart(Consumer<Node> action) {
        this.onStart = this.onStart.andThen(action);
    }

    /**
     * Gives the peers addresses (in the first configuration); every step then checks that each live
     * instance told its transport exactly the addresses of the configuration it uses. Before {@link #start()}.
     */
    void withAddresses(boolean addresses) {
        this.addresses = addresses;
    }

    /** Starts every peer. */
    void start() {
        for (Node n : nodes) {
            startIncarnation(n);
        }
    }

    private void startIncarnation(Node n) {
        final HamokConfig config = HamokConfig.builder()
                .peerId(n.id)
                .peers(n.founder ? peerIds : List.of())
                .peerAddresses(addresses && n.founder ? addressesOf(peerIds) : Map.of())
                .transport(network.transport(n.id, addresses ? addressOf(n.id) : null,
                        n.founder ? java.util.Set.copyOf(peerIds) : java.util.Set.of(), givenSeeds(n), this::seedService))
                .raftConfig(raftConfig)
                .raftLogs(n.logs)
                .clocks(nanoClock, epochClock)
                .random(new SplittableRandom(seed ^ n.index ^ ((long) n.incarnation << 32)))
                .requestTimeoutMs(2_000)
                .loopSettings(new RaftLoopSettings(256 * 1024, 4096, 1024, 1024, 4096, 2_000))
                .build();
        n.hamok = Hamok.create(config);
        n.hamok.closer(deferred::add);
        n.incarnation++;
        n.lastCommit = 0;
        n.lastApplied = 0;
        n.configsChecked = 0;
        onStart.accept(n);
        n.invoker = n.hamok.startInvoker();
        if (!n.founder) {
            n.joined = n.hamok.join(java.time.Duration.ofMillis(JOIN_TIMEOUT_MS)); // through seeds, as its process would
        }
    }

    // ------------------------------------------------------------------ membership

    /** The seeds a joiner was given (none for a founder). */
    private static java.util.function.Supplier<java.util.Set<String>> givenSeeds(Node n) {
        final java.util.Set<String> given = java.util.Set.copyOf(n.seeds);
        return () -> given;
    }

    /**
     * The seeds of a member that lost the cluster (it dials them again): once the membership changed,
     * the members of the latest configuration that run, as a DNS name that names the current members
     * would; none before (the legacy scenario replays as it did).
     */
    private java.util.Set<String> seedService() {
        if (!membershipChanged) {
            return java.util.Set.of();
        }
        final java.util.Set<String> running = new java.util.HashSet<>();
        final io.hamok.raft.Membership m = latestConfiguration();
        for (Node other : nodes) {
            if (other.alive() && !other.departed && m.isMember(other.id)) {
                running.add(other.id);
            }
        }
        return running;
    }

    /** Starts a new peer that joins through {@code seeds} (peer ids; needs {@link #withAddresses}). */
    Node addJoiner(String id, List<String> seeds) {
        final Node n = new Node(nodes.size(), id, new HamokSimRaftLogs(id, ground));
        n.founder = false;
        n.seeds = List.copyOf(seeds);
        nodes.add(n);
        membershipChanged = true;
        startIncarnation(n);
        return n;
    }

    /** Starts a departed peer again, a new member on an empty disk, joining through {@code seeds}. */
    Node rejoin(Node n, List<String> seeds) {
        if (!n.departed || n.alive()) {
            throw new IllegalStateException(n.id + " has not left");
        }
        n.departed = false;
        n.founder = false;
        n.seeds = List.copyOf(seeds);
        n.logs = new HamokSimRaftLogs(n.id, ground);
        startIncarnation(n);
        return n;
    }

    /** {@link Hamok#leave}: the peer departs whatever the outcome (it closes itself). */
    java.util.concurrent.CompletableFuture<Void> leave(Node n, long timeoutMs) {
        n.departed = true;
        membershipChanged = true;
        return n.hamok.leave(java.time.Duration.ofMillis(timeoutMs));
    }

    /** Gives up on a peer (a join that failed): closes it; it departs. */
    void abandon(Node n) {
        n.departed = true;
        crash(n);
    }

    private static Map<String, String> addressesOf(List<String> ids) {
        final Map<String, String> addresses = new HashMap<>();
        for (String id : ids) {
            addresses.put(id, addressOf(id));
        }
        return addresses;
    }

    /** Where the simulation says {@code id} is reached. */
    static String addressOf(String id) {
        return id + ".sim.hamok:7000";
    }

    // ------------------------------------------------------------------ time

    /** One millisecond: clocks, due frames, one duty cycle of every live instance (some twice). */
    void step() {
        nowNs += MS;
        nanoClock.update(nowNs);
        epochClock.update(EPOCH_START_MS + (nowNs - START_NS) / MS);
        network.deliverDue(nowNs);
        final int size = nodes.size();
        final int first = random.nextInt(size);
        final int twice = random.nextInt(2 * size);
        for (int k = 0; k < size; k++) {
            final Node n = nodes.get((first + k) % size);
            if (n.alive() && n.pausedUntilNs <= nowNs) {
                dutyCycle(n);
                if (n.index == twice) {
                    dutyCycle(n);
                }
            }
        }
        if (!deferred.isEmpty()) {
            final List<Runnable> due = new ArrayList<>(deferred);
            deferred.clear();
            due.forEach(Runnable::run); // a leave closing its instance, off the duty cycle as on a real thread
        }
        steps++;
        checkStep();
    }

    /**
     * One duty cycle, as {@link AgentInvoker#invoke()} runs it, but calling the agent directly so that
     * an exception fails the run with its stack trace instead of being counted and logged.
     */
    private static void dutyCycle(Node n) {
        if (!n.invoker.isRunning()) {
            throw new AssertionError(n.id + ": the invoker of a live instance is not running");
        }
        try {
            n.hamok.loop().doWork();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(n.id + "#" + n.incarnation + ": the duty cycle threw", e);
        }
    }

    void runFor(long ms) {
        for (long i = 0; i < ms; i++) {
            step();
        }
    }

    /** Steps until {@code condition} holds; false if it did not within {@code maxMs}. */
    boolean runUntil(BooleanSupplier condition, long maxMs) {
        for (long i = 0; i < maxMs; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            step();
        }
        return condition.getAsBoolean();
    }

    private void checkStep() {
        for (Node n : nodes) {
            if (!n.alive()) {
                continue;
            }
            final long term = n.hamok.loop().term();
            if (n.hamok.state() == RaftRole.LEADER) {
                final String known = leaderOfTerm.putIfAbsent(term, n.id);
                if (known != null && !known.equals(n.id)) {
                    violation("two leaders in term " + term + ": " + known + " and " + n.id);
                }
            }
            final long commit = n.hamok.loop().commitIndex();
            final long applied = n.hamok.loop().lastApplied();
            if (commit < n.lastCommit || applied < n.lastApplied) {
                violation(n.id + "#" + n.incarnation + " went back: commit " + n.lastCommit + " -> " + commit
                        + ", applied " + n.lastApplied + " -> " + applied);
            }
            if (applied > commit) {
                violation(n.id + " applied " + applied + " beyond its commit index " + commit);
            }
            n.lastCommit = commit;
            n.lastApplied = applied;
            checkTransport(n);
            checkConfigurations(n);
            if (n.hamok.loop().counters().errors() > 0) {
                violation(n.id + " counted loop errors: " + n.hamok.loop().counters());
            }
        }
    }

    /**
     * A member told its transport exactly the addresses of the configuration it uses, plus, while it
     * keeps them reachable, peers an earlier configuration had (leaving: see PeerAddresses); never
     * anything without addresses. A peer that is not a member of its own configuration (joining, or
     * removed) is not checked: its joining told the transport what the answer named.
     */
    private void checkTransport(Node n) {
        final HamokSimTransport transport = (HamokSimTransport) n.hamok.loop().transport();
        final io.hamok.raft.Membership m = n.hamok.loop().node().membership();
        final Map<String, String> inForce = m.addresses();
        if (!addresses) {
            if (transport.peerUpdates() > 0) {
                violation(n.id + "#" + n.incarnation + " told its transport " + transport.peers() + " without addresses");
            }
            return;
        }
        if (!m.isMember(n.id) || transport.peers().equals(inForce)) {
            return;
        }
        final Map<String, String> extra = new HashMap<>(transport.peers());
        extra.keySet().removeAll(inForce.keySet());
        boolean ok = transport.peers().entrySet().containsAll(inForce.entrySet());
        for (Map.Entry<String, String> e : extra.entrySet()) {
            ok &= !m.isMember(e.getKey()) && addressOf(e.getKey()).equals(e.getValue());
        }
        if (!ok) {
            violation(n.id + "#" + n.incarnation + " told its transport " + transport.peers() + " ("
                    + transport.peerUpdates() + " times) but its configuration has " + inForce);
        }
    }

    /**
     * One change at a time: no log holds two configuration entries above the highest commit index any
     * peer reached (a leader appends one only once the previous one is committed, and a follower's
     * commit index follows the leader's), and peers commit the same configuration entry at an index.
     */
    private void checkConfigurations(Node n) {
        final long commit = n.hamok.loop().commitIndex();
        highestCommit = Math.max(highestCommit, commit);
        final java.util.NavigableSet<Long> configs = n.logs.configIndexes();
        if (configs.tailSet(highestCommit, false).size() > 1) {
            violation(n.id + "#" + n.incarnation + " holds configuration entries at " + configs.tailSet(highestCommit,
                    false) + ", more than one above the highest commit index " + highestCommit);
        }
        if (commit > n.configsChecked) {
            for (long index : configs.subSet(n.configsChecked, false, commit, true)) {
                final long term = n.logs.termAt(index);
                final Long known = committedConfigs.putIfAbsent(index, term);
                if (known != null && known != term) {
                    violation(n.id + "#" + n.incarnation + " committed the configuration entry of term " + term
                            + " at index " + index + ", another peer the one of term " + known);
                }
            }
            n.configsChecked = commit;
        }
    }

    /** Index to term of the configuration entries peers held at or below their commit index. */
    Map<Long, Long> committedConfigs() {
        return committedConfigs;
    }

    private void violation(String message) {
        if (violations.size() < 20) {
            violations.add("t=" + virtualMs() + "ms " + message);
        }
    }

    // ------------------------------------------------------------------ faults

    /** Closes the instance (loop and transport): its pending futures fail with HamokClosedException. */
    void crash(Node n) {
        if (n.alive()) {
            n.hamok.close();
        }
    }

    /** A new instance for the peer, on the same log, with a new transport. */
    void restart(Node n) {
        if (n.alive()) {
            throw new IllegalStateException(n.id + " is running");
        }
        startIncarnation(n);
    }

    /**
     * Stops running the peer's duty cycles for {@code ms} (a long GC pause or a stalled VM): frames
     * pile up in its inbound buffer and its clock jumps when it resumes.
     */
    void pause(Node n, long ms) {
        n.pausedUntilNs = nowNs + ms * MS;
    }

    /** Whether crashing one more voter still leaves a quorum running. */
    boolean canCrashOneMore() {
        if (!membershipChanged) {
            return liveCount() - 1 >= nodes.size() / 2 + 1;
        }
        final io.hamok.raft.Membership m = latestConfiguration();
        return liveVoters(m) - 1 >= m.quorum();
    }

    /** The configuration of the live peer whose latest configuration entry is the highest (a fair guess of the cluster's). */
    io.hamok.raft.Membership latestConfiguration() {
        io.hamok.raft.Membership best = null;
        long bestIndex = -1;
        for (Node n : nodes) {
            if (n.alive() && n.hamok.loop().node().membershipIndex() > bestIndex
                    && n.hamok.loop().node().membership().voters().size() > 0) {
                bestIndex = n.hamok.loop().node().membershipIndex();
                best = n.hamok.loop().node().membership();
            }
        }
        return best != null ? best : io.hamok.raft.Membership.of(peerIds, List.of());
    }

    /**
     * How many voters of {@code m} run, will stay, and may vote for a leader with a log: not those
     * leaving, nor those held by the empty-log guard (design §4.9: a voter that never held a leader's
     * log votes only for candidates with an empty log, so a majority that needs it elects nobody once
     * the others have one).
     */
    int liveVoters(io.hamok.raft.Membership m) {
        int live = 0;
        for (Node n : nodes) {
            live += n.alive() && !n.departed && m.isVoter(n.id) && !n.hamok.loop().node().emptyLogGuarded() ? 1 : 0;
        }
        return live;
    }

    /** The peer with that id, or null. */
    Node node(String id) {
        for (Node n : nodes) {
            if (n.id.equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** Heals the topology, calms the network, restarts every crashed peer that has not departed. */
    void healAll() {
        for (Node n : nodes) {
            n.pausedUntilNs = 0;
        }
        network.heal();
        network.calm();
        network.filter(null);
        for (Node n : nodes) {
            if (!n.alive() && !n.departed) {
                restart(n);
            }
        }
    }

    /**
     * Steps until there is one leader that every live peer follows and every live peer has applied
     * the leader's commit index, for at least {@code quietMs} in a row; false after {@code maxMs}.
     */
    boolean stabilize(long quietMs, long maxMs) {
        long quiet = 0;
        for (long i = 0; i < maxMs; i++) {
            quiet = settled() ? quiet + 1 : 0;
            if (quiet >= quietMs) {
                return true;
            }
            step();
        }
        return false;
    }

    boolean settled() {
        final Node leader = leader();
        if (leader == null) {
            return false;
        }
        final long commit = leader.hamok.loop().commitIndex();
        for (Node n : nodes) {
            if (n.alive() && (!leader.id.equals(n.hamok.leaderId()) || n.hamok.loop().lastApplied() != commit
                    || n.hamok.loop().commitIndex() != commit)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ views

    /** The live leader of the highest term, or null. */
    Node leader() {
        Node best = null;
        for (Node n : nodes) {
            if (n.alive() && n.hamok.isLeader() && (best == null || n.hamok.loop().term() > best.hamok.loop().term())) {
                best = n;
            }
        }
        return best;
    }

    List<Node> nodes() {
        return nodes;
    }

    Node node(int index) {
        return nodes.get(index);
    }

    List<Node> liveNodes() {
        final List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.alive()) {
                out.add(n);
            }
        }
        return out;
    }

    int liveCount() {
        return liveNodes().size();
    }

    HamokSimNetwork network() {
        return network;
    }

    HamokSimRaftLogs.Ground ground() {
        return ground;
    }

    /**
     * The committed log: entries 1..commitIndex of the leader of the highest term, rebuilt from what
     * the peers appended (the leader's own log is compacted); throws when no node leads.
     */
    List<HamokSimRaftLogs.Ground.Entry> committedLog() {
        final Node leader = leader();
        if (leader == null) {
            throw new AssertionError("no leader: " + describe());
        }
        final long commitIndex = leader.hamok.loop().commitIndex();
        return ground.committed(commitIndex, leader.logs.termAt(commitIndex));
    }

    List<String> violations() {
        return violations;
    }

    long seed() {
        return seed;
    }

    long steps() {
        return steps;
    }

    long virtualMs() {
        return (nowNs - START_NS) / MS;
    }

    String describe() {
        return "seed=" + seed + " t=" + virtualMs() + "ms nodes=" + nodes + " network: " + network.stats();
    }
}
