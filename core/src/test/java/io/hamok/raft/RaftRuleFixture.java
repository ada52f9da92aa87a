// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.raft.RecordingOutbox.AppendEntries;
import io.hamok.raft.RecordingOutbox.AppendEntriesResponse;
import io.hamok.raft.RecordingOutbox.Entry;
import io.hamok.raft.RecordingOutbox.InstallSnapshot;
import io.hamok.raft.RecordingOutbox.InstallSnapshotResponse;
import io.hamok.raft.RecordingOutbox.Sent;
import io.hamok.raft.RecordingOutbox.TimeoutNow;
import io.hamok.raft.RecordingOutbox.VoteRequest;
import io.hamok.raft.RecordingOutbox.VoteResponse;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;

/**
 * Shared pieces of the RaftRule* tests (etcd's raft_paper_test.go style): a node with its own
 * virtual clock, recording outbox and recording state machine; hand-made log contents; and a tiny
 * hand-wired cluster for the rules that need real peers. Everything is deterministic: time is
 * virtual and every random source is seeded.
 */
final class RaftRuleFixture {
    static final long MS = 1_000_000L;
    /** Wall clock of virtual time 0. */
    static final long EPOCH_MS = 1_700_000_000_000L;

    private RaftRuleFixture() {
    }

    /** The documented defaults, written out so that the tests read on their own. */
    static RaftConfig.Builder config() {
        return RaftConfig.builder()
                .followerMaxIdleMs(1000)
                .electionTimeoutMs(3000)
                .heartbeatMs(100)
                .logEntriesExpirationTimeMs(0);
    }

    static Membership voters(String... ids) {
        return Membership.ofVoters(ids);
    }

    /** Proposes each payload on {@code leader} (each must be accepted) and flushes. */
    static void propose(Peer leader, String... payloads) {
        for (String p : payloads) {
            if (leader.node.propose(text(p), 0, p.length()) <= 0) {
                throw new AssertionError("proposal " + p + " refused by " + leader.id);
            }
        }
        leader.node.flush();
    }

    /** Acknowledges, as follower {@code from}, everything the leader sent it since the last call. */
    static void ackNewFrom(Peer leader, String from) {
        for (AppendEntries ae : leader.out.take(AppendEntries.class, from)) {
            leader.node.onAppendEntriesResponse(from, ae.term(), true, ae.prevLogIndex(), ae.lastIndex(), 0, 0);
        }
    }

    static DirectBuffer text(String s) {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends entries of the given terms ("x1", "x2", ... as payloads) straight into a log. */
    static MemoryRaftLogs logOfTerms(long... terms) {
        final MemoryRaftLogs logs = new MemoryRaftLogs();
        for (long t : terms) {
            final byte[] p = ("x" + (logs.lastIndex() + 1)).getBytes(StandardCharsets.UTF_8);
            logs.append(t, 0, LogEntryView.NORMAL, new UnsafeBuffer(p), 0, p.length);
        }
        if (terms.length > 0) {
            logs.storeTermAndVote(terms[terms.length - 1], null);
        }
        return logs;
    }

    static long[] termsOf(RaftLogs logs) {
        final long[] terms = new long[(int) (logs.lastIndex() - logs.firstIndex() + 1)];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = logs.termAt(logs.firstIndex() + i);
        }
        return terms;
    }

    static Entry entryAt(RaftLogs logs, long index) {
        return Entry.copyOf(logs.read(index, new LogEntryView()));
    }

    /** Records what reaches it; its snapshot is its applied payloads joined by commas. */
    static final class RecordingStateMachine implements StateMachine {
        final List<String> applied = new ArrayList<>();
        final List<Long> appliedIndexes = new ArrayList<>();
        long restoredIndex = -1;
        /** When set, {@link #restore} throws before changing anything (a snapshot it cannot take). */
        boolean failRestore;

        @Override
        public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
            applied.add(payload.getStringWithoutLengthUtf8(offset, length));
            appliedIndexes.add(index);
        }

        @Override
        public byte[] snapshot() {
            return String.join(",", applied).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void restore(byte[] snapshot, long index) {
            if (failRestore) {
                throw new IllegalStateException("restore refused by the test at index " + index);
            }
            applied.clear();
            appliedIndexes.clear();
            final String s = new String(snapshot, StandardCharsets.UTF_8);
            if (!s.isEmpty()) {
                applied.addAll(Arrays.asList(s.split(",")));
            }
            restoredIndex = index;
        }
    }

    /** One node under test with its clock, outbox, state machine and durable logs. */
    static final class Peer {
        final String id;
        final RaftConfig config;
        final RaftLogs logs;
        final RecordingOutbox out = new RecordingOutbox();
        RecordingStateMachine sm = new RecordingStateMachine();
        RaftNode node;
        long nowNs;

        /**
         * @param logs the node's durable state: usually a {@link MemoryRaftLogs}; a write-behind log
         *             (the file log) works too, since {@link Cluster} waits for it before every flush
         */
        Peer(String id, RaftConfig config, RaftLogs logs, Membership bootstrap, long seed) {
            this.id = id;
            this.config = config;
            this.logs = logs;
            this.node = new RaftNode(id, config, logs, sm, out, bootstrap, new SplittableRandom(seed), nowNs);
        }

        Peer(String id, RaftConfig config, Membership bootstrap) {
            this(id, config, new MemoryRaftLogs(), bootstrap, id.hashCode());
        }

        long epochMs() {
            return EPOCH_MS + nowNs / MS;
        }

        /**
         * Waits (in real time, at most 10 s) until every mutation of a write-behind log is durable, so
         * that the next {@link RaftNode#flush()} releases everything its durability gate holds: the
         * run then does not depend on how fast the disk is. Returns at once for a log durable when
         * its methods return.
         */
        void awaitDurable() {
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (logs.durableSequence() < logs.writeSequence()) {
                if (logs.failure() != null) {
                    throw new AssertionError(id + "'s log failed", logs.failure());
                }
                if (System.nanoTime() > deadlineNs) {
                    throw new AssertionError(id + "'s log made nothing durable for 10 s: " + logs);
                }
                Thread.onSpinWait();
            }
        }

        /** Sets the clock to {@code nowNs} and ticks once. */
        void tickAt(long nowNs) {
            this.nowNs = nowNs;
            node.tick(nowNs, epochMs());
        }

        /** Advances the clock in 1 ms ticks. */
        void elapseMs(long ms) {
            for (long i = 0; i < ms; i++) {
                tickAt(nowNs + MS);
            }
        }

        /** Ticks 1 ms at a time until {@code done} holds; fails after {@code maxMs}. */
        long runUntil(BooleanSupplier done, long maxMs) {
            for (long ms = 0; ms <= maxMs; ms++) {
                if (done.getAsBoolean()) {
                    return ms;
                }
                tickAt(nowNs + MS);
            }
            throw new AssertionError(id + " did not reach the expected state within " + maxMs + " ms; role "
                    + node.role() + ", sent " + out);
        }

        /**
         * Makes this node leader by hand: lets its election timer fire, then answers its (pre-)vote
         * requests with grants from the other voters. Afterwards the outbox holds only what the new
         * leader sent on winning (its first AppendEntries, carrying the NOOP).
         */
        void electByHand() {
            runUntil(() -> node.role() != RaftRole.FOLLOWER, 10 * config.followerMaxIdleMs());
            final List<String> others = new ArrayList<>(node.membership().voters());
            others.remove(id);
            if (node.role() == RaftRole.PRE_CANDIDATE) {
                for (String voter : others) {
                    if (node.role() == RaftRole.PRE_CANDIDATE) {
                        node.onVoteResponse(voter, node.term() + 1, true, true);
                    }
                }
            }
            out.clear();
            for (String voter : others) {
                if (node.role() == RaftRole.CANDIDATE) {
                    node.onVoteResponse(voter, node.term(), true, false);
                }
            }
            if (node.role() != RaftRole.LEADER) {
                throw new AssertionError(id + " did not become leader: " + node.role());
            }
        }

        /** A new node on the same durable logs, as after a crash: fresh state machine and outbox record. */
        void restart(Membership bootstrap, long seed) {
            out.clear();
            sm = new RecordingStateMachine();
            node = new RaftNode(id, config, logs, sm, out, bootstrap, new SplittableRandom(seed), nowNs);
        }

        /** Acknowledges, as follower {@code from}, everything this leader sent it so far. */
        void ackAllFrom(String from) {
            for (AppendEntries ae : out.ofKind(AppendEntries.class, from)) {
                node.onAppendEntriesResponse(from, ae.term(), true, ae.prevLogIndex(), ae.lastIndex(), 0, 0);
            }
        }

        @Override
        public String toString() {
            return id + "(" + node.role() + ", term " + node.term() + ")";
        }
    }

    /** Hands one recorded message to the node it is addressed to. */
    static void deliver(String from, Sent s, RaftNode to) {
        if (s instanceof VoteRequest m) {
            to.onVoteRequest(from, m.term(), m.lastLogIndex(), m.lastLogTerm(), m.preVote(), m.leadershipTransfer());
        } else if (s instanceof VoteResponse m) {
            to.onVoteResponse(from, m.term(), m.granted(), m.preVote());
        } else if (s instanceof AppendEntries m) {
            to.onAppendEntries(from, m.term(), m.prevLogIndex(), m.prevLogTerm(), m.leaderCommit(), m.batch(),
                    m.readRound(), m.appendId());
        } else if (s instanceof AppendEntriesResponse m) {
            to.onAppendEntriesResponse(from, m.term(), m.success(), m.prevLogIndex(), m.matchIndex(),
                    m.conflictTerm(), m.conflictIndex(), m.readRound(), m.requestTerm(), m.appendId());
        } else if (s instanceof InstallSnapshot m) {
            to.onInstallSnapshot(from, m.term(), m.snapshotIndex(), m.snapshotTerm(), m.chunkOffset(),
                    new UnsafeBuffer(m.data()), 0, m.data().length, m.done(), m.snapshotLength(), m.checksum());
        } else if (s instanceof InstallSnapshotResponse m) {
            to.onInstallSnapshotResponse(from, m.term(), m.success(), m.snapshotIndex(), m.nextOffset());
        } else if (s instanceof TimeoutNow m) {
            to.onTimeoutNow(from, m.term());
        } else {
            throw new IllegalArgumentException("unknown message " + s);
        }
    }

    /** A message as it went over the hand-wired network. */
    record Delivery(String from, Sent message) {
    }

    /**
     * A few peers wired by hand: {@link #deliverAll()} moves every recorded message to its
     * addressee (unless {@link #drop} says otherwise), lets every write-behind log become durable,
     * flushes every node like a duty cycle would, and repeats until nothing is left in flight. One
     * shared virtual clock.
     */
    static final class Cluster {
        final Map<String, Peer> peers = new LinkedHashMap<>();
        final List<Delivery> delivered = new ArrayList<>();
        /** (from, message) to lose; the default loses nothing. */
        BiPredicate<String, Sent> drop = (from, s) -> false;
        long nowNs;

        Cluster(RaftConfig config, Membership bootstrap, String... ids) {
            long seed = 1;
            for (String id : ids) {
                peers.put(id, new Peer(id, config, new MemoryRaftLogs(), bootstrap, seed++));
            }
        }

        Peer get(String id) {
            return peers.get(id);
        }

        void add(Peer peer) {
            peers.put(peer.id, peer);
        }

        void deliverAll() {
            for (int round = 0; round < 10_000; round++) {
                for (Peer p : peers.values()) {
                    for (Sent s : p.out.takeAll()) {
                        final Peer to = peers.get(s.to());
                        if (to != null && !drop.test(p.id, s)) {
                            delivered.add(new Delivery(p.id, s));
                            deliver(p.id, s, to.node);
                        }
                    }
                }
                for (Peer p : peers.values()) {
                    p.awaitDurable();
                    p.node.flush();
                }
                if (peers.values().stream().allMatch(p -> p.out.isEmpty())) {
                    return;
                }
            }
            throw new AssertionError("messages kept flowing for 10000 rounds");
        }

        /** Advances the shared clock by 1 ms: every node ticks, then the messages settle. */
        void step() {
            nowNs += MS;
            for (Peer p : peers.values()) {
                p.tickAt(nowNs);
            }
            deliverAll();
        }

        void elapseMs(long ms) {
            for (long i = 0; i < ms; i++) {
                step();
            }
        }

        void runUntil(BooleanSupplier done, long maxMs) {
            for (long ms = 0; ms <= maxMs; ms++) {
                if (done.getAsBoolean()) {
                    return;
                }
                step();
            }
            throw new AssertionError("cluster did not reach the expected state within " + maxMs + " ms: "
                    + peers.values());
        }

        /**
         * Makes {@code id} leader at once and lets its first entries settle: it campaigns in the next
         * term as a transfer target would (thesis §3.10), without waiting for a random timeout, so the
         * other nodes' clocks and timers are untouched.
         */
        Peer elect(String id) {
            final Peer p = peers.get(id);
            p.node.campaign(true);
            deliverAll();
            if (p.node.role() != RaftRole.LEADER) {
                throw new AssertionError(id + " did not win: " + peers.values());
            }
            return p;
        }

        /** The single leader of the highest term, or null. */
        Peer leader() {
            Peer found = null;
            for (Peer p : peers.values()) {
                if (p.node.role() == RaftRole.LEADER && (found == null || p.node.term() > found.node.term())) {
                    found = p;
                }
            }
            return found;
        }

        List<Delivery> deliveredOfKind(Class<? extends Sent> kind) {
            final List<Delivery> found = new ArrayList<>();
            for (Delivery d : delivered) {
                if (kind.isInstance(d.message())) {
                    found.add(d);
                }
            }
            return found;
        }
    }
}
