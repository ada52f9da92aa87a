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
 * <p>Cheap invariants are checked after every step: at most one leader per term, and commit and
 * applied indexes never go back within an incarnation.
 */
final class HamokSimCluster {
    static final long MS = 1_000_000;
    /** Virtual time of the first step: not 0, so that no "unset" sentinel looks like a time. */
    private static final long START_NS = 1_000_000 * MS;
    private static final long EPOCH_START_MS = 1_700_000_000_000L;

    /** One peer over its incarnations. */
    static final class Node {
        final int index;
        final String id;
        final HamokSimRaftLogs logs;
        private Hamok hamok;
        private AgentInvoker invoker;
        private int incarnation;
        private long lastCommit;
        private long lastApplied;
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
    private long nowNs = START_NS;
    private long steps;
    private boolean addresses;

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
     */
    static RaftConfig defaultRaftConfig() {
        return RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                .snapshotThresholdEntries(100).snapshotChunkBytes(256).maxEntriesPerAppend(64)
                .maxBytesPerAppend(16 * 1024).maxInflightAppends(8).logEntriesExpirationTimeMs(0)
                .deadPeerTimeoutMs(0).build();
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
                .peers(peerIds)
                .peerAddresses(addresses ? addressesOf(peerIds) : Map.of())
                .transport(network.transport(n.id))
                .raftConfig(raftConfig)
                .raftLogs(n.logs)
                .clocks(nanoClock, epochClock)
                .random(new SplittableRandom(seed ^ n.index ^ ((long) n.incarnation << 32)))
                .requestTimeoutMs(2_000)
                .loopSettings(new RaftLoopSettings(256 * 1024, 4096, 1024, 1024, 4096, 2_000))
                .build();
        n.hamok = Hamok.create(config);
        n.incarnation++;
        n.lastCommit = 0;
        n.lastApplied = 0;
        onStart.accept(n);
        n.invoker = n.hamok.startInvoker();
    }

    private static Map<String, String> addressesOf(List<String> ids) {
        final Map<String, String> addresses = new HashMap<>();
        for (String id : ids) {
            addresses.put(id, id + ".sim.hamok:7000");
        }
        return addresses;
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
            final HamokSimTransport transport = (HamokSimTransport) n.hamok.loop().transport();
            final Map<String, String> inForce = n.hamok.loop().node().membership().addresses();
            if (!transport.peers().equals(inForce) || (!addresses && transport.peerUpdates() > 0)) {
                violation(n.id + "#" + n.incarnation + " told its transport " + transport.peers() + " ("
                        + transport.peerUpdates() + " times) but its configuration has " + inForce);
            }
            if (n.hamok.loop().counters().errors() > 0) {
                violation(n.id + " counted loop errors: " + n.hamok.loop().counters());
            }
        }
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
        return liveCount() - 1 >= nodes.size() / 2 + 1;
    }

    /** Heals the topology, calms the network, restarts every crashed peer. */
    void healAll() {
        for (Node n : nodes) {
            n.pausedUntilNs = 0;
        }
        network.heal();
        network.calm();
        network.filter(null);
        for (Node n : nodes) {
            if (!n.alive()) {
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
