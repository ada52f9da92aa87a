// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.Membership;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One randomized simulation run: at least {@link #MIN_VIRTUAL_MS} virtual milliseconds and
 * {@link #MIN_PROPOSALS} accepted proposals under faults chosen by the seeded RNG, every 100 to
 * 1000 virtual ms:
 * <ul>
 *   <li>network: loss, delay, duplication, reordering, very slow links and nodes, partitions,
 *       isolation, cut links, heal and calm;</li>
 *   <li>crashes: one node (the leader now and then), a majority of the nodes or all of them
 *       (restarted later, together or one by one, on their surviving logs), and restarts; a crashed
 *       node's messages in flight may still arrive (all, none or a seeded share), after its restart
 *       too, and messages to it arrive at its next incarnation if they land after the restart;</li>
 *   <li>disks: every node writes behind to a {@link SimDisk} that syncs 0 to 5 virtual ms after a
 *       write, and a crash loses what was not synced; slow disks (one node's or every node's) sync
 *       only up to a few hundred virtual ms after a write, until the next calm;</li>
 *   <li>membership: leadership transfers, and a membership change that keeps 3 to 5 voters and now
 *       and then removes the leader itself; a removed node keeps running (half of them, up to 5
 *       virtual seconds), still campaigning and answering, before it stops for good;</li>
 *   <li>the autopilot, in one seed of {@link #AUTOPILOT_EVERY} ({@link #configFor}): learners are
 *       promoted only after a stabilization time and only up to {@code maxVoters} (the others stay
 *       learners; the scenario then removes a voter and the autopilot promotes a learner in its
 *       place), and members silent for {@code deadPeerTimeoutMs} (crashed, cut off) are removed by
 *       the leader, voters within {@code minQuorumVoters}; a removed node is stopped like one the
 *       scenario removed. In the other seeds a learner is promoted right after its catch-up round and
 *       nobody is removed by the leader on its own;</li>
 *   <li>leader churn (paper Figure 8, the single-server change bug): the leader gets a burst of
 *       proposals nobody else has and, perhaps, a membership change, and is deposed at once
 *       (crashed or isolated, back later); a leader that just changed the voters is deposed now
 *       and then too. A storm of 2 to 6 virtual seconds follows, in 1 ms steps, in which each new
 *       leader may get a membership change at once (a correct core refuses it until its term has a
 *       commit), a burst of proposals, and is deposed right after its first commit or after a few
 *       messages, before its own entries spread; its predecessors and successors then compete;</li>
 *   <li>partial heal: every node restarts, the cluster stabilizes, then only a random majority of
 *       the voters (and the learners) stays connected, some of the others crashed; the majority
 *       must elect a leader and commit ({@link SimCluster#checkLiveWith}). Also once at the end of
 *       every run.</li>
 *   <li>the operator: when a liveness check finds no leader because voters are guarded by the
 *       empty-log guard and no majority can elect without them (docs/design.md §4.9), it restarts
 *       them with {@code skipEmptyLogGuard} and checks again ({@link #withOperatorRemedy}).</li>
 * </ul>
 * Runs last long enough for the age rule of compaction ({@link SimCluster#LOG_EXPIRY_MS}) to fire
 * many times. Then everything is healed and restarted, the cluster must stabilize, and every
 * accepted proposal must be applied everywhere or provably lost. The invariants are checked after
 * every step throughout.
 */
public final class RandomScenario {
    /** Virtual time a run lasts at least. */
    public static final long MIN_VIRTUAL_MS = 60_000;
    /** Accepted proposals a run makes at least. */
    public static final int MIN_PROPOSALS = 2_000;
    /** A run that cannot get its proposals accepted in this much virtual time fails (liveness). */
    public static final long MAX_VIRTUAL_MS = 600_000;

    private static final long MS = 1_000_000;
    /** One seed in this many runs with the whole autopilot on ({@link #configFor}). */
    public static final int AUTOPILOT_EVERY = 5;
    /** A removed node keeps running with this probability ... */
    private static final double LINGER_PROBABILITY = 0.5;
    /** ... for up to this many virtual milliseconds. */
    private static final long LINGER_MAX_MS = 5_000;

    /** Something the scenario does later (a restart, a rejoin), at {@code atNs}; {@code seq} keeps ties in order. */
    private record Action(long atNs, long seq, Runnable run) {
    }

    /**
     * What a run did, for reports: {@code nodesCreated} counts the initial nodes and the ones added
     * later; {@code applied} and {@code lost} split the {@code accepted} proposals;
     * {@code lostWrites} counts the disk writes crashes lost before their sync;
     * {@code operatorRemedies} counts the operator's restarts of guarded voters ({@link #withOperatorRemedy}).
     */
    public record Result(long seed, int nodesCreated, long virtualMs, long steps, int accepted, int applied,
                         int lost, long lostWrites, int operatorRemedies, int promotions, int autopilotRemovals,
                         String network) {
    }

    private final SimCluster cluster;
    /**
     * What the operator restarts guarded voters with: the run's settings and {@code skipEmptyLogGuard},
     * the word that they lost nothing, which holds here (the simulation never loses a disk, only
     * writes not yet synced).
     */
    private final RaftConfig operatorConfig;
    private final SplittableRandom random;
    private final PriorityQueue<Action> actions = new PriorityQueue<>(
            Comparator.comparingLong(Action::atNs).thenComparingLong(Action::seq));
    private long actionSeq;
    /** Until then, the scenario runs in 1 ms steps and may depose every new leader soon after its election. */
    private long stormUntilNs;
    private SimNode watchedLeader;
    private long watchedTerm;
    private Membership watchedMembership;
    /** A new leader to depose after it has handled {@code doomedAfter} more messages (storms only). */
    private String doomed;
    private long doomedTerm;
    private int doomedAfter;
    /** A new leader to depose right after its commit index first moves in its term (storms only). */
    private String doomedAtCommit;
    private long doomedAtCommitTerm;
    private long doomedAtCommitIndex;
    /** How many times the operator restarted guarded voters to end a liveness failure. */
    private int operatorRemedies;

    private RandomScenario(SimCluster cluster) {
        this.cluster = cluster;
        this.operatorConfig = configFor(cluster.seed()).skipEmptyLogGuard(true).build();
        this.random = new SplittableRandom(cluster.seed() * 0x9E3779B97F4A7C15L + 1);
    }

    /**
     * Runs seed {@code seed} on a cluster of {@code nodes} nodes.
     *
     * @param customizer called with every {@link RaftNode} created (e.g. to break it on purpose)
     * @throws AssertionError on a broken invariant ({@link InvariantViolation}) or liveness failure
     */
    public static Result run(long seed, int nodes, Consumer<RaftNode> customizer) {
        return run(seed, nodes, customizer, cluster -> {
        });
    }

    /**
     * Like {@link #run(long, int, Consumer)}, with {@code setup} called on the new cluster before the
     * run (e.g. to install a {@link SimNetwork.Filter} that counts messages).
     */
    public static Result run(long seed, int nodes, Consumer<RaftNode> customizer, Consumer<SimCluster> setup) {
        // A third of the seeds give members addresses; the other seeds replay as before addresses existed.
        final SimCluster cluster = new SimCluster(seed, nodes, configFor(seed).build(), customizer, true,
                seed % 3 == 0);
        setup.accept(cluster);
        return new RandomScenario(cluster).run();
    }

    /**
     * The settings of seed {@code seed}: {@link SimCluster#defaultConfig()}, or for one seed in
     * {@link #AUTOPILOT_EVERY} the whole autopilot, with 3 to 5 voters at most (so some runs keep
     * learners that do not vote), 0.5 to 2 virtual seconds of stabilization and 1.5 to 4 of silence
     * before a member is removed (crashes and isolations last up to 3).
     */
    public static RaftConfig.Builder configFor(long seed) {
        if (seed % AUTOPILOT_EVERY != 1) {
            return SimCluster.defaultConfigBuilder();
        }
        final SplittableRandom r = new SplittableRandom(seed * 31 + 7);
        return SimCluster.autopilotConfigBuilder(3 + r.nextInt(3), 500 + r.nextInt(1500), 1500 + r.nextInt(2500));
    }

    private Result run() {
        cluster.lingerRemoved(LINGER_PROBABILITY, LINGER_MAX_MS);
        cluster.afterDelivery(this::afterDelivery);
        cluster.afterSync(this::afterSync);
        long nextFaultNs = (200 + random.nextInt(800)) * MS;
        final SimClient client = cluster.client();
        while (cluster.nowNs() < MIN_VIRTUAL_MS * MS || client.acceptedCount() < MIN_PROPOSALS) {
            if (cluster.nowNs() > MAX_VIRTUAL_MS * MS) {
                throw new AssertionError("liveness: only " + client.acceptedCount() + " proposals accepted in "
                        + MAX_VIRTUAL_MS + " virtual ms; " + cluster.describe());
            }
            final boolean storm = cluster.nowNs() < stormUntilNs;
            cluster.runFor(storm ? 1 : 1 + random.nextInt(20));
            runDueActions();
            watchLeader(storm);
            if (!storm || random.nextInt(4) == 0) {
                client.propose(random.nextInt(2));
            }
            if (cluster.nowNs() >= nextFaultNs) {
                fault();
                nextFaultNs = cluster.nowNs() + (100 + random.nextInt(900)) * MS;
            }
        }
        actions.clear();
        doomed = null;
        doomedAtCommit = null;
        partialHeal();
        restartAllAndHeal();
        stabilize();
        int probes = 0;
        for (int i = 0; i < 100 && probes < 10; i++) {
            probes += client.propose(10 - probes);
            cluster.runFor(5);
        }
        if (probes == 0) {
            throw new AssertionError("liveness: the stable cluster accepted no proposal; " + cluster.describe());
        }
        stabilize();
        final Liveness.Outcome outcome = Liveness.checkProposals(cluster);
        final SimClient.Accepted last = client.accepted().get(client.acceptedCount() - 1);
        if (cluster.invariants().appliedProposalAt(last.index()) != last.proposalId()) {
            throw new AssertionError("liveness: the last probe " + last + " was not applied on the stable cluster; "
                    + cluster.describe());
        }
        long lostWrites = 0;
        for (SimNode n : cluster.nodes()) {
            lostWrites += n.disk().lostWrites();
        }
        return new Result(cluster.seed(), cluster.nodes().size(), cluster.nowNs() / MS, cluster.steps(),
                client.acceptedCount(), outcome.applied(), outcome.lost(), lostWrites, operatorRemedies,
                cluster.promotions(), cluster.autopilotRemovals(), cluster.network().stats());
    }

    private void fault() {
        final int roll = random.nextInt(100);
        if (roll < 12) {
            cluster.heal();
        } else if (roll < 20) {
            networkQuality();
        } else if (roll < 23) {
            // very slow links: stale messages (old votes, old appends) arrive after timeouts
            cluster.delay(50 + random.nextInt(300), random.nextInt(900)).reorder(0.2, 500);
        } else if (roll < 28) {
            // a node whose votes and acknowledgements arrive after its peers' timeouts
            cluster.slow(randomNode(true), 500 + random.nextInt(2000));
        } else if (roll < 32) {
            partition();
        } else if (roll < 36) {
            cluster.isolate(randomNode(true));
        } else if (roll < 40) {
            cluster.cut(randomNode(true), randomNode(true));
        } else if (roll < 48) {
            crash();
        } else if (roll < 58) {
            restart();
        } else if (roll < 63) {
            transfer();
        } else if (roll < 70) {
            membershipChange(false);
        } else if (roll < 76) {
            massCrash();
        } else if (roll < 87) {
            leaderChurn();
        } else if (roll < 89) {
            partialHeal();
        } else if (roll < 93) {
            slowDisks();
        } else {
            cluster.calm();
        }
    }

    private void runDueActions() {
        while (!actions.isEmpty() && actions.peek().atNs() <= cluster.nowNs()) {
            actions.poll().run().run();
        }
    }

    private void later(long delayMs, Runnable action) {
        actions.add(new Action(cluster.nowNs() + delayMs * MS, actionSeq++, action));
    }

    /** How much of a crashing node's outgoing traffic still arrives: all, none, or a seeded share. */
    private double keepSent() {
        final int r = random.nextInt(4);
        return r == 0 ? 0 : r == 1 ? 1 : random.nextDouble();
    }

    private void crashAndRestartLater(String id, long maxDelayMs) {
        cluster.crash(id, keepSent());
        restartLater(id, random.nextLong(maxDelayMs + 1));
    }

    private void restartLater(String id, long delayMs) {
        later(delayMs, () -> {
            final SimNode n = cluster.node(id);
            if (!n.alive() && !n.removed()) {
                cluster.restart(id);
            }
        });
    }

    /**
     * Watches who leads. A leader that just changed the voters is deposed at once now and then (its
     * change stays uncommitted on few nodes). During a storm, every new leader may get a
     * membership change at once (refused by a correct core: its term has nothing committed yet),
     * a burst of proposals, and may be deposed a few milliseconds after its election, before its
     * own entries reach a majority; then its predecessors, coming back, compete with its successors.
     */
    private void watchLeader(boolean storm) {
        final SimNode leader = cluster.leader();
        if (leader == null) {
            return;
        }
        final RaftNode raft = leader.raft();
        final Membership m = raft.membership();
        final boolean newLeader = leader != watchedLeader || raft.term() != watchedTerm;
        final boolean votersChanged = !newLeader && watchedMembership != null
                && !watchedMembership.voters().equals(m.voters());
        watchedLeader = leader;
        watchedTerm = raft.term();
        watchedMembership = m;
        if (votersChanged && random.nextInt(3) == 0) {
            depose(leader.id(), 0);
            storm(2000 + random.nextInt(4000));
            return;
        }
        if (!storm || !newLeader) {
            return;
        }
        if (random.nextInt(3) == 0) {
            membershipChange(true);
        }
        if (random.nextBoolean()) {
            cluster.client().proposeTo(leader, 1 + random.nextInt(80));
        }
        if (random.nextBoolean()) {
            // deposed right after its first commit: the entries it committed reached a majority,
            // its later ones (perhaps) not
            doomedAtCommit = leader.id();
            doomedAtCommitTerm = raft.term();
            doomedAtCommitIndex = raft.commitIndex();
        } else if (random.nextInt(3) != 0) {
            // deposed between two of its messages: after its first answers, before its entries spread
            doomed = leader.id();
            doomedTerm = raft.term();
            doomedAfter = random.nextInt(6);
            if (doomedAfter == 0) {
                doomed = null;
                depose(leader.id(), 0);
            }
        }
    }

    /** A leader's commit index may move when its own disk syncs (it counts its log once durable). */
    private void afterSync(SimNode node) {
        deposeAtCommit(node);
    }

    private boolean deposeAtCommit(SimNode node) {
        if (doomedAtCommit != null && node.id().equals(doomedAtCommit)) {
            final RaftNode raft = node.raft();
            if (raft == null || raft.term() != doomedAtCommitTerm || node.removed()) {
                doomedAtCommit = null;
            } else if (raft.commitIndex() > doomedAtCommitIndex) {
                doomedAtCommit = null;
                depose(node.id(), 0);
                return true;
            }
        }
        return false;
    }

    private void afterDelivery(SimNode node) {
        if (deposeAtCommit(node)) {
            return;
        }
        if (doomed == null || !node.id().equals(doomed)) {
            return;
        }
        final RaftNode raft = node.raft();
        if (raft == null || raft.term() != doomedTerm || node.removed()) {
            doomed = null;
        } else if (--doomedAfter <= 0) {
            doomed = null;
            depose(node.id(), 0);
        }
    }

    private void storm(long ms) {
        stormUntilNs = Math.max(stormUntilNs, cluster.nowNs() + ms * MS);
    }

    /** Crashes {@code id} (restarted later) or isolates it (rejoining later). */
    private void depose(String id, long minDownMs) {
        final long downMs = minDownMs + 20 + random.nextInt(1500);
        if (random.nextBoolean()) {
            cluster.crash(id, keepSent());
            restartLater(id, downMs);
        } else {
            cluster.isolate(id);
            later(downMs, () -> cluster.rejoin(id));
        }
    }

    /**
     * The leader gets a burst of proposals (an old-term tail nobody else has), perhaps a membership
     * change, and is deposed at once; a storm follows in which the next leaders are deposed soon
     * after their elections too (paper Figure 8; the single-server change bug).
     */
    private void leaderChurn() {
        final SimNode leader = cluster.leader();
        if (leader == null) {
            return;
        }
        if (random.nextInt(4) != 0) {
            cluster.client().proposeTo(leader, 1 + random.nextInt(80));
        }
        if (random.nextInt(3) == 0) {
            membershipChange(false);
        }
        depose(leader.id(), 0);
        storm(2000 + random.nextInt(4000));
    }

    /** Crashes a majority of the voters, or every node, and restarts them later, together or one by one. */
    private void massCrash() {
        final List<String> live = new ArrayList<>();
        for (SimNode n : cluster.nodes()) {
            if (n.alive() && !n.removed()) {
                live.add(n.id());
            }
        }
        if (live.isEmpty()) {
            return;
        }
        shuffle(live);
        final int count = random.nextInt(3) == 0 ? live.size() : Math.min(live.size(), live.size() / 2 + 1);
        final boolean together = random.nextBoolean();
        final long delayMs = random.nextInt(3000);
        for (String id : live.subList(0, count)) {
            cluster.crash(id, keepSent());
            restartLater(id, together ? delayMs : random.nextInt(3000));
        }
    }

    /**
     * Liveness after a partial heal: restarts every crashed node and stabilizes the cluster, then
     * keeps only a random majority of the voters (and the learners) connected, the rest cut off
     * (some of them crashed); the majority must elect a leader and commit. The faults go on after.
     */
    private void partialHeal() {
        doomed = null;
        doomedAtCommit = null;
        restartAllAndHeal();
        stabilize();
        final Membership m = cluster.leader().raft().membership();
        final List<String> voters = new ArrayList<>(m.voters());
        if (voters.size() < 3) {
            return;
        }
        shuffle(voters);
        final int size = m.quorum() + random.nextInt(voters.size() - m.quorum());
        final Set<String> group = new HashSet<>(voters.subList(0, size));
        group.addAll(m.learners());
        for (String id : voters.subList(size, voters.size())) {
            if (random.nextBoolean()) {
                cluster.crash(id, keepSent());
            }
        }
        checkLiveWith(group);
    }

    /** {@link SimCluster#stabilize()} (every node that is not removed talks), with {@link #withOperatorRemedy}. */
    private void stabilize() {
        withOperatorRemedy(new HashSet<>(liveOrCrashedIds()), cluster::stabilize);
    }

    /** {@link SimCluster#checkLiveWith}, with {@link #withOperatorRemedy}. */
    private void checkLiveWith(Set<String> group) {
        withOperatorRemedy(group, () -> cluster.checkLiveWith(group));
    }

    /**
     * Runs a liveness check in which the nodes of {@code group} talk. When it fails without a leader
     * because guarded voters keep every majority from electing ({@link #guardedVotersBlocking}), the
     * operator applies the documented remedy (docs/design.md §4.9): restarts those voters with
     * {@link #operatorConfig}, keeping their disks; then the check runs again with its full budget.
     * Any other liveness failure, or a second one, fails the run; invariant violations pass through.
     */
    private void withOperatorRemedy(Set<String> group, Runnable check) {
        try {
            check.run();
        } catch (SimCluster.LivenessFailure failure) {
            final List<String> guarded = guardedVotersBlocking(group);
            if (guarded.isEmpty()) {
                throw failure;
            }
            for (String id : guarded) {
                cluster.crash(id);
                cluster.restart(id, operatorConfig);
            }
            operatorRemedies++;
            try {
                check.run();
            } catch (SimCluster.LivenessFailure again) {
                again.addSuppressed(failure);
                throw again;
            }
        }
    }

    /**
     * The live voters of {@code group} that the empty-log guard holds, when that is why the group has
     * no leader; otherwise none. The configuration in force is the latest one of the group's most
     * up-to-date member (whom the others would elect, paper §5.4.1): the guard is to blame when its
     * voters in the group make a majority, but not without the guarded ones.
     */
    private List<String> guardedVotersBlocking(Set<String> group) {
        if (cluster.leaderIn(group) != null) {
            return List.of();
        }
        RaftNode latest = null;
        for (SimNode n : cluster.nodes()) {
            if (n.alive() && !n.removed() && group.contains(n.id())
                    && (latest == null || moreUpToDate(n.raft(), latest))) {
                latest = n.raft();
            }
        }
        if (latest == null) {
            return List.of();
        }
        final Membership m = latest.membership();
        final List<String> guarded = new ArrayList<>();
        int unguarded = 0;
        for (String v : m.voters()) {
            final SimNode n = cluster.node(v);
            if (n.alive() && !n.removed() && group.contains(v)) {
                if (n.raft().emptyLogGuarded()) {
                    guarded.add(v);
                } else {
                    unguarded++;
                }
            }
        }
        return unguarded < m.quorum() && unguarded + guarded.size() >= m.quorum() ? guarded : List.of();
    }

    /** Paper §5.4.1: {@code a}'s log ends in a later term than {@code b}'s, or in the same term and further. */
    private static boolean moreUpToDate(RaftNode a, RaftNode b) {
        final long aLast = a.logs().lastIndex();
        final long bLast = b.logs().lastIndex();
        final long aTerm = a.logs().termAt(aLast);
        final long bTerm = b.logs().termAt(bLast);
        return aTerm > bTerm || (aTerm == bTerm && aLast > bLast);
    }

    private void restartAllAndHeal() {
        cluster.heal();
        cluster.calm();
        for (SimNode n : cluster.nodes()) {
            if (!n.alive() && !n.removed()) {
                cluster.restart(n.id());
            }
        }
    }

    /** One disk, or every disk, syncs up to a few hundred virtual ms after a write, until the next calm. */
    private void slowDisks() {
        final long maxSyncMs = 20 + random.nextInt(400);
        if (random.nextInt(3) == 0) {
            for (String id : liveOrCrashedIds()) {
                cluster.slowDisk(id, maxSyncMs);
            }
        } else {
            final String id = randomNode(true);
            if (id != null) {
                cluster.slowDisk(id, maxSyncMs);
            }
        }
    }

    private void networkQuality() {
        final double[] drops = {0, 0.01, 0.05, 0.15, 0.3};
        final double[] duplicates = {0, 0.01, 0.05, 0.2};
        final long[] jitters = {0, 5, 20, 100};
        cluster.drop(drops[random.nextInt(drops.length)])
                .duplicate(duplicates[random.nextInt(duplicates.length)])
                .delay(random.nextInt(6), jitters[random.nextInt(jitters.length)])
                .reorder(random.nextInt(3) == 0 ? 0.1 : 0, 50);
    }

    private void partition() {
        final List<String> ids = liveOrCrashedIds();
        shuffle(ids);
        final int cut = 1 + random.nextInt(Math.max(1, ids.size() - 1));
        final Set<String> a = new HashSet<>(ids.subList(0, cut));
        final Set<String> b = new HashSet<>(ids.subList(cut, ids.size()));
        cluster.partition(a, b);
    }

    private void crash() {
        final SimNode leader = cluster.leader();
        if (leader == null) {
            return;
        }
        final Membership m = leader.raft().membership();
        int liveVoters = 0;
        for (String v : m.voters()) {
            if (cluster.node(v).alive()) {
                liveVoters++;
            }
        }
        if (liveVoters - 1 < m.quorum()) {
            return;
        }
        // the leader, sometimes, or any live node
        final String victim = random.nextInt(3) == 0 ? leader.id() : randomNode(false);
        if (victim != null) {
            cluster.crash(victim, keepSent());
        }
    }

    private void restart() {
        final List<String> crashed = new ArrayList<>();
        for (SimNode n : cluster.nodes()) {
            if (!n.alive() && !n.removed()) {
                crashed.add(n.id());
            }
        }
        if (!crashed.isEmpty()) {
            cluster.restart(crashed.get(random.nextInt(crashed.size())));
        }
    }

    private void transfer() {
        final SimNode leader = cluster.leader();
        if (leader == null) {
            return;
        }
        final List<String> voters = new ArrayList<>(leader.raft().membership().voters());
        voters.remove(leader.id());
        if (!voters.isEmpty()) {
            cluster.transferLeadership(voters.get(random.nextInt(voters.size())));
        }
    }

    /**
     * Adds a node or removes a voter (the leader itself now and then), keeping 3 to 5 voters. Not
     * {@code eager}: only when no change is pending and there is no learner, unless the learners
     * are kept by the autopilot (the voters are at {@code maxVoters}): then a voter is removed, and
     * the autopilot promotes a learner in its place. {@code eager}: right now, whatever the
     * simulation knows to be pending; the leader decides (and a removal prefers a voter the leader
     * does not hear from, as an operator removing a dead server would).
     */
    private void membershipChange(boolean eager) {
        final SimNode leader = cluster.leader();
        if (leader == null || (!eager && cluster.changePending())) {
            return;
        }
        final Membership m = leader.raft().membership();
        final boolean learners = !m.learners().isEmpty();
        final int voters = m.voters().size();
        final boolean parked = learners && voters >= cluster.config().maxVoters();
        if (learners && !eager && !parked) {
            return;
        }
        final boolean add = !parked && (voters <= 3 || (voters < 5 && random.nextBoolean()));
        if (add) {
            if (!learners && voters < 5) {
                cluster.addNode();
            }
            return;
        }
        final List<String> candidates = new ArrayList<>(m.voters());
        if (random.nextInt(4) != 0) {
            candidates.remove(leader.id());
        }
        if (eager) {
            final List<String> unreachable = new ArrayList<>();
            for (String v : candidates) {
                final SimNode n = cluster.node(v);
                if (!n.alive() || !cluster.network().connected(leader.id(), v)) {
                    unreachable.add(v);
                }
            }
            if (!unreachable.isEmpty() && random.nextBoolean()) {
                cluster.removeNode(unreachable.get(random.nextInt(unreachable.size())));
                return;
            }
        }
        cluster.removeNode(candidates.get(random.nextInt(candidates.size())));
    }

    /** A random node that is not removed; only live ones when {@code includeCrashed} is false (null if none). */
    private String randomNode(boolean includeCrashed) {
        final List<String> ids = new ArrayList<>();
        for (SimNode n : cluster.nodes()) {
            if (!n.removed() && (includeCrashed || n.alive())) {
                ids.add(n.id());
            }
        }
        return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
    }

    private List<String> liveOrCrashedIds() {
        final List<String> ids = new ArrayList<>();
        for (SimNode n : cluster.nodes()) {
            if (!n.removed()) {
                ids.add(n.id());
            }
        }
        return ids;
    }

    private void shuffle(List<String> ids) {
        for (int i = ids.size() - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            ids.set(j, ids.set(i, ids.get(j)));
        }
    }
}
