// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The leader's half of a {@link RaftNode}: per-follower progress, AppendEntries with pipelining
 * and batching, snapshots for followers behind the log, the commit rule, check-quorum,
 * membership changes (with the {@link Autopilot} deciding promotions and removals of dead members),
 * leadership transfer and the read rounds of ReadIndex (thesis §6.4). Lives as
 * long as its node; {@link #becomeLeader()} starts a term of leadership and {@link #stepDown()} ends it.
 *
 * <p>ReadIndex: a read requested while leading gets the commit index as its read index, once the
 * leader has committed an entry of its own term, and joins the next read round. A round starts at
 * {@link #flush()} (all reads requested since the previous flush share it) with an empty append to
 * every voter; every append the leader sends carries the latest round started, and every answer
 * in the leader's term echoes it. When a quorum of voters (the leader included) has echoed round r
 * or later, every read of round r or earlier is released: the leader was still leader after the
 * reads were requested. Rounds count up over the node's life, so rounds of different terms differ.
 */
final class Replicator {
    private final RaftNode node;
    private final RaftLogs logs;
    private final RaftOutbox outbox;
    private final LogBatch batch = new LogBatch();
    private final LogEntryView view = new LogEntryView();
    private final UnsafeBuffer snapshotBuffer = new UnsafeBuffer(0, 0);
    private final List<Progress> followers = new ArrayList<>();
    private long[] matches = new long[8];
    private long heartbeatDeadlineNs;
    private long checkQuorumDeadlineNs;
    private String transferTarget;
    private long transferDeadlineNs;
    private boolean timeoutNowSent;
    /** The first append id given out after the TimeoutNow of the transfer was sent. */
    private long appendIdAfterTimeoutNow;
    private long timeoutNowSentNs;
    /** The number of the next AppendEntries this node sends, increasing over its life (never 0). */
    private long nextAppendId = 1;
    private final PendingReads reads = new PendingReads(64);
    private final Autopilot autopilot;
    private long[] readRounds = new long[8];
    /** The last read round started. */
    private long readRound;
    /** Reads got a read index since the last round started: the next flush starts a round. */
    private boolean readRoundWanted;
    /** The leader has committed an entry of its current term (thesis §6.4, step 1). */
    private boolean termCommitted;

    Replicator(RaftNode node) {
        this.node = node;
        this.logs = node.logs;
        this.outbox = node.outbox;
        this.autopilot = new Autopilot(node, this);
    }

    void becomeLeader() {
        followers.clear();
        transferTarget = null;
        termCommitted = false;
        readRoundWanted = false;
        rebuildProgress();
        heartbeatDeadlineNs = node.nowNs + node.heartbeatNs();
        checkQuorumDeadlineNs = node.nowNs + node.electionTimeoutNs();
    }

    void stepDown() {
        followers.clear();
        transferTarget = null;
        readRoundWanted = false;
    }

    boolean transferring() {
        return transferTarget != null;
    }

    // ------------------------------------------------------------------ time

    void tick() {
        final long now = node.nowNs;
        final boolean beat = now >= heartbeatDeadlineNs;
        if (beat) {
            heartbeatDeadlineNs = now + node.heartbeatNs();
            for (int i = 0; i < followers.size(); i++) {
                heartbeat(followers.get(i));
            }
        }
        if (transferTarget != null && now >= transferDeadlineNs) {
            transferTarget = null; // thesis §3.10: give up and accept proposals again
        }
        if (now >= checkQuorumDeadlineNs) {
            checkQuorumDeadlineNs = now + node.electionTimeoutNs();
            if (node.config.checkQuorum() && !quorumActive()) {
                node.becomeFollower(node.term(), null); // thesis §6.2
            }
        }
        if (beat && node.role() == RaftRole.LEADER) {
            autopilot.removeDeadPeers();
        }
    }

    private void heartbeat(Progress p) {
        switch (p.state) {
            case Progress.PROBE -> {
                p.probeSent = false;
                sendAppend(p);
            }
            case Progress.REPLICATE -> {
                if (!p.progressSinceHeartbeat && p.inflightCount() > 0 && ++p.stalledHeartbeats >= 2) {
                    // Nothing acknowledged for two heartbeats: assume the tail was lost, probe again.
                    p.becomeProbe();
                    sendAppend(p);
                } else {
                    sendHeartbeat(p);
                }
            }
            default -> {
                if (!p.snapshotAnswered) {
                    sendSnapshotChunk(p); // the chunk or its answer was lost: resend it
                }
                p.snapshotAnswered = false;
            }
        }
        p.progressSinceHeartbeat = false;
    }

    private boolean quorumActive() {
        final Membership m = node.membership();
        int active = m.isVoter(node.id) ? 1 : 0;
        for (int i = 0; i < followers.size(); i++) {
            final Progress p = followers.get(i);
            if (p.recentActive && m.isVoter(p.id)) {
                active++;
            }
            p.recentActive = false;
        }
        return active >= m.quorum();
    }

    // ------------------------------------------------------------------ sending

    void flush() {
        maybeCommit();
        if (node.role() != RaftRole.LEADER) {
            return;
        }
        final boolean startRound = startReadRound();
        final Membership m = node.membership();
        final long lastIndex = logs.lastIndex();
        for (int i = 0; i < followers.size(); i++) {
            final Progress p = followers.get(i);
            while (p.canSend() && (p.nextIndex <= lastIndex || p.state == Progress.PROBE)) {
                sendAppend(p);
            }
            if (startRound && m.isVoter(p.id)) {
                sendReadHeartbeat(p); // carries the commit index too
            } else if (p.state == Progress.REPLICATE && p.sentCommit < Math.min(node.commitIndex(), p.matchIndex)) {
                sendHeartbeat(p); // it holds committed entries it was not told of (issue 7): tell it now
            }
        }
        if (startRound) {
            confirmReads(); // a leader that is the only voter is its own quorum
        }
        autopilot.maybePromote();
    }

    private void sendAppend(Progress p) {
        final long next = p.nextIndex;
        final long prevTerm = logs.termAt(next - 1);
        if (next < logs.firstIndex() || prevTerm == RaftLogs.UNKNOWN_TERM) {
            startSnapshot(p);
            return;
        }
        final int count = batchSize(next);
        outbox.sendAppendEntries(p.id, node.term(), next - 1, prevTerm, node.commitIndex(),
                batch.wrap(logs, next, count), readRound, nextAppendId++);
        p.sentCommit = Math.min(node.commitIndex(), next - 1 + count);
        p.sent(next + count - 1);
    }

    private int batchSize(long next) {
        final long available = logs.lastIndex() - next + 1;
        final int maxCount = (int) Math.min(available, node.config.maxEntriesPerAppend());
        long bytes = 0;
        int count = 0;
        while (count < maxCount) {
            bytes += logs.read(next + count, view).payloadLength();
            if (count > 0 && bytes > node.config.maxBytesPerAppend()) {
                break;
            }
            count++;
        }
        return count;
    }

    /** An empty AppendEntries anchored at what the follower surely has, carrying the commit index. */
    private void sendHeartbeat(Progress p) {
        final long prevTerm = logs.termAt(p.matchIndex);
        if (prevTerm == RaftLogs.UNKNOWN_TERM) {
            p.becomeProbe();
            sendAppend(p);
            return;
        }
        outbox.sendAppendEntries(p.id, node.term(), p.matchIndex, prevTerm, node.commitIndex(),
                batch.wrap(logs, p.matchIndex + 1, 0), readRound, nextAppendId++);
        p.sentCommit = Math.min(node.commitIndex(), p.matchIndex);
    }

    /**
     * The empty append that starts a read round for {@code p}: a heartbeat anchored at matchIndex,
     * or for a follower being probed at the probe's position (an answer then moves replication
     * exactly as the probe's would, never back to an old matchIndex). When the anchor is compacted
     * it is the snapshot's last entry; an answer to that is either true news or ignored as stale.
     */
    private void sendReadHeartbeat(Progress p) {
        long anchor = p.state == Progress.PROBE ? p.nextIndex - 1 : p.matchIndex;
        long prevTerm = logs.termAt(anchor);
        if (prevTerm == RaftLogs.UNKNOWN_TERM) {
            anchor = logs.snapshotIndex();
            prevTerm = logs.termAt(anchor);
            if (prevTerm == RaftLogs.UNKNOWN_TERM) {
                return; // the round goes with the next heartbeat
            }
        }
        outbox.sendAppendEntries(p.id, node.term(), anchor, prevTerm, node.commitIndex(),
                batch.wrap(logs, anchor + 1, 0), readRound, nextAppendId++);
        p.sentCommit = Math.min(node.commitIndex(), anchor);
    }

    private void startSnapshot(Progress p) {
        final RaftSnapshot snapshot = logs.snapshot();
        if (snapshot == null) {
            throw new IllegalStateException("entries before " + logs.firstIndex() + " are compacted but no snapshot is stored");
        }
        p.becomeSnapshot(snapshot);
        sendSnapshotChunk(p);
    }

    private void sendSnapshotChunk(Progress p) {
        final RaftSnapshot s = p.snapshot;
        final byte[] bytes = s.bytes();
        final int offset = (int) p.snapshotOffset;
        final int length = Math.min(node.config.snapshotChunkBytes(), bytes.length - offset);
        snapshotBuffer.wrap(bytes);
        outbox.sendInstallSnapshot(p.id, node.term(), s.index(), s.term(), offset, snapshotBuffer, offset, length,
                offset + length == bytes.length, bytes.length, s.checksum());
    }

    // ------------------------------------------------------------------ responses

    /**
     * An answer, in this leader's term, to one of its appends. {@code appendId} names that append (0
     * when the answer does not say): a rejection can lower a match index (the follower lost its log)
     * only if it answers an append sent after the leader learnt that match, so a rejection that an
     * earlier append drew and that arrives late, after a later append was accepted, changes nothing.
     */
    void onAppendEntriesResponse(String from, boolean success, long prevLogIndex, long matchIndex,
                                 long conflictTerm, long conflictIndex, long echoedReadRound, long appendId) {
        final Progress p = find(from);
        if (p == null) {
            return;
        }
        p.recentActive = true;
        p.lastHeardNs = node.nowNs;
        if (success) {
            onAppendAccepted(p, from, matchIndex, appendId);
        } else {
            onAppendRejected(p, prevLogIndex, matchIndex, conflictTerm, conflictIndex, appendId);
        }
        final long round = Math.min(echoedReadRound, readRound); // a round not started yet is not believed
        if (round > p.readRoundAcked && node.role() == RaftRole.LEADER) {
            p.readRoundAcked = round;
            confirmReads();
        }
    }

    private void onAppendAccepted(Progress p, String from, long matchIndex, long appendId) {
        if (appendId != 0 && appendId < p.acceptsIgnoredBelowAppendId) {
            return; // answers an append sent before the follower lost its log: stale
        }
        if (p.maybeUpdate(Math.min(matchIndex, logs.lastIndex()))) {
            p.matchLearntBeforeAppendId = nextAppendId;
        }
        if (p.state == Progress.PROBE
                || (p.state == Progress.SNAPSHOT && p.matchIndex + 1 >= logs.firstIndex())) {
            p.becomeReplicate();
        }
        maybeCommit();
        if (from.equals(transferTarget) && p.matchIndex == logs.lastIndex() && timeoutNowDue(appendId)) {
            sendTimeoutNow(from);
        }
    }

    /**
     * The first TimeoutNow goes once the target has caught up; another only when the target answered
     * an append sent after the last one in this same term (so it did not campaign on it: the message
     * was lost, or it refused it as stale), at most once per heartbeat interval (thesis §3.10).
     */
    private boolean timeoutNowDue(long appendId) {
        if (!timeoutNowSent) {
            return true;
        }
        return appendId >= appendIdAfterTimeoutNow && node.nowNs - timeoutNowSentNs >= node.heartbeatNs();
    }

    /** @param followerLastIndex a rejection carries the follower's last log index */
    private void onAppendRejected(Progress p, long prevLogIndex, long followerLastIndex, long conflictTerm,
                                  long conflictIndex, long appendId) {
        if (followerLastIndex < p.matchIndex && prevLogIndex >= p.matchIndex && p.state != Progress.SNAPSHOT
                && appendId != 0 && appendId >= p.matchLearntBeforeAppendId) {
            // The follower's log ends before what it acknowledged, in answer to an append sent after that
            // acknowledgement: it came back without its log (an in-memory log and a restart). Believe its
            // log as it is now and probe from there.
            p.resetMatch(followerLastIndex);
            p.acceptsIgnoredBelowAppendId = nextAppendId;
            return;
        }
        final boolean stale = prevLogIndex < p.matchIndex
                || (p.state == Progress.PROBE && prevLogIndex != p.nextIndex - 1)
                || p.state == Progress.SNAPSHOT;
        if (stale) {
            return;
        }
        final long next = nextAfterRejection(prevLogIndex, conflictTerm, conflictIndex);
        p.becomeProbe();
        p.nextIndex = Math.max(p.matchIndex + 1, Math.min(next, logs.lastIndex() + 1));
    }

    /** Fast back-off with the follower's conflict hint (paper §5.3, end of section). */
    private long nextAfterRejection(long prevLogIndex, long conflictTerm, long conflictIndex) {
        if (conflictTerm == 0) {
            return conflictIndex;
        }
        long i = Math.min(prevLogIndex, logs.lastIndex());
        while (i > 0 && logs.termAt(i) > conflictTerm) {
            i--;
        }
        return logs.termAt(i) == conflictTerm ? i + 1 : conflictIndex;
    }

    void onInstallSnapshotResponse(String from, boolean success, long snapshotIndex, long nextOffset) {
        final Progress p = find(from);
        if (p == null) {
            return;
        }
        p.recentActive = true;
        p.lastHeardNs = node.nowNs;
        if (p.state != Progress.SNAPSHOT || snapshotIndex != p.snapshot.index()) {
            return;
        }
        final long length = p.snapshot.length();
        if (success && nextOffset >= length) {
            if (p.maybeUpdate(snapshotIndex)) {
                p.matchLearntBeforeAppendId = nextAppendId;
            }
            p.becomeProbe();
            return;
        }
        final long expected = Math.min(length, p.snapshotOffset + node.config.snapshotChunkBytes());
        if (success ? nextOffset != expected : nextOffset == p.snapshotOffset && nextOffset != 0) {
            return; // an answer to an older copy of a chunk: the chunk in flight is still awaited
        }
        p.snapshotAnswered = true;
        if (!success && nextOffset == 0) {
            p.becomeSnapshot(logs.snapshot()); // start over with the newest snapshot
        } else {
            p.snapshotOffset = Math.max(0, Math.min(nextOffset, length));
        }
        sendSnapshotChunk(p);
    }

    // ------------------------------------------------------------------ commit (paper §5.3, §5.4.2)

    private void maybeCommit() {
        final Membership m = node.membership();
        final int voters = m.voterCount();
        if (voters == 0) {
            return;
        }
        if (matches.length < voters) {
            matches = new long[voters * 2];
        }
        for (int i = 0; i < voters; i++) {
            final String voter = m.voter(i);
            if (voter.equals(node.id)) {
                matches[i] = logs.durableIndex(); // the leader's own log counts once durable (persist before count)
            } else {
                final Progress p = find(voter);
                matches[i] = p == null ? 0 : p.matchIndex;
            }
        }
        sortDescending(matches, voters);
        final long candidate = matches[m.quorum() - 1];
        // Only entries of the current term are committed by counting replicas (§5.4.2).
        if (candidate > node.commitIndex() && (logs.termAt(candidate) == node.term()
                || node.breakage == RaftNode.Breakage.COMMIT_OLD_TERM_BY_COUNTING)) {
            node.commitTo(candidate);
            if (node.membershipIndex() <= candidate && !m.isMember(node.id)) {
                node.stepDownRemoved();
            }
        }
    }

    private static void sortDescending(long[] values, int n) {
        for (int i = 1; i < n; i++) {
            final long v = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] < v) {
                values[j + 1] = values[j];
                j--;
            }
            values[j + 1] = v;
        }
    }

    // ------------------------------------------------------------------ ReadIndex (thesis §6.4)

    /** Queues a read of this leader; it is released or failed later through the node's listener. */
    void requestRead(long context) {
        reads.add(context);
        assignWaitingReads();
    }

    /**
     * Gives the reads that wait the commit index as their read index and the next round, once the
     * leader has committed an entry of its term: before that its commit index may lag behind
     * entries earlier leaders committed.
     */
    private void assignWaitingReads() {
        if (!reads.hasUnassigned()) {
            return;
        }
        if (!termCommitted) {
            termCommitted = logs.termAt(node.commitIndex()) == node.term();
            if (!termCommitted) {
                return;
            }
        }
        reads.assignWaiting(node.commitIndex(), readRound + 1);
        readRoundWanted = true;
    }

    /** Starts the round the reads of this duty cycle wait for; true when one started. */
    private boolean startReadRound() {
        assignWaitingReads();
        if (!readRoundWanted) {
            return false;
        }
        readRoundWanted = false;
        readRound++;
        return true;
    }

    /** Releases every read whose round a quorum of voters has echoed (the leader echoes its own rounds). */
    private void confirmReads() {
        if (reads.isEmpty()) {
            return;
        }
        final Membership m = node.membership();
        final int voters = m.voterCount();
        if (voters == 0) {
            return;
        }
        if (readRounds.length < voters) {
            readRounds = new long[voters * 2];
        }
        for (int i = 0; i < voters; i++) {
            final String voter = m.voter(i);
            if (voter.equals(node.id)) {
                readRounds[i] = readRound;
            } else {
                final Progress p = find(voter);
                readRounds[i] = p == null ? 0 : p.readRoundAcked;
            }
        }
        sortDescending(readRounds, voters);
        final long confirmed = readRounds[m.quorum() - 1];
        // Taken off the queue before the listener runs, so that it may request reads again.
        while (!reads.isEmpty() && reads.headRound() != PendingReads.NO_ROUND && reads.headRound() <= confirmed) {
            final long context = reads.headContext();
            final long readIndex = reads.headReadIndex();
            reads.pop();
            node.listener().onReadIndex(context, readIndex);
        }
    }

    /** Fails every pending read: called after this node stopped leading, so none is ever released. */
    void failPendingReads() {
        readRoundWanted = false;
        while (!reads.isEmpty()) {
            final long context = reads.headContext();
            reads.pop();
            node.listener().onReadIndexFailed(context);
        }
    }

    // ------------------------------------------------------------------ membership (thesis §4.1) and transfer (§3.10)

    /** {@code address} null: none given (a member is then unchanged whatever its address). */
    MembershipChange addPeer(String peerId, String address) {
        if (address != null) {
            Membership.checkAddress(peerId, address);
        }
        final MembershipChange blocked = changeBlocked();
        if (blocked != null) {
            return blocked;
        }
        final Membership m = node.membership();
        if (m.isMember(peerId)) {
            return address == null || address.equals(m.address(peerId)) ? MembershipChange.UNCHANGED
                    : MembershipChange.ADDRESS_CONFLICT;
        }
        changeConfiguration(m.withLearner(peerId, address));
        return MembershipChange.ACCEPTED;
    }

    MembershipChange removePeer(String peerId) {
        final MembershipChange blocked = changeBlocked();
        if (blocked != null) {
            return blocked;
        }
        final Membership m = node.membership();
        if (!m.isMember(peerId)) {
            return MembershipChange.UNCHANGED;
        }
        if (m.isVoter(peerId) && m.voterCount() == 1) {
            return MembershipChange.REJECTED;
        }
        if (peerId.equals(transferTarget)) {
            transferTarget = null;
        }
        changeConfiguration(m.without(peerId));
        return MembershipChange.ACCEPTED;
    }

    /** One change at a time, and only after the leader committed an entry of its own term (thesis §4.1). */
    MembershipChange changeBlocked() {
        if (node.role() != RaftRole.LEADER) {
            return MembershipChange.NOT_LEADER;
        }
        final long commit = node.commitIndex();
        if (node.membershipIndex() > commit || transferTarget != null || (logs.termAt(commit) != node.term()
                && node.breakage != RaftNode.Breakage.CHANGE_BEFORE_TERM_COMMIT)) {
            return MembershipChange.IN_PROGRESS;
        }
        return null;
    }

    /** Appends {@code next} (one change from the configuration in force) and follows it with the progress. */
    void changeConfiguration(Membership next) {
        node.appendConfig(next);
        rebuildProgress();
    }

    MembershipChange transferLeadership(String peerId) {
        if (node.role() != RaftRole.LEADER) {
            return MembershipChange.NOT_LEADER;
        }
        if (peerId.equals(node.id)) {
            return MembershipChange.UNCHANGED;
        }
        final Progress p = find(peerId);
        if (p == null || !node.membership().isVoter(peerId)) {
            return MembershipChange.REJECTED;
        }
        transferTarget = peerId;
        transferDeadlineNs = node.nowNs + node.electionTimeoutNs();
        timeoutNowSent = false;
        if (p.matchIndex == logs.lastIndex()) {
            sendTimeoutNow(peerId);
        }
        return MembershipChange.ACCEPTED;
    }

    /** Sparingly: every extra copy is one more chance of a late, disruptive election. */
    private void sendTimeoutNow(String peerId) {
        timeoutNowSent = true;
        timeoutNowSentNs = node.nowNs;
        appendIdAfterTimeoutNow = nextAppendId;
        outbox.sendTimeoutNow(peerId, node.term());
    }

    /** Keeps the progress of remaining members, adds new ones, drops removed ones. */
    void rebuildProgress() {
        final Membership m = node.membership();
        followers.removeIf(p -> !m.isMember(p.id));
        addMissing(m, true);
        addMissing(m, false);
    }

    private void addMissing(Membership m, boolean voters) {
        final int n = voters ? m.voterCount() : m.learnerCount();
        for (int i = 0; i < n; i++) {
            final String peer = voters ? m.voter(i) : m.learner(i);
            if (!peer.equals(node.id) && find(peer) == null) {
                final Progress p = new Progress(peer, logs.lastIndex() + 1, node.config.maxInflightAppends());
                p.lastHeardNs = node.nowNs;
                followers.add(p);
            }
        }
    }

    /** When this leader last heard from {@code peer}, or Long.MIN_VALUE when never (or unknown). */
    long lastHeardNs(String peer) {
        final Progress p = find(peer);
        return p == null || p.lastHeardNs == 0 ? Long.MIN_VALUE : p.lastHeardNs;
    }

    /** The follower's match index as this leader knows it, or -1 for an unknown peer. */
    long matchIndexOf(String peer) {
        final Progress p = find(peer);
        return p == null ? -1 : p.matchIndex;
    }

    Progress find(String peer) {
        for (int i = 0; i < followers.size(); i++) {
            final Progress p = followers.get(i);
            if (p.id.equals(peer)) {
                return p;
            }
        }
        return null;
    }


}
