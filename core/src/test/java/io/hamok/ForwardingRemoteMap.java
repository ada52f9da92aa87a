// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.RemoteMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** A {@link RemoteMap} that hands every call to another; tests override {@link #mutation} (and {@link #read}) to fail or delay. */
class ForwardingRemoteMap implements RemoteMap {
    protected final RemoteMap delegate;

    ForwardingRemoteMap(RemoteMap delegate) {
        this.delegate = delegate;
    }

    /** Every leader call (fence included) goes through here. */
    protected CompletableFuture<Execution> mutation(Supplier<CompletableFuture<Execution>> call) {
        return call.get();
    }

    /** Every read goes through here. */
    protected <T> CompletableFuture<T> read(Supplier<CompletableFuture<T>> call) {
        return call.get();
    }

    @Override
    public CompletableFuture<byte[]> get(byte[] key) {
        return read(() -> delegate.get(key));
    }

    @Override
    public CompletableFuture<List<byte[]>> getAll(List<byte[]> keys) {
        return read(() -> delegate.getAll(keys));
    }

    @Override
    public CompletableFuture<Long> size() {
        return read(delegate::size);
    }

    @Override
    public CompletableFuture<List<byte[]>> keys() {
        return read(delegate::keys);
    }

    @Override
    public CompletableFuture<Void> forEach(BiConsumer<byte[], byte[]> action) {
        return read(() -> delegate.forEach(action));
    }

    @Override
    public CompletableFuture<Execution> fence(long token) {
        return mutation(() -> delegate.fence(token));
    }

    @Override
    public CompletableFuture<Execution> setAll(long token, long index, List<byte[]> keys, List<byte[]> values) {
        return mutation(() -> delegate.setAll(token, index, keys, values));
    }

    @Override
    public CompletableFuture<Execution> insertAll(long token, long index, List<byte[]> keys, List<byte[]> values) {
        return mutation(() -> delegate.insertAll(token, index, keys, values));
    }

    @Override
    public CompletableFuture<Execution> removeAll(long token, long index, List<byte[]> keys) {
        return mutation(() -> delegate.removeAll(token, index, keys));
    }

    @Override
    public CompletableFuture<Execution> clear(long token, long index) {
        return mutation(() -> delegate.clear(token, index));
    }

    @Override
    public CompletableFuture<Execution> replace(long token, long index, byte[] key, byte[] expected, byte[] value) {
        return mutation(() -> delegate.replace(token, index, key, expected, value));
    }

    @Override
    public CompletableFuture<Execution> removeIf(long token, long index, byte[] key, byte[] expected) {
        return mutation(() -> delegate.removeIf(token, index, key, expected));
    }
}
