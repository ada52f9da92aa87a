// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
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
 *
 * <p><b>A member that lost the cluster</b>: a member that was down or cut off while members joined
 * may find that the leader is one it has no address of, and, its transport knowing only the members of
 * its old configuration, cannot be reached by it. When it has known no leader for {@link #LOST_TIMEOUTS}
 * election timeouts, it asks the members it knows, and the peers its seeds lead to (its transport
 * dials them again: {@link Transport#redialSeeds}), where the cluster is: a {@code JOIN_NOTIFICATION}
 * that says "member" ({@code success}). A member whose configuration names it answers with the members
 * and their addresses (nothing is added), and the asker hands them to its transport beside its own, so
 * the leader reaches it and its log catches up. A peer the configuration no longer names gets no
 * answer: it was removed.
 *
 * <p><b>Late join requests.</b> A join request carries the joiner's incarnation ({@code request_id}, a
 * random number per instance). Every member remembers the incarnation of the last join request it saw
 * per peer id, and once its configuration drops that peer, that the incarnation left: a copy of its
 * join request that arrives later (it waited in a paused relay) is dropped instead of adding the
 * departed instance back. A member that never saw the request cannot tell (it may add it back as a
 * learner, which an operator removes).
 */
public final class Joining {
    static final long RESEND_MS = 500;
    /** After an answer, how long the joiner waits for its log to name it before it asks again. */
    static final long ASK_AGAIN_MS = 10_000;
    static final int MAX_BYTES = 64 * 1024;
    /** Election timeouts without a leader after which a member asks where the cluster is. */
    static final int LOST_TIMEOUTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Joining.class);

    private final String localPeerId;
    private final long lostAfterNs;
    /** This instance's incarnation, carried by its join requests. */
    private final long incarnation;
    /** Per peer id, the incarnation of the last join request seen, and the incarnation that left. */
    private final Map<String, Long> joinedIncarnations = bounded();
    private final Map<String, Long> leftIncarnations = bounded();
    /** When this member last knew a leader (or began to look for one), and when it asks next. */
    private long leaderSeenNs;
    private long nextLostAskNs;
    private RaftLoop loop;
    /** The join in progress, handed over by {@link #request}; taken by the loop thread. */
    private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> requested =
            new java.util.concurrent.atomic.AtomicReference<>();
    private CompletableFuture<Void> joining;
    /** The timeout of the request handed over (written before it, read after it). */
    private volatile long requestedTimeoutMs;
    private long timeoutMs;
    private long deadlineNs;
    private long nextSendNs;
    /** This join asked the transport to dial the seeds again (its log names it, but not committed). */
    private boolean redialAsked;
    /** The leader's commit index in the answer; -1 until a seed answered. */
    private long targetIndex = -1;
    /** When the answer came; asked again if the log does not name this peer some time after it. */
    private long answeredNs;
    private long lastNowNs;
    private boolean warnedNoAddress;

    public Joining(String localPeerId, long electionTimeoutMs, long incarnation) {
        this.localPeerId = localPeerId;
        this.lostAfterNs = TimeUnit.MILLISECONDS.toNanos(LOST_TIMEOUTS * electionTimeoutMs);
        this.incarnation = incarnation;
    }

    /** A map that forgets its oldest entries beyond 1024 (peer ids seen joining: rare, small). */
    private static Map<String, Long> bounded() {
        return new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > 1024;
            }
        };
    }

    /** Loop thread: the configuration in force changed; the peers it dropped left with the incarnation seen last. */
    public void onMembershipChanged(Set<String> before, Membership now) {
        for (String id : before) {
            final Long seen = joinedIncarnations.get(id);
            if (seen != null && !now.isMember(id)) {
                leftIncarnations.put(id, seen);
            }
        }
    }

    /** Loop thread: stops a join in progress ({@link io.hamok.Hamok#leave} before it joined). */
    public void stop() {
        failClosed(joining);
        joining = null;
        failClosed(requested.getAndSet(null));
    }

    public void start(RaftLoop started) {
        this.loop = started;
        this.leaderSeenNs = started.nowNanos();
        this.nextLostAskNs = leaderSeenNs;
    }

    /**
     * Any thread: join through the seeds; the future completes on the loop thread, or fails with
     * {@link JoinException} once {@code timeout} has passed on the loop's clock.
     */
    public CompletableFuture<Void> request(java.time.Duration timeout) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        requestedTimeoutMs = timeout.toMillis();
        requested.set(future);
        return future;
    }

    private JoinException timedOut() {
        return new JoinException(localPeerId + ": not a member within " + timeoutMs + " ms: no seed answered, or"
                + " catching up took longer (check the seed addresses, the cluster id, TLS, and that the transport"
                + " has an address members can dial)");
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
            redialAsked = false;
            timeoutMs = requestedTimeoutMs;
            deadlineNs = nowNs + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        }
        if (joining == null) {
            return lost(nowNs);
        }
        if (joining.isDone()) { // cancelled by the caller
            joining = null;
            return 0;
        }
        if (nowNs - deadlineNs >= 0) {
            CompletableFuture<Void> late = joining;
            joining = null;
            late.completeExceptionally(timedOut());
            return 1;
        }
        RaftNode node = loop.node();
        if (targetIndex < 0 && node.membership().isMember(localPeerId) && node.commitIndex() >= node.membershipIndex()) {
            // the leader's committed entries name this peer: added, though its answer got lost (its guest
            // link gave way to a member link). The commit index the leader sent is at least the one it had
            // when it added this peer, since the configuration entry came after that. (An entry naming it
            // that is not known committed may be one a failed leader appended: a restarted joiner asks again.)
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

    /** A member without a leader for long asks the members it knows where the cluster is (see above). */
    private int lost(long nowNs) {
        RaftNode node = loop.node();
        if (node.leaderId() != null || !node.membership().isMember(localPeerId)) {
            leaderSeenNs = nowNs; // one read and compare per duty cycle, nothing written to memory shared
            return 0;
        }
        if (nowNs - leaderSeenNs < lostAfterNs || nowNs - nextLostAskNs < 0) {
            return 0;
        }
        Transport transport = loop.transport();
        String address = transport.localAddress();
        if (address == null) {
            return 0;
        }
        if (nextLostAskNs - leaderSeenNs <= 0) {
            transport.redialSeeds(); // once per time without a leader
        }
        nextLostAskNs = nowNs + lostAfterNs;
        byte[] request = HamokMessage.newBuilder().setType(MessageType.JOIN_NOTIFICATION).setSourceId(localPeerId)
                .setSuccess(true).addKeys(ByteString.copyFromUtf8(address)).build().toByteArray();
        java.util.Set<String> asked = new java.util.HashSet<>(node.membership().addresses().keySet());
        asked.addAll(transport.seedPeerIds());
        asked.remove(localPeerId);
        int sent = 0;
        for (String peer : asked) {
            sent += loop.send(peer, new UnsafeBuffer(request), 0, request.length) ? 1 : 0;
        }
        return sent;
    }

    /**
     * Sends the join request to the seeds the transport reached, and to the members of the
     * configuration this peer knows (a restarted joiner whose log names it in an entry that may not be
     * committed); a transport that stopped dialing the seeds because that entry named it dials them again.
     */
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
        java.util.Set<String> to = new java.util.HashSet<>(transport.seedPeerIds());
        if (to.isEmpty() && !redialAsked) {
            redialAsked = true;
            transport.redialSeeds();
        }
        to.addAll(loop.node().membership().addresses().keySet());
        to.remove(localPeerId);
        byte[] request = HamokMessage.newBuilder().setType(MessageType.JOIN_NOTIFICATION).setSourceId(localPeerId)
                .setRequestId(incarnation).addKeys(ByteString.copyFromUtf8(address)).build().toByteArray();
        for (String peer : to) {
            loop.send(peer, new UnsafeBuffer(request), 0, request.length);
        }
        return to.size();
    }

    /**
     * A member that lost the cluster heard where it is: its transport gets those members beside the
     * ones its own configuration names (the configuration in force takes over again once it changes).
     */
    private void rediscovered(HamokMessage m) {
        RaftNode node = loop.node();
        if (node.leaderId() != null || !node.membership().isMember(localPeerId)) {
            return;
        }
        LOG.info("{}: no leader for a while; {} says the members are {}", localPeerId, m.getSourceId(),
                m.getActiveEndpointIdsList());
        tellBeside(membersOf(m));
    }

    /** Tells the transport the members an answer named beside those of this peer's own configuration. */
    private void tellBeside(Map<String, String> answered) {
        Map<String, String> own = loop.node().membership().addresses();
        Map<String, String> members = new HashMap<>(answered);
        members.putAll(own);
        if (!members.equals(own)) {
            loop.transport().updatePeers(members);
        }
    }

    /** The members an answer names, with their addresses. */
    private static Map<String, String> membersOf(HamokMessage m) {
        Map<String, String> members = new HashMap<>();
        for (String entry : m.getActiveEndpointIdsList()) {
            int at = entry.indexOf('@');
            if (at > 0) {
                members.put(entry.substring(0, at), entry.substring(at + 1));
            }
        }
        return members;
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
        if (m.getSuccess()) { // a member looking for the cluster: where everyone is, if it is still one
            if (joiner.equals(from) && node.membership().isMember(from)) {
                answer(from, joiner, MembershipChange.UNCHANGED, node);
            }
            return;
        }
        if (m.getRequestId() != 0) {
            if (Long.valueOf(m.getRequestId()).equals(leftIncarnations.get(joiner))) {
                return; // a late copy of the request of an instance that joined and left since
            }
            joinedIncarnations.put(joiner, m.getRequestId());
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
        if (joining == null && m.getSuccess()) {
            rediscovered(m);
            return;
        }
        if (joining == null || targetIndex >= 0) {
            return;
        }
        if (m.getSuccess()) {
            Map<String, String> members = membersOf(m);
            if (!loop.node().membership().isMember(localPeerId)) {
                // without this peer: its seeds stay dialed until its own log names it (a lost entry, a forged answer)
                members.remove(localPeerId);
                loop.transport().updatePeers(members);
            } else {
                tellBeside(members); // its log names it already (maybe in an entry that was lost)
            }
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
