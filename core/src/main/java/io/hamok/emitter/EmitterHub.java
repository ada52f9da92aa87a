// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import io.hamok.HamokException;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.Membership;
import io.hamok.raft.RaftRole;
import io.hamok.emitter.EmitterState;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.StorageKind;
import io.hamok.wire.EmitterWireEncoder;
import io.hamok.wire.GridWireReader;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The emitters of one Hamok instance on its loop thread: the direct peer-to-peer path of publish
 * and notify (not through the log), and the leader's automatic cleanup.
 *
 * <p><b>Messages</b> ({@link EmitterWireEncoder}): a publish is an UPDATE_ENTRIES_REQUEST to each
 * target, answered by UPDATE_ENTRIES_RESPONSE; a notify is an UPDATE_ENTRIES_NOTIFICATION; all with
 * {@code storage_kind} = EMITTER, and a message id from one sequence per instance, starting at the
 * wall clock ({@code ms << 20}, like request ids) so that a restarted instance continues above its
 * earlier ids. A receiver takes from each peer only ids above the last it took (frames on one link
 * arrive in order, so this drops duplicates): a payload reaches a peer's listeners at most once. A
 * duplicate publish is not answered again.
 *
 * <p><b>Allocation</b> on the loop thread: none per publish or notify on the sending side (the
 * caller's thread made the pending publish and its result; one frame is encoded into a reused buffer
 * and sent to each target); on the receiving side the payload's bytes and whatever its codec and the
 * listeners make.
 *
 * <p><b>Cleanup.</b> While this peer leads, whenever it becomes leader or the configuration changes,
 * every open emitter with {@code autoClean} removes through the log the subscriptions of peers that
 * are not members (one request in flight per emitter; a failed one is tried again every
 * {@value #SLOW_HOUSEKEEPING_MS} ms while this peer leads).
 *
 * <p>Threads: the {@link EmitterChannel} methods on any thread; everything else on the loop thread.
 */
public final class EmitterHub implements EmitterChannel {
    private static final int KIND = StorageKind.EMITTER.wireNumber();
    private static final long HOUSEKEEPING_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long SLOW_HOUSEKEEPING_MS = 500;
    private static final HamokEmitter<?>[] NONE = new HamokEmitter<?>[0];

    /** A publish waiting for answers; made on the caller's thread, filled on the loop thread. */
    private static final class PendingPublish {
        final HamokEmitter<?> emitter;
        final byte[] event;
        final byte[] payload;
        final String[] targets;
        final byte[] outcomes;
        final long timeoutMs;
        final CompletableFuture<PublishResult> future = new CompletableFuture<>();
        final PublishResult result;
        long id;
        long deadlineNs;
        int outstanding;

        PendingPublish(HamokEmitter<?> emitter, byte[] event, byte[] payload, EmitterState.Subscribers targets,
                       long timeoutMs) {
            this.emitter = emitter;
            this.event = event;
            this.payload = payload;
            this.targets = new String[targets.size()];
            for (int i = 0; i < this.targets.length; i++) {
                this.targets[i] = targets.peer(i);
            }
            this.outcomes = new byte[this.targets.length];
            this.timeoutMs = timeoutMs;
            this.result = new PublishResult(this.targets, outcomes);
        }
    }

    private final String localPeerId;
    private final RaftLoop loop;
    private final ReplicatedStorages state;
    private final Executor executor;
    private final int maxPayloadBytes;
    private volatile HamokEmitter<?>[] emitters = NONE;
    private volatile boolean member;

    // loop thread only
    private final Long2ObjectHashMap<PendingPublish> pending = new Long2ObjectHashMap<>();
    private final ArrayList<PendingPublish> expired = new ArrayList<>();
    private final Object2LongHashMap<String> lastTaken = new Object2LongHashMap<>(Long.MIN_VALUE);
    private final GridWireReader reader = new GridWireReader();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer localEvent = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer localPayload = new UnsafeBuffer(0, 0);
    private long nextMessageId;
    private long nextHousekeepingNs;
    private long nextSlowHousekeepingNs;
    private boolean cleanupDue;
    private boolean retryCleanup;

    /**
     * @param firstMessageId  above every id an earlier incarnation of this peer used (wall clock ms {@code << 20})
     * @param maxPayloadBytes the largest payload a message may carry
     */
    public EmitterHub(String localPeerId, RaftLoop loop, ReplicatedStorages state, Executor executor, int maxPayloadBytes,
               long firstMessageId) {
        this.localPeerId = localPeerId;
        this.loop = loop;
        this.state = state;
        this.executor = executor;
        this.maxPayloadBytes = maxPayloadBytes;
        this.nextMessageId = firstMessageId;
        this.member = loop.node().membership().isMember(localPeerId); // before the loop starts: read here once
    }

    // ------------------------------------------------------------------ EmitterChannel (any thread)

    @Override
    public synchronized void register(HamokEmitter<?> emitter) {
        final HamokEmitter<?>[] now = Arrays.copyOf(emitters, emitters.length + 1);
        now[now.length - 1] = emitter;
        emitters = now;
    }

    @Override
    public synchronized void unregister(HamokEmitter<?> emitter) {
        emitters = Arrays.stream(emitters).filter(e -> e != emitter).toArray(HamokEmitter<?>[]::new);
    }

    @Override
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    @Override
    public Executor listenerExecutor() {
        return executor;
    }

    @Override
    public boolean isMember() {
        return member;
    }

    @Override
    public CompletableFuture<PublishResult> publish(HamokEmitter<?> emitter, byte[] event, byte[] payload,
                                                    EmitterState.Subscribers targets, long timeoutMs) {
        final PendingPublish p = new PendingPublish(emitter, event, payload, targets, timeoutMs);
        loop.execute(() -> send(p)).whenComplete((ok, e) -> {
            if (e != null) {
                p.future.completeExceptionally(e); // refused by the loop: nothing was sent
            }
        });
        return p.future;
    }

    @Override
    public void notify(HamokEmitter<?> emitter, byte[] event, byte[] payload, EmitterState.Subscribers targets) {
        final CompletableFuture<Void> handedOver = loop.execute(() -> send(emitter, event, payload, targets));
        if (handedOver.isCompletedExceptionally()) {
            try {
                handedOver.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof HamokException h ? h : e;
            }
        }
    }

    @Override
    public CompletableFuture<Set<String>> cleanup(HamokEmitter<?> emitter) {
        final CompletableFuture<Set<String>> result = new CompletableFuture<>();
        loop.execute(() -> cleanupNow(emitter).whenComplete((peers, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(peers);
            }
        })).whenComplete((ok, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ------------------------------------------------------------------ sending (loop thread)

    private void send(PendingPublish p) {
        p.id = nextMessageId++;
        p.deadlineNs = loop.nowNanos() + TimeUnit.MILLISECONDS.toNanos(p.timeoutMs);
        p.emitter.countSent(p.targets.length); // before sending: a receiver that checks the count sees it
        final int length = EmitterWireEncoder.encodeDelivery(sendBuffer, 0, true, p.id, p.emitter.idBytes(), p.event,
                p.payload, KIND);
        for (int i = 0; i < p.targets.length; i++) {
            if (localPeerId.equals(p.targets[i])) {
                p.outcomes[i] = deliverHere(p.emitter, p.event, p.payload) ? PublishResult.DELIVERED
                        : PublishResult.NO_LISTENER;
            } else if (loop.send(p.targets[i], sendBuffer, 0, length)) {
                p.outstanding++;
            } else {
                p.outcomes[i] = PublishResult.UNANSWERED;
            }
        }
        if (p.outstanding == 0) {
            p.future.complete(p.result);
        } else {
            pending.put(p.id, p);
        }
    }

    private void send(HamokEmitter<?> emitter, byte[] event, byte[] payload, EmitterState.Subscribers targets) {
        emitter.countSent(targets.size());
        final int length = EmitterWireEncoder.encodeDelivery(sendBuffer, 0, false, nextMessageId++, emitter.idBytes(),
                event, payload, KIND);
        for (int i = 0; i < targets.size(); i++) {
            if (localPeerId.equals(targets.peer(i))) {
                deliverHere(emitter, event, payload);
            } else {
                loop.send(targets.peer(i), sendBuffer, 0, length);
            }
        }
    }

    private boolean deliverHere(HamokEmitter<?> emitter, byte[] event, byte[] payload) {
        localEvent.wrap(event);
        localPayload.wrap(payload);
        return emitter.deliver(localEvent, 0, event.length, localPayload, 0, payload.length, localPeerId);
    }

    // ------------------------------------------------------------------ receiving (loop thread)

    /** A non-Raft frame; returns whether it was an emitter's message. Read in place. */
    public boolean onFrame(String from, DirectBuffer buffer, int offset, int length) {
        if (reader.wrap(buffer, offset, length) != GridWireReader.OK || reader.storageKind() != KIND) {
            reader.clear();
            return false;
        }
        try {
            final int type = reader.type();
            if (type == MessageType.UPDATE_ENTRIES_REQUEST_VALUE) {
                onDelivery(from, buffer, true);
            } else if (type == MessageType.UPDATE_ENTRIES_NOTIFICATION_VALUE) {
                onDelivery(from, buffer, false);
            } else if (type == MessageType.UPDATE_ENTRIES_RESPONSE_VALUE) {
                onAnswer(from);
            } else {
                return false;
            }
            return true;
        } finally {
            reader.clear();
        }
    }

    private void onDelivery(String from, DirectBuffer buffer, boolean answered) {
        final long id = reader.requestId();
        if (id <= lastTaken.getValue(from)) {
            return; // a duplicate (or a message of an earlier incarnation overtaken by a newer one)
        }
        lastTaken.put(from, id);
        final HamokEmitter<?> emitter = emitterOf(buffer, reader.storageIdOffset(), reader.storageIdLength());
        final boolean delivered = emitter != null && reader.keyCount() == 1 && reader.valueCount() == 1
                && emitter.deliver(buffer, reader.keyOffset(0), reader.keyLength(0), buffer, reader.valueOffset(0),
                reader.valueLength(0), from);
        if (answered) {
            loop.send(from, sendBuffer, 0, EmitterWireEncoder.encodeAnswer(sendBuffer, 0, id, delivered, KIND));
        }
    }

    private void onAnswer(String from) {
        final PendingPublish p = pending.get(reader.requestId());
        if (p == null) {
            return; // late (the publish completed) or not ours
        }
        for (int i = 0; i < p.targets.length; i++) {
            if (p.outcomes[i] == PublishResult.PENDING && p.targets[i].equals(from)) {
                p.outcomes[i] = reader.success() ? PublishResult.DELIVERED : PublishResult.NO_LISTENER;
                if (--p.outstanding == 0) {
                    pending.remove(p.id);
                    p.future.complete(p.result);
                }
                return;
            }
        }
    }

    private HamokEmitter<?> emitterOf(DirectBuffer buffer, int offset, int length) {
        for (HamokEmitter<?> e : emitters) {
            final byte[] id = e.idBytes();
            if (id.length == length && EmitterSubscriptions.sameBytes(buffer, offset, id)) {
                return e;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ duty cycle and Raft events (loop thread)

    public int doWork(long nowNs) {
        int work = 0;
        if (cleanupDue) {
            cleanupDue = false;
            work += autoClean();
        }
        if (nowNs >= nextHousekeepingNs) {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_NS;
            work += expire(nowNs);
        }
        if (nowNs >= nextSlowHousekeepingNs) {
            nextSlowHousekeepingNs = nowNs + TimeUnit.MILLISECONDS.toNanos(SLOW_HOUSEKEEPING_MS);
            for (HamokEmitter<?> e : emitters) {
                e.retryRows();
            }
            if (retryCleanup) {
                retryCleanup = false;
                work += autoClean();
            }
        }
        return work;
    }

    private int expire(long nowNs) {
        if (pending.isEmpty()) {
            return 0;
        }
        for (PendingPublish p : pending.values()) {
            if (p.deadlineNs <= nowNs) {
                expired.add(p);
            }
        }
        final int n = expired.size();
        for (int i = 0; i < n; i++) {
            finish(expired.get(i));
        }
        expired.clear();
        return n;
    }

    /** Completes a publish with the answers it has; the others stay unanswered. */
    private void finish(PendingPublish p) {
        pending.remove(p.id);
        for (int i = 0; i < p.outcomes.length; i++) {
            if (p.outcomes[i] == PublishResult.PENDING) {
                p.outcomes[i] = PublishResult.UNANSWERED;
            }
        }
        p.future.complete(p.result);
    }

    public void onRoleChanged(RaftRole role) {
        cleanupDue |= role == RaftRole.LEADER;
    }

    public void onMembershipChanged(Membership membership) {
        member = membership.isMember(localPeerId);
        cleanupDue = true;
    }

    /** The instance closes: publishes complete with the answers they have. */
    public void close() {
        for (PendingPublish p : new ArrayList<>(pending.values())) {
            finish(p);
        }
    }

    // ------------------------------------------------------------------ cleanup (loop thread)

    /** While leading: one cleanup per open autoClean emitter that has subscriptions of non-members. */
    private int autoClean() {
        if (loop.node().role() != RaftRole.LEADER) {
            return 0;
        }
        int work = 0;
        for (HamokEmitter<?> e : emitters) {
            if (e.config().autoClean() && !e.cleanupInFlight && !e.isClosed()) {
                e.cleanupInFlight = true;
                cleanupNow(e).whenComplete((peers, failure) -> {
                    e.cleanupInFlight = false;
                    retryCleanup |= failure != null;
                });
                work++;
            }
        }
        return work;
    }

    /**
     * Removes the subscriptions of the peers outside this peer's configuration, each up to the highest
     * request id this peer has applied from it (a peer that joined again and subscribed later keeps
     * its new subscriptions, whenever this request commits).
     */
    private CompletableFuture<Set<String>> cleanupNow(HamokEmitter<?> emitter) {
        final Membership membership = loop.node().membership();
        if (!membership.isMember(localPeerId)) {
            return CompletableFuture.failedFuture(new HamokException(localPeerId + " is not a member of its"
                    + " configuration; it cannot tell which subscriptions are stale"));
        }
        final EmitterState table = emitter.table();
        final TreeSet<String> stale = table == null ? new TreeSet<>() : table.subscribedPeers();
        stale.removeIf(membership::isMember);
        if (stale.isEmpty()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        final List<String> peers = new ArrayList<>(stale);
        final List<Long> bounds = new ArrayList<>(peers.size());
        for (String peer : peers) {
            bounds.add(state.highestRequestId(peer));
        }
        return emitter.submitCleanup(peers, bounds);
    }
}
