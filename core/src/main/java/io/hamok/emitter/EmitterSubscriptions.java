// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import io.hamok.Codec;
import io.hamok.StorageCodecMismatchException;
import io.hamok.emitter.EmitterFormat;
import io.hamok.state.RequestType;
import io.hamok.state.StorageResult;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * This peer's side of an emitter's subscriptions: the local listeners of each event, and the
 * requests that keep this peer's rows of the replicated table equal to them.
 *
 * <p><b>One request at a time per event.</b> Requests for one event (subscribe, unsubscribe, metadata
 * updates) are sent in call order, each once the previous one completed, so they reach the log in
 * that order even when the grid resends them after a leader change.
 *
 * <p><b>Self-healing rows.</b> Whenever nothing is in flight for an event, this peer compares its row
 * in its replica of the table with what it wants (subscribed, with the last confirmed metadata,
 * while it has listeners; not subscribed otherwise) and sends the request that fixes a difference.
 * Differences come from requests whose outcome was unknown (a timed-out subscribe that commits
 * later), from a cleanup decided on a stale view of the configuration, from an import, and from a
 * previous incarnation of this peer (its rows stay in the table until the new incarnation, once it
 * opens the emitter, removes those it has no listener for). A request that fails is retried later
 * ({@link #retryFailed()}), not at once. Only a member re-subscribes: a peer removed from the
 * configuration does not fight the cleanup of its rows.
 *
 * <p>Threads: any; the mutable state is guarded by this object's lock, held only briefly and never
 * while a listener runs. Delivery ({@link #deliver}) reads the listeners without the lock.
 */
final class EmitterSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(EmitterSubscriptions.class);
    private static final byte[] NO_METADATA = EmitterFormat.metadata(null);
    private static final EmitterListener<?>[] NO_LISTENERS = new EmitterListener<?>[0];
    private static final Local[] NO_LOCALS = new Local[0];

    /** How this peer's rows reach the log and what its replica holds; implemented by {@link HamokEmitter}. */
    interface Table {
        /** Submits a request about this peer's row of {@code event}; never throws (a failure fails the future). */
        CompletableFuture<StorageResult> submit(RequestType type, byte[] event, byte[] form, byte[] expected);

        /** This peer's metadata form for {@code event} in its replica, or {@code null} when not subscribed. */
        byte[] ownRow(String event);

        /** Whether this peer may add rows: the emitter is open and the peer a member. */
        boolean mayAddRows();
    }

    /** One event as this peer sees it. Guarded by the lock, except {@link #listeners} (volatile, copied on write). */
    private static final class Local {
        final String name;
        final byte[] nameBytes;
        volatile Codec<?> codec;
        volatile EmitterListener<?>[] listeners = NO_LISTENERS;
        /** The metadata form this peer wants in its row while it has listeners (the last confirmed one). */
        byte[] wanted = NO_METADATA;
        CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
        int inFlight;
        /** Counts first subscribes: a metadata update confirmed after a newer subscribe must not win over it. */
        int generation;
        /** The subscribe the current listeners wait for, or null once it completed. */
        CompletableFuture<Void> joining;
        boolean retry;

        Local(String name, byte[] nameBytes) {
            this.name = name;
            this.nameBytes = nameBytes;
        }
    }

    private final String owner;
    private final Table table;
    private volatile Local[] locals = NO_LOCALS;
    private volatile boolean closed;

    EmitterSubscriptions(String owner, Table table) {
        this.owner = owner;
        this.table = table;
    }

    // ------------------------------------------------------------------ the API's operations

    /**
     * Adds {@code listener}; the first listener of the event subscribes this peer with {@code form}.
     * Completes once this peer's row is in its replica; a later listener joins the pending subscribe.
     * If the subscribe fails, the listeners waiting for it are removed and the future fails.
     */
    synchronized CompletableFuture<Void> subscribe(EmitterEvent<?> event, byte[] form, EmitterListener<?> listener) {
        final Local l = local(event);
        final boolean first = l.listeners.length == 0;
        l.listeners = append(l.listeners, listener);
        if (!first) {
            return l.joining != null ? l.joining.copy() : CompletableFuture.completedFuture(null);
        }
        l.wanted = form;
        l.generation++;
        final CompletableFuture<Void> joining = new CompletableFuture<>();
        l.joining = joining;
        send(l, RequestType.INSERT, form, null, 0).whenComplete((r, e) -> {
            synchronized (this) {
                if (l.joining == joining) {
                    l.joining = null;
                    if (e != null) {
                        l.listeners = NO_LISTENERS;
                    }
                }
            }
            if (e != null) {
                joining.completeExceptionally(e);
            } else {
                joining.complete(null);
            }
        });
        return joining.copy();
    }

    /**
     * Removes one registration of {@code listener}; when it was the event's last, this peer
     * unsubscribes from that event (only) and the future completes once that is in its replica.
     * Completes with whether the listener was registered.
     */
    synchronized CompletableFuture<Boolean> unsubscribe(String event, EmitterListener<?> listener) {
        final Local l = find(event);
        final int at = l == null ? -1 : Arrays.asList(l.listeners).indexOf(listener);
        if (at < 0) {
            return CompletableFuture.completedFuture(false);
        }
        final EmitterListener<?>[] left = new EmitterListener<?>[l.listeners.length - 1];
        System.arraycopy(l.listeners, 0, left, 0, at);
        System.arraycopy(l.listeners, at + 1, left, at, left.length - at);
        l.listeners = left;
        if (left.length > 0) {
            return CompletableFuture.completedFuture(true);
        }
        l.joining = null;
        return send(l, RequestType.REMOVE, null, null, 0).thenApply(r -> true);
    }

    /**
     * Sets this peer's metadata for {@code event} (if it is {@code expected}, when given); completes
     * with whether it did. A change that did not happen (false, or a failure) leaves the last confirmed
     * metadata as the one this peer keeps in its row.
     *
     * @throws IllegalStateException when this peer has no listener for the event
     */
    synchronized CompletableFuture<Boolean> update(String event, byte[] form, byte[] expected) {
        final Local l = find(event);
        if (l == null || l.listeners.length == 0) {
            throw new IllegalStateException(owner + ": no subscription to '" + event + "' on this peer to update;"
                    + " subscribe first");
        }
        return send(l, RequestType.SET, form, expected, l.generation).thenApply(StorageResult::applied);
    }

    /** Removes every listener of this peer (its rows are removed by the caller's one request). */
    synchronized void clearListeners() {
        for (Local l : locals) {
            l.listeners = NO_LISTENERS;
            l.joining = null;
        }
    }

    /** Stops reconciling and forgets the listeners (the emitter closed). */
    synchronized void close() {
        closed = true;
        clearListeners();
    }

    // ------------------------------------------------------------------ keeping the rows right

    /** This peer's row of {@code event} changed in its replica (any cause). */
    synchronized void onOwnRowChanged(String event) {
        reconcile(entry(event));
    }

    /** Checks this peer's row of {@code event} at the next {@link #retryFailed()}, not now. */
    synchronized void recheckLater(String event) {
        entry(event).retry = true;
    }

    /** Re-checks every event whose last request failed (called now and then by the loop). */
    synchronized void retryFailed() {
        for (Local l : locals) {
            if (l.retry) {
                l.retry = false;
                reconcile(l);
            }
        }
    }

    /** Re-checks every event (after the whole table changed, e.g. this peer's rows were cleared). */
    synchronized void reconcileAll() {
        for (Local l : locals) {
            reconcile(l);
        }
    }

    private void reconcile(Local l) {
        if (closed || l.inFlight > 0) {
            return;
        }
        final byte[] row = table.ownRow(l.name);
        if (l.listeners.length > 0) {
            if ((row == null || !Arrays.equals(row, l.wanted)) && table.mayAddRows()) {
                send(l, RequestType.INSERT, l.wanted, null, 0);
            }
        } else if (row != null) {
            send(l, RequestType.REMOVE, null, null, 0);
        }
    }

    /**
     * Queues a request for {@code l}'s row behind the ones in flight; guarded by the lock. A metadata
     * update ({@code SET}) passes the subscribe generation it was made in.
     */
    private CompletableFuture<StorageResult> send(Local l, RequestType type, byte[] form, byte[] expected,
                                                  int generation) {
        l.inFlight++;
        final CompletableFuture<StorageResult> request = l.tail.handle((r, e) -> null)
                .thenCompose(ignored -> table.submit(type, l.nameBytes, form, expected));
        l.tail = request;
        request.whenComplete((r, e) -> settled(l, type, form, generation, r, e));
        return request;
    }

    private synchronized void settled(Local l, RequestType type, byte[] form, int generation, StorageResult r,
                                      Throwable e) {
        l.inFlight--;
        if (e == null && type == RequestType.SET && r.applied() && generation == l.generation) {
            l.wanted = form; // unless a later subscribe (with its own metadata) came after this update
        }
        if (e != null) {
            l.retry = true;
        } else {
            reconcile(l);
        }
    }

    // ------------------------------------------------------------------ delivery (loop thread)

    /**
     * Hands a received payload to the listeners of its event, counting it in {@code delivered} first;
     * returns whether any listener got it.
     *
     * @throws IllegalArgumentException when the payload does not decode
     */
    boolean deliver(DirectBuffer buffer, int eventOffset, int eventLength, DirectBuffer payloadBuffer,
                    int payloadOffset, int payloadLength, String fromPeerId, Executor executor,
                    java.util.concurrent.atomic.AtomicLong delivered) {
        final Local l = find(buffer, eventOffset, eventLength);
        final EmitterListener<?>[] listeners = l == null ? NO_LISTENERS : l.listeners;
        final Codec<?> codec = l == null ? null : l.codec;
        if (listeners.length == 0 || codec == null) {
            return false;
        }
        final byte[] payload = new byte[payloadLength]; // the item itself: the codec decodes from an array
        payloadBuffer.getBytes(payloadOffset, payload);
        final Object decoded;
        try {
            decoded = codec.decode(payload);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("event '" + l.name + "' from " + fromPeerId + ": " + e.getMessage(), e);
        }
        delivered.incrementAndGet(); // before the listeners run: one that waits for it sees it counted
        if (executor == null) {
            call(listeners, l.name, decoded, fromPeerId);
            return true;
        }
        try {
            executor.execute(() -> call(listeners, l.name, decoded, fromPeerId));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            delivered.decrementAndGet();
            LOG.warn("{}: the event executor refused a payload of '{}'; not delivered", owner, l.name, e);
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private void call(EmitterListener<?>[] listeners, String event, Object payload, String fromPeerId) {
        for (EmitterListener<?> listener : listeners) {
            if (closed) {
                return;
            }
            try {
                ((EmitterListener<Object>) listener).onEvent(payload, fromPeerId);
            } catch (RuntimeException e) {
                LOG.warn("{}: a listener of '{}' threw", owner, event, e);
            }
        }
    }

    // ------------------------------------------------------------------ lookups

    /** The events this peer has listeners for, sorted. */
    List<String> listenedEvents() {
        final List<String> out = new ArrayList<>();
        for (Local l : locals) {
            if (l.listeners.length > 0) {
                out.add(l.name);
            }
        }
        out.sort(null);
        return out;
    }

    boolean hasListeners(String event) {
        final Local l = find(event);
        return l != null && l.listeners.length > 0;
    }

    /**
     * The event's entry, registering {@code event}'s codec on first use.
     *
     * @throws StorageCodecMismatchException when the name was used with a codec not equal to this one
     */
    synchronized void requireCodec(EmitterEvent<?> event) {
        local(event);
    }

    private Local local(EmitterEvent<?> event) {
        Local l = find(event.name());
        if (l == null) {
            l = add(new Local(event.name(), event.nameBytes()));
        }
        if (l.codec == null) {
            l.codec = event.payloadCodec();
        } else if (!l.codec.equals(event.payloadCodec())) {
            throw new StorageCodecMismatchException(owner + ": event '" + event.name() + "' is used here with the"
                    + " payload codec " + l.codec + ", not " + event.payloadCodec() + "; use one EmitterEvent per name");
        }
        return l;
    }

    private Local entry(String event) {
        final Local l = find(event);
        return l != null ? l : add(new Local(event, event.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private Local add(Local l) {
        final Local[] now = Arrays.copyOf(locals, locals.length + 1);
        now[now.length - 1] = l;
        locals = now;
        return l;
    }

    private Local find(String event) {
        for (Local l : locals) {
            if (l.name.equals(event)) {
                return l;
            }
        }
        return null;
    }

    /** The entry whose name is {@code buffer[offset, offset + length)}; allocation-free. */
    private Local find(DirectBuffer buffer, int offset, int length) {
        for (Local l : locals) {
            if (l.nameBytes.length == length && sameBytes(buffer, offset, l.nameBytes)) {
                return l;
            }
        }
        return null;
    }

    /** Whether {@code buffer} holds {@code bytes} at {@code offset}; allocation-free. */
    static boolean sameBytes(DirectBuffer buffer, int offset, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (buffer.getByte(offset + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static EmitterListener<?>[] append(EmitterListener<?>[] listeners, EmitterListener<?> listener) {
        final EmitterListener<?>[] out = Arrays.copyOf(listeners, listeners.length + 1);
        out[listeners.length] = listener;
        return out;
    }
}
