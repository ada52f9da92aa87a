// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.BackPressureException;
import io.hamok.HamokException;
import io.hamok.HamokTimeoutException;
import io.hamok.NoLeaderException;
import io.hamok.ResultUnknownException;
import io.hamok.StorageKindMismatchException;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.RequestView;
import io.hamok.state.ResultView;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageRequest;
import io.hamok.state.StorageResult;
import io.hamok.wire.GridWireEncoder;
import io.hamok.wire.GridWireReader;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request plumbing of a Hamok instance, on its loop thread (DESIGN.md §9): hands storage
 * requests to the leader (locally, or in a SUBMIT_MESSAGE_REQUEST), resends them after a leader
 * change or a refusal, and completes the caller's future when the request is applied on this peer.
 * Every replica deduplicates by (source peer, request id), so a resent request is applied once.
 *
 * <p><b>Allocation.</b> Every object a write needs is made on the caller's thread ({@link PendingWrite}:
 * the request encoded into a pooled buffer, and the result the caller's future will hold); the loop
 * thread only fills them. SUBMIT messages are read in place ({@link GridWireReader}) and written into
 * one reused buffer ({@link GridWireEncoder}); a leader proposes a submitted entry straight from the
 * inbound frame. So handing a write to the log, answering a submit and completing a write allocate
 * nothing on the loop thread.
 */
public final class Grid {
    private static final Logger LOG = LoggerFactory.getLogger(Grid.class);
    private static final long HOUSEKEEPING_NS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * A write waiting to be applied on this peer, made on the caller's thread: the request, its
     * bytes in a pooled buffer (given back when the write is done), and the result the future will
     * complete with, whose lists the loop fills when the request is applied here.
     */
    public static final class PendingWrite {
        final StorageRequest request;
        final ExpandableArrayBuffer bytes;
        final int length;
        final CompletableFuture<StorageResult> future;
        final long timeoutMs;
        private final ArrayList<byte[]> resultKeys;
        private final ArrayList<byte[]> resultValues;
        private final StorageResult appliedResult;
        private StorageResult result;
        long deadlineNs;
        String sentTo;
        long sentAtNs;
        boolean leaderSeen;
        /**
         * Whether a copy of the write may be in some log: a leader (this node) appended it, or the
         * transport took a SUBMIT for a leader. From then on a failure must say "outcome unknown".
         */
        boolean handedOver;
        /**
         * Committed, with its answer still to come from a later entry (a remote map's mutation waits for
         * the leader's outcome of executing it): nothing is sent again, and a timeout means "outcome unknown".
         */
        boolean committed;

        /** Encodes {@code request} into {@code bytes}, a buffer from {@link RequestBuffers#acquire()}. */
        public PendingWrite(StorageRequest request, ExpandableArrayBuffer bytes, CompletableFuture<StorageResult> future,
                     long timeoutMs) {
            this.request = request;
            this.bytes = bytes;
            this.length = request.encode(bytes, 0);
            this.future = future;
            this.timeoutMs = timeoutMs;
            final int keys = request.keys().size(); // a result never names more keys than the request
            resultKeys = new ArrayList<>(keys);
            resultValues = new ArrayList<>(Math.max(1, keys)); // or one value without a key: a queue pop's item
            appliedResult = new StorageResult(true, Collections.unmodifiableList(resultKeys),
                    Collections.unmodifiableList(resultValues), null);
        }

        /** Keeps the outcome of the reused result view (loop thread, once). */
        void take(ResultView r) {
            if (r.isRefused()) {
                result = StorageResult.refused(r.error()); // a refusal: allocation is fine here
            } else if (!r.applied()) {
                result = StorageResult.NOT_APPLIED;
            } else {
                for (int i = 0; i < r.keyCount(); i++) {
                    resultKeys.add(r.key(i));
                }
                for (int i = 0; i < r.valueCount(); i++) {
                    resultValues.add(r.value(i));
                }
                result = appliedResult;
            }
        }
    }

    private final String localPeerId;
    private final long resendAfterNs;
    private final ReplicatedStorages state;
    private final RequestBuffers buffers;
    private final Long2ObjectHashMap<PendingWrite> pending = new Long2ObjectHashMap<>();
    /** Writes applied in this duty cycle, completed in {@link #doWork} once the loop published its state. */
    private final ArrayList<PendingWrite> applied = new ArrayList<>();
    private final ArrayList<PendingWrite> expired = new ArrayList<>();
    private final GridWireReader reader = new GridWireReader();
    private final ExpandableArrayBuffer sendBuffer = new ExpandableArrayBuffer(256);
    private RaftLoop loop;
    private String lastLeader;
    private long nextHousekeepingNs;
    private String encodedLeader;
    private byte[] encodedLeaderBytes;

    public Grid(String localPeerId, long resendAfterMs, ReplicatedStorages state, RequestBuffers buffers) {
        this.localPeerId = localPeerId;
        this.state = state;
        this.buffers = buffers;
        this.resendAfterNs = TimeUnit.MILLISECONDS.toNanos(resendAfterMs);
    }

    public void start(RaftLoop loop) {
        this.loop = loop;
    }

    public int pendingCount() {
        return pending.size();
    }

    // ------------------------------------------------------------------ writes (loop thread)

    public void submit(PendingWrite write) {
        write.deadlineNs = loop.nowNanos() + TimeUnit.MILLISECONDS.toNanos(write.timeoutMs);
        pending.put(write.request.requestId(), write);
        send(write);
    }

    private void send(PendingWrite w) {
        if (w.committed) {
            return; // in the log already; its answer comes with a later entry
        }
        final RaftNode node = loop.node();
        final String leader = node.leaderId();
        w.sentAtNs = loop.nowNanos();
        if (node.role() == RaftRole.LEADER) {
            w.leaderSeen = true;
            if (state.isApplied(localPeerId, w.request.requestId())) {
                w.handedOver = true;
                w.sentTo = localPeerId; // already in the state: a snapshot brought it (see onSnapshotInstalled)
                return;
            }
            final long index = node.propose(w.bytes, 0, w.length);
            if (index == RaftNode.BUSY) {
                // A resend after a leader change: the copy sent to an earlier leader may still commit.
                fail(w, w.handedOver
                        ? new BackPressureException(localPeerId + ": too many entries wait for commit; request "
                        + w.request.requestId() + " had been sent to an earlier leader, so it may still be applied",
                        true)
                        : new BackPressureException(localPeerId + ": too many entries wait for commit; retry later"));
            } else {
                w.sentTo = index == RaftNode.NOT_LEADER ? null : localPeerId;
                w.handedOver |= index > 0;
            }
        } else if (leader != null) {
            w.leaderSeen = true;
            final int length = GridWireEncoder.encodeSubmitRequest(sendBuffer, 0, w.request.requestId(), w.bytes, 0,
                    w.length);
            w.sentTo = sendFrame(leader, length) ? leader : null;
            w.handedOver |= w.sentTo != null;
        } else {
            w.sentTo = null;
        }
    }

    /** Runs once per duty cycle: resend after a leader change, resend the unanswered, expire. */
    public int doWork(long nowNs) {
        final int completed = completeApplied();
        if (pending.isEmpty()) {
            lastLeader = loop.node().leaderId();
            return 0;
        }
        int work = completed;
        final String leader = loop.node().leaderId();
        if (!Objects.equals(leader, lastLeader)) {
            lastLeader = leader;
            if (leader != null) {
                for (PendingWrite w : new ArrayList<>(pending.values())) {
                    send(w); // a new leader: resend everything not yet applied; dedup keeps it at most once
                    work++;
                }
            }
        }
        if (nowNs >= nextHousekeepingNs) {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_NS;
            work += housekeeping(nowNs, leader);
        }
        return work;
    }

    private int housekeeping(long nowNs, String leader) {
        int work = 0;
        for (PendingWrite w : pending.values()) {
            if (w.deadlineNs <= nowNs) {
                expired.add(w);
            } else if (leader != null && (w.sentTo == null || nowNs - w.sentAtNs >= resendAfterNs)) {
                send(w);
                work++;
            }
        }
        for (int i = 0; i < expired.size(); i++) {
            final PendingWrite w = expired.get(i);
            fail(w, timedOut(w));
            work++;
        }
        expired.clear();
        return work;
    }

    /** Why {@code w} expired: its outcome is unknown only if a copy may be in a log. */
    private static HamokException timedOut(PendingWrite w) {
        final String what = "request " + w.request.requestId() + " on storage '" + w.request.storageId() + "'";
        if (w.committed) {
            return new HamokTimeoutException(what + " is committed, but its execution was not reported within "
                    + w.timeoutMs + " ms; outcome unknown (it may still be executed)");
        }
        if (w.handedOver) {
            return new HamokTimeoutException(what + " not applied within " + w.timeoutMs + " ms; outcome unknown");
        }
        if (w.leaderSeen) {
            return new HamokTimeoutException(what + " not applied within " + w.timeoutMs
                    + " ms; no leader took it (the transport refused every attempt), so it was not applied", false);
        }
        return new NoLeaderException("no leader was known for " + w.timeoutMs + " ms; " + what + " was not sent");
    }

    private void fail(PendingWrite w, HamokException e) {
        if (pending.remove(w.request.requestId()) == w) {
            buffers.release(w.bytes);
        }
        w.future.completeExceptionally(e);
    }

    /**
     * This peer replaced its state by a snapshot: writes the snapshot says were applied will never be
     * applied here again, so their callers learn that they happened, without a result.
     */
    public void onSnapshotInstalled() {
        for (PendingWrite w : new ArrayList<>(pending.values())) {
            if (w.request.kind() == io.hamok.state.StorageKind.REMOTE_MAP) {
                // committed: answered by its execution's outcome if that is still to come, else it times out
                w.committed |= state.isApplied(localPeerId, w.request.requestId());
            } else if (state.isApplied(localPeerId, w.request.requestId())) {
                fail(w, new ResultUnknownException("request " + w.request.requestId() + " on storage '"
                        + w.request.storageId() + "' was applied; " + localPeerId
                        + " caught up by snapshot, so its result is not known here"));
            }
        }
    }

    /**
     * Fails everything still waiting (the instance closes or halts), each write with
     * {@code failure.apply(mayHaveBeenApplied)}: true for a write a leader may have in its log.
     */
    public void failAll(java.util.function.Function<Boolean, HamokException> failure) {
        completeApplied();
        for (PendingWrite w : new ArrayList<>(pending.values())) {
            fail(w, failure.apply(w.handedOver));
        }
    }

    // ------------------------------------------------------------------ applied requests (loop thread)

    /** The object form of a write of this peer still waiting, whose arrays the storage may keep; or null. */
    public StorageRequest heldRequest(String sourceId, long requestId) {
        if (!localPeerId.equals(sourceId)) {
            return null;
        }
        final PendingWrite w = pending.get(requestId);
        return w == null ? null : w.request;
    }

    /**
     * A request was applied here; if it is ours, its caller learns the result (in the next {@link #doWork}).
     * A deferred result marks the write committed; a result that answers an earlier request (a remote map's
     * execution outcome) completes that request's write.
     */
    public void onApplied(RequestView request, ResultView result) {
        final boolean answersEarlier = result.answersSource() != null;
        if (!localPeerId.equals(answersEarlier ? result.answersSource() : request.sourceId())) {
            return;
        }
        final long requestId = answersEarlier ? result.answersRequestId() : request.requestId();
        if (result.deferred()) {
            final PendingWrite w = pending.get(requestId);
            if (w != null) {
                w.committed = true;
                w.handedOver = true;
            }
            return;
        }
        final PendingWrite w = pending.remove(requestId);
        if (w != null) {
            buffers.release(w.bytes);
            w.take(result);
            applied.add(w);
        }
    }

    private int completeApplied() {
        final int n = applied.size();
        for (int i = 0; i < n; i++) {
            final PendingWrite w = applied.get(i);
            if (w.result.isRefused()) {
                w.future.completeExceptionally(new StorageKindMismatchException(w.result.error()));
            } else {
                w.future.complete(w.result);
            }
        }
        applied.clear();
        return n;
    }

    // ------------------------------------------------------------------ frames from peers (loop thread)

    /** A non-Raft frame; returns whether it was a grid message. Read in place, nothing allocated. */
    public boolean onFrame(String from, DirectBuffer buffer, int offset, int length) {
        if (reader.wrap(buffer, offset, length) != GridWireReader.OK) {
            return false;
        }
        try {
            final int type = reader.type();
            if (type == MessageType.SUBMIT_MESSAGE_REQUEST_VALUE) {
                onSubmitRequest(from);
            } else if (type == MessageType.SUBMIT_MESSAGE_RESPONSE_VALUE && reader.embeddedMessageCount() == 0) {
                onSubmitResponse();
            } else {
                return false;
            }
            return true;
        } finally {
            reader.clear();
        }
    }

    /**
     * Leader side: append the submitted entry (exactly one, and no embedded messages) if leading and
     * not applied already, straight from the frame, and say whether it did.
     */
    private void onSubmitRequest(String from) {
        final RaftNode node = loop.node();
        final long requestId = reader.requestId();
        boolean accepted = false;
        if (node.role() == RaftRole.LEADER && reader.entryCount() == 1 && reader.embeddedMessageCount() == 0) {
            if (state.isApplied(from, requestId)) {
                accepted = true; // a resend of an applied request: no second log entry
            } else {
                accepted = node.propose(reader.buffer(), reader.firstEntryPayloadOffset(),
                        reader.firstEntryPayloadLength()) > 0;
            }
        }
        sendFrame(from, GridWireEncoder.encodeSubmitResponse(sendBuffer, 0, requestId, accepted,
                utf8(node.leaderId())));
    }

    /** Origin side: a refusal makes the write go out again at the next housekeeping. */
    private void onSubmitResponse() {
        final PendingWrite w = pending.get(reader.requestId());
        if (w != null && !reader.success()) {
            w.sentTo = null;
        }
    }

    /** The UTF-8 bytes of a leader id, kept while the leader stays the same; null for null. */
    private byte[] utf8(String leader) {
        if (leader == null) {
            return null;
        }
        if (!leader.equals(encodedLeader)) {
            encodedLeader = leader;
            encodedLeaderBytes = leader.getBytes(StandardCharsets.UTF_8);
        }
        return encodedLeaderBytes;
    }

    private boolean sendFrame(String to, int length) {
        final boolean sent = loop.send(to, sendBuffer, 0, length);
        if (!sent) {
            LOG.debug("{}: frame to {} dropped by the transport", localPeerId, to);
        }
        return sent;
    }

    /** Events of applied requests go to the storages' subscribers. */
    public static void deliver(StorageEvent event, java.util.function.Consumer<StorageEvent> listener) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("a storage listener of '{}' threw; the event is still applied", event.storageId(), e);
        }
    }
}
