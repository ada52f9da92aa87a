// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * An external key-value store (Redis, a database table, ...) behind a {@link HamokRemoteMap}: the SPI
 * a user implements (or takes ready-made: {@link MemoryRemoteMap}, and the Redis one in
 * {@code hamok-remotemap-redis}). Keys and values are the map codecs' bytes; an empty array is a value.
 *
 * <p><b>Who calls what.</b> Reads ({@link #get}, {@link #getAll}, {@link #size}, {@link #keys},
 * {@link #forEach}) come from any thread of any peer, straight from {@link HamokRemoteMap}'s reads,
 * never through the log. Mutations come only from the peer that leads the Hamok cluster, one at a
 * time (the next call only after the previous future completed), in the order the log committed them.
 *
 * <p><b>Exactly once: the applied index.</b> Every mutation carries two numbers, and the store must
 * check and record them <em>atomically with the mutation</em> (one transaction, one Lua script, one
 * SQL transaction):
 * <ul>
 *   <li>{@code index}: the mutation's number in this map (1, 2, ...; replicated, the same on every peer).
 *       The store executes a mutation only if its stored applied index is below {@code index}, and
 *       then stores {@code index} as its applied index. Otherwise it changes nothing and answers
 *       {@link Status#ALREADY_APPLIED}. So a mutation is never executed twice, whoever sends it again.</li>
 *   <li>{@code token}: the fencing token of the executing leader (its Raft term and more, increasing
 *       with every new leader). The store keeps the highest token it has seen ({@link #fence}); a call
 *       with a lower token changes nothing and answers {@link Status#FENCED}. So a deposed leader that
 *       does not know it yet cannot execute anything once its successor has fenced the store.</li>
 * </ul>
 * A new leader first calls {@link #fence} and learns the stored applied index: every mutation up to
 * it was executed (by an earlier leader), the next one is the first to execute. A mutation may be
 * skipped (its execution failed and was reported as failed), so the stored index may jump.
 *
 * <p><b>Failures.</b> A call that fails completes its future exceptionally. Fail with a
 * {@link io.hamok.RemoteStoreException} whose {@link io.hamok.HamokException#mayHaveBeenApplied()} is {@code false} when
 * the mutation certainly did not reach the store (no connection could be made); any other failure
 * counts as "may have been executed". Futures may complete on any thread; do not block the caller
 * (a blocking client runs on its own threads).
 */
public interface RemoteMap {
    /** What a mutation call did. */
    enum Status {
        /** The mutation was executed and {@code index} is now the stored applied index. */
        EXECUTED,
        /** Nothing changed: the stored applied index is {@code index} or more. */
        ALREADY_APPLIED,
        /** Nothing changed: a higher fencing token was seen (another leader took over). */
        FENCED
    }

    /**
     * The answer to a mutation call or to {@link #fence}.
     *
     * @param status       what happened
     * @param appliedIndex the stored applied index after the call
     * @param applied      for {@link #replace} and {@link #removeIf}: whether the condition held; else true
     * @param keys         the result's keys (see each mutation), in the order of the call's keys
     * @param values       the result's values, aligned with {@code keys}
     */
    record Execution(Status status, long appliedIndex, boolean applied, List<byte[]> keys, List<byte[]> values) {
        public Execution {
            keys = List.copyOf(keys);
            values = List.copyOf(values);
            if (keys.size() != values.size()) {
                throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
            }
        }

        /** Executed, with a result. */
        public static Execution executed(long index, List<byte[]> keys, List<byte[]> values) {
            return new Execution(Status.EXECUTED, index, true, keys, values);
        }

        /** A conditional mutation executed: whether its condition held, and then the old value. */
        public static Execution conditional(long index, boolean applied, byte[] key, byte[] oldValue) {
            return applied ? new Execution(Status.EXECUTED, index, true, List.of(key), List.of(oldValue))
                    : new Execution(Status.EXECUTED, index, false, List.of(), List.of());
        }

        /** Nothing changed (ALREADY_APPLIED or FENCED; EXECUTED for {@link #fence}). */
        public static Execution of(Status status, long appliedIndex) {
            return new Execution(status, appliedIndex, true, List.of(), List.of());
        }
    }

    // ---------------------------------------------------------------- reads (any thread, not through the log)

    /** The value of {@code key}, or {@code null} when absent. */
    CompletableFuture<byte[]> get(byte[] key);

    /** The values of {@code keys}, aligned with them, {@code null} for absent ones. */
    CompletableFuture<List<byte[]>> getAll(List<byte[]> keys);

    /** The number of entries. */
    CompletableFuture<Long> size();

    /** Every key (a point-in-time copy, or a consistent-enough scan for a large store). */
    CompletableFuture<List<byte[]>> keys();

    /**
     * Calls {@code action} for every entry (on a thread of the store's choosing, one entry at a time),
     * and completes after the last. A store may scan in batches: an entry changed meanwhile is seen
     * either before or after the change, or not at all if it was removed.
     */
    CompletableFuture<Void> forEach(BiConsumer<byte[], byte[]> action);

    // ---------------------------------------------------------------- the leader's calls (one at a time, in log order)

    /**
     * Raises the stored fencing token to {@code token} unless it is higher already, and tells the
     * stored applied index: {@link Status#EXECUTED} (fenced; {@code appliedIndex} is the stored index) or
     * {@link Status#FENCED} (a higher token is stored; nothing changed).
     */
    CompletableFuture<Execution> fence(long token);

    /** Sets every key to its value; result: the old values of the keys that existed. */
    CompletableFuture<Execution> setAll(long token, long index, List<byte[]> keys, List<byte[]> values);

    /** Sets only the absent keys (never overwrites); result: the entries that existed, left unchanged. */
    CompletableFuture<Execution> insertAll(long token, long index, List<byte[]> keys, List<byte[]> values);

    /** Removes the keys; result: the removed entries with their values. */
    CompletableFuture<Execution> removeAll(long token, long index, List<byte[]> keys);

    /** Removes every entry; no result. */
    CompletableFuture<Execution> clear(long token, long index);

    /**
     * Sets {@code key} to {@code value} only if it is present with exactly {@code expected} (bytes);
     * result: {@link Execution#applied()} and, when applied, the key with its old value.
     */
    CompletableFuture<Execution> replace(long token, long index, byte[] key, byte[] expected, byte[] value);

    /** Removes {@code key} only if it is present with exactly {@code expected}; result as {@link #replace}. */
    CompletableFuture<Execution> removeIf(long token, long index, byte[] key, byte[] expected);
}
