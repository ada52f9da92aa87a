// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * What a leader knows about one follower (paper Figure 2 "nextIndex/matchIndex", thesis §10.2.1
 * pipelining): the replication mode, the indexes, the pipelined appends still unacknowledged,
 * and a snapshot transfer in progress.
 */
final class Progress {
    /** Sends one append at a time until the follower's log position is found. */
    static final int PROBE = 0;
    /** Streams appends optimistically, up to the in-flight window. */
    static final int REPLICATE = 1;
    /** Sends snapshot chunks, one at a time. */
    static final int SNAPSHOT = 2;

    final String id;
    int state = PROBE;
    long matchIndex;
    long nextIndex;
    /** A probe is outstanding; the next one goes out at the next heartbeat or response. */
    boolean probeSent;
    /** Heard from this peer since the last check-quorum round. */
    boolean recentActive;
    /** When the leader last heard from this follower (any answer), in the loop's nanoseconds. */
    long lastHeardNs;
    /** The commit index the latest message sent lets this follower take: min(leaderCommit, its last entry). */
    long sentCommit;
    /** matchIndex moved since the last heartbeat. */
    boolean progressSinceHeartbeat;
    /** Heartbeats in a row during which appends were outstanding and nothing was acknowledged. */
    int stalledHeartbeats;
    /** Learner catch-up round (thesis §4.2.1): the index the round waits for, and when it started. */
    long roundTargetIndex;
    long roundStartNs;
    /** Autopilot: since when this learner has stayed caught up, or {@link Autopilot#NOT_STABLE}. */
    long stableSinceNs = Autopilot.NOT_STABLE;
    /** Autopilot: the removal of this silent voter was held and reported; cleared when it is heard again. */
    boolean removalHeld;
    /**
     * The leader's next append id when matchIndex last rose: appends numbered from here on were sent
     * after the leader knew that match, so only their answers can prove the follower lost its log.
     */
    long matchLearntBeforeAppendId = Long.MAX_VALUE;
    /**
     * After the follower was found to have lost its log: the leader's next append id at that moment.
     * Acknowledgements of appends numbered below it were sent by the follower before it lost its log
     * (late in the network) and prove nothing about what it holds now.
     */
    long acceptsIgnoredBelowAppendId;
    /** Highest read-confirmation round (thesis §6.4) this follower echoed in the current term. */
    long readRoundAcked;

    private final long[] inflight;
    private int inflightHead;
    private int inflightCount;

    RaftSnapshot snapshot;
    /** Offset of the snapshot chunk in flight (one at a time). */
    long snapshotOffset;
    /** A response to the chunk in flight arrived since the last heartbeat (no resend needed). */
    boolean snapshotAnswered;

    Progress(String id, long nextIndex, int maxInflight) {
        this.id = id;
        this.nextIndex = nextIndex;
        this.inflight = new long[maxInflight];
    }

    void becomeProbe() {
        state = PROBE;
        nextIndex = matchIndex + 1;
        probeSent = false;
        clearInflight();
        snapshot = null;
    }

    /** The follower lost entries it had acknowledged: lower matchIndex to its log's end and probe. */
    void resetMatch(long lastIndex) {
        matchIndex = Math.max(0, lastIndex);
        becomeProbe();
    }

    void becomeReplicate() {
        state = REPLICATE;
        nextIndex = matchIndex + 1;
        probeSent = false;
        clearInflight();
    }

    void becomeSnapshot(RaftSnapshot snapshot) {
        state = SNAPSHOT;
        this.snapshot = snapshot;
        snapshotOffset = 0;
        snapshotAnswered = false;
        clearInflight();
    }

    /** Records that an acknowledgement confirmed {@code index}; true when matchIndex moved. */
    boolean maybeUpdate(long index) {
        if (index > matchIndex) {
            matchIndex = index;
            progressSinceHeartbeat = true;
            stalledHeartbeats = 0;
            if (nextIndex <= index) {
                nextIndex = index + 1;
            }
            freeInflightUpTo(index);
            return true;
        }
        return false;
    }

    boolean canSend() {
        return switch (state) {
            case PROBE -> !probeSent;
            case REPLICATE -> inflightCount < inflight.length;
            default -> false;
        };
    }

    /** Notes an append whose last entry is {@code lastIndex}. */
    void sent(long lastIndex) {
        if (state == REPLICATE) {
            inflight[(inflightHead + inflightCount) % inflight.length] = lastIndex;
            inflightCount++;
            nextIndex = lastIndex + 1;
        } else {
            probeSent = true;
        }
    }

    int inflightCount() {
        return inflightCount;
    }

    private void freeInflightUpTo(long index) {
        while (inflightCount > 0 && inflight[inflightHead] <= index) {
            inflightHead = (inflightHead + 1) % inflight.length;
            inflightCount--;
        }
    }

    private void clearInflight() {
        inflightHead = 0;
        inflightCount = 0;
    }
}
