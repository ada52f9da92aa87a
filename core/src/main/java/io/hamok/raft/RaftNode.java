package io.hamok.raft;

import org.agrona.DirectBuffer;

import java.util.random.RandomGenerator;

/**
 * SKELETON - being implemented. Public surface is final.
 */
public final class RaftNode implements RaftMessageHandler {
    /** {@link #propose} result: this node is not the leader (or is handing leadership over). */
    public static final long NOT_LEADER = -1;
    /** {@link #propose} result: too many entries wait for commit; retry later. */
    public static final long BUSY = -2;

    /** Observer of role, leader and membership changes; called on the loop thread. */
    public interface Listener {
        default void onRoleChanged(RaftRole role, long term) {
        }

        default void onLeaderChanged(String leaderId, long term) {
        }

        default void onMembershipChanged(Membership membership) {
        }
    }

    public RaftNode(String id, RaftConfig config, RaftLogs logs, StateMachine stateMachine, RaftOutbox outbox,
                    Membership bootstrap, RandomGenerator random, long nowNs) {
        throw new IllegalStateException("skeleton");
    }

    public void listener(Listener listener) {
    }

    /** Deliberate safety bugs for the test of the simulation (RaftTestAccess); never set in production. */
    enum Breakage { NONE, SKIP_PREV_LOG_CHECK, COUNT_STALE_VOTES }

    Breakage breakage = Breakage.NONE;

    public void tick(long nowNs, long epochMs) {
    }

    public long propose(DirectBuffer payload, int offset, int length) {
        return NOT_LEADER;
    }

    public int applyCommitted(int limit) {
        return 0;
    }

    public MembershipChange addPeer(String peerId) {
        return MembershipChange.NOT_LEADER;
    }

    public MembershipChange removePeer(String peerId) {
        return MembershipChange.NOT_LEADER;
    }

    public MembershipChange transferLeadership(String peerId) {
        return MembershipChange.NOT_LEADER;
    }

    public String id() {
        return null;
    }

    public RaftRole role() {
        return null;
    }

    public long term() {
        return 0;
    }

    public String leaderId() {
        return null;
    }

    public long commitIndex() {
        return 0;
    }

    public long lastApplied() {
        return 0;
    }

    public Membership membership() {
        return null;
    }

    public RaftLogs logs() {
        return null;
    }

    @Override
    public void onVoteRequest(String from, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                              boolean leadershipTransfer) {
    }

    @Override
    public void onVoteResponse(String from, long term, boolean granted, boolean preVote) {
    }

    @Override
    public void onAppendEntries(String from, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                EntryBatch entries) {
    }

    @Override
    public void onAppendEntriesResponse(String from, long term, boolean success, long prevLogIndex, long matchIndex,
                                        long conflictTerm, long conflictIndex) {
    }

    @Override
    public void onInstallSnapshot(String from, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                  DirectBuffer data, int dataOffset, int dataLength, boolean done,
                                  long snapshotLength, int checksum) {
    }

    @Override
    public void onInstallSnapshotResponse(String from, long term, boolean success, long snapshotIndex,
                                          long nextOffset) {
    }

    @Override
    public void onTimeoutNow(String from, long term) {
    }
}
