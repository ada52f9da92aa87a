// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * What the demos and tests saw happen, in the order it happened, each with the time of this JVM's
 * monotonic clock (one clock for every instance in the process). Waiting is on futures, never by
 * polling. Thread-safe.
 *
 * @param <E> what is recorded
 */
final class Recorder<E> {
    /** One recorded value and when ({@link System#nanoTime()}) it was recorded. */
    record Entry<E>(long atNs, E value) {
    }

    private record Waiting<E>(Predicate<List<E>> condition, CompletableFuture<List<Entry<E>>> future) {
    }

    private final List<Entry<E>> entries = new ArrayList<>();
    private final List<Waiting<E>> waiting = new ArrayList<>();

    /** Records {@code value} now; the clock is read under the same lock, so entries are in time order. */
    synchronized void add(E value) {
        entries.add(new Entry<>(System.nanoTime(), value));
        for (Iterator<Waiting<E>> it = waiting.iterator(); it.hasNext(); ) {
            final Waiting<E> w = it.next();
            if (w.condition.test(values())) {
                it.remove();
                w.future.complete(List.copyOf(entries));
            }
        }
    }

    /** Completes with every entry so far once {@code condition} holds for the recorded values (maybe at once). */
    synchronized CompletableFuture<List<Entry<E>>> when(Predicate<List<E>> condition) {
        final CompletableFuture<List<Entry<E>>> future = new CompletableFuture<>();
        if (condition.test(values())) {
            future.complete(List.copyOf(entries));
        } else {
            waiting.add(new Waiting<>(condition, future));
        }
        return future;
    }

    synchronized List<Entry<E>> entries() {
        return List.copyOf(entries);
    }

    synchronized List<E> values() {
        return entries.stream().map(Entry::value).toList();
    }
}
