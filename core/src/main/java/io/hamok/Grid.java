package io.hamok;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageRequest;
import io.hamok.state.StorageResult;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request plumbing of a Hamok instance, on its loop thread (DESIGN.md §9): hands storage
 * requests to the leader (locally, or in a SUBMIT_MESSAGE_REQUEST), resends them after a leader
 * change or a refusal, and completes the caller's future when the request is applied on this peer.
 * Every replica deduplicates by (source peer, request id), so a resent request is applied once.
 */
final class Grid {
    private static final Logger LOG = LoggerFactory.getLogger(Grid.class);
    private static final long HOUSEKEEPING_NS = TimeUnit.MILLISECONDS.toNanos(10);

    /** A write waiting to be applied on this peer. */
    static final class PendingWrite {
        final StorageRequest request;
        final byte[] bytes;
        final CompletableFuture<StorageResult> future;
        final long timeoutMs;
        long deadlineNs;
        String sentTo;
        long sentAtNs;
        boolean leaderSeen;

        PendingWrite(StorageRequest request, CompletableFuture<StorageResult> future, long timeoutMs) {
            this.request = request;
            this.bytes = request.toBytes();
            this.future = future;
            this.timeoutMs = timeoutMs;
        }
    }

    private final String localPeerId;
    private final long resendAfterNs;
    private final ReplicatedStorages state;
    private final Long2ObjectHashMap<PendingWrite> pending = new Long2ObjectHashMap<>();
    /** Writes applied in this duty cycle, completed in {@link #doWork} once the loop published its state. */
    private final ArrayList<PendingWrite> applied = new ArrayList<>();
    private final ArrayList<StorageResult> appliedResults = new ArrayList<>();
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(0, 0);
    private RaftLoop loop;
    private String lastLeader;
    private long nextHousekeepingNs;

    Grid(String localPeerId, long resendAfterMs, ReplicatedStorages state) {
        this.localPeerId = localPeerId;
        this.state = state;
        this.resendAfterNs = TimeUnit.MILLISECONDS.toNanos(resendAfterMs);
    }

    void start(RaftLoop loop) {
        this.loop = loop;
    }

    int pendingCount() {
        return pending.size();
    }

    // ------------------------------------------------------------------ writes (loop thread)

    void submit(PendingWrite write) {
        write.deadlineNs = loop.nowNanos() + TimeUnit.MILLISECONDS.toNanos(write.timeoutMs);
        pending.put(write.request.requestId(), write);
        send(write);
    }

    private void send(PendingWrite w) {
        final RaftNode node = loop.node();
        final String leader = node.leaderId();
        w.sentAtNs = loop.nowNanos();
        if (node.role() == RaftRole.LEADER) {
            w.leaderSeen = true;
            if (state.isApplied(localPeerId, w.request.requestId())) {
                w.sentTo = localPeerId; // already in the state: a snapshot brought it (see onSnapshotInstalled)
                return;
            }
            final UnsafeBuffer payload = new UnsafeBuffer(w.bytes);
            final long index = node.propose(payload, 0, w.bytes.length);
            if (index == RaftNode.BUSY) {
                fail(w, new BackPressureException(localPeerId + ": too many entries wait for commit; retry later"));
            } else {
                w.sentTo = index == RaftNode.NOT_LEADER ? null : localPeerId;
            }
        } else if (leader != null) {
            w.leaderSeen = true;
            final byte[] frame = HamokMessage.newBuilder()
                    .setType(MessageType.SUBMIT_MESSAGE_REQUEST)
                    .setRequestId(w.request.requestId())
                    .addEntries(LogEntry.newBuilder().setPayload(ByteString.copyFrom(w.bytes)))
                    .build().toByteArray();
            w.sentTo = sendFrame(leader, frame) ? leader : null;
        } else {
            w.sentTo = null;
        }
    }

    /** Runs once per duty cycle: resend after a leader change, resend the unanswered, expire. */
    int doWork(long nowNs) {
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
        final ArrayList<PendingWrite> expired = new ArrayList<>();
        for (PendingWrite w : pending.values()) {
            if (w.deadlineNs <= nowNs) {
                expired.add(w);
            } else if (leader != null && (w.sentTo == null || nowNs - w.sentAtNs >= resendAfterNs)) {
                send(w);
                work++;
            }
        }
        for (PendingWrite w : expired) {
            fail(w, w.leaderSeen
                    ? new HamokTimeoutException("request " + w.request.requestId() + " on storage '"
                    + w.request.storageId() + "' not applied within " + w.timeoutMs + " ms; outcome unknown")
                    : new NoLeaderException("no leader was known for " + w.timeoutMs + " ms; request "
                    + w.request.requestId() + " on storage '" + w.request.storageId() + "' was not sent"));
            work++;
        }
        return work;
    }

    private void fail(PendingWrite w, HamokException e) {
        pending.remove(w.request.requestId());
        w.future.completeExceptionally(e);
    }

    /**
     * This peer replaced its state by a snapshot: writes the snapshot says were applied will never be
     * applied here again, so their callers learn that they happened, without a result.
     */
    void onSnapshotInstalled() {
        for (PendingWrite w : new ArrayList<>(pending.values())) {
            if (state.isApplied(localPeerId, w.request.requestId())) {
                fail(w, new ResultUnknownException("request " + w.request.requestId() + " on storage '"
                        + w.request.storageId() + "' was applied; " + localPeerId
                        + " caught up by snapshot, so its result is not known here"));
            }
        }
    }

    /** Fails everything still waiting (the instance closes). */
    void failAll(HamokException e) {
        completeApplied();
        for (PendingWrite w : new ArrayList<>(pending.values())) {
            fail(w, e);
        }
    }

    // ------------------------------------------------------------------ applied requests (loop thread)

    /** A request was applied here; if it is ours, its caller learns the result. */
    void onApplied(StorageRequest request, StorageResult result) {
        if (!localPeerId.equals(request.sourceId())) {
            return;
        }
        final PendingWrite w = pending.remove(request.requestId());
        if (w != null) {
            applied.add(w);
            appliedResults.add(result);
        }
    }

    private int completeApplied() {
        final int n = applied.size();
        for (int i = 0; i < n; i++) {
            final PendingWrite w = applied.get(i);
            final StorageResult result = appliedResults.get(i);
            if (result.error() != null) {
                w.future.completeExceptionally(new StorageKindMismatchException(result.error()));
            } else {
                w.future.complete(result);
            }
        }
        applied.clear();
        appliedResults.clear();
        return n;
    }

    // ------------------------------------------------------------------ frames from peers (loop thread)

    /** A non-Raft frame; returns whether it was a grid message. */
    boolean onFrame(String from, DirectBuffer buffer, int offset, int length) {
        final HamokMessage message;
        try {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            message = HamokMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
        switch (message.getType()) {
            case SUBMIT_MESSAGE_REQUEST -> onSubmitRequest(from, message);
            case SUBMIT_MESSAGE_RESPONSE -> onSubmitResponse(message);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Leader side: append the submitted entry if leading (unless it is applied already), and say so. */
    private void onSubmitRequest(String from, HamokMessage message) {
        final RaftNode node = loop.node();
        boolean accepted = false;
        if (node.role() == RaftRole.LEADER && message.getEntriesCount() == 1) {
            if (state.isApplied(from, message.getRequestId())) {
                accepted = true; // a resend of an applied request: no second log entry
            } else {
                final byte[] payload = message.getEntries(0).getPayload().toByteArray();
                accepted = node.propose(new UnsafeBuffer(payload), 0, payload.length) > 0;
            }
        }
        final HamokMessage.Builder response = HamokMessage.newBuilder()
                .setType(MessageType.SUBMIT_MESSAGE_RESPONSE)
                .setRequestId(message.getRequestId())
                .setSuccess(accepted);
        if (node.leaderId() != null) {
            response.setRaftLeaderId(node.leaderId());
        }
        sendFrame(from, response.build().toByteArray());
    }

    /** Origin side: a refusal makes the write go out again at the next housekeeping. */
    private void onSubmitResponse(HamokMessage message) {
        final PendingWrite w = pending.get(message.getRequestId());
        if (w != null && !message.getSuccess()) {
            w.sentTo = null;
        }
    }

    private boolean sendFrame(String to, byte[] frame) {
        sendBuffer.wrap(frame);
        final boolean sent = loop.send(to, sendBuffer, 0, frame.length);
        if (!sent) {
            LOG.debug("{}: frame to {} dropped by the transport", localPeerId, to);
        }
        return sent;
    }

    /** Events of applied requests go to the storages' subscribers. */
    static void deliver(StorageEvent event, java.util.function.Consumer<StorageEvent> listener) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("a storage listener of '{}' threw; the event is still applied", event.storageId(), e);
        }
    }
}
