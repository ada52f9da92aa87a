// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.HamokException;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** Waits on the loop thread until a condition on the loop holds; checked after every duty cycle. */
final class Waiter extends Command {
    final CompletableFuture<Long> future = new CompletableFuture<>();
    private final Predicate<RaftLoop> condition;

    Waiter(Predicate<RaftLoop> condition) {
        this.condition = condition;
    }

    @Override
    void execute(RaftLoop loop) {
        loop.addWaiter(this);
    }

    /** Completes the future (with the applied index) if the condition holds; returns whether it did. */
    boolean tryComplete(RaftLoop loop) {
        try {
            if (condition.test(loop)) {
                future.complete(loop.lastApplied());
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return true;
        }
    }

    @Override
    boolean fail(HamokException e) {
        return future.completeExceptionally(e);
    }
}
