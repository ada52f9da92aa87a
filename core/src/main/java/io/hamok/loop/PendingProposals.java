// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.EntryLostException;
import io.hamok.HamokClosedException;
import io.hamok.HamokException;
import io.hamok.HamokTimeoutException;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The proposals a leader appended and whose entries are not applied yet, by log index: each completes
 * when its index is applied with its term, and fails when another entry took its index, when a
 * snapshot covers it, when it times out, or when the loop closes. Loop thread only.
 */
final class PendingProposals {
    private final Long2ObjectHashMap<Proposal> byIndex = new Long2ObjectHashMap<>();
    private final LoopCounters counters;

    PendingProposals(LoopCounters counters) {
        this.counters = counters;
    }

    /** Fails {@code proposal} with {@code e} and counts it; true if this call failed it. */
    boolean fail(Proposal proposal, HamokException e) {
        counters.proposalsFailed.increment();
        return proposal.fail(e);
    }

    /** The leader appended {@code proposal} at its index; a proposal that held that index before lost it. */
    void add(Proposal proposal) {
        final Proposal overwritten = byIndex.put(proposal.index, proposal);
        if (overwritten != null) {
            // Its entry was truncated by a new leader and the index reused: it did not happen.
            fail(overwritten, new EntryLostException("entry " + proposal.index + " of term " + overwritten.term
                    + " was removed by a new leader; it did not happen"));
        }
    }

    /** The entry at {@code index} of term {@code entryTerm} was applied. */
    void applied(long index, long entryTerm) {
        if (byIndex.isEmpty()) {
            return;
        }
        final Proposal p = byIndex.remove(index);
        if (p == null) {
            return;
        }
        if (p.term == entryTerm) {
            counters.proposalsCommitted.increment();
            p.future.complete(index);
        } else {
            fail(p, new EntryLostException("entry " + index + " of term " + p.term
                    + " was replaced by a new leader's entry of term " + entryTerm + "; it did not happen"));
        }
    }

    /** A snapshot replaced the log up to {@code index}: the outcome of what it covers is unknown here. */
    void coveredBySnapshot(String peerId, long index) {
        final HamokTimeoutException e = new HamokTimeoutException("a snapshot replaced the log of " + peerId
                + " up to index " + index + "; the outcome of the writes it covers is unknown here");
        byIndex.values().removeIf(p -> p.index <= index && fail(p, e));
    }

    /** Fails, as outcome unknown, the proposals whose deadline passed. */
    void expire(long nowNs, long timeoutMs) {
        if (!byIndex.isEmpty()) {
            byIndex.values().removeIf(p -> p.deadlineNs <= nowNs && fail(p, new HamokTimeoutException(
                    "entry " + p.index + " not committed within " + timeoutMs + " ms; outcome unknown")));
        }
    }

    /** The loop closed: every proposal is in the log, so a later leader may still commit it. */
    void close(String roleName) {
        final HamokClosedException appended = new HamokClosedException(roleName + " closed with the entry in its log",
                true);
        byIndex.values().forEach(p -> p.future.completeExceptionally(appended));
        byIndex.clear();
    }
}
