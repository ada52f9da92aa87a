// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import io.hamok.Codec;
import io.hamok.HamokException;
import io.hamok.StorageClosedException;
import io.hamok.StorageKindMismatchException;
import io.hamok.internal.StorageBackend;
import io.hamok.internal.StorageListeners;
import io.hamok.emitter.EmitterFormat;
import io.hamok.emitter.EmitterState;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageResult;
import io.hamok.state.StorageState;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Cluster-wide publish/subscribe: peers subscribe to named events ({@link EmitterEvent}), any peer
 * publishes or notifies, and the payload goes straight to the peers subscribed. Get one from
 * {@code Hamok}; configure it with a {@link HamokEmitterConfig}.
 *
 * <p><b>What goes through the log, and what does not.</b> The <em>subscription table</em> (event, then
 * subscribed peer, then optional metadata {@code M}) is replicated through the Raft log: every peer
 * holds the same table, changed in the same order, and hears its changes
 * ({@link SubscriptionListener}). {@link #subscribe}, {@link #unsubscribe},
 * {@link #updateSubscriptionMetadata}, {@link #clear}, {@link #cleanup} and {@link #importSnapshot}
 * are writes: their futures complete once the change is committed and applied on this peer, and
 * fail as map writes do ({@link HamokException#mayHaveBeenApplied()}). {@link #publish} and
 * {@link #notify} are <em>not</em> in the log: they are direct messages from the publisher to each
 * peer that its own replica of the table lists for the event (read when the call is made). They are
 * not ordered with the log nor with each other across publishers; from one publisher to one
 * subscriber they arrive in the order sent, at most once.
 *
 * <p><b>What a subscriber may miss.</b> Delivery is best effort, one attempt per message: a payload
 * sent while the subscriber is partitioned away, crashed or paused past the publish timeout is lost
 * for it (nothing is queued or replayed after the partition heals), and so is a payload sent by a
 * publisher whose replica does not yet list a fresh subscription. A publish tells which peers did
 * not answer ({@link PublishResult#unanswered()}); a notify tells nobody. Use a replicated
 * {@code HamokMap} or queue for what must not be lost.
 *
 * <p><b>Subscriptions follow the listeners.</b> The first listener of an event subscribes this peer,
 * the last one removed unsubscribes it from that event only; requests for one event go out one at a
 * time, in call order. This peer keeps its rows of the table equal to its listeners: a row left by a
 * request whose outcome was unknown, by an earlier incarnation of this peer, or removed by a cleanup
 * while this peer is still a member, is fixed by a new request (see {@code EmitterSubscriptions}).
 * Closing the emitter removes this peer's rows (best effort, when the instance still runs).
 *
 * <p><b>Cleanup.</b> Subscriptions of a peer that left the configuration are removed through the log
 * by the leader ({@link HamokEmitterConfig#autoClean()}, default on: when it becomes leader and when
 * the configuration changes), or by {@link #cleanup()} on any peer.
 *
 * <p><b>Threads.</b> Every method may be called from any thread and none blocks; futures complete on
 * the loop thread (do not block in dependent stages). {@link EmitterListener}s and
 * {@link SubscriptionListener}s run on the loop thread, or on the instance's event executor.
 * Reads ({@link #hasSubscribers}, {@link #subscriptions}, {@link #export}) read this peer's replica:
 * possibly stale.
 *
 * <p><b>Closing</b> with {@link #close()} detaches this object; afterwards every method except
 * {@code close}, {@link #isClosed} and {@link #id} throws {@link StorageClosedException}.
 *
 * @param <M> the subscription metadata type
 */
public final class HamokEmitter<M> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HamokEmitter.class);

    private final StorageBackend backend;
    private final EmitterChannel channel;
    private final HamokEmitterConfig<M> config;
    private final String emitterId;
    private final byte[] idBytes;
    private final String localPeerId;
    private final Codec<M> metadataCodec;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StorageListeners<SubscriptionListener<M>> listeners;
    private final EmitterSubscriptions subscriptions;
    private final Consumer<StorageEvent> tableSink = this::onTableEvent;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private final AtomicLong decodeFailures = new AtomicLong();
    /** Whether an automatic cleanup of this emitter is in flight (loop thread). */
    boolean cleanupInFlight;

    /** Internal: get one from {@link io.hamok.Hamok#createEmitter}. */
    public HamokEmitter(StorageBackend backend, EmitterChannel channel, HamokEmitterConfig<M> config) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.config = config;
        this.emitterId = config.emitterId();
        this.idBytes = emitterId.getBytes(StandardCharsets.UTF_8);
        this.localPeerId = backend.localPeerId();
        this.metadataCodec = config.metadataCodec();
        this.listeners = new StorageListeners<>("emitter '" + emitterId + "'", closed);
        this.subscriptions = new EmitterSubscriptions("emitter '" + emitterId + "'", new OwnRows());
        backend.subscribe(emitterId, tableSink);
        channel.register(this);
        final EmitterState table = table();
        if (table != null) {
            for (String event : table.events()) {
                if (table.metadataOf(event, localPeerId) != null) {
                    subscriptions.recheckLater(event); // a row of an earlier incarnation: the user may subscribe again first
                }
            }
        }
    }

    /** The emitter id (works after close). */
    public String id() {
        return emitterId;
    }

    /** Whether {@link #close()} was called (works after close). */
    public boolean isClosed() {
        return closed.get();
    }

    public HamokEmitterConfig<M> config() {
        return config;
    }

    // ---------------------------------------------------------------- subscriptions (through the log)

    /** {@link #subscribe(EmitterEvent, Object, EmitterListener)} without metadata. */
    public <P> CompletableFuture<Void> subscribe(EmitterEvent<P> event, EmitterListener<? super P> listener) {
        return subscribe(event, null, listener);
    }

    /**
     * Adds {@code listener} for {@code event}. The first listener of the event on this peer subscribes
     * the peer, with {@code metadata} ({@code null}: none), through the log; the future completes once
     * that is applied here (a later listener's future completes with the same subscription, and its
     * {@code metadata} is not used: see {@link #updateSubscriptionMetadata}). Payloads may reach the
     * listener from the moment it is added. If the subscription fails, the listeners waiting for it
     * are removed and the future fails; adding the same listener twice makes it called twice.
     *
     * @throws io.hamok.StorageCodecMismatchException when this emitter saw the event's name with another payload codec
     * @throws IllegalArgumentException when there is metadata but no {@code metadataCodec}
     */
    public <P> CompletableFuture<Void> subscribe(EmitterEvent<P> event, M metadata, EmitterListener<? super P> listener) {
        ensureOpen();
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(listener, "listener");
        return subscriptions.subscribe(event, metadataForm(metadata, "metadata"), listener);
    }

    /**
     * Removes one registration of {@code listener}. When it was this peer's last listener of the event,
     * the peer unsubscribes from that event only (its other subscriptions stay), and the future
     * completes once that is applied here. Completes with whether the listener was registered.
     */
    public <P> CompletableFuture<Boolean> unsubscribe(EmitterEvent<P> event, EmitterListener<? super P> listener) {
        ensureOpen();
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(listener, "listener");
        return subscriptions.unsubscribe(event.name(), listener);
    }

    /**
     * Replaces this peer's metadata for {@code event} ({@code null}: none); completes with whether it
     * did (false when, in log order, this peer was not subscribed).
     *
     * @throws IllegalStateException when this peer has no listener for the event
     */
    public CompletableFuture<Boolean> updateSubscriptionMetadata(String event, M newMetadata) {
        ensureOpen();
        return subscriptions.update(Objects.requireNonNull(event, "event"), metadataForm(newMetadata, "newMetadata"),
                null);
    }

    /**
     * Compare-and-set of this peer's metadata for {@code event}: replaces it with {@code newMetadata}
     * only if it is {@code expectedMetadata} ({@code null}: no metadata), compared as encoded bytes;
     * completes with whether it did.
     *
     * @throws IllegalStateException when this peer has no listener for the event
     */
    public CompletableFuture<Boolean> updateSubscriptionMetadata(String event, M newMetadata, M expectedMetadata) {
        ensureOpen();
        return subscriptions.update(Objects.requireNonNull(event, "event"), metadataForm(newMetadata, "newMetadata"),
                metadataForm(expectedMetadata, "expectedMetadata"));
    }

    /**
     * Removes every listener of this peer and, in one log entry, every subscription of this peer (all
     * events). Other peers' subscriptions stay. Completes once applied here.
     */
    public CompletableFuture<Void> clear() {
        ensureOpen();
        subscriptions.clearListeners();
        return submit(RequestType.DELETE, List.of(localPeerId.getBytes(StandardCharsets.UTF_8)),
                List.of(EmitterFormat.bound(Long.MAX_VALUE)), null).thenRun(subscriptions::reconcileAll);
    }

    /**
     * Removes through the log the subscriptions of every peer that is not a member of the
     * configuration this peer uses (the original's leader-side {@code cleanup}, callable anywhere:
     * a subscription made after the cleanup was decided, by a peer that joined again, is kept).
     * Completes with the peers whose subscriptions were removed (empty: nothing to remove).
     */
    public CompletableFuture<Set<String>> cleanup() {
        ensureOpen();
        return channel.cleanup(this);
    }

    // ---------------------------------------------------------------- publish and notify (direct)

    /** {@link #publish(EmitterEvent, Object, Duration)} with the configured {@code publishTimeoutMs}. */
    public <P> CompletableFuture<PublishResult> publish(EmitterEvent<P> event, P payload) {
        return publish(event, payload, null);
    }

    /**
     * Sends {@code payload} to every peer this peer's replica lists as subscribed to {@code event}
     * (this peer's own listeners included), as direct messages, not through the log. Completes once
     * every target answered, or after {@code timeout} with what arrived: a slow or lost subscriber is
     * listed in {@link PublishResult#unanswered()}, it does not fail the publish. Completes at once
     * with no targets when nobody subscribes. Fails only when nothing could be sent
     * ({@link io.hamok.BackPressureException}, {@link io.hamok.HamokClosedException}).
     *
     * @param timeout {@code null} for the configured {@code publishTimeoutMs}
     * @throws IllegalArgumentException when the encoded payload is larger than a frame may carry
     */
    public <P> CompletableFuture<PublishResult> publish(EmitterEvent<P> event, P payload, Duration timeout) {
        ensureOpen();
        final byte[] bytes = encodePayload(event, payload);
        final long timeoutMs = timeout == null ? config.publishTimeoutMs() : timeout.toMillis();
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        final EmitterState.Subscribers targets = targets(event.name());
        if (targets == null) {
            return CompletableFuture.completedFuture(PublishResult.NO_SUBSCRIBERS);
        }
        return channel.publish(this, event.nameBytes(), bytes, targets, timeoutMs);
    }

    /**
     * Sends {@code payload} to every peer this peer's replica lists as subscribed to {@code event}
     * (this peer's own listeners included), fire-and-forget: no answer, no retry. Returns false when
     * nobody subscribes (nothing is sent).
     *
     * @throws io.hamok.BackPressureException when the loop's command queue is full
     * @throws io.hamok.HamokClosedException  when the instance is closed
     * @throws IllegalArgumentException when the encoded payload is larger than a frame may carry
     */
    public <P> boolean notify(EmitterEvent<P> event, P payload) {
        ensureOpen();
        final byte[] bytes = encodePayload(event, payload);
        final EmitterState.Subscribers targets = targets(event.name());
        if (targets == null) {
            return false;
        }
        channel.notify(this, event.nameBytes(), bytes, targets);
        return true;
    }

    // ---------------------------------------------------------------- local reads of the table

    /** Whether this peer's replica lists any subscriber of {@code event}. */
    public boolean hasSubscribers(String event) {
        return hasSubscribers(event, false);
    }

    /** As {@link #hasSubscribers(String)}; with {@code localPeerOnly}, whether this peer is one. */
    public boolean hasSubscribers(String event, boolean localPeerOnly) {
        ensureOpen();
        final EmitterState.Subscribers s = targets(Objects.requireNonNull(event, "event"));
        return s != null && (!localPeerOnly || s.indexOf(localPeerId) >= 0);
    }

    /** The peers this peer's replica lists as subscribed to {@code event}, sorted (a copy). */
    public Set<String> subscribers(String event) {
        ensureOpen();
        final EmitterState.Subscribers s = targets(Objects.requireNonNull(event, "event"));
        final Set<String> out = new LinkedHashSet<>();
        for (int i = 0; s != null && i < s.size(); i++) {
            out.add(s.peer(i));
        }
        return out;
    }

    /** Every subscription in this peer's replica, sorted by event then peer (a copy). */
    public List<EmitterSubscription<M>> subscriptions() {
        ensureOpen();
        final List<EmitterSubscription<M>> out = new ArrayList<>();
        final EmitterState table = table();
        if (table == null) {
            return out;
        }
        for (String event : table.events()) {
            final EmitterState.Subscribers s = table.subscribers(event);
            for (int i = 0; s != null && i < s.size(); i++) {
                out.add(new EmitterSubscription<>(event, s.peer(i), decodeMetadata(s.metadata(i))));
            }
        }
        return out;
    }

    /** The events this peer has listeners for, sorted. */
    public List<String> localEvents() {
        ensureOpen();
        return subscriptions.listenedEvents();
    }

    /** Counters of this emitter on this peer. */
    public EmitterStats stats() {
        final EmitterState table = table();
        return new EmitterStats(table == null ? 0 : table.eventCount(), sent.get(), received.get(), undelivered.get(),
                decodeFailures.get());
    }

    // ---------------------------------------------------------------- export and import

    /** A point-in-time copy of this peer's replica of the table. */
    public EmitterSnapshot<M> export() {
        return new EmitterSnapshot<>(emitterId, subscriptions());
    }

    /**
     * Makes the replicated table exactly {@code snapshot}'s rows, in one log entry (rows it lacks are
     * removed: it replaces, it does not merge). Completes once applied here. Afterwards every live
     * peer still keeps its own rows equal to its listeners (see the class comment), and the leader
     * removes rows of non-members; so an import lasts for peers that do not run this emitter.
     *
     * @throws IllegalArgumentException when the snapshot is of another emitter
     */
    public CompletableFuture<Void> importSnapshot(EmitterSnapshot<M> snapshot) {
        ensureOpen();
        Objects.requireNonNull(snapshot, "snapshot");
        if (!emitterId.equals(snapshot.emitterId())) {
            throw new IllegalArgumentException("the snapshot is of emitter '" + snapshot.emitterId() + "', not '"
                    + emitterId + "'");
        }
        final List<byte[]> keys = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        for (EmitterSubscription<M> row : snapshot.subscriptions()) {
            keys.add(EmitterFormat.subscriptionKey(row.event(), row.peerId()));
            values.add(EmitterFormat.storedValue(0, metadataForm(row.metadata(), "metadata")));
        }
        return submit(RequestType.CLEAR, keys, values, null).thenApply(r -> null);
    }

    // ---------------------------------------------------------------- listeners and lifecycle

    /** Adds a listener of the subscription table's changes (see {@link SubscriptionListener}). */
    public void addSubscriptionListener(SubscriptionListener<M> listener) {
        ensureOpen();
        listeners.add(listener);
    }

    /** Removes one registration of {@code listener}; returns whether it was registered. */
    public boolean removeSubscriptionListener(SubscriptionListener<M> listener) {
        ensureOpen();
        return listeners.remove(listener);
    }

    /**
     * Detaches this object: its listeners stop, messages for it are answered "no listener", and, while
     * the instance runs, this peer's subscriptions are removed through the log (not awaited). Calls
     * {@link SubscriptionListener#onClosed()} once on this thread. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.close();
        channel.unregister(this);
        backend.unsubscribe(emitterId, tableSink);
        backend.closed(emitterId);
        final EmitterState table = table();
        if (table != null && !table.events().stream().allMatch(e -> table.metadataOf(e, localPeerId) == null)) {
            submit(RequestType.DELETE, List.of(localPeerId.getBytes(StandardCharsets.UTF_8)),
                    List.of(EmitterFormat.bound(Long.MAX_VALUE)), null)
                    .exceptionally(e -> null); // best effort: a closing instance refuses it, and that is fine
        }
        listeners.closeAll(SubscriptionListener::onClosed);
    }

    @Override
    public String toString() {
        return "HamokEmitter{" + emitterId + (closed.get() ? ", closed}" : "}");
    }

    // ---------------------------------------------------------------- for the hub (loop thread)

    byte[] idBytes() {
        return idBytes;
    }

    /**
     * A payload for this peer arrived (or this peer published to itself): hands it to the event's
     * listeners; returns whether any got it. Loop thread.
     */
    boolean deliver(DirectBuffer buffer, int eventOffset, int eventLength, DirectBuffer payloadBuffer,
                    int payloadOffset, int payloadLength, String fromPeerId) {
        if (closed.get()) {
            return false;
        }
        try {
            if (subscriptions.deliver(buffer, eventOffset, eventLength, payloadBuffer, payloadOffset, payloadLength,
                    fromPeerId, channel.listenerExecutor(), received)) {
                return true;
            }
            undelivered.incrementAndGet();
        } catch (IllegalArgumentException e) {
            if (decodeFailures.getAndIncrement() == 0) {
                LOG.warn("emitter '{}': cannot decode a payload, listeners not called (counted in stats from now"
                        + " on, not logged)", emitterId, e);
            }
        }
        return false;
    }

    void countSent(int messages) {
        sent.addAndGet(messages);
    }

    /** Retries this peer's rows whose last request failed. Loop thread, now and then. */
    void retryRows() {
        subscriptions.retryFailed();
    }

    /** This emitter's replicated table, or {@code null} before its first entry. */
    EmitterState table() {
        final StorageState state = backend.state(emitterId);
        return state instanceof EmitterState table ? table : null;
    }

    /** Submits the removal of {@code peers}' subscriptions made up to their {@code bounds}; completes with the peers that lost any. */
    CompletableFuture<Set<String>> submitCleanup(List<String> peers, List<Long> bounds) {
        final List<byte[]> keys = new ArrayList<>(peers.size());
        final List<byte[]> values = new ArrayList<>(peers.size());
        for (int i = 0; i < peers.size(); i++) {
            keys.add(peers.get(i).getBytes(StandardCharsets.UTF_8));
            values.add(EmitterFormat.bound(bounds.get(i)));
        }
        return submit(RequestType.DELETE, keys, values, null).thenApply(r -> {
            final Set<String> removed = new LinkedHashSet<>();
            r.keys().forEach(k -> removed.add(new String(k, StandardCharsets.UTF_8)));
            return removed;
        });
    }

    // ---------------------------------------------------------------- helpers

    private void onTableEvent(StorageEvent event) {
        if (event.key() == null || closed.get()) {
            return;
        }
        final String name = EmitterFormat.eventOf(event.key());
        final String peer = EmitterFormat.peerOf(event.key());
        if (peer.equals(localPeerId)) {
            subscriptions.onOwnRowChanged(name);
        }
        if (listeners.isEmpty()) {
            return;
        }
        final M oldMetadata;
        final M newMetadata;
        try {
            oldMetadata = event.oldValue() == null ? null : decodeMetadata(event.oldValue());
            newMetadata = event.newValue() == null ? null : decodeMetadata(event.newValue());
        } catch (RuntimeException e) {
            LOG.warn("emitter '{}': cannot decode the metadata of a {} event, listeners not called", emitterId,
                    event.type(), e);
            return;
        }
        final StorageEvent.Type type = event.type(); // the event is reused once this call returns
        listeners.deliver(type.name(), listener -> {
            switch (type) {
                case INSERTED -> listener.onAdded(name, peer, newMetadata);
                case UPDATED -> listener.onUpdated(name, peer, oldMetadata, newMetadata);
                case REMOVED -> listener.onRemoved(name, peer, oldMetadata);
                case CLEARED -> {
                    // an emitter's table reports every row it drops
                }
            }
        });
    }

    private EmitterState.Subscribers targets(String event) {
        final EmitterState table = table();
        return table == null ? null : table.subscribers(event);
    }

    private <P> byte[] encodePayload(EmitterEvent<P> event, P payload) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
        subscriptions.requireCodec(event);
        final byte[] bytes = Objects.requireNonNull(event.payloadCodec().encode(payload),
                () -> "the payload codec of '" + event.name() + "' returned null for " + payload);
        if (bytes.length > channel.maxPayloadBytes()) {
            throw new IllegalArgumentException("a payload of " + bytes.length + " bytes for '" + event.name()
                    + "' exceeds the largest a message carries (" + channel.maxPayloadBytes()
                    + " bytes, maxBytesPerAppend)");
        }
        return bytes;
    }

    private byte[] metadataForm(M metadata, String argument) {
        if (metadata == null) {
            return EmitterFormat.metadata(null);
        }
        if (metadataCodec == null) {
            throw new IllegalArgumentException(argument + " given, but emitter '" + emitterId
                    + "' has no metadataCodec (HamokEmitterConfig.Builder.metadataCodec)");
        }
        return EmitterFormat.metadata(Objects.requireNonNull(metadataCodec.encode(metadata),
                () -> "metadataCodec returned null for " + metadata));
    }

    private M decodeMetadata(byte[] form) {
        final byte[] bytes = EmitterFormat.metadataBytes(form);
        if (bytes == null) {
            return null;
        }
        if (metadataCodec == null) {
            throw new HamokException("emitter '" + emitterId + "': a subscription has metadata, but this emitter has"
                    + " no metadataCodec to decode it");
        }
        return metadataCodec.decode(bytes);
    }

    private CompletableFuture<StorageResult> submit(RequestType type, List<byte[]> keys, List<byte[]> values,
                                                    byte[] prevValue) {
        return backend.submit(StorageKind.EMITTER, emitterId, type, keys, values, prevValue, config.requestTimeoutMs())
                .thenApply(r -> {
                    if (r.error() != null) {
                        throw new StorageKindMismatchException("emitter '" + emitterId + "': request refused: "
                                + r.error());
                    }
                    return r;
                });
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageClosedException("emitter '" + emitterId + "' is closed");
        }
    }

    /** This peer's rows as {@link EmitterSubscriptions} sees them. */
    private final class OwnRows implements EmitterSubscriptions.Table {
        @Override
        public CompletableFuture<StorageResult> submit(RequestType type, byte[] event, byte[] form, byte[] expected) {
            if (closed.get() && type != RequestType.REMOVE) {
                return CompletableFuture.failedFuture(new StorageClosedException("emitter '" + emitterId
                        + "' is closed"));
            }
            return HamokEmitter.this.submit(type, List.of(event), form == null ? List.of() : List.of(form), expected);
        }

        @Override
        public byte[] ownRow(String event) {
            final EmitterState table = table();
            return table == null ? null : table.metadataOf(event, localPeerId);
        }

        @Override
        public boolean mayAddRows() {
            return !closed.get() && channel.isMember();
        }
    }
}
