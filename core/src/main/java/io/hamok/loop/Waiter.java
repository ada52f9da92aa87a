package io.hamok.loop;

import io.hamok.HamokException;

import java.util.concurrent.CompletableFuture;

/** Waits on the loop thread until a leader is known ({@code index < 0}) or an index is applied. */
final class Waiter extends Command {
    final CompletableFuture<Long> future = new CompletableFuture<>();
    private final long index;

    Waiter(long index) {
        this.index = index;
    }

    @Override
    void execute(RaftLoop loop) {
        loop.addWaiter(this);
    }

    /** Completes the future if the condition holds; returns whether it did. */
    boolean tryComplete(RaftLoop loop) {
        if (index < 0 ? loop.leaderId() != null : loop.lastApplied() >= index) {
            future.complete(loop.lastApplied());
            return true;
        }
        return false;
    }

    @Override
    boolean fail(HamokException e) {
        return future.completeExceptionally(e);
    }
}
