// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.HamokClosedException;
import io.hamok.HamokConfig;
import io.hamok.HamokHaltedException;
import io.hamok.loop.RaftLoop;
import io.hamok.state.EntriesView;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageRequest;
import io.hamok.state.StorageResult;
import io.hamok.state.StorageState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The typed storages' door into one {@link io.hamok.Hamok} instance ({@link StorageBackend}): a write
 * is encoded on the caller's thread and handed to the loop's grid, a linearizable read to its reads,
 * and storage events reach the subscribers the instance's state observer calls. Any thread.
 */
public final class LoopBackend implements StorageBackend {
    private final String peerId;
    private final long requestTimeoutMs;
    private final AtomicLong requestIds;
    private final RaftLoop loop;
    private final Grid grid;
    private final Reads reads;
    private final RequestBuffers buffers;
    private final ReplicatedStorages state;
    private final Map<String, List<Consumer<StorageEvent>>> subscribers;
    private final Supplier<CompletableFuture<StorageResult>> futures;
    private final BooleanSupplier closed;
    private final Consumer<String> onClosed;

    /**
     * @param firstRequestId the id of this incarnation's first request ({@link RequestIds#first})
     * @param subscribers    the instance's subscribers by storage id, which this adds to and removes from
     * @param futures        makes the future of a write (a timed one when a latency recorder is set)
     * @param closed         whether the instance is closed
     * @param onClosed       hears the id of a storage its owner closed
     */
    public LoopBackend(HamokConfig config, long firstRequestId, RaftLoop loop, Grid grid, Reads reads,
                       RequestBuffers buffers, ReplicatedStorages state,
                       Map<String, List<Consumer<StorageEvent>>> subscribers,
                       Supplier<CompletableFuture<StorageResult>> futures, BooleanSupplier closed,
                       Consumer<String> onClosed) {
        this.peerId = config.peerId();
        this.requestTimeoutMs = config.requestTimeoutMs();
        this.requestIds = new AtomicLong(firstRequestId - 1);
        this.loop = loop;
        this.grid = grid;
        this.reads = reads;
        this.buffers = buffers;
        this.state = state;
        this.subscribers = subscribers;
        this.futures = futures;
        this.closed = closed;
        this.onClosed = onClosed;
    }

    @Override
    public String localPeerId() {
        return peerId;
    }

    @Override
    public CompletableFuture<StorageResult> submit(StorageKind kind, String storageId, RequestType type,
                                                   List<byte[]> keys, List<byte[]> values, byte[] prevValue,
                                                   long timeoutMs) {
        final CompletableFuture<StorageResult> future = futures.get();
        if (closed.getAsBoolean()) {
            future.completeExceptionally(new HamokClosedException(peerId + " is closed"));
            return future;
        }
        final String halted = loop.haltReason();
        if (halted != null) {
            future.completeExceptionally(new HamokHaltedException(peerId, halted));
            return future;
        }
        final StorageRequest request = new StorageRequest(peerId, requestIds.incrementAndGet(), kind, storageId,
                type, keys, values, prevValue);
        // encoded here, on the caller's thread, into a pooled buffer the loop gives back when done
        final Grid.PendingWrite write = new Grid.PendingWrite(request, buffers.acquire(), future,
                timeoutMs > 0 ? timeoutMs : requestTimeoutMs);
        failWhenRefused(loop.execute(() -> grid.submit(write)), future);
        return future;
    }

    @Override
    public EntriesView view(String storageId) {
        return state.view(storageId);
    }

    @Override
    public StorageState state(String storageId) {
        return state.state(storageId);
    }

    @Override
    public CompletableFuture<Void> readBarrier(long timeoutMs) {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        failWhenRefused(loop.execute(() -> reads.request(future, timeoutMs > 0 ? timeoutMs : requestTimeoutMs)),
                future);
        return future;
    }

    @Override
    public void subscribe(String storageId, Consumer<StorageEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        subscribers.compute(storageId, (id, list) -> {
            final List<Consumer<StorageEvent>> more = list == null ? new ArrayList<>() : new ArrayList<>(list);
            more.add(listener);
            return List.copyOf(more);
        });
    }

    @Override
    public void unsubscribe(String storageId, Consumer<StorageEvent> listener) {
        subscribers.computeIfPresent(storageId, (id, list) -> {
            final List<Consumer<StorageEvent>> fewer = new ArrayList<>(list);
            fewer.remove(listener);
            return fewer.isEmpty() ? null : List.copyOf(fewer);
        });
    }

    @Override
    public void closed(String storageId) {
        onClosed.accept(storageId);
        subscribers.remove(storageId);
    }

    /** A hand-off the loop refused (closed, queue full) fails {@code future} with the reason. */
    private static void failWhenRefused(CompletableFuture<?> handedOff, CompletableFuture<?> future) {
        handedOff.whenComplete((ok, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            }
        });
    }
}
