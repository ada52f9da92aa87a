package io.hamok.sim;

import io.hamok.raft.Membership;
import io.hamok.raft.RaftNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One randomized simulation run: at least {@link #MIN_VIRTUAL_MS} virtual milliseconds and
 * {@link #MIN_PROPOSALS} accepted proposals under faults chosen by the seeded RNG (loss, delay,
 * duplication, reordering, very slow links and nodes, partitions, isolation, cut links, crash and restart,
 * leadership transfers, and now and then a membership change that keeps 3 to 5 voters); then
 * everything is healed and restarted, the cluster must stabilize, and every accepted proposal must
 * be applied everywhere or provably lost. The invariants are checked after every step throughout.
 */
public final class RandomScenario {
    /** Virtual time a run lasts at least. */
    public static final long MIN_VIRTUAL_MS = 60_000;
    /** Accepted proposals a run makes at least. */
    public static final int MIN_PROPOSALS = 2_000;
    /** A run that cannot get its proposals accepted in this much virtual time fails (liveness). */
    public static final long MAX_VIRTUAL_MS = 600_000;

    private static final long MS = 1_000_000;

    /**
     * What a run did, for reports: {@code nodesCreated} counts the initial nodes and the ones added
     * later; {@code applied} and {@code lost} split the {@code accepted} proposals.
     */
    public record Result(long seed, int nodesCreated, long virtualMs, long steps, int accepted, int applied,
                         int lost, String network) {
    }

    private final SimCluster cluster;
    private final SplittableRandom random;

    private RandomScenario(SimCluster cluster) {
        this.cluster = cluster;
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
        final SimCluster cluster = new SimCluster(seed, nodes, SimCluster.defaultConfig(), customizer);
        setup.accept(cluster);
        return new RandomScenario(cluster).run();
    }

    private Result run() {
        long nextFaultNs = (200 + random.nextInt(800)) * MS;
        final SimClient client = cluster.client();
        while (cluster.nowNs() < MIN_VIRTUAL_MS * MS || client.acceptedCount() < MIN_PROPOSALS) {
            if (cluster.nowNs() > MAX_VIRTUAL_MS * MS) {
                throw new AssertionError("liveness: only " + client.acceptedCount() + " proposals accepted in "
                        + MAX_VIRTUAL_MS + " virtual ms; " + cluster.describe());
            }
            cluster.runFor(1 + random.nextInt(20));
            client.propose(random.nextInt(2));
            if (cluster.nowNs() >= nextFaultNs) {
                fault();
                nextFaultNs = cluster.nowNs() + (100 + random.nextInt(900)) * MS;
            }
        }
        cluster.heal();
        cluster.calm();
        for (SimNode n : cluster.nodes()) {
            if (!n.alive() && !n.removed()) {
                cluster.restart(n.id());
            }
        }
        cluster.stabilize();
        int probes = 0;
        for (int i = 0; i < 100 && probes < 10; i++) {
            probes += client.propose(10 - probes);
            cluster.runFor(5);
        }
        if (probes == 0) {
            throw new AssertionError("liveness: the stable cluster accepted no proposal; " + cluster.describe());
        }
        cluster.stabilize();
        final Liveness.Outcome outcome = Liveness.checkProposals(cluster);
        final SimClient.Accepted last = client.accepted().get(client.acceptedCount() - 1);
        if (cluster.invariants().appliedProposalAt(last.index()) != last.proposalId()) {
            throw new AssertionError("liveness: the last probe " + last + " was not applied on the stable cluster; "
                    + cluster.describe());
        }
        return new Result(cluster.seed(), cluster.nodes().size(), cluster.nowNs() / MS, cluster.steps(),
                client.acceptedCount(), outcome.applied(), outcome.lost(), cluster.network().stats());
    }

    private void fault() {
        final int roll = random.nextInt(100);
        if (roll < 20) {
            cluster.heal();
        } else if (roll < 30) {
            networkQuality();
        } else if (roll < 34) {
            // very slow links: stale messages (old votes, old appends) arrive after timeouts
            cluster.delay(50 + random.nextInt(300), random.nextInt(900)).reorder(0.2, 500);
        } else if (roll < 40) {
            // a node whose votes and acknowledgements arrive after its peers' timeouts
            cluster.slow(randomNode(true), 500 + random.nextInt(2000));
        } else if (roll < 44) {
            partition();
        } else if (roll < 49) {
            cluster.isolate(randomNode(true));
        } else if (roll < 54) {
            cluster.cut(randomNode(true), randomNode(true));
        } else if (roll < 64) {
            crash();
        } else if (roll < 76) {
            restart();
        } else if (roll < 84) {
            transfer();
        } else if (roll < 90) {
            membershipChange();
        } else {
            cluster.calm();
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
            cluster.crash(victim);
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

    private void membershipChange() {
        final SimNode leader = cluster.leader();
        if (leader == null || cluster.changePending()) {
            return;
        }
        final Membership m = leader.raft().membership();
        if (!m.learners().isEmpty()) {
            return;
        }
        final int voters = m.voters().size();
        final boolean add = voters <= 3 || (voters < 5 && random.nextBoolean());
        if (add) {
            cluster.addNode();
        } else {
            final List<String> candidates = new ArrayList<>(m.voters());
            candidates.remove(leader.id());
            cluster.removeNode(candidates.get(random.nextInt(candidates.size())));
        }
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
