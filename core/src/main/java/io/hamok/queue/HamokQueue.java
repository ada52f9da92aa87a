// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.queue;

import io.hamok.Codec;
import io.hamok.HamokException;
import io.hamok.StorageClosedException;
import io.hamok.StorageKindMismatchException;
import io.hamok.internal.StorageBackend;
import io.hamok.internal.StorageListeners;
import io.hamok.queue.QueueState;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageResult;
import io.hamok.state.StorageState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A FIFO queue replicated on every peer that has a queue with the same id. Get one from
 * {@code Hamok}; configure it with a {@link HamokQueueConfig}.
 *
 * <p><b>Writes go through the log.</b> {@link #push}, {@link #pushAll}, {@link #pop}, {@link #clear}
 * and {@link #importItems} encode on the caller's thread and return a {@link CompletableFuture} that
 * completes once the request is committed and applied on this peer (the Hamok loop thread completes
 * it: do not block in dependent stages). Each is one atomic log entry, applied on every replica in log
 * order:
 * <ul>
 *   <li>pushes append in log order; the items of one {@link #pushAll} stay together and in order;</li>
 *   <li>{@link #pop} takes the head <em>as it is when its entry is applied</em>, not the head this peer
 *       happens to see: pops from different peers never return the same item, and a pop completes
 *       with {@code null} only when the replicated queue is empty at its log position (the original
 *       popped from the caller's possibly stale view);</li>
 *   <li>{@link #clear} goes through the log even when this peer sees an empty queue.</li>
 * </ul>
 * Failures complete the future with a {@link HamokException}: {@link io.hamok.HamokTimeoutException} (outcome
 * unknown), {@link io.hamok.NoLeaderException}, {@link io.hamok.BackPressureException}, {@link io.hamok.HamokClosedException},
 * {@link StorageKindMismatchException} (the id belongs to another kind of storage);
 * {@link HamokException#mayHaveBeenApplied()} says whether the request may have happened anyway. For a
 * pop that matters: a pop that failed with {@code mayHaveBeenApplied()} true may have taken the head
 * item, which then reaches nobody (a retry pops the next one). A pop whose peer caught up by snapshot
 * fails with {@link io.hamok.ResultUnknownException}: it did take an item, which this peer cannot tell.
 *
 * <p><b>Reads are local</b> ({@link #peek}, {@link #size}, {@link #isEmpty}, {@link #export}, iteration):
 * any thread, never blocking, possibly stale (they see a prefix of the log), each one state of the
 * queue between two requests. {@link #peekLinearizable} and {@link #sizeLinearizable} pass a read
 * barrier first (ReadIndex through the leader) and reflect every request completed anywhere before
 * the call. A peek is not a reservation: the item may be popped by another peer right after.
 *
 * <p><b>Items</b> are whatever the codec encodes; any bytes, an empty array included, are an item.
 * {@code null} is never an item: every method throws {@link NullPointerException} naming the argument.
 * When stored bytes cannot be decoded (another peer used another codec for the same id) a read throws,
 * and a future fails, with a {@link HamokException} naming the queue (a pop is applied even when its
 * item then fails to decode); a listener is not called for an event it cannot decode; that is logged.
 *
 * <p><b>Closing</b> with {@link #close()} detaches this object only; the replicated items stay on every
 * peer. Afterwards every method except {@code close}, {@link #isClosed} and {@link #id} throws
 * {@link StorageClosedException}.
 *
 * @param <T> item type
 */
public final class HamokQueue<T> implements AutoCloseable, Iterable<T> {
    private static final Logger LOG = LoggerFactory.getLogger(HamokQueue.class);

    private final StorageBackend backend;
    private final String queueId;
    private final Codec<T> codec;
    private final HamokQueueConfig<T> config;
    private final Consumer<StorageEvent> eventSink = this::onEvent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StorageListeners<QueueListener<T>> listeners;

    /** Internal: get one from {@link io.hamok.Hamok#createQueue}. */
    public HamokQueue(StorageBackend backend, HamokQueueConfig<T> config) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.queueId = config.queueId();
        this.codec = config.codec();
        this.config = config;
        this.listeners = new StorageListeners<>("queue '" + queueId + "'", closed);
        backend.subscribe(queueId, eventSink);
    }

    /** The queue id (works after close). */
    public String id() {
        return queueId;
    }

    /** Whether {@link #close()} was called (works after close). */
    public boolean isClosed() {
        return closed.get();
    }

    /** The configuration this object was created with. */
    public HamokQueueConfig<T> config() {
        return config;
    }

    // ---------------------------------------------------------------- local reads

    /** The local number of items. */
    public int size() {
        ensureOpen();
        final QueueState state = state();
        return state == null ? 0 : state.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** The local head item, not removed, or {@code null} when the local replica is empty. */
    public T peek() {
        ensureOpen();
        return peekLocal();
    }

    /** The local items from head to tail: one state of the queue, a new immutable list not backed by it. */
    public List<T> export() {
        ensureOpen();
        final QueueState state = state();
        if (state == null) {
            return List.of();
        }
        final List<byte[]> items = state.items();
        final List<T> out = new ArrayList<>(items.size());
        for (byte[] item : items) {
            out.add(decode(item, false));
        }
        return Collections.unmodifiableList(out);
    }

    /** Iterates over {@link #export()}: a snapshot, so the queue may change meanwhile; no {@code remove}. */
    @Override
    public Iterator<T> iterator() {
        return export().iterator();
    }

    // ---------------------------------------------------------------- linearizable reads

    /** The head item as of a linearizable read point (not removed), or {@code null} when empty. */
    public CompletableFuture<T> peekLinearizable() {
        ensureOpen();
        return backend.readBarrier(config.requestTimeoutMs()).thenApply(ignored -> peekLocal());
    }

    /** The number of items as of a linearizable read point. */
    public CompletableFuture<Integer> sizeLinearizable() {
        ensureOpen();
        return backend.readBarrier(config.requestTimeoutMs()).thenApply(ignored -> {
            final QueueState state = state();
            return state == null ? 0 : state.size();
        });
    }

    // ---------------------------------------------------------------- writes

    /** Appends {@code item}; completes once applied here. */
    public CompletableFuture<Void> push(T item) {
        ensureOpen();
        return submit(RequestType.INSERT, List.of(encode(item, "item"))).thenApply(r -> null);
    }

    /**
     * Appends the items in iteration order as one atomic request (nothing else lands between them);
     * an empty collection completes at once without a request.
     */
    public CompletableFuture<Void> pushAll(Collection<? extends T> items) {
        ensureOpen();
        final List<byte[]> encoded = encodeAll(items);
        if (encoded.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return submit(RequestType.INSERT, encoded).thenApply(r -> null);
    }

    /**
     * Removes and returns the head item as it is when this request is applied (see the class comment);
     * completes with {@code null} when the replicated queue is empty at that point.
     */
    public CompletableFuture<T> pop() {
        ensureOpen();
        return submit(RequestType.REMOVE, List.of())
                .thenApply(r -> r.values().isEmpty() ? null : decode(r.values().get(0), true));
    }

    /**
     * Removes every item, through the log even when this peer sees none; listeners get
     * {@link QueueListener#onCleared()}.
     */
    public CompletableFuture<Void> clear() {
        ensureOpen();
        return submit(RequestType.CLEAR, List.of()).thenApply(r -> null);
    }

    /**
     * Replaces the replicated items with {@code items} (in iteration order) as one atomic request: a
     * clear and a push in one log entry, so no peer sees the queue in between (unlike
     * {@link io.hamok.map.HamokMap#importEntries}). One item imports as one item, none as an empty queue.
     */
    public CompletableFuture<Void> importItems(Collection<? extends T> items) {
        ensureOpen();
        return submit(RequestType.CLEAR, encodeAll(items)).thenApply(r -> null);
    }

    // ---------------------------------------------------------------- events and lifecycle

    /**
     * Adds a listener for changes of the local replica (see {@link QueueListener} for threads and
     * order). Adding the same listener twice makes it called twice.
     */
    public void addListener(QueueListener<T> listener) {
        ensureOpen();
        listeners.add(listener);
    }

    /** Removes one registration of {@code listener}; returns whether it was registered. */
    public boolean removeListener(QueueListener<T> listener) {
        ensureOpen();
        return listeners.remove(listener);
    }

    /**
     * Detaches this object from the replicated queue: stops events, tells the backend, and calls
     * {@link QueueListener#onClosed()} of each listener once, on this thread. Idempotent. The replicated
     * items stay on every peer (the original cleared its local copy). A request already submitted still
     * completes. An event that the loop thread is delivering at this moment may still reach a listener.
     */
    @Override
    public void close() {
        listeners.closeStorage(backend, queueId, eventSink, QueueListener::onClosed);
    }

    @Override
    public String toString() {
        return "HamokQueue{" + queueId + (closed.get() ? ", closed}" : "}");
    }

    private void onEvent(StorageEvent event) {
        if (listeners.isEmpty() || closed.get()) {
            return;
        }
        final StorageEvent.Type type = event.type(); // the event is reused once this call returns
        final T item;
        try {
            item = type == StorageEvent.Type.INSERTED ? decode(event.newValue(), false)
                    : type == StorageEvent.Type.REMOVED ? decode(event.oldValue(), false) : null;
        } catch (RuntimeException e) {
            LOG.warn("queue '{}': cannot decode a {} event, listeners not called", queueId, type, e);
            return;
        }
        listeners.deliver(type.name(), listener -> {
            switch (type) {
                case INSERTED -> listener.onAdded(item);
                case REMOVED -> listener.onRemoved(item);
                case CLEARED -> listener.onCleared();
                case EMPTY -> listener.onEmpty();
                case NOT_EMPTY -> listener.onNotEmpty();
                default -> {
                    // UPDATED: not a queue event
                }
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private T peekLocal() {
        final QueueState state = state();
        final byte[] head = state == null ? null : state.peek();
        return head == null ? null : decode(head, false);
    }

    private CompletableFuture<StorageResult> submit(RequestType type, List<byte[]> values) {
        return backend.submit(StorageKind.QUEUE, queueId, type, List.of(), values, null, config.requestTimeoutMs())
                .thenApply(this::requireAccepted);
    }

    private StorageResult requireAccepted(StorageResult result) {
        if (result.error() != null) {
            throw new StorageKindMismatchException("queue '" + queueId + "': request refused: " + result.error());
        }
        return result;
    }

    /** The local replicated state, or {@code null} before the queue's first request was applied here. */
    private QueueState state() {
        final StorageState state = backend.state(queueId);
        if (state == null || state instanceof QueueState) {
            return (QueueState) state;
        }
        throw new StorageKindMismatchException("storage '" + queueId + "' is a " + state.kind()
                + " in this cluster, not a " + StorageKind.QUEUE);
    }

    private List<byte[]> encodeAll(Collection<? extends T> items) {
        Objects.requireNonNull(items, "items");
        final List<byte[]> out = new ArrayList<>(items.size());
        for (T item : items) {
            out.add(encode(item, "items element"));
        }
        return out;
    }

    private byte[] encode(T item, String argument) {
        Objects.requireNonNull(item, argument);
        return Objects.requireNonNull(codec.encode(item), () -> "codec returned null for " + item);
    }

    /** Decodes an item; {@code ofAppliedPop}: the item a pop took, which is gone whatever decoding says. */
    private T decode(byte[] bytes, boolean ofAppliedPop) {
        try {
            return Objects.requireNonNull(codec.decode(bytes), "codec decoded null");
        } catch (RuntimeException e) {
            throw new HamokException("queue '" + queueId + "': cannot decode an item of " + bytes.length + " bytes"
                    + (ofAppliedPop ? " that a pop took (it is removed)" : "") + ": " + e.getMessage(), e,
                    ofAppliedPop);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageClosedException("queue '" + queueId + "' is closed");
        }
    }
}
