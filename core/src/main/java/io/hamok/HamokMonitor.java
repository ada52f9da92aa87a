// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.internal.CommitLatency;
import io.hamok.loop.LoopCounters;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.Membership;
import io.hamok.raft.RaftCounters;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.state.StorageResult;
import io.hamok.transport.TransportCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live values of one {@link Hamok} instance for monitoring ({@link Hamok#monitor()}): what a
 * metrics binder reads when it is scraped, and the hook it records latencies through.
 *
 * <p><b>Threads.</b> Every getter may be called from any thread, takes no lock and allocates nothing
 * (except {@link #replicationLag()} and {@link #remotePeerIds()}, which hand out maps and sets). The
 * values are those the loop published at the end of its latest duty cycle: role, leader, term and
 * indexes by the loop itself, replication lag and configuration by this class, which writes a field
 * only when its value changed, so an idle duty cycle writes nothing. Election counts are the Raft
 * node's own (volatile, written once per election).
 *
 * <p><b>Latencies.</b> With no {@link LatencyRecorder} set (the default) nothing is timed and the
 * hooks cost one volatile read per write and per duty cycle. With one set, a storage write's future
 * and the leader's appended entries are timed as described on {@link LatencyRecorder}, allocating
 * nothing per write on the loop thread.
 */
public final class HamokMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(HamokMonitor.class);
    private static final PeerLag[] NO_PEERS = new PeerLag[0];

    /**
     * Receives the latencies of one instance; set with {@link #latencyRecorder}. Called on the threads
     * named below; the loop thread's calls must not block and should not allocate (a Micrometer
     * {@code Timer.record(long, TimeUnit)} on a timer built once does not, past its first records).
     */
    public interface LatencyRecorder {
        /**
         * A storage write (map set, record update, ...) is being submitted, on the caller's thread:
         * returns its start time on the recorder's own clock, handed back to {@link #requestCompleted}.
         */
        long requestStarted();

        /**
         * On the loop thread: the write that started at {@code startedAt} was applied on this peer and
         * its future completes now (writes that fail are not reported).
         */
        void requestCompleted(long startedAt);

        /**
         * On the loop thread of the leader: an entry it appended was applied here {@code latencyNs}
         * later (both ends on the loop's clock, read once per duty cycle).
         */
        void commitApplied(long latencyNs);
    }

    /** The replication lag of one remote member, published by the loop. */
    private static final class PeerLag {
        final String peerId;
        volatile long lag = -1;

        PeerLag(String peerId) {
            this.peerId = peerId;
        }
    }

    private static final LatencyRecorder NONE = new LatencyRecorder() {
        @Override
        public long requestStarted() {
            return 0;
        }

        @Override
        public void requestCompleted(long startedAt) {
        }

        @Override
        public void commitApplied(long latencyNs) {
        }
    };

    private final String localPeerId;
    private final RaftLoop loop;
    private final RaftCounters raftCounters;
    private final CopyOnWriteArrayList<Runnable> configurationListeners = new CopyOnWriteArrayList<>();
    private volatile LatencyRecorder recorder = NONE;
    // published by the loop thread (afterCycle), read by any
    private volatile PeerLag[] peers = NO_PEERS;
    private volatile Set<String> remotePeerIds = Set.of();
    private volatile int voters;
    private volatile int learners;
    // loop thread only
    private Membership seen;
    private boolean lagPublished;
    private CommitLatency commitLatency;
    /** The recorder the latest duty cycle timed for (NONE: none). */
    private LatencyRecorder timing = NONE;

    /**
     * Before the loop starts: publishes the bootstrap configuration. The first duty cycle reports it as
     * a change, so listeners hear of it once the transport has started and knows its peers.
     */
    HamokMonitor(String localPeerId, RaftLoop loop) {
        this.localPeerId = localPeerId;
        this.loop = loop;
        this.raftCounters = loop.node().counters();
        publishMembers(loop.node().membership());
    }

    // ------------------------------------------------------------------ published values, any thread

    public String localPeerId() {
        return localPeerId;
    }

    public RaftRole role() {
        return loop.role();
    }

    /** The leader this peer knows of, or {@code null}. */
    public String leaderId() {
        return loop.leaderId();
    }

    public long term() {
        return loop.term();
    }

    public long commitIndex() {
        return loop.commitIndex();
    }

    public long appliedIndex() {
        return loop.lastApplied();
    }

    /** Voters in the configuration in force (the latest in the log, committed or not), this peer included. */
    public int voters() {
        return voters;
    }

    /** Learners (non-voting members catching up) in the configuration in force. */
    public int learners() {
        return learners;
    }

    /** The other members of the configuration in force (voters and learners), an immutable set. */
    public Set<String> remotePeerIds() {
        return remotePeerIds;
    }

    /**
     * On the leader: how many log entries {@code peerId} is behind the leader's last entry (its match
     * index, as of the latest duty cycle); {@code -1} on other roles and for a peer that is not a member.
     */
    public long replicationLag(String peerId) {
        for (PeerLag p : peers) {
            if (p.peerId.equals(peerId)) {
                return p.lag;
            }
        }
        return -1;
    }

    /** {@link #replicationLag(String)} of every remote member whose lag is known; empty when this peer does not lead. */
    public Map<String, Long> replicationLag() {
        if (loop.role() != RaftRole.LEADER) {
            return Map.of();
        }
        final Map<String, Long> lag = new HashMap<>();
        for (PeerLag p : peers) {
            final long value = p.lag;
            if (value >= 0) {
                lag.put(p.peerId, value);
            }
        }
        return Map.copyOf(lag);
    }

    /** Pre-vote rounds this peer started. */
    public long preVotesStarted() {
        return raftCounters.preVotesStarted();
    }

    /** Elections this peer started as a candidate, each in a new term. */
    public long electionsStarted() {
        return raftCounters.electionsStarted();
    }

    /** Elections this peer won. */
    public long electionsWon() {
        return raftCounters.electionsWon();
    }

    /** The loop's counters (frames, drops of the inbound and command budgets, refusals, errors). */
    public LoopCounters loopCounters() {
        return loop.counters();
    }

    /** The transport's counters: totals, refusals by cause, and per peer ({@link TransportCounters#peers()}). */
    public TransportCounters transportCounters() {
        return loop.transport().counters();
    }

    // ------------------------------------------------------------------ hooks

    /**
     * Runs {@code listener} on the loop thread at the end of the first duty cycle and of each one in
     * which the configuration in force changed (a member added or removed, a learner promoted), after
     * the transport was told. It must return at once: hand any work (registering meters) to another
     * thread.
     */
    public void addConfigurationListener(Runnable listener) {
        configurationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeConfigurationListener(Runnable listener) {
        configurationListeners.remove(listener);
    }

    /** Sets the recorder of latencies ({@code null}: none, the default); writes submitted before keep the old one. */
    public void latencyRecorder(LatencyRecorder latencyRecorder) {
        recorder = latencyRecorder == null ? NONE : latencyRecorder;
    }

    /** The future of a storage write being submitted (caller's thread): timed when a recorder is set. */
    CompletableFuture<StorageResult> requestFuture() {
        final LatencyRecorder r = recorder;
        return r == NONE ? new CompletableFuture<>() : new TimedRequest(r);
    }

    /** Loop thread, at the end of every duty cycle: publishes what changed and times applied entries. */
    void afterCycle(long nowNs) {
        final RaftNode node = loop.node();
        final Membership membership = node.membership();
        if (membership != seen) {
            seen = membership;
            publishMembers(membership);
            configurationChanged();
        }
        publishLag(node);
        final LatencyRecorder r = recorder;
        if (r != timing) {
            timing = r;
            if (commitLatency == null) {
                commitLatency = new CommitLatency(); // once, when a recorder is first set
            }
            commitLatency.reset();
        }
        if (r != NONE) {
            commitLatency.afterCycle(node, nowNs, r);
        }
    }

    /** A configuration change: allocation is fine here. */
    private void publishMembers(Membership membership) {
        final Set<String> remotes = new LinkedHashSet<>(membership.voters());
        remotes.addAll(membership.learners());
        remotes.remove(localPeerId);
        final PeerLag[] lags = new PeerLag[remotes.size()];
        int i = 0;
        for (String id : remotes) {
            lags[i++] = new PeerLag(id);
        }
        peers = lags;
        remotePeerIds = Set.copyOf(remotes);
        voters = membership.voters().size();
        learners = membership.learners().size();
        lagPublished = false;
    }

    private void configurationChanged() {
        for (Runnable listener : configurationListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: a configuration listener threw", localPeerId, e);
            }
        }
    }

    /** The leader's lag per member, written only when it changed; -1 once on leaving leadership. */
    private void publishLag(RaftNode node) {
        final PeerLag[] lags = peers;
        if (node.role() == RaftRole.LEADER) {
            final long last = node.logs().lastIndex();
            for (PeerLag p : lags) {
                final long match = node.matchIndexOf(p.peerId);
                final long lag = match < 0 ? -1 : last - match;
                if (p.lag != lag) {
                    p.lag = lag;
                }
            }
            lagPublished = true;
        } else if (lagPublished) {
            lagPublished = false;
            for (PeerLag p : lags) {
                p.lag = -1;
            }
        }
    }

    /** A write's future that reports its latency when it completes with a result (loop thread). */
    private static final class TimedRequest extends CompletableFuture<StorageResult> {
        private final LatencyRecorder recorder;
        private final long startedAt;

        TimedRequest(LatencyRecorder recorder) {
            this.recorder = recorder;
            this.startedAt = recorder.requestStarted();
        }

        /** Records before the continuations run, so that their time is not counted. */
        @Override
        public boolean complete(StorageResult value) {
            if (!isDone()) {
                recorder.requestCompleted(startedAt);
            }
            return super.complete(value);
        }
    }
}
