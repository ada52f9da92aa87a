// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.HamokException;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Runs a function on the loop thread and completes a future with its result. */
final class Call<T> extends Command {
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final Function<RaftLoop, T> action;

    Call(Function<RaftLoop, T> action) {
        this.action = action;
    }

    @Override
    void execute(RaftLoop loop) {
        try {
            future.complete(action.apply(loop));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    @Override
    boolean fail(HamokException e) {
        return future.completeExceptionally(e);
    }
}
