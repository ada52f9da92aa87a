package io.hamok.internal;

import io.hamok.HamokClosedException;
import io.hamok.HamokTimeoutException;
import com.google.protobuf.ByteString;
import io.hamok.loop.RaftLoop;
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
 * entry is <b>committed</b> ({@code MEMBERSHIP_CHANGE_RESPONSE}), or at once when the leader refuses
 * it. One exception: a peer that asks for its own removal hears ACCEPTED when the entry is in the
 * leader's log, since from then on no member's transport reaches it. A request without an answer is sent again every {@link #RESEND_MS} to whoever leads then; a
 * repeated request is harmless (the leader answers {@link MembershipChange#UNCHANGED} for a change it
 * already made). Loop thread only, but for {@link #submit}.
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

        Local(long id, boolean add, String peerId, String address, CompletableFuture<MembershipChange> future,
              long timeoutMs) {
            this.id = id;
            this.add = add;
            this.peerId = peerId;
            this.address = address;
            this.future = future;
            this.timeoutMs = timeoutMs;
        }
    }

    /** A change this leader appended, answered once its entry is committed. */
    private record Appended(String requester, long requestId, Local local, long index) {
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
        submitted.add(new Local(0, add, peerId, address, future, timeoutMs));
        return future;
    }

    /** Once per duty cycle. */
    public int doWork(long now) {
        nowNs = now;
        int work = 0;
        for (Local l; (l = submitted.poll()) != null; ) {
            Local numbered = new Local(++nextId, l.add, l.peerId, l.address, l.future, l.timeoutMs);
            numbered.deadlineNs = now + TimeUnit.MILLISECONDS.toNanos(l.timeoutMs);
            numbered.nextSendNs = now;
            waiting.put(numbered.id, numbered);
            work++;
        }
        if (waiting.isEmpty() && appended.isEmpty()) {
            return work; // the common case: nothing to do, nothing allocated
        }
        RaftNode node = loop.node();
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
            waiting.remove(l.id);
            decide(node, null, 0, l, l.add, l.peerId, l.address);
            return 1;
        }
        String leader = node.leaderId();
        if (leader == null || leader.equals(localPeerId)) {
            return 0; // no leader known: the next try goes out after RESEND_MS
        }
        HamokMessage.Builder b = HamokMessage.newBuilder().setType(MessageType.MEMBERSHIP_CHANGE_REQUEST)
                .setSourceId(localPeerId).setRequestId(l.id).setSuccess(l.add)
                .addKeys(ByteString.copyFromUtf8(l.peerId));
        if (l.address != null) {
            b.addValues(ByteString.copyFromUtf8(l.address));
        }
        byte[] bytes = b.build().toByteArray();
        l.sent |= loop.send(leader, new UnsafeBuffer(bytes), 0, bytes.length);
        return 1;
    }

    /** The leader's decision; ACCEPTED is answered when committed, the rest at once. */
    private void decide(RaftNode node, String requester, long requestId, Local local, boolean add, String peerId,
                        String address) {
        MembershipChange result = add ? node.addPeer(peerId, address) : node.removePeer(peerId);
        if (result == MembershipChange.ACCEPTED && !add && peerId.equals(requester)) {
            // a peer removing itself: once the entry is appended, nobody can reach it any more (members
            // drop it from their transports), so it hears "in the log" now and the majority commits it
            answer(requester, requestId, local, result);
        } else if (result == MembershipChange.ACCEPTED) {
            if (local != null) {
                local.sent = true; // in the log: from now on the outcome of a failure is unknown
            }
            appended.add(new Appended(requester, requestId, local, node.logs().lastIndex()));
        } else {
            answer(requester, requestId, local, result);
        }
    }

    private int answerCommitted(RaftNode node) {
        int n = 0;
        for (Iterator<Appended> it = appended.iterator(); it.hasNext(); ) {
            Appended a = it.next();
            if (node.commitIndex() >= a.index()) {
                it.remove();
                answer(a.requester(), a.requestId(), a.local(), MembershipChange.ACCEPTED);
                n++;
            } else if (a.local() != null && nowNs - a.local().deadlineNs >= 0) {
                it.remove(); // appended but not committed in time (no quorum): outcome unknown
                a.local().future.completeExceptionally(timeout(a.local()));
            } else if (node.role() != RaftRole.LEADER) {
                it.remove(); // the requester asks again; the next leader answers UNCHANGED if it committed
                if (a.local() != null) {
                    Local again = a.local();
                    again.nextSendNs = 0;
                    waiting.put(again.id, again);
                }
            }
        }
        return n;
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
        byte[] bytes = HamokMessage.newBuilder().setType(MessageType.MEMBERSHIP_CHANGE_RESPONSE)
                .setSourceId(localPeerId).setRequestId(requestId).setStorageId(result.name()).build().toByteArray();
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
            if (m.getKeysCount() != 1 || !node.membership().isMember(from)) {
                return true; // only members change the membership (a guest may only ask to join)
            }
            if (node.role() != RaftRole.LEADER) {
                answer(from, m.getRequestId(), null, MembershipChange.NOT_LEADER);
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
                return true;
            }
            waiting.remove(l.id);
            l.future.complete(result);
        }
        return true;
    }
}
