// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.HamokMonitor;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;

/**
 * Times the leader's entries from append to apply, for {@link HamokMonitor.LatencyRecorder#commitApplied}.
 * At the end of each duty cycle the entries the leader appended since the last one are stamped with
 * the cycle's time, and the entries applied since then are reported with the time since their stamp.
 * Both ends use the loop's clock as read at the start of a duty cycle, so a figure is off by at most
 * the length of a cycle.
 *
 * <p>Stamps live in a ring of {@value #SLOTS} slots by index, each with the index it holds: with more
 * entries than that between append and apply, the older stamps are overwritten and those entries go
 * untimed (never timed wrong). A new leadership term times only what it appends itself. Loop thread
 * only; allocates nothing after construction (128 KiB, made when a recorder is first set).
 */
public final class CommitLatency {
    private static final int SLOTS = 8192;
    private static final int MASK = SLOTS - 1;

    private final long[] indexes = new long[SLOTS];
    private final long[] appendedNs = new long[SLOTS];
    private boolean primed;
    private long seenLast;
    private long seenApplied;
    private long leaderTerm = -1;
    /** The first index appended in the current leadership term: stamps below it are from another term. */
    private long firstOfTerm = Long.MAX_VALUE;

    /** Forgets every stamp: the next cycle starts afresh (a recorder was set after cycles without one). */
    public void reset() {
        primed = false;
    }

    public void afterCycle(RaftNode node, long nowNs, HamokMonitor.LatencyRecorder recorder) {
        final long last = node.logs().lastIndex();
        final long applied = node.lastApplied();
        if (!primed) { // entries already in the log were appended at an unknown time: not timed
            primed = true;
            firstOfTerm = last + 1;
            leaderTerm = node.role() == RaftRole.LEADER ? node.term() : -1;
        } else if (node.role() == RaftRole.LEADER) {
            if (node.term() != leaderTerm) {
                leaderTerm = node.term();
                firstOfTerm = Math.min(seenLast, last) + 1; // this cycle's appends are the new term's
            }
            for (long i = Math.max(Math.max(seenLast + 1, firstOfTerm), last - MASK); i <= last; i++) {
                final int slot = (int) (i & MASK);
                indexes[slot] = i;
                appendedNs[slot] = nowNs;
            }
            for (long i = Math.max(Math.max(seenApplied + 1, firstOfTerm), applied - MASK); i <= applied; i++) {
                final int slot = (int) (i & MASK);
                if (indexes[slot] == i) {
                    indexes[slot] = 0;
                    recorder.commitApplied(nowNs - appendedNs[slot]);
                }
            }
        } else {
            leaderTerm = -1;
        }
        seenLast = last;
        seenApplied = applied;
    }
}
