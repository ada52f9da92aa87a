// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.state.EntriesView;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a typed storage ({@link io.hamok.map.HamokMap}, {@link io.hamok.record.HamokRecord}) needs from its {@link io.hamok.Hamok}: submit
 * encoded requests to the replicated log, read the local replica, wait for a linearizable read
 * point, and hear about applied changes. Implemented by the Hamok instance; a test can implement it
 * with a plain in-memory state.
 *
 * <p>Threads: every method may be called from any thread and never blocks. Futures and listeners
 * complete on the Hamok loop thread unless the instance was given an event executor.
 */
public interface StorageBackend {
    /** This peer's id. */
    String localPeerId();

    /**
     * Replicates a request through the leader, retrying after leader changes; the request is
     * applied at most once. Completes with the result once the request is committed and applied on
     * this peer; fails with {@link io.hamok.HamokTimeoutException} after {@code timeoutMs} (outcome unknown),
     * {@link io.hamok.NoLeaderException}, {@link io.hamok.BackPressureException}, {@link io.hamok.HamokClosedException}, or
     * {@link io.hamok.StorageKindMismatchException} when the storage id belongs to another kind; each says by
     * {@link io.hamok.HamokException#mayHaveBeenApplied()} whether a leader may have had the request.
     *
     * <p>The caller gives up {@code keys}, {@code values} and {@code prevValue}: they must not be
     * modified afterwards, because this peer's replica may store those very arrays (instead of copies)
     * when it applies the request. The request is encoded on the calling thread.
     */
    CompletableFuture<StorageResult> submit(StorageKind kind, String storageId, RequestType type, List<byte[]> keys,
                                            List<byte[]> values, byte[] prevValue, long timeoutMs);

    /** The local replica of a storage (empty until the first entry of that storage is applied). */
    EntriesView view(String storageId);

    /**
     * The local replicated state of a storage of any kind, or {@code null} until the first entry of that
     * storage is applied; a typed storage casts it to its kind's class. Any thread (see the kind's
     * class for which of its methods other threads may call).
     */
    io.hamok.state.StorageState state(String storageId);

    /**
     * Completes once this peer has applied everything the leader had committed when the call was
     * made (ReadIndex, thesis §6.4): a read of the local replica after that is linearizable.
     */
    CompletableFuture<Void> readBarrier(long timeoutMs);

    /** Calls {@code listener} for every change applied to {@code storageId}, in log order. */
    void subscribe(String storageId, Consumer<StorageEvent> listener);

    void unsubscribe(String storageId, Consumer<StorageEvent> listener);

    /** The storage was closed by its owner; the backend forgets it (its replicated state stays). */
    void closed(String storageId);
}
