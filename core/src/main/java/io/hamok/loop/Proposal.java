// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.HamokException;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.CompletableFuture;

/** A payload to append to the log, and the future its caller waits on. */
final class Proposal extends Command {
    final UnsafeBuffer buffer;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long index;
    long term;
    long deadlineNs;

    Proposal(byte[] payload) {
        this.buffer = new UnsafeBuffer(payload);
    }

    @Override
    void execute(RaftLoop loop) {
        loop.onProposal(this);
    }

    void accepted(long index, long term, long deadlineNs) {
        this.index = index;
        this.term = term;
        this.deadlineNs = deadlineNs;
    }

    /** Fails the future; returns true so it can be used in {@code removeIf}. */
    @Override
    boolean fail(HamokException e) {
        future.completeExceptionally(e);
        return true;
    }
}
