// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * One Raft server as a pure state machine (Ongaro and Ousterhout 2014; Ongaro's thesis 2014).
 *
 * <p>Inputs: {@link #tick(long, long)} with the loop's clock, the {@link RaftMessageHandler}
 * methods for messages, {@link #propose}, the membership calls and {@link #flush()}. Outputs: the
 * {@link RaftOutbox} for messages, the {@link StateMachine} for committed entries (through
 * {@link #applyCommitted(int)}), the {@link RaftLogs} for durable state, and the optional
 * {@link RaftListener}. No threads, no clock, no I/O, no logging: time arrives as arguments and
 * randomness from the injected generator, so a seeded simulation replays exactly.
 *
 * <p>Batching: proposals and commit advances are sent by {@link #flush()} (which {@link #tick}
 * also calls), so a driver that proposes many entries and then flushes sends them in few
 * AppendEntries. A driver calls {@code flush()} once per duty cycle, after the inputs.
 *
 * <p>Not thread-safe: everything runs on one loop thread. The steady-state paths (propose,
 * replicate, acknowledge, commit, apply) do not allocate; elections, membership changes and
 * snapshots do, rarely.
 */
public final class RaftNode implements RaftMessageHandler {
    /** {@link #propose} result: this node is not the leader (or is handing leadership over). */
    public static final long NOT_LEADER = -1;
    /** {@link #propose} result: too many entries wait for commit; retry later. */
    public static final long BUSY = -2;

    /** Deliberate safety bugs for the test of the simulation (RaftTestAccess); never set in production. */
    enum Breakage { NONE, SKIP_PREV_LOG_CHECK, COUNT_STALE_VOTES, COMMIT_OLD_TERM_BY_COUNTING, CHANGE_BEFORE_TERM_COMMIT,
        SEND_BEFORE_DURABLE }

    Breakage breakage = Breakage.NONE;

    final String id;
    final RaftConfig config;
    final RaftLogs logs;
    final StateMachine stateMachine;
    /** Every message goes through the gate: what depends on durable state waits for it (persist before send). */
    final RaftOutbox outbox;
    final DurabilityGate gate;
    /** Why this node stopped for good (a committed entry would be replaced), or null while it runs. */
    private String haltReason;
    private final RandomGenerator random;
    final MembershipLog memberships;
    final Replicator replicator;
    /** The follower's side of replication and snapshots. */
    final Follower follower;
    private final CompactionPolicy compaction;
    private final LogEntryView applyView = new LogEntryView();
    private final UnsafeBuffer emptyBuffer = new UnsafeBuffer(new byte[0]);
    final long followerMaxIdleNs;
    private final long electionTimeoutNs;
    private final long heartbeatNs;
    private RaftListener listener = new RaftListener() {
    };

    private RaftRole role = RaftRole.FOLLOWER;
    private String leaderId;
    private long commitIndex;
    private long lastApplied;
    private long lastAppliedTimestampMs;
    long nowNs;
    long epochMs;
    private long electionDeadlineNs;
    long lastLeaderContactNs = Long.MIN_VALUE / 2;
    private final VoteTally votes = new VoteTally();
    /** The voter's side of elections: which (pre-)votes this node grants. */
    final Voter voter;
    final RaftCounters counters = new RaftCounters();
    final InboundChecks checks = new InboundChecks(counters);

    /**
     * Creates a node. When {@code logs} holds nothing (first boot) the node starts with
     * {@code bootstrap} as its configuration: every initial member must be given the same one; a
     * node that will be added to a running cluster gets an empty one. Otherwise the node recovers
     * term, vote, log and snapshot from {@code logs} and restores the state machine from the
     * snapshot.
     *
     * @param random source of election jitter; seed it for reproducible runs
     * @param nowNs  the loop's clock now, in nanoseconds
     */
    public RaftNode(String id, RaftConfig config, RaftLogs logs, StateMachine stateMachine, RaftOutbox outbox,
                    Membership bootstrap, RandomGenerator random, long nowNs) {
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        this.logs = Objects.requireNonNull(logs, "logs");
        this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
        this.gate = new DurabilityGate(Objects.requireNonNull(outbox, "outbox"), logs);
        this.outbox = gate;
        this.random = Objects.requireNonNull(random, "random");
        this.followerMaxIdleNs = TimeUnit.MILLISECONDS.toNanos(config.followerMaxIdleMs());
        this.electionTimeoutNs = TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMs());
        this.heartbeatNs = TimeUnit.MILLISECONDS.toNanos(config.heartbeatMs());
        this.nowNs = nowNs;
        this.voter = new Voter(this);
        final RaftSnapshot snapshot = logs.snapshot();
        if (snapshot != null) {
            memberships = new MembershipLog(snapshot.membership(), snapshot.index());
            stateMachine.restore(snapshot.stateMachineData(), snapshot.index());
            commitIndex = snapshot.index();
            lastApplied = snapshot.index();
        } else {
            memberships = new MembershipLog(Objects.requireNonNull(bootstrap, "bootstrap"), 0);
            commitIndex = logs.firstIndex() - 1;
            lastApplied = commitIndex;
        }
        memberships.recoverFrom(logs, applyView);
        this.replicator = new Replicator(this);
        this.follower = new Follower(this);
        this.compaction = new CompactionPolicy(config, logs, stateMachine);
        resetElectionDeadline();
    }

    public void listener(RaftListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    // ------------------------------------------------------------------ inputs: time and proposals

    /**
     * Advances time: runs election timeouts (follower, candidate), heartbeats and check-quorum
     * (leader), then {@link #flush()}.
     *
     * @param nowNs   monotonic loop clock in nanoseconds
     * @param epochMs wall clock in epoch milliseconds, stamped on entries this node creates as leader
     */
    public void tick(long nowNs, long epochMs) {
        this.nowNs = nowNs;
        this.epochMs = epochMs;
        if (haltReason != null) {
            return;
        }
        final Throwable logFailure = logs.failure();
        if (logFailure != null) {
            halt("its log can make nothing durable any more: " + logFailure);
            return;
        }
        if (role == RaftRole.LEADER) {
            replicator.tick();
        } else if (nowNs >= electionDeadlineNs) {
            onElectionTimeout();
        }
        flush();
    }

    /**
     * Appends a command to the log if this node leads. The entry is sent at the next
     * {@link #flush()} and applied everywhere once committed.
     *
     * @return the entry's log index, {@link #NOT_LEADER} or {@link #BUSY}
     */
    public long propose(DirectBuffer payload, int offset, int length) {
        if (role != RaftRole.LEADER || replicator.transferring() || haltReason != null) {
            return NOT_LEADER;
        }
        if (logs.lastIndex() - commitIndex >= config.maxPendingProposals()) {
            return BUSY;
        }
        return logs.append(term(), epochMs, LogEntryView.NORMAL, payload, offset, length);
    }

    /** Sends what proposals and acknowledgements made ready: new entries and commit advances. */
    public void flush() {
        if (haltReason != null) {
            return;
        }
        gate.release();
        if (role == RaftRole.LEADER) {
            replicator.flush();
        }
    }

    /** Messages waiting until the log mutations they depend on are durable (persist before send). */
    public int messagesAwaitingDurability() {
        return gate.waiting();
    }

    /**
     * Applies committed entries to the state machine in log order, at most {@code limit} of them,
     * then takes a snapshot if the compaction policy asks for one.
     *
     * @return the number of entries applied (NOOP and CONFIG entries count, but only NORMAL ones
     * reach the state machine)
     */
    public int applyCommitted(int limit) {
        int applied = 0;
        while (lastApplied < commitIndex && applied < limit) {
            final long index = lastApplied + 1;
            final LogEntryView e = logs.read(index, applyView);
            if (e.type() == LogEntryView.NORMAL) {
                final DirectBuffer p = e.payload();
                stateMachine.apply(index, e.term(), e.timestampMs(), p, 0, e.payloadLength());
            }
            lastAppliedTimestampMs = e.timestampMs();
            lastApplied = index;
            listener.onApplied(index, e.term());
            applied++;
        }
        if (applied > 0) {
            compaction.maybeSnapshot(lastApplied, lastAppliedTimestampMs, memberships);
        }
        return applied;
    }

    // ------------------------------------------------------------------ linearizable reads (thesis §6.4)

    /**
     * Asks for a read index for a linearizable read (ReadIndex, thesis §6.4). On a leader the
     * request is queued and answered later, on the loop thread, through the {@link RaftListener}:
     * {@link RaftListener#onReadIndex} with the commit index of the time of the request (taken once this
     * leader has committed an entry of its term) after a quorum confirmed its leadership in a
     * heartbeat round that started after the request; or {@link RaftListener#onReadIndexFailed} when the
     * node stops leading first. Never answered during this call. Requests between two
     * {@link #flush()}es share one round. No allocation in steady state.
     *
     * @param context the caller's identifier of the read, handed back as it is
     * @return true when queued; false when this node is not the leader (forward the request to it)
     */
    public boolean requestReadIndex(long context) {
        if (role != RaftRole.LEADER) {
            return false;
        }
        replicator.requestRead(context);
        return true;
    }

    // ------------------------------------------------------------------ membership and transfer

    /** {@link #addPeer(String, String)} without an address. */
    public MembershipChange addPeer(String peerId) {
        return addPeer(peerId, null);
    }

    /**
     * Adds a peer as a learner through the log (thesis §4.1, §4.2.1), reached at {@code address} (the
     * transport's form; {@code null} for none), which the CONFIG entry carries; the leader's autopilot
     * promotes it to voter once it has stayed caught up for {@link RaftConfig#stabilizationMs()}, while
     * voters are fewer than {@link RaftConfig#maxVoters()}. {@link MembershipChange#ADDRESS_CONFLICT}
     * when it is a member with another address.
     *
     * @throws IllegalArgumentException when {@code address} is blank
     */
    public MembershipChange addPeer(String peerId, String address) {
        return replicator.addPeer(Objects.requireNonNull(peerId, "peerId"), address);
    }

    /** Removes a voter or learner through the log (thesis §4.1). A removed leader steps down once it commits. */
    public MembershipChange removePeer(String peerId) {
        return replicator.removePeer(Objects.requireNonNull(peerId, "peerId"));
    }

    /** Hands leadership to a voter (thesis §3.10); proposals are refused while it is under way. */
    public MembershipChange transferLeadership(String peerId) {
        return replicator.transferLeadership(Objects.requireNonNull(peerId, "peerId"));
    }

    /** Whether this leader is handing leadership over (until the target leads or an election timeout passed). */
    public boolean transferringLeadership() {
        return role == RaftRole.LEADER && replicator.transferring();
    }

    // ------------------------------------------------------------------ read-only state

    public String id() {
        return id;
    }

    public RaftRole role() {
        return role;
    }

    public long term() {
        return logs.currentTerm();
    }

    /** The leader this node follows (itself when leading), or {@code null} when it knows none. */
    public String leaderId() {
        return leaderId;
    }

    public long commitIndex() {
        return commitIndex;
    }

    public long lastApplied() {
        return lastApplied;
    }

    /**
     * Whether the empty-log guard is on (docs/design.md §4.9): this node booted with no durable state
     * (now or in an earlier incarnation) and has not yet held a leader's log up to an entry of that
     * leader's term and its commit index, so it votes and campaigns only while its log is empty and
     * only for candidates whose log is empty too. Read-only, for operators and tests; the loop thread only.
     */
    public boolean emptyLogGuarded() {
        return voter.guarded();
    }

    /** The latest configuration in the log, committed or not. */
    public Membership membership() {
        return memberships.latest();
    }

    /** The configuration in force at {@code index} (the snapshot's or bootstrap one below the log's CONFIG entries). */
    public Membership membershipAt(long index) {
        return memberships.at(index);
    }

    /**
     * On the leader: when it last heard from {@code peerId} (the loop's nanoseconds; leadership start
     * when not since); {@link Long#MIN_VALUE} on other roles or for a peer that is not a member.
     */
    public long lastHeardFromNs(String peerId) {
        return role == RaftRole.LEADER ? replicator.lastHeardNs(peerId) : Long.MIN_VALUE;
    }

    /**
     * On the leader: the last index known to be replicated on {@code peerId} (its match index);
     * -1 on other roles or for a peer that is not a member.
     */
    public long matchIndexOf(String peerId) {
        return role == RaftRole.LEADER ? replicator.matchIndexOf(peerId) : -1;
    }

    public RaftLogs logs() {
        return logs;
    }

    /** Snapshots this node took of its own state machine since it was created (by count or by age). */
    public long snapshotsTaken() {
        return compaction.snapshotsTaken();
    }

    /** Refused inbound messages by cause; read on the thread that drives this node. */
    public RaftCounters counters() {
        return counters;
    }

    // ------------------------------------------------------------------ elections (paper §5.2, thesis §9.6)

    private void onElectionTimeout() {
        resetElectionDeadline();
        if (!canCampaign()) {
            if (role != RaftRole.FOLLOWER) {
                becomeFollower(term(), null);
            }
            return;
        }
        if (config.preVote()) {
            becomePreCandidate();
        } else {
            campaign(false);
        }
    }

    boolean canCampaign() {
        return !config.onlyFollower() && membership().isVoter(id) && voter.mayCampaign();
    }

    private void becomePreCandidate() {
        counters.preVoteStarted();
        changeRole(RaftRole.PRE_CANDIDATE);
        setLeader(null);
        votes.reset(membership());
        votes.record(id, true);
        if (votes.won()) {
            campaign(false);
            return;
        }
        final long lastIndex = logs.lastIndex();
        final long lastTerm = logs.termAt(lastIndex);
        final Membership m = membership();
        for (int i = 0; i < m.voterCount(); i++) {
            final String voter = m.voter(i);
            if (!voter.equals(id)) {
                outbox.sendVoteRequest(voter, term() + 1, lastIndex, lastTerm, true, false);
            }
        }
    }

    /** Raises the term, votes for itself durably, then asks for votes (paper §5.2). */
    void campaign(boolean leadershipTransfer) {
        final long newTerm = term() + 1;
        logs.storeTermAndVote(newTerm, id);
        counters.electionStarted();
        changeRole(RaftRole.CANDIDATE);
        setLeader(null);
        resetElectionDeadline();
        votes.reset(membership());
        votes.record(id, true);
        if (votes.won()) {
            becomeLeader();
            return;
        }
        final long lastIndex = logs.lastIndex();
        final long lastTerm = logs.termAt(lastIndex);
        final Membership m = membership();
        for (int i = 0; i < m.voterCount(); i++) {
            final String voter = m.voter(i);
            if (!voter.equals(id)) {
                outbox.sendVoteRequest(voter, newTerm, lastIndex, lastTerm, false, leadershipTransfer);
            }
        }
    }

    @Override
    public void onVoteRequest(String from, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                              boolean leadershipTransfer) {
        if (haltReason != null) {
            return;
        }
        voter.onVoteRequest(from, term, lastLogIndex, lastLogTerm, preVote, leadershipTransfer);
    }

    @Override
    public void onVoteResponse(String from, long term, boolean granted, boolean preVote) {
        if (haltReason != null) {
            return;
        }
        if (!checks.term(from, term)) {
            return;
        }
        if (preVote) {
            if (role != RaftRole.PRE_CANDIDATE) {
                return;
            }
            if (granted && term == term() + 1) {
                votes.record(from, true);
                if (votes.won()) {
                    campaign(false);
                }
            } else if (!granted && term > term()) {
                becomeFollower(term, null);
            }
            return;
        }
        if (term > term()) {
            becomeFollower(term, null);
            return;
        }
        final boolean countable = term == term() || (breakage == Breakage.COUNT_STALE_VOTES && granted);
        if (role != RaftRole.CANDIDATE || !countable) {
            return;
        }
        votes.record(from, granted);
        if (votes.won()) {
            becomeLeader();
        }
    }

    /** Thesis §3.10: the leader tells this voter to campaign at once; see {@link Voter#onTimeoutNow}. */
    @Override
    public void onTimeoutNow(String from, long term) {
        if (haltReason == null) {
            voter.onTimeoutNow(from, term);
        }
    }

    private void becomeLeader() {
        counters.electionWon();
        changeRole(RaftRole.LEADER);
        setLeader(id);
        replicator.becomeLeader();
        voter.onElected(); // before the no-op: a crash must not keep the no-op and lose the clear
        // Paper §5.4.2 / §8: a no-op of the new term lets earlier entries commit.
        logs.append(term(), epochMs, LogEntryView.NOOP, emptyBuffer, 0, 0);
        voter.onLeaderLog(logs.lastIndex(), commitIndex);
        replicator.flush();
    }

    /** Becomes follower of {@code leader} (may be null) in {@code term}, persisting a new term first. */
    void becomeFollower(long term, String leader) {
        if (term > term()) {
            logs.storeTermAndVote(term, null);
        }
        if (role != RaftRole.FOLLOWER) {
            final boolean wasLeader = role == RaftRole.LEADER;
            if (wasLeader) {
                replicator.stepDown();
            }
            changeRole(RaftRole.FOLLOWER);
            if (wasLeader) {
                replicator.failPendingReads(); // thesis §6.4: a deposed leader serves no read
            }
        }
        setLeader(leader);
        resetElectionDeadline();
    }

    private void changeRole(RaftRole newRole) {
        if (role != newRole) {
            role = newRole;
            follower.abandonSnapshot(); // a transfer of the old role's leader will not go on
            listener.onRoleChanged(newRole, term());
        }
    }

    private void setLeader(String leader) {
        if (!Objects.equals(leaderId, leader)) {
            leaderId = leader;
            listener.onLeaderChanged(leader, term());
        }
    }

    void resetElectionDeadline() {
        final long base = role == RaftRole.FOLLOWER ? followerMaxIdleNs : electionTimeoutNs;
        electionDeadlineNs = nowNs + base + random.nextLong(base);
    }

    // ------------------------------------------------------------------ log replication, follower side (paper §5.3)

    @Override
    public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                EntryBatch entries) {
        onAppendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries, 0, 0);
    }

    @Override
    public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                EntryBatch entries, long readRound) {
        onAppendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound, 0);
    }

    /**
     * AppendEntries; every answer, accepting or not, echoes {@code readRound} (thesis §6.4), the
     * request's term and its {@code appendId}, so the leader can tell which append it answers.
     */
    @Override
    public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                EntryBatch entries, long readRound, long appendId) {
        if (haltReason != null) {
            return;
        }
        follower.onAppendEntries(from, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound, appendId);
    }

    /** Stops this node for good; see {@link RaftListener#onHalted}. */
    void halt(String reason) {
        haltReason = reason;
        if (role == RaftRole.LEADER) {
            replicator.stepDown();
            replicator.failPendingReads();
        }
        changeRole(RaftRole.FOLLOWER);
        setLeader(null);
        listener.onHalted(reason);
    }

    /** Why this node halted for good (see {@link RaftListener#onHalted}), or {@code null} while it runs. */
    public String haltReason() {
        return haltReason;
    }

    /**
     * A leader's AppendEntries or InstallSnapshot of at least this node's term arrived. False when
     * this node leads that very term: two leaders in one term cannot exist (paper §5.2, Election
     * Safety), so the message is a fault or an attack; it is counted and ignored.
     */
    boolean heardFromLeader(String from, long term) {
        if (role == RaftRole.LEADER && term == term()) {
            counters.refuse(RaftRefusal.APPEND_TO_LEADER, from, term);
            return false;
        }
        if (term > term() || role != RaftRole.FOLLOWER) {
            becomeFollower(term, from);
        } else {
            setLeader(from);
            resetElectionDeadline();
        }
        lastLeaderContactNs = nowNs;
        return true;
    }

    // ------------------------------------------------------------------ snapshots, follower side (paper §7)

    @Override
    public void onInstallSnapshot(String from, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                  DirectBuffer data, int dataOffset, int dataLength, boolean done,
                                  long snapshotLength, int checksum) {
        if (haltReason != null) {
            return;
        }
        follower.onInstallSnapshot(from, term, snapshotIndex, snapshotTerm, chunkOffset, data, dataOffset, dataLength,
                done, snapshotLength, checksum);
    }

    // ------------------------------------------------------------------ leader-side messages (Replicator)

    @Override
    public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                        long conflictTerm, long conflictIndex) {
        onAppendEntriesResponse(from, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, 0);
    }

    @Override
    public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                        long conflictTerm, long conflictIndex, long readRound) {
        onAppendEntriesResponse(from, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, readRound,
                term, 0);
    }

    /**
     * The answer to AppendEntries. Only an answer to an append of this leader's term counts
     * ({@code requestTerm}); in it, {@code readRound} confirms read rounds (thesis §6.4) and
     * {@code appendId} tells the leader which append it answers (0 = not known).
     */
    @Override
    public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                        long conflictTerm, long conflictIndex, long readRound, long requestTerm,
                                        long appendId) {
        if (haltReason != null) {
            return;
        }
        if (!checks.appendEntriesResponse(from, term, prevLogIndex, matchIndex, conflictTerm, conflictIndex)) {
            return;
        }
        if (term > term()) {
            becomeFollower(term, null);
            return;
        }
        if (role == RaftRole.LEADER && term == term() && requestTerm == term()) {
            replicator.onAppendEntriesResponse(from, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex,
                    readRound, appendId);
        }
    }

    @Override
    public void onInstallSnapshotResponse(String from, long term, boolean success, long snapshotIndex,
                                          long nextOffset) {
        if (haltReason != null) {
            return;
        }
        if (!checks.installSnapshotResponse(from, term, snapshotIndex, nextOffset)) {
            return;
        }
        if (term > term()) {
            becomeFollower(term, null);
            return;
        }
        if (role == RaftRole.LEADER && term == term()) {
            replicator.onInstallSnapshotResponse(from, success, snapshotIndex, nextOffset);
        }
    }

    // ------------------------------------------------------------------ used by Replicator

    long electionTimeoutNs() {
        return electionTimeoutNs;
    }

    RaftListener listener() {
        return listener;
    }

    long heartbeatNs() {
        return heartbeatNs;
    }

    void commitTo(long index) {
        commitIndex = index;
    }

    /** A snapshot replaced the state machine: everything up to {@code index} counts as committed and applied. */
    void snapshotApplied(long index) {
        commitIndex = Math.max(commitIndex, index);
        lastApplied = index;
    }

    void appendConfig(Membership next) {
        final byte[] bytes = next.toBytes();
        final long index = logs.append(term(), epochMs, LogEntryView.CONFIG, new UnsafeBuffer(bytes), 0, bytes.length);
        memberships.appended(index, next);
        listener.onMembershipChanged(next);
    }

    /** Index of the log entry that holds the configuration in force (0 for the bootstrap one). */
    public long membershipIndex() {
        return memberships.latestIndex();
    }

    /** Leader removed by a committed configuration: it stops leading (thesis §4.2.2). */
    void stepDownRemoved() {
        becomeFollower(term(), null);
    }
}
