// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.internal.StorageBackend;
import io.hamok.state.EntriesView;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.RequestView;
import io.hamok.state.ResultView;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageRequest;
import io.hamok.state.StorageResult;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link StorageBackend} over a single-node log: each submitted request is encoded as a real
 * {@link StorageRequest}, appended to a {@link Log} and applied to a real {@link ReplicatedStorages};
 * the state machine's observer completes the requester's future and delivers events. No mocks, no
 * threads: everything happens on the calling thread.
 *
 * <p>Several backends on one {@link Log} play several peers that share one replica: each peer gets
 * every event (as every replica would), and only the requester's future completes. With
 * {@link Log#hold()} submissions queue up unapplied until {@link Log#release()}, which models
 * requests from several peers racing to the leader: they are then applied in submission order.
 */
final class DirectBackend implements StorageBackend {
    private final Log log;
    private final String peerId;
    private final Map<String, List<Consumer<StorageEvent>>> subscribers = new HashMap<>();
    private final Map<Long, CompletableFuture<StorageResult>> pending = new HashMap<>();
    private final Set<String> closedIds = new HashSet<>();
    private long nextRequestId = 1;

    private DirectBackend(Log log, String peerId) {
        this.log = log;
        this.peerId = peerId;
    }

    /** The value of a future that must have completed normally already (DirectBackend is synchronous). */
    static <T> T done(CompletableFuture<T> future) {
        if (!future.isDone()) {
            throw new AssertionError("the future is not complete");
        }
        if (future.isCompletedExceptionally()) {
            throw new AssertionError("the future failed", failure(future));
        }
        return future.join();
    }

    /** Why a future that must have failed already failed (unwrapped from CompletionException). */
    static Throwable failure(CompletableFuture<?> future) {
        if (!future.isCompletedExceptionally()) {
            throw new AssertionError("the future did not fail: done=" + future.isDone());
        }
        try {
            future.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException | CancellationException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    @Override
    public String localPeerId() {
        return peerId;
    }

    @Override
    public CompletableFuture<StorageResult> submit(StorageKind kind, String storageId, RequestType type,
                                                   List<byte[]> keys, List<byte[]> values, byte[] prevValue,
                                                   long timeoutMs) {
        final CompletableFuture<StorageResult> future = new CompletableFuture<>();
        if (log.failure != null) {
            future.completeExceptionally(log.failure);
            return future;
        }
        final long requestId = nextRequestId++;
        pending.put(requestId, future);
        log.append(new StorageRequest(peerId, requestId, kind, storageId, type, keys, values, prevValue).toBytes());
        return future;
    }

    @Override
    public EntriesView view(String storageId) {
        return log.storages.view(storageId);
    }

    @Override
    public io.hamok.state.StorageState state(String storageId) {
        return log.storages.state(storageId);
    }

    @Override
    public CompletableFuture<Void> readBarrier(long timeoutMs) {
        if (log.failure != null) {
            return CompletableFuture.failedFuture(log.failure);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void subscribe(String storageId, Consumer<StorageEvent> listener) {
        subscribers.computeIfAbsent(storageId, id -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void unsubscribe(String storageId, Consumer<StorageEvent> listener) {
        final List<Consumer<StorageEvent>> list = subscribers.get(storageId);
        if (list != null) {
            list.remove(listener);
        }
    }

    @Override
    public void closed(String storageId) {
        closedIds.add(storageId);
    }

    /** The storage ids whose owner called {@link #closed}. */
    Set<String> closedIds() {
        return closedIds;
    }

    /** How many listeners are subscribed to {@code storageId}. */
    int subscriberCount(String storageId) {
        final List<Consumer<StorageEvent>> list = subscribers.get(storageId);
        return list == null ? 0 : list.size();
    }

    private void onApplied(long requestId, StorageResult result) {
        final CompletableFuture<StorageResult> future = pending.remove(requestId);
        if (future == null) {
            return;
        }
        if (result.isRefused()) {
            future.completeExceptionally(new StorageKindMismatchException(result.error()));
        } else {
            future.complete(result);
        }
    }

    private void onEvent(StorageEvent event) {
        final List<Consumer<StorageEvent>> list = subscribers.get(event.storageId());
        if (list != null) {
            list.forEach(listener -> listener.accept(event));
        }
    }

    /** The shared log and state machine of one or more {@link DirectBackend}s. */
    static final class Log implements ReplicatedStorages.Observer {
        private final ReplicatedStorages storages = new ReplicatedStorages(this);
        private final List<DirectBackend> peers = new ArrayList<>();
        private final Queue<byte[]> held = new ArrayDeque<>();
        private boolean holding;
        private long index;
        private RuntimeException failure;

        /** A new peer on this log. */
        DirectBackend peer(String peerId) {
            final DirectBackend peer = new DirectBackend(this, peerId);
            peers.add(peer);
            return peer;
        }

        ReplicatedStorages storages() {
            return storages;
        }

        /** How many requests reached this log (applied or held): what a write that was refused before sending must not move. */
        long appended() {
            return index + held.size();
        }

        /** From now on, queue submissions instead of applying them. */
        void hold() {
            holding = true;
        }

        /** Applies the queued submissions in order and goes back to applying at once. */
        void release() {
            holding = false;
            while (!held.isEmpty()) {
                apply(held.poll());
            }
        }

        /** Makes every later submission and read barrier fail with {@code failure} ({@code null}: succeed again). */
        void failWith(RuntimeException failure) {
            this.failure = failure;
        }

        private void append(byte[] entry) {
            if (holding) {
                held.add(entry);
            } else {
                apply(entry);
            }
        }

        private void apply(byte[] entry) {
            index++;
            storages.apply(index, 1, index, new UnsafeBuffer(entry), 0, entry.length);
            if (storages.observerFailures() > 0) {
                throw new AssertionError("a listener failed while applying entry " + index,
                        storages.lastObserverFailure());
            }
        }

        @Override
        public void onApplied(RequestView request, ResultView result, long index, long timestampMs) {
            for (DirectBackend peer : peers) {
                if (peer.peerId.equals(request.sourceId())) {
                    peer.onApplied(request.requestId(), result.toResult());
                }
            }
        }

        @Override
        public void onDuplicate(RequestView request, long index) {
            throw new AssertionError("a single-node log never applies a request twice: " + request);
        }

        @Override
        public void onEvent(StorageEvent event) {
            for (DirectBackend peer : peers) {
                peer.onEvent(event);
            }
        }
    }
}
