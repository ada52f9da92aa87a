// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.HamokClosedException;
import io.hamok.HamokTimeoutException;
import com.google.protobuf.ByteString;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.Membership;
import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Membership changes from any member (issue 11): adding or removing a peer goes to the leader, here
 * or over the network ({@code MEMBERSHIP_CHANGE_REQUEST}), and is answered once the configuration
 * entry is <b>committed</b> in the leader's term ({@code MEMBERSHIP_CHANGE_RESPONSE}), or at once when
 * the leader refuses it. A request without an answer is sent again every {@link #RESEND_MS}: to the
 * leader this node knows and, every other time, to the next member in turn (a refusal names the
 * leader), so a peer that knows no leader still finds it. A repeated request is harmless (the leader
 * answers {@link MembershipChange#UNCHANGED} for a change it already made).
 *
 * <p>A peer removing itself ({@link io.hamok.Hamok#leave}) is answered on commit too: the leader keeps it
 * reachable ({@link RaftLoop#keepLinked}) until the answer is on its way, although its transport
 * drops peers the configuration no longer names. A peer whose removal is already in the leader's log
 * (appended by an earlier leader, maybe not committed) may ask from outside the configuration; it
 * hears UNCHANGED once that entry is committed.
 *
 * <p>Loop thread only, but for {@link #submit} and {@link #leave}.
 */
public final class MembershipRequests {
    static final long RESEND_MS = 500;
    /** After "not leader" or "a change in progress": soon, not at once. */
    static final long RETRY_MS = 50;

    /** A change asked for on this instance. */
    private static final class Local {
        final long id;
        final boolean add;
        final String peerId;
        final String address;
        final CompletableFuture<MembershipChange> future;
        final long timeoutMs;
        /** On the loop's clock, set when the loop takes the request. */
        long deadlineNs;
        long nextSendNs;
        boolean sent;
        /** Requests sent so far: every other one goes to the next member in turn. */
        int attempts;
        /** The leader named by a refusal, where the next request goes. */
        String leaderHint;
        /** {@link io.hamok.Hamok#leave}: while this node leads, it hands leadership over first, until this time. */
        final boolean leaving;
        long handOverUntilNs;

        Local(long id, boolean add, String peerId, String address, CompletableFuture<MembershipChange> future,
              long timeoutMs, boolean leaving) {
            this.leaving = leaving;
            this.id = id;
            this.add = add;
            this.peerId = peerId;
            this.address = address;
            this.future = future;
            this.timeoutMs = timeoutMs;
        }
    }

    /**
     * A change this leader appended (or found appended), answered with {@code result} once the entry at
     * {@code index} is committed while this node still leads in {@code term}; {@code kept}: its
     * requester is kept reachable until then.
     */
    private record Appended(String requester, long requestId, Local local, long index, long term,
                            MembershipChange result, boolean kept) {
    }

    private final String localPeerId;
    private final ConcurrentLinkedQueue<Local> submitted = new ConcurrentLinkedQueue<>();
    private final Map<Long, Local> waiting = new HashMap<>();
    private final List<Appended> appended = new ArrayList<>();
    /** Requests to ask again in this duty cycle (reused). */
    private final List<Local> due = new ArrayList<>();
    private RaftLoop loop;
    private long nextId;
    /** The loop's clock at the current duty cycle. */
    private long nowNs;
    private volatile boolean closed;

    public MembershipRequests(String localPeerId) {
        this.localPeerId = localPeerId;
    }

    public void start(RaftLoop started) {
        this.loop = started;
    }

    /**
     * Any thread: add ({@code address} may be null) or remove {@code peerId} through the leader. The
     * future completes on the loop thread with the leader's answer, once committed when ACCEPTED;
     * with {@link HamokTimeoutException} after {@code timeoutMs}.
     */
    public CompletableFuture<MembershipChange> submit(boolean add, String peerId, String address, long timeoutMs) {
        CompletableFuture<MembershipChange> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new HamokClosedException(localPeerId + " is closed"));
            return future;
        }
        submitted.add(new Local(0, add, peerId, address, future, timeoutMs, false));
        return future;
    }

    /**
     * Any thread: {@link io.hamok.Hamok#leave}, the removal of this peer. While this node leads, for at most
     * half of {@code timeoutMs}, it hands leadership to its most caught-up voter first (thesis §3.10),
     * so that another leader removes it; after that it removes itself as leader (and steps down once
     * that is committed). The future completes with the answer given once the removal is committed:
     * ACCEPTED or UNCHANGED (out for good), REJECTED (the last voter cannot leave); with
     * {@link HamokTimeoutException} when none came in time (the removal may still commit).
     */
    public CompletableFuture<MembershipChange> leave(long timeoutMs) {
        final CompletableFuture<MembershipChange> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new HamokClosedException(localPeerId + " is closed"));
            return future;
        }
        submitted.add(new Local(0, false, localPeerId, null, future, timeoutMs, true));
        return future;
    }

    /** Once per duty cycle. */
    public int doWork(long now) {
        nowNs = now;
        int work = 0;
        for (Local l; (l = submitted.poll()) != null; ) {
            Local numbered = new Local(++nextId, l.add, l.peerId, l.address, l.future, l.timeoutMs, l.leaving);
            numbered.deadlineNs = now + TimeUnit.MILLISECONDS.toNanos(l.timeoutMs);
            numbered.handOverUntilNs = now + TimeUnit.MILLISECONDS.toNanos(l.timeoutMs / 2);
            numbered.nextSendNs = now;
            waiting.put(numbered.id, numbered);
            work++;
        }
        RaftNode node = loop.node();
        if (waiting.isEmpty() && appended.isEmpty()) {
            return work; // the common case: nothing to do, nothing allocated
        }
        for (Iterator<Local> it = waiting.values().iterator(); it.hasNext(); ) {
            Local l = it.next();
            if (l.future.isDone()) {
                it.remove();
            } else if (now - l.deadlineNs >= 0) {
                it.remove();
                l.future.completeExceptionally(timeout(l));
            } else if (now - l.nextSendNs >= 0) {
                l.nextSendNs = now + TimeUnit.MILLISECONDS.toNanos(RESEND_MS);
                due.add(l); // asked after the walk: asking may take it out of, or put it back in, the map
            }
        }
        for (int i = 0; i < due.size(); i++) {
            work += ask(node, due.get(i));
        }
        due.clear();
        work += answerCommitted(node);
        return work;
    }

    private HamokTimeoutException timeout(Local l) {
        return new HamokTimeoutException(localPeerId + ": no answer to the membership change of " + l.peerId
                + " in time", l.sent);
    }

    /** Fails what is pending: the instance closed. */
    public void close() {
        closed = true;
        HamokClosedException e = new HamokClosedException(localPeerId + " closed", true);
        for (Local l; (l = submitted.poll()) != null; ) {
            l.future.completeExceptionally(new HamokClosedException(localPeerId + " closed"));
        }
        waiting.values().forEach(l -> l.future.completeExceptionally(e));
        waiting.clear();
        appended.forEach(a -> {
            if (a.local() != null) {
                a.local().future.completeExceptionally(e);
            }
        });
        appended.clear();
    }

    /** Hands a change to the leader: this node itself, or the one it knows. */
    private int ask(RaftNode node, Local l) {
        if (node.role() == RaftRole.LEADER) {
            if (l.leaving && nowNs - l.handOverUntilNs < 0 && handOver(node)) {
                l.nextSendNs = nowNs + TimeUnit.MILLISECONDS.toNanos(RETRY_MS); // until another voter leads
                return 1;
            }
            waiting.remove(l.id);
            decide(node, null, 0, l, l.add, l.peerId, l.address);
            return 1;
        }
        final List<String> to = targets(node, l);
        if (to.isEmpty()) {
            return 0; // nobody to ask: the next try goes out after RESEND_MS
        }
        l.attempts++;
        HamokMessage.Builder b = HamokMessage.newBuilder().setType(MessageType.MEMBERSHIP_CHANGE_REQUEST)
                .setSourceId(localPeerId).setRequestId(l.id).setSuccess(l.add)
                .addKeys(ByteString.copyFromUtf8(l.peerId));
        if (l.address != null) {
            b.addValues(ByteString.copyFromUtf8(l.address));
        }
        byte[] bytes = b.build().toByteArray();
        for (String peer : to) {
            l.sent |= loop.send(peer, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        return to.size();
    }

    /** Hands leadership to the most caught-up voter, unless already; false when there is none. */
    private boolean handOver(RaftNode node) {
        if (node.transferringLeadership()) {
            return true;
        }
        String best = null;
        long bestMatch = -1;
        for (String voter : node.membership().voters()) {
            final long match = node.matchIndexOf(voter);
            if (!voter.equals(localPeerId) && match > bestMatch) {
                best = voter;
                bestMatch = match;
            }
        }
        return best != null && node.transferLeadership(best) == MembershipChange.ACCEPTED;
    }

    /**
     * Where a request goes: the leader a refusal named; else, for a peer's own removal, every member it
     * knows (once the leader has appended it, no member's transport keeps this peer for long, nor does
     * the leader replicate to it: any member whose committed configuration no longer names it says so,
     * and the one that leads decides); else, every other time, the leader this node knows, or the next
     * member in turn (a leader that failed may be the one it knows).
     */
    private List<String> targets(RaftNode node, Local l) {
        final String hint = l.leaderHint;
        l.leaderHint = null;
        if (hint != null && !hint.equals(localPeerId)) {
            return List.of(hint);
        }
        final Membership m = node.membership();
        final List<String> members = new ArrayList<>(m.voters()); // rare: a request without an answer
        members.addAll(m.learners());
        members.remove(localPeerId);
        if (!l.add && l.peerId.equals(localPeerId)) {
            return members;
        }
        final String leader = node.leaderId();
        if (leader != null && !leader.equals(localPeerId) && l.attempts % 2 == 0) {
            return List.of(leader);
        }
        return members.isEmpty() ? List.of() : List.of(members.get(l.attempts % members.size()));
    }

    /** The leader's decision; ACCEPTED is answered when committed, the rest at once. */
    private void decide(RaftNode node, String requester, long requestId, Local local, boolean add, String peerId,
                        String address) {
        final boolean selfRemoval = !add && peerId.equals(requester != null ? requester : localPeerId);
        if (selfRemoval && !node.membership().isMember(peerId)) {
            // removed by an entry in this leader's log, maybe an earlier leader's and not committed yet
            final boolean kept = keep(requester, node.membershipAt(node.membershipIndex() - 1).address(peerId));
            appended.add(new Appended(requester, requestId, local, node.membershipIndex(), node.term(),
                    MembershipChange.UNCHANGED, kept));
            return;
        }
        final String departing = selfRemoval ? node.membership().address(peerId) : null;
        final MembershipChange result = add ? node.addPeer(peerId, address) : node.removePeer(peerId);
        if (result == MembershipChange.ACCEPTED) {
            if (local != null) {
                local.sent = true; // in the log: from now on the outcome of a failure is unknown
            }
            // a peer removing itself stays reachable until it has its answer (from now on the
            // configuration does not name it, and the transport drops the peers it does not name)
            final boolean kept = selfRemoval && keep(requester, departing);
            appended.add(new Appended(requester, requestId, local, node.logs().lastIndex(), node.term(), result, kept));
        } else {
            answer(requester, requestId, local, result);
        }
    }

    /** Keeps a remote requester reachable at {@code address}; false when there is none to keep. */
    private boolean keep(String requester, String address) {
        if (requester == null || address == null) {
            return false;
        }
        loop.keepLinked(requester, address);
        return true;
    }

    private int answerCommitted(RaftNode node) {
        int n = 0;
        for (Iterator<Appended> it = appended.iterator(); it.hasNext(); ) {
            final Appended a = it.next();
            // the same term: this node led all along, so the entry at a.index() is still the one it meant
            if (node.term() == a.term() && node.commitIndex() >= a.index()) {
                it.remove();
                answer(a.requester(), a.requestId(), a.local(), a.result());
                release(a); // after the answer: the transport flushes it before it drops the link
                n++;
            } else if (a.local() != null && nowNs - a.local().deadlineNs >= 0) {
                it.remove(); // appended but not committed in time (no quorum): outcome unknown
                release(a);
                a.local().future.completeExceptionally(timeout(a.local()));
            } else if (node.role() != RaftRole.LEADER || node.term() != a.term()) {
                it.remove(); // the requester asks again; the next leader answers UNCHANGED if it committed
                release(a);
                if (a.local() != null) {
                    final Local again = a.local();
                    again.nextSendNs = 0;
                    waiting.put(again.id, again);
                }
            }
        }
        return n;
    }

    private void release(Appended a) {
        if (a.kept()) {
            loop.keepLinked(a.requester(), null);
        }
    }

    private void answer(String requester, long requestId, Local local, MembershipChange result) {
        if (local != null) {
            if (retryable(result)) {
                local.nextSendNs = nowNs + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
                waiting.put(local.id, local);
            } else {
                local.future.complete(result);
            }
            return;
        }
        final HamokMessage.Builder b = HamokMessage.newBuilder().setType(MessageType.MEMBERSHIP_CHANGE_RESPONSE)
                .setSourceId(localPeerId).setRequestId(requestId).setStorageId(result.name());
        final String leader = loop.node().leaderId();
        if (leader != null) {
            b.setRaftLeaderId(leader); // where a refused requester asks next
        }
        final byte[] bytes = b.build().toByteArray();
        loop.send(requester, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static boolean retryable(MembershipChange result) {
        return result == MembershipChange.NOT_LEADER || result == MembershipChange.IN_PROGRESS;
    }

    /** A membership request or answer; returns whether it was one (the type is the first field written). */
    public boolean onFrame(String from, DirectBuffer buffer, int offset, int length) {
        int type = Joining.typeOf(buffer, offset, length);
        if (type != MessageType.MEMBERSHIP_CHANGE_REQUEST_VALUE && type != MessageType.MEMBERSHIP_CHANGE_RESPONSE_VALUE) {
            return false;
        }
        HamokMessage m = Joining.parseSmall(buffer, offset, length);
        if (m == null) {
            return true;
        }
        if (type == MessageType.MEMBERSHIP_CHANGE_REQUEST_VALUE) {
            RaftNode node = loop.node();
            if (m.getKeysCount() != 1 || !(node.membership().isMember(from)
                    || (!m.getSuccess() && m.getKeys(0).toStringUtf8().equals(from)))) {
                return true; // only members change the membership, but anyone may ask to be out (a guest may only ask to join)
            }
            if (node.role() != RaftRole.LEADER) {
                // a peer asking whether it is out: a committed configuration here that does not name it says so
                final boolean out = !m.getSuccess() && !node.membership().isMember(from)
                        && node.commitIndex() >= node.membershipIndex();
                answer(from, m.getRequestId(), null, out ? MembershipChange.UNCHANGED : MembershipChange.NOT_LEADER);
            } else {
                String address = m.getValuesCount() == 1 ? m.getValues(0).toStringUtf8() : null;
                decide(node, from, m.getRequestId(), null, m.getSuccess(), m.getKeys(0).toStringUtf8(), address);
            }
        } else {
            Local l = waiting.get(m.getRequestId());
            if (l == null) {
                return true;
            }
            MembershipChange result;
            try {
                result = MembershipChange.valueOf(m.getStorageId());
            } catch (IllegalArgumentException e) {
                return true;
            }
            if (retryable(result)) { // ask again: at the next leader, or once the change in progress committed
                l.nextSendNs = nowNs + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
                l.leaderHint = m.getRaftLeaderId().isEmpty() ? null : m.getRaftLeaderId();
                return true;
            }
            waiting.remove(l.id);
            l.future.complete(result);
        }
        return true;
    }
}
