// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.MemoryRemoteMap;
import io.hamok.remotemap.RemoteMap;
import io.hamok.remotemap.RemoteMap.Execution;
import io.hamok.remotemap.RemoteMap.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The external store of the remote map simulation: one {@link MemoryRemoteMap}, and one client per
 * peer ({@link #client}) whose leader calls travel in virtual time. A call reaches the store after a
 * seeded delay, and its answer comes back after another; meanwhile the peer may have crashed or lost
 * leadership, so stale calls do reach the store. Faults: the store is down for a while (calls fail as
 * "not executed"), and now and then a call fails ambiguously, before or after it was executed (a
 * generic exception, so only the store's applied index can tell).
 *
 * <p>Every executed call is recorded ({@link #executions()}) with its arguments and result, in
 * execution order, for the checker. Reads answer at once. Single-threaded, like the simulation.
 */
final class HamokSimRemoteStore {
    /** One call the store executed (status EXECUTED), in execution order. */
    record Executed(long index, String op, List<byte[]> keys, List<byte[]> values, byte[] expected,
                    Execution result) {
    }

    private record Due(long atMs, long sequence, Runnable action) {
    }

    private final MemoryRemoteMap store = new MemoryRemoteMap();
    private final SplittableRandom random;
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.atMs != b.atMs
            ? Long.compare(a.atMs, b.atMs) : Long.compare(a.sequence, b.sequence));
    private final List<Executed> executions = new ArrayList<>();
    private long nowMs;
    private long sequence;
    private long downUntilMs;
    private int ambiguousPerMille = 10;
    private long staleCalls;
    private long ambiguous;

    HamokSimRemoteStore(long seed) {
        this.random = new SplittableRandom(seed * 0x61C8864680B583EBL + 11);
    }

    MemoryRemoteMap store() {
        return store;
    }

    List<Executed> executions() {
        return executions;
    }

    /** Calls refused by the store for a lower fencing token (a deposed leader's). */
    long staleCalls() {
        return staleCalls;
    }

    long ambiguousFailures() {
        return ambiguous;
    }

    /** The store is down from now for {@code ms}. */
    void down(long ms) {
        downUntilMs = Math.max(downUntilMs, nowMs + ms);
    }

    boolean isDown() {
        return nowMs < downUntilMs;
    }

    void calm() {
        downUntilMs = 0;
        ambiguousPerMille = 0;
    }

    /** Runs what is due by {@code nowMs}: calls reaching the store, answers reaching their peers. */
    void advance(long nowMs) {
        this.nowMs = nowMs;
        while (!due.isEmpty() && due.peek().atMs <= nowMs) {
            due.poll().action.run();
        }
    }

    /** Nothing in flight. */
    boolean idle() {
        return due.isEmpty();
    }

    private void later(long delayMs, Runnable action) {
        due.add(new Due(nowMs + delayMs, sequence++, action));
    }

    /** A peer's client: reads at once, leader calls through virtual time and the faults. */
    RemoteMap client() {
        return new ForwardingRemoteMap(store) {
            @Override
            protected CompletableFuture<Execution> mutation(Supplier<CompletableFuture<Execution>> call) {
                throw new UnsupportedOperationException("every leader call is overridden below");
            }

            @Override
            protected <T> CompletableFuture<T> read(Supplier<CompletableFuture<T>> call) {
                return isDown() ? CompletableFuture.failedFuture(new RemoteStoreException("store down", false))
                        : call.get();
            }

            @Override
            public CompletableFuture<Execution> fence(long token) {
                return travel("fence", 0, List.of(), List.of(), null, () -> delegate.fence(token));
            }

            @Override
            public CompletableFuture<Execution> setAll(long token, long index, List<byte[]> keys, List<byte[]> values) {
                return travel("SET", index, keys, values, null, () -> delegate.setAll(token, index, keys, values));
            }

            @Override
            public CompletableFuture<Execution> insertAll(long token, long index, List<byte[]> keys,
                                                          List<byte[]> values) {
                return travel("INSERT", index, keys, values, null, () -> delegate.insertAll(token, index, keys, values));
            }

            @Override
            public CompletableFuture<Execution> removeAll(long token, long index, List<byte[]> keys) {
                return travel("REMOVE", index, keys, List.of(), null, () -> delegate.removeAll(token, index, keys));
            }

            @Override
            public CompletableFuture<Execution> clear(long token, long index) {
                return travel("CLEAR", index, List.of(), List.of(), null, () -> delegate.clear(token, index));
            }

            @Override
            public CompletableFuture<Execution> replace(long token, long index, byte[] key, byte[] expected,
                                                        byte[] value) {
                return travel("REPLACE", index, List.of(key), List.of(value), expected,
                        () -> delegate.replace(token, index, key, expected, value));
            }

            @Override
            public CompletableFuture<Execution> removeIf(long token, long index, byte[] key, byte[] expected) {
                return travel("REMOVE_IF", index, List.of(key), List.of(), expected,
                        () -> delegate.removeIf(token, index, key, expected));
            }
        };
    }

    private CompletableFuture<Execution> travel(String op, long index, List<byte[]> keys, List<byte[]> values,
                                                byte[] expected, Supplier<CompletableFuture<Execution>> call) {
        final CompletableFuture<Execution> answer = new CompletableFuture<>();
        final long there = random.nextInt(4);
        final long back = random.nextInt(4);
        final int fault = ambiguousPerMille > 0 ? random.nextInt(1000) : 1000;
        later(there, () -> {
            if (isDown()) {
                answer.completeExceptionally(new RemoteStoreException("store down", false));
                return;
            }
            if (fault < ambiguousPerMille / 2) {
                ambiguous++;
                later(back, () -> answer.completeExceptionally(new IllegalStateException("connection reset")));
                return;
            }
            final Execution e = call.get().join();
            if (e.status() == Status.EXECUTED && index > 0) {
                executions.add(new Executed(index, op, keys, values, expected, e));
            } else if (e.status() == Status.FENCED) {
                staleCalls++;
            }
            if (fault < ambiguousPerMille) {
                ambiguous++;
                later(back, () -> answer.completeExceptionally(new IllegalStateException("read timed out")));
            } else {
                later(back, () -> answer.complete(e));
            }
        });
        return answer;
    }
}
