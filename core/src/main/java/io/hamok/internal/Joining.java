package io.hamok.internal;

import io.hamok.HamokClosedException;
import io.hamok.JoinException;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.Membership;
import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.transport.Transport;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Joining a cluster through seeds (issue 11), both sides. Loop thread only, but for
 * {@link #request}.
 *
 * <p><b>The joiner</b>, an instance that is not a member of its configuration, sends a
 * {@code JOIN_NOTIFICATION} (its id, and the address members reach it at,
 * {@link Transport#localAddress()}) to every seed its transport reached
 * ({@link Transport#seedPeerIds()}), again every {@link #RESEND_MS} until a seed answers. The answer,
 * an {@code ENDPOINT_STATES_NOTIFICATION}, names the members with their addresses (the transport
 * connects to them) and the leader's commit index when it added the joiner; the join is done when
 * the joiner is a member in its own log and has applied that index. A refusal that retrying cannot
 * change (the id is a member with another address) fails the join with {@link JoinException}.
 *
 * <p><b>A member</b> that gets a join request adds the joiner as a learner with its address if it
 * leads ({@link RaftNode#addPeer(String, String)}: through the log; the autopilot promotes it later), and
 * answers; otherwise it forwards the request to the leader, and relays the leader's answer (a frame
 * whose {@code destination_id} is another peer) to the joiner over its guest link. These messages
 * are rare and small, so they are parsed with the generated classes, at most {@link #MAX_BYTES}.
 */
public final class Joining {
    static final long RESEND_MS = 500;
    /** After an answer, how long the joiner waits for its log to name it before it asks again. */
    static final long ASK_AGAIN_MS = 10_000;
    static final int MAX_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Joining.class);

    private final String localPeerId;
    private RaftLoop loop;
    /** The join in progress, handed over by {@link #request}; taken by the loop thread. */
    private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> requested =
            new java.util.concurrent.atomic.AtomicReference<>();
    private CompletableFuture<Void> joining;
    private long nextSendNs;
    /** The leader's commit index in the answer; -1 until a seed answered. */
    private long targetIndex = -1;
    /** When the answer came; asked again if the log does not name this peer some time after it. */
    private long answeredNs;
    private long lastNowNs;
    private boolean warnedNoAddress;

    public Joining(String localPeerId) {
        this.localPeerId = localPeerId;
    }

    public void start(RaftLoop started) {
        this.loop = started;
    }

    /**
     * Any thread: join through the seeds; the future completes on the loop thread, or fails with
     * {@link JoinException} after {@code timeout}.
     */
    public CompletableFuture<Void> request(java.time.Duration timeout) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        requested.set(future);
        return future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            final Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof java.util.concurrent.TimeoutException
                    ? new JoinException(localPeerId + ": not a member within " + timeout.toMillis() + " ms: no seed "
                    + "answered, or catching up took longer (check the seed addresses, the cluster id, TLS, and that "
                    + "the transport has an address members can dial)") : cause);
        });
    }

    /** Whether this instance is a member of the configuration it knows. */
    boolean isMember() {
        return loop.node().membership().isMember(localPeerId);
    }

    /** Fails a join in progress: the instance closed. */
    public void close() {
        failClosed(joining);
        failClosed(requested.getAndSet(null));
    }

    private void failClosed(CompletableFuture<Void> join) {
        if (join != null) {
            join.completeExceptionally(new HamokClosedException(localPeerId + " closed while joining"));
        }
    }

    /** Runs once per duty cycle: takes a request, (re)sends the join request, completes the join. */
    public int doWork(long nowNs) {
        lastNowNs = nowNs;
        CompletableFuture<Void> next = requested.get() == null ? null : requested.getAndSet(null); // no write per cycle
        if (next != null) {
            joining = next;
            targetIndex = -1;
            nextSendNs = nowNs;
        }
        if (joining == null) {
            return 0;
        }
        if (joining.isDone()) { // timed out or cancelled by the caller
            joining = null;
            return 0;
        }
        RaftNode node = loop.node();
        if (targetIndex < 0 && node.membership().isMember(localPeerId)) {
            // the leader's entries name this peer: added, though its answer got lost (its guest link
            // gave way to a member link). The commit index the leader sent is at least the one it had
            // when it added this peer, since the configuration entry came after that.
            targetIndex = node.commitIndex();
            answeredNs = nowNs;
        }
        if (targetIndex >= 0 && !node.membership().isMember(localPeerId)
                && nowNs - answeredNs > TimeUnit.MILLISECONDS.toNanos(ASK_AGAIN_MS)) {
            targetIndex = -1; // answered, but the log never named it (the entry lost with its leader): ask again
        }
        // a member in its own log, the configuration entry applied (so committed), and caught up
        if (targetIndex >= 0 && node.membership().isMember(localPeerId)
                && node.lastApplied() >= Math.max(targetIndex, node.membershipIndex())) {
            CompletableFuture<Void> done = joining;
            joining = null;
            done.complete(null);
            return 1;
        }
        if (targetIndex < 0 && nowNs - nextSendNs >= 0) {
            nextSendNs = nowNs + TimeUnit.MILLISECONDS.toNanos(RESEND_MS);
            return sendRequests();
        }
        return 0;
    }

    private int sendRequests() {
        Transport transport = loop.transport();
        String address = transport.localAddress();
        if (address == null) {
            if (!warnedNoAddress) {
                warnedNoAddress = true;
                LOG.warn("{}: cannot ask to join: the transport has no address members can dial (set hamok.advertise)",
                        localPeerId);
            }
            return 0;
        }
        Set<String> seeds = transport.seedPeerIds();
        byte[] request = HamokMessage.newBuilder().setType(MessageType.JOIN_NOTIFICATION).setSourceId(localPeerId)
                .addKeys(ByteString.copyFromUtf8(address)).build().toByteArray();
        for (String seed : seeds) {
            loop.send(seed, new UnsafeBuffer(request), 0, request.length);
        }
        return seeds.size();
    }

    /**
     * A frame of a join exchange; returns whether it was one. The generated encoder writes the type
     * first, so two bytes tell a join message from the rest without parsing.
     */
    public boolean onFrame(String from, DirectBuffer buffer, int offset, int length) {
        final int type = typeOf(buffer, offset, length);
        if (type != MessageType.JOIN_NOTIFICATION_VALUE && type != MessageType.ENDPOINT_STATES_NOTIFICATION_VALUE) {
            return false;
        }
        HamokMessage m = parseSmall(buffer, offset, length);
        if (m == null) {
            return true; // too long for a message this version writes, or not one: dropped
        }
        if (type == MessageType.JOIN_NOTIFICATION_VALUE) {
            onJoinRequest(from, m, buffer, offset, length);
        } else if (!m.getDestinationId().isEmpty() && !m.getDestinationId().equals(localPeerId)) {
            loop.send(m.getDestinationId(), buffer, offset, length); // relay a leader's answer to its joiner
        } else {
            onAnswer(m);
        }
        return true;
    }

    /**
     * The type number of a grid message written by the generated encoder (which writes field 1
     * first), or -1: two bytes tell it, with nothing parsed.
     */
    static int typeOf(DirectBuffer buffer, int offset, int length) {
        return length < 2 || buffer.getByte(offset) != 0x08 ? -1 : buffer.getByte(offset + 1);
    }

    /**
     * A rare control message (join, membership change), parsed with the generated classes; {@code null}
     * when longer than {@link #MAX_BYTES} or malformed.
     */
    static HamokMessage parseSmall(DirectBuffer buffer, int offset, int length) {
        if (length > MAX_BYTES) {
            return null;
        }
        try {
            byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return HamokMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private void onJoinRequest(String from, HamokMessage m, DirectBuffer buffer, int offset, int length) {
        String joiner = m.getSourceId();
        RaftNode node = loop.node();
        if (joiner.isEmpty() || m.getKeysCount() != 1
                || (!joiner.equals(from) && !node.membership().isMember(from))) {
            return; // a guest asks for itself only; a member may forward another's request
        }
        String leader = node.leaderId();
        if (node.role() == RaftRole.LEADER) {
            String address = m.getKeys(0).toStringUtf8();
            MembershipChange result = address.isBlank() ? MembershipChange.REJECTED : node.addPeer(joiner, address);
            if (result == MembershipChange.ACCEPTED) {
                LOG.info("{}: {} joins at {} (through {})", localPeerId, joiner, address, from);
            }
            answer(from, joiner, result, node);
        } else if (leader != null && !leader.equals(from) && !leader.equals(localPeerId)) {
            loop.send(leader, buffer, offset, length); // the leader answers here; we relay it
        } else {
            answer(from, joiner, MembershipChange.NOT_LEADER, node);
        }
    }

    private void answer(String to, String joiner, MembershipChange result, RaftNode node) {
        boolean success = result == MembershipChange.ACCEPTED || result == MembershipChange.UNCHANGED;
        HamokMessage.Builder b = HamokMessage.newBuilder().setType(MessageType.ENDPOINT_STATES_NOTIFICATION)
                .setSourceId(localPeerId).setDestinationId(joiner).setSuccess(success).setStorageId(result.name())
                .setLeaderCommit(node.commitIndex());
        if (node.leaderId() != null) {
            b.setRaftLeaderId(node.leaderId());
        }
        Membership members = node.membership();
        members.addresses().forEach((id, address) -> b.addActiveEndpointIds(id + "@" + address));
        byte[] bytes = b.build().toByteArray();
        loop.send(to, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** Joiner side: the answer to a join request. */
    private void onAnswer(HamokMessage m) {
        if (joining == null || targetIndex >= 0) {
            return;
        }
        if (m.getSuccess()) {
            Map<String, String> members = new HashMap<>();
            for (String entry : m.getActiveEndpointIdsList()) {
                int at = entry.indexOf('@');
                if (at > 0) {
                    members.put(entry.substring(0, at), entry.substring(at + 1));
                }
            }
            // without this peer: its seeds stay dialed until its own log names it (a lost entry, a forged answer)
            members.remove(localPeerId);
            loop.transport().updatePeers(members);
            targetIndex = m.getLeaderCommit();
            answeredNs = lastNowNs;
            LOG.info("{}: added to the cluster by {} (members {}); catching up to index {}", localPeerId,
                    m.getRaftLeaderId(), members.keySet(), targetIndex);
            return;
        }
        if (MembershipChange.ADDRESS_CONFLICT.name().equals(m.getStorageId())
                || MembershipChange.REJECTED.name().equals(m.getStorageId())) {
            CompletableFuture<Void> failed = joining;
            joining = null;
            failed.completeExceptionally(new JoinException(localPeerId + " cannot join: " + m.getStorageId()
                    + (MembershipChange.ADDRESS_CONFLICT.name().equals(m.getStorageId())
                    ? " (the id is a member with another address: remove it first, or use another id)" : "")));
        } // NOT_LEADER, IN_PROGRESS: the next request goes out after RESEND_MS
    }
}
