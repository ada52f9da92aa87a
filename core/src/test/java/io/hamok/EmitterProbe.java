// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.emitter.EmitterListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link EmitterListener} for tests: keeps every payload with its sender, and hands out futures
 * that complete once a number of payloads arrived (so tests wait on futures, never sleep). Thread-safe.
 *
 * @param <P> the payload type
 */
final class EmitterProbe<P> implements EmitterListener<P> {
    /** One payload as received. */
    record Received<P>(P payload, String from) {
    }

    private final List<Received<P>> received = new ArrayList<>();
    private final List<Waiting> waiting = new ArrayList<>();

    private record Waiting(int count, CompletableFuture<Void> future) {
    }

    @Override
    public synchronized void onEvent(P payload, String fromPeerId) {
        received.add(new Received<>(payload, fromPeerId));
        waiting.removeIf(w -> w.count() <= received.size() && w.future().complete(null));
    }

    /** Completes once {@code count} payloads in all have arrived. */
    synchronized CompletableFuture<Void> awaitCount(int count) {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        if (received.size() >= count) {
            future.complete(null);
        } else {
            waiting.add(new Waiting(count, future));
        }
        return future;
    }

    synchronized List<P> payloads() {
        return received.stream().map(Received::payload).toList();
    }

    synchronized List<Received<P>> received() {
        return List.copyOf(received);
    }

    synchronized int count() {
        return received.size();
    }
}
