// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap;

import io.hamok.RemoteStoreException;
import io.hamok.state.ByteKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A {@link RemoteMap} in this JVM's memory, with the full applied-index and fencing semantics: for
 * tests, the simulation, and for trying a {@link HamokRemoteMap} out. Share one instance between the
 * peers of an in-JVM cluster to play the external store.
 *
 * <p>Every call runs at once on the calling thread, under this object's lock, and returns a completed
 * future. {@link #available(boolean) available(false)} makes every call fail as a store that cannot be
 * reached does: with a {@link RemoteStoreException} whose {@code mayHaveBeenApplied()} is false.
 * {@link #executedIndexes()} is the journal of executed mutations (their indexes, in execution order),
 * so a test can check that none ran twice.
 */
public final class MemoryRemoteMap implements RemoteMap {
    private final Map<ByteKey, byte[]> entries = new LinkedHashMap<>();
    private final List<Long> journal = new ArrayList<>();
    private long appliedIndex;
    private long token;
    private boolean available = true;

    // ---------------------------------------------------------------- for tests

    /** Makes the store reachable or not; while not, every call fails with a {@link RemoteStoreException} (not applied). */
    public synchronized MemoryRemoteMap available(boolean available) {
        this.available = available;
        return this;
    }

    /** The indexes of the mutations executed, in execution order (a copy). */
    public synchronized List<Long> executedIndexes() {
        return List.copyOf(journal);
    }

    /** The stored applied index. */
    public synchronized long appliedIndex() {
        return appliedIndex;
    }

    /** The highest fencing token seen. */
    public synchronized long token() {
        return token;
    }

    /** A copy of the entries. */
    public synchronized Map<ByteKey, byte[]> copy() {
        return new LinkedHashMap<>(entries);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public synchronized CompletableFuture<byte[]> get(byte[] key) {
        final CompletableFuture<byte[]> down = down();
        return down != null ? down : CompletableFuture.completedFuture(entries.get(new ByteKey(key)));
    }

    @Override
    public synchronized CompletableFuture<List<byte[]>> getAll(List<byte[]> keys) {
        final CompletableFuture<List<byte[]>> down = down();
        if (down != null) {
            return down;
        }
        final List<byte[]> values = new ArrayList<>(keys.size());
        keys.forEach(k -> values.add(entries.get(new ByteKey(k))));
        return CompletableFuture.completedFuture(values);
    }

    @Override
    public synchronized CompletableFuture<Long> size() {
        final CompletableFuture<Long> down = down();
        return down != null ? down : CompletableFuture.completedFuture((long) entries.size());
    }

    @Override
    public synchronized CompletableFuture<List<byte[]>> keys() {
        final CompletableFuture<List<byte[]>> down = down();
        if (down != null) {
            return down;
        }
        final List<byte[]> keys = new ArrayList<>(entries.size());
        entries.keySet().forEach(k -> keys.add(k.bytes()));
        return CompletableFuture.completedFuture(keys);
    }

    /** Calls {@code action} on a copy of the entries, outside the lock. */
    @Override
    public CompletableFuture<Void> forEach(BiConsumer<byte[], byte[]> action) {
        final Map<ByteKey, byte[]> copy;
        synchronized (this) {
            final CompletableFuture<Void> down = down();
            if (down != null) {
                return down;
            }
            copy = new LinkedHashMap<>(entries);
        }
        try {
            copy.forEach((k, v) -> action.accept(k.bytes(), v));
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---------------------------------------------------------------- the leader's calls

    @Override
    public synchronized CompletableFuture<Execution> fence(long token) {
        final CompletableFuture<Execution> down = down();
        if (down != null) {
            return down;
        }
        if (token < this.token) {
            return CompletableFuture.completedFuture(Execution.of(Status.FENCED, appliedIndex));
        }
        this.token = token;
        return CompletableFuture.completedFuture(Execution.of(Status.EXECUTED, appliedIndex));
    }

    @Override
    public synchronized CompletableFuture<Execution> setAll(long token, long index, List<byte[]> keys,
                                                             List<byte[]> values) {
        return execute(token, index, () -> {
            final List<byte[]> oldKeys = new ArrayList<>();
            final List<byte[]> oldValues = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                final byte[] old = entries.put(new ByteKey(keys.get(i)), values.get(i));
                if (old != null) {
                    oldKeys.add(keys.get(i));
                    oldValues.add(old);
                }
            }
            return Execution.executed(index, oldKeys, oldValues);
        });
    }

    @Override
    public synchronized CompletableFuture<Execution> insertAll(long token, long index, List<byte[]> keys,
                                                                List<byte[]> values) {
        return execute(token, index, () -> {
            final List<byte[]> existingKeys = new ArrayList<>();
            final List<byte[]> existingValues = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                final byte[] existing = entries.putIfAbsent(new ByteKey(keys.get(i)), values.get(i));
                if (existing != null) {
                    existingKeys.add(keys.get(i));
                    existingValues.add(existing);
                }
            }
            return Execution.executed(index, existingKeys, existingValues);
        });
    }

    @Override
    public synchronized CompletableFuture<Execution> removeAll(long token, long index, List<byte[]> keys) {
        return execute(token, index, () -> {
            final List<byte[]> removedKeys = new ArrayList<>();
            final List<byte[]> removedValues = new ArrayList<>();
            for (byte[] key : keys) {
                final byte[] old = entries.remove(new ByteKey(key));
                if (old != null) {
                    removedKeys.add(key);
                    removedValues.add(old);
                }
            }
            return Execution.executed(index, removedKeys, removedValues);
        });
    }

    @Override
    public synchronized CompletableFuture<Execution> clear(long token, long index) {
        return execute(token, index, () -> {
            entries.clear();
            return Execution.executed(index, List.of(), List.of());
        });
    }

    @Override
    public synchronized CompletableFuture<Execution> replace(long token, long index, byte[] key, byte[] expected,
                                                              byte[] value) {
        return conditional(token, index, key, expected, () -> entries.put(new ByteKey(key), value));
    }

    @Override
    public synchronized CompletableFuture<Execution> removeIf(long token, long index, byte[] key, byte[] expected) {
        return conditional(token, index, key, expected, () -> entries.remove(new ByteKey(key)));
    }

    /** Runs {@code change} only if {@code key} holds exactly {@code expected}. */
    private CompletableFuture<Execution> conditional(long token, long index, byte[] key, byte[] expected,
                                                     Runnable change) {
        return execute(token, index, () -> {
            final byte[] old = entries.get(new ByteKey(key));
            final boolean holds = old != null && java.util.Arrays.equals(old, expected);
            if (holds) {
                change.run();
            }
            return Execution.conditional(index, holds, key, old);
        });
    }

    /** The applied-index and fencing check, then the mutation and the new index, all under the lock. */
    private CompletableFuture<Execution> execute(long token, long index, java.util.function.Supplier<Execution> mutation) {
        final CompletableFuture<Execution> down = down();
        if (down != null) {
            return down;
        }
        if (token < this.token) {
            return CompletableFuture.completedFuture(Execution.of(Status.FENCED, appliedIndex));
        }
        if (index <= appliedIndex) {
            return CompletableFuture.completedFuture(Execution.of(Status.ALREADY_APPLIED, appliedIndex));
        }
        this.token = token;
        final Execution done = mutation.get();
        appliedIndex = index;
        journal.add(index);
        return CompletableFuture.completedFuture(done);
    }

    private <T> CompletableFuture<T> down() {
        return available ? null : CompletableFuture.failedFuture(
                new RemoteStoreException("the in-memory remote map is unavailable (a test switched it off)", false));
    }

    @Override
    public synchronized String toString() {
        return "MemoryRemoteMap{" + entries.size() + " entries, applied index " + appliedIndex + ", token " + token + "}";
    }
}
