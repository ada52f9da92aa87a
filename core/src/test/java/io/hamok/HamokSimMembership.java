// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.HamokSimCluster.Node;
import io.hamok.raft.Membership;
import io.hamok.raft.MembershipChange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The membership side of a simulated run (issue 11), beside the workload's ops and faults: now and
 * then a new peer joins through seeds ({@link Hamok#join}), a member leaves ({@link Hamok#leave}), a
 * departed id joins again on an empty disk, or an operator removes a departed member that is still in
 * the configuration (its leave failed, or it gave up joining after it was added). Its own seeded
 * random source, so the ops and faults of a seed stay what they are.
 *
 * <p>A leave or crash never takes the last voters that a quorum needs: what may stay in the
 * configuration without running (a leave that failed) must leave a quorum that runs. A join that
 * fails is given up: the instance is closed and departs.
 *
 * <p>Checked at the end ({@link #check}): every join, leave and clean-up that reported success is
 * what the final committed configuration says (unless a later one changed it), and every
 * configuration entry a peer committed during the run is the committed log's entry at its index.
 */
final class HamokSimMembership {
    /** What the run did, for reports. */
    record Counts(int joins, int leaves, int rejoins, int cleanups, int failed) {
    }

    enum Kind { JOIN, LEAVE, REJOIN, CLEANUP }

    /** One membership change and its outcome. */
    static final class Change {
        final Kind kind;
        final String peerId;
        final CompletableFuture<?> future;
        final long issuedMs;
        /** Order of completion among the run's changes; -1 while pending. */
        long completedSeq = -1;
        Object result;
        Throwable failure;

        Change(Kind kind, String peerId, CompletableFuture<?> future, long issuedMs) {
            this.kind = kind;
            this.peerId = peerId;
            this.future = future;
            this.issuedMs = issuedMs;
        }

        boolean succeeded() {
            return completedSeq >= 0 && failure == null && (kind != Kind.CLEANUP
                    || result == MembershipChange.ACCEPTED || result == MembershipChange.UNCHANGED);
        }

        @Override
        public String toString() {
            return kind + " " + peerId + " at " + issuedMs + "ms: " + (completedSeq < 0 ? "pending"
                    : failure != null ? failure.getClass().getSimpleName() + " " + failure.getMessage()
                    : String.valueOf(result));
        }
    }

    private static final int MAX_PEERS = 8;
    private static final long LEAVE_TIMEOUT_MS = 8_000;

    private final HamokSimCluster cluster;
    private final HamokSimWorkload workload;
    private final SplittableRandom random;
    private final List<Change> changes = new ArrayList<>();
    /** Join futures already tracked (a restarted joiner joins again with a new one). */
    private final Set<CompletableFuture<?>> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
    private long nextChangeMs = 300;
    private long completions;

    HamokSimMembership(HamokSimWorkload workload, SplittableRandom random) {
        this.workload = workload;
        this.cluster = workload.cluster();
        this.random = random;
    }

    /** After every step of the random run: notes outcomes, and now and then starts a change. */
    void onStep() {
        noteOutcomes();
        if (cluster.virtualMs() >= nextChangeMs) {
            nextChangeMs = cluster.virtualMs() + 300 + random.nextInt(700);
            change();
        }
    }

    private void change() {
        final Membership m = cluster.latestConfiguration();
        final int roll = random.nextInt(100);
        if (roll < 35) {
            join();
        } else if (roll < 65) {
            leave(m);
        } else if (roll < 85) {
            rejoin(m);
        } else {
            cleanup(m);
        }
    }

    private void join() {
        if (cluster.nodes().size() >= MAX_PEERS) {
            return;
        }
        final Node n = cluster.addJoiner("peer-" + cluster.nodes().size(), seeds());
        track(Kind.JOIN, n);
    }

    private void leave(Membership m) {
        final List<Node> candidates = new ArrayList<>();
        for (Node n : cluster.liveNodes()) {
            if (!n.departed() && m.isMember(n.id)) {
                candidates.add(n);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        final Node n = candidates.get(random.nextInt(candidates.size()));
        // should the leave fail, the peer stays a voter that does not run: a quorum must run without it
        if (m.isVoter(n.id) && (m.voters().size() < 3 || cluster.liveVoters(m) - 1 < m.quorum())) {
            return;
        }
        add(new Change(Kind.LEAVE, n.id, cluster.leave(n, LEAVE_TIMEOUT_MS), cluster.virtualMs()));
    }

    private void rejoin(Membership m) {
        final List<Node> candidates = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            if (n.departed() && !n.alive() && !m.isMember(n.id)) {
                candidates.add(n); // out of the configuration: its id may join again
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        final Node n = candidates.get(random.nextInt(candidates.size()));
        workload.ended(n);
        cluster.rejoin(n, seeds());
        track(Kind.REJOIN, n);
    }

    private void cleanup(Membership m) {
        final Node gone = departedMember(m);
        final List<Node> members = liveMembers();
        if (gone == null || members.isEmpty()) {
            return;
        }
        final Node by = members.get(random.nextInt(members.size()));
        add(new Change(Kind.CLEANUP, gone.id, by.hamok().removeRemotePeerId(gone.id), cluster.virtualMs()));
    }

    /** A departed peer that no longer runs but is still a member of {@code m}, or null. */
    private Node departedMember(Membership m) {
        for (Node n : cluster.nodes()) {
            if (n.departed() && !n.alive() && m.isMember(n.id)) {
                return n;
            }
        }
        return null;
    }

    private List<Node> liveMembers() {
        final List<Node> out = new ArrayList<>();
        for (Node n : cluster.liveNodes()) {
            if (!n.departed() && n.hamok().loop().node().membership().isMember(n.id)) {
                out.add(n);
            }
        }
        return out;
    }

    /** One or two members of the latest configuration (running or not: a seed may be down). */
    private List<String> seeds() {
        final List<String> members = new ArrayList<>(cluster.latestConfiguration().voters());
        members.addAll(cluster.latestConfiguration().learners());
        final List<String> seeds = new ArrayList<>();
        final int count = Math.min(members.size(), 1 + random.nextInt(2));
        while (seeds.size() < count) {
            final String s = members.get(random.nextInt(members.size()));
            if (!seeds.contains(s)) {
                seeds.add(s);
            }
        }
        return seeds;
    }

    private void track(Kind kind, Node n) {
        tracked.add(n.joined());
        add(new Change(kind, n.id, n.joined(), cluster.virtualMs()));
    }

    private void add(Change c) {
        changes.add(c);
    }

    /**
     * Records what completed, in order; gives up a joiner whose join failed while it runs; tracks the
     * join of a joiner that restarted.
     */
    private void noteOutcomes() {
        for (Node n : cluster.nodes()) {
            if (n.alive() && n.joined() != null && !tracked.contains(n.joined())) {
                tracked.add(n.joined());
                add(new Change(Kind.JOIN, n.id, n.joined(), cluster.virtualMs())); // a restarted joiner's new join
            }
        }
        for (Change c : changes) {
            if (c.completedSeq >= 0 || !c.future.isDone()) {
                continue;
            }
            c.completedSeq = ++completions;
            try {
                c.result = c.future.join();
            } catch (RuntimeException e) {
                c.failure = e.getCause() != null ? e.getCause() : e;
            }
            final Node n = cluster.node(c.peerId);
            if (c.failure != null && c.kind != Kind.LEAVE && c.kind != Kind.CLEANUP && n.alive() && !n.departed()
                    && n.joined() == c.future) {
                workload.ended(n);
                cluster.abandon(n); // the operator gives up on it (if it was added, a clean-up removes it)
            }
        }
    }

    /**
     * After the heal: lets every change finish, gives up failed joiners, and removes departed members
     * from the configuration; true when done within the budget.
     */
    boolean settle() {
        for (int ms = 0; ms < 40_000; ms++) {
            noteOutcomes();
            if (pending() == 0) {
                final Node leader = cluster.leader();
                if (leader != null) {
                    final Membership m = leader.hamok().loop().node().membership();
                    final Node gone = departedMember(m);
                    if (gone == null && allLiveAreMembers(m)) {
                        return true;
                    }
                    if (gone != null) {
                        add(new Change(Kind.CLEANUP, gone.id, leader.hamok().removeRemotePeerId(gone.id),
                                cluster.virtualMs()));
                    }
                }
            }
            cluster.step();
        }
        return false;
    }

    private boolean allLiveAreMembers(Membership m) {
        for (Node n : cluster.liveNodes()) {
            if (!m.isMember(n.id)) {
                return false;
            }
        }
        return true;
    }

    private int pending() {
        int count = 0;
        for (Change c : changes) {
            count += c.completedSeq < 0 ? 1 : 0;
        }
        return count;
    }

    /**
     * Every change that reported success, unless a later one reported otherwise, is what the final
     * committed configuration says; every configuration entry a peer committed is the committed log's.
     */
    void check(List<String> violations) {
        final Node leader = cluster.leader();
        if (leader == null) {
            violations.add("(m) no leader to read the final configuration from");
            return;
        }
        final long commit = leader.hamok().loop().commitIndex();
        final Membership committed = leader.hamok().loop().node().membershipAt(commit);
        final Map<String, Boolean> expected = new LinkedHashMap<>();
        final Map<String, Change> because = new LinkedHashMap<>();
        final List<Change> done = new ArrayList<>(changes);
        done.removeIf(c -> c.completedSeq < 0);
        done.sort((a, b) -> Long.compare(a.completedSeq, b.completedSeq));
        for (Change c : done) {
            if (c.succeeded()) {
                expected.put(c.peerId, c.kind == Kind.JOIN || c.kind == Kind.REJOIN);
                because.put(c.peerId, c);
            } else if (c.kind != Kind.CLEANUP) {
                expected.remove(c.peerId); // outcome unknown
            }
        }
        expected.forEach((id, member) -> {
            if (committed.isMember(id) != member) {
                violations.add("(m) " + because.get(id) + " reported success, but the final committed configuration "
                        + committed + " (index " + commit + ") " + (member ? "does not name it" : "names it"));
            }
        });
        final List<HamokSimRaftLogs.Ground.Entry> log = cluster.committedLog();
        cluster.committedConfigs().forEach((index, term) -> {
            if (index <= log.size() && (log.get((int) (index - 1)).term() != term
                    || log.get((int) (index - 1)).type() != io.hamok.raft.LogEntryView.CONFIG)) {
                violations.add("(m) a peer committed the configuration entry of term " + term + " at index " + index
                        + ", but the committed log has " + log.get((int) (index - 1)));
            }
        });
    }

    Counts counts() {
        int joins = 0;
        int leaves = 0;
        int rejoins = 0;
        int cleanups = 0;
        int failed = 0;
        for (Change c : changes) {
            if (c.succeeded()) {
                joins += c.kind == Kind.JOIN ? 1 : 0;
                leaves += c.kind == Kind.LEAVE ? 1 : 0;
                rejoins += c.kind == Kind.REJOIN ? 1 : 0;
                cleanups += c.kind == Kind.CLEANUP && c.result == MembershipChange.ACCEPTED ? 1 : 0;
            } else if (c.completedSeq >= 0) {
                failed++;
            }
        }
        return new Counts(joins, leaves, rejoins, cleanups, failed);
    }

    List<Change> changes() {
        return changes;
    }

    @Override
    public String toString() {
        final List<Change> open = new ArrayList<>(changes);
        open.removeIf(c -> c.completedSeq >= 0);
        return "pending " + open + "; configuration " + cluster.latestConfiguration();
    }
}
