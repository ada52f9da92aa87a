// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import java.util.concurrent.atomic.LongAdder;

/** What a {@link RaftLoop} counts instead of logging on its hot path; readable from any thread. */
public final class LoopCounters {
    final LongAdder dutyCycles = new LongAdder();
    final LongAdder framesDecoded = new LongAdder();
    final LongAdder framesIgnored = new LongAdder();
    final LongAdder framesMalformed = new LongAdder();
    final LongAdder inboundDropped = new LongAdder();
    final LongAdder framesTooLarge = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder commandsRejected = new LongAdder();
    final LongAdder proposalsCommitted = new LongAdder();
    final LongAdder proposalsFailed = new LongAdder();
    final LongAdder messagesRefused = new LongAdder();

    public long dutyCycles() {
        return dutyCycles.sum();
    }

    /** Raft frames decoded and handed to the node. */
    public long framesDecoded() {
        return framesDecoded.sum();
    }

    /** Valid frames of a type this loop does not handle (yet). */
    public long framesIgnored() {
        return framesIgnored.sum();
    }

    /** Frames that did not parse; dropped. */
    public long framesMalformed() {
        return framesMalformed.sum();
    }

    /** Frames dropped because the inbound ring buffer was full (or the loop closed). */
    public long inboundDropped() {
        return inboundDropped.sum();
    }

    /** Frames larger than the inbound ring buffer's largest message (inboundBufferBytes / 8); dropped. */
    public long framesTooLarge() {
        return framesTooLarge.sum();
    }

    /** Exceptions that escaped a duty cycle (each is logged); should stay 0. */
    public long errors() {
        return errors.sum();
    }

    /** Commands refused because the command queue was full. */
    public long commandsRejected() {
        return commandsRejected.sum();
    }

    public long proposalsCommitted() {
        return proposalsCommitted.sum();
    }

    /** Proposals that failed for any reason: not leader, busy, lost, timed out, closed excluded. */
    public long proposalsFailed() {
        return proposalsFailed.sum();
    }

    /**
     * Raft messages the node refused: fields out of range, snapshots over budget, a failed snapshot
     * restore, an append to a leader of its own term (see {@code RaftRefusal}); each cause is logged
     * at most once per 10 s.
     */
    public long messagesRefused() {
        return messagesRefused.sum();
    }

    @Override
    public String toString() {
        return "dutyCycles=" + dutyCycles() + " framesDecoded=" + framesDecoded() + " framesIgnored="
                + framesIgnored() + " framesMalformed=" + framesMalformed() + " inboundDropped=" + inboundDropped()
                + " framesTooLarge=" + framesTooLarge() + " errors=" + errors() + " commandsRejected=" + commandsRejected() + " proposalsCommitted=" + proposalsCommitted()
                + " proposalsFailed=" + proposalsFailed() + " messagesRefused=" + messagesRefused();
    }
}
