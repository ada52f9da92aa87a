// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.HamokException;
import io.hamok.HamokTimeoutException;
import io.hamok.NoLeaderException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.RaftRole;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Linearizable read points (ReadIndex, thesis §6.4), on the loop thread. A read asks the leader for
 * its read index (the leader confirms its leadership with a heartbeat round first), then waits
 * until this peer has applied that index; a read of the local replica after that sees every write
 * committed before the read began. A follower forwards the question in a RAFT_READ_INDEX_REQUEST;
 * the leader answers with RAFT_READ_INDEX_RESPONSE.
 */
public final class Reads {
    private static final long HOUSEKEEPING_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RESEND_NS = TimeUnit.MILLISECONDS.toNanos(200);

    /** A local read waiting for its read index and then for the apply. */
    private static final class PendingRead {
        final CompletableFuture<Void> future;
        final long timeoutMs;
        final long deadlineNs;
        long readIndex = -1;
        long sentAtNs = Long.MIN_VALUE / 2;
        boolean sent;
        boolean leaderSeen;

        PendingRead(CompletableFuture<Void> future, long timeoutMs, long deadlineNs) {
            this.future = future;
            this.timeoutMs = timeoutMs;
            this.deadlineNs = deadlineNs;
        }
    }

    /** A follower's question this leader is confirming. */
    private record Served(String follower, long requestId) {
    }

    private final Long2ObjectHashMap<PendingRead> pending = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Served> served = new Long2ObjectHashMap<>();
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(0, 0);
    private RaftLoop loop;
    private long contexts;
    private long nextHousekeepingNs;

    /** @param firstContext read numbers start here: above any earlier incarnation's, so a late answer meant for one is never taken for a new read */
    public Reads(long firstContext) {
        this.contexts = firstContext;
    }

    public void start(RaftLoop loop) {
        this.loop = loop;
    }

    public int pendingCount() {
        return pending.size();
    }

    public void request(CompletableFuture<Void> future, long timeoutMs) {
        final long context = ++contexts;
        final PendingRead read = new PendingRead(future, timeoutMs,
                loop.nowNanos() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        pending.put(context, read);
        ask(context, read);
    }

    private void ask(long context, PendingRead read) {
        read.sentAtNs = loop.nowNanos();
        if (loop.node().role() == RaftRole.LEADER) {
            read.leaderSeen = true;
            read.sent = loop.node().requestReadIndex(context);
            return;
        }
        final String leader = loop.node().leaderId();
        read.sent = leader != null && send(leader, HamokMessage.newBuilder()
                .setType(MessageType.RAFT_READ_INDEX_REQUEST).setRequestId(context).build());
        read.leaderSeen |= leader != null;
    }

    public int doWork(long nowNs) {
        if (pending.isEmpty()) {
            return 0;
        }
        int work = 0;
        final long applied = loop.node().lastApplied();
        final ArrayList<Long> done = new ArrayList<>();
        for (Long2ObjectHashMap<PendingRead>.EntryIterator it = pending.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            final PendingRead r = it.getValue();
            if (r.readIndex >= 0 && applied >= r.readIndex) {
                done.add(it.getLongKey());
            }
        }
        for (Long c : done) {
            pending.remove(c.longValue()).future.complete(null);
            work++;
        }
        if (nowNs >= nextHousekeepingNs) {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_NS;
            work += housekeeping(nowNs);
        }
        return work;
    }

    private int housekeeping(long nowNs) {
        int work = 0;
        final ArrayList<Long> expired = new ArrayList<>();
        for (Long2ObjectHashMap<PendingRead>.EntryIterator it = pending.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            final PendingRead r = it.getValue();
            if (r.deadlineNs <= nowNs) {
                expired.add(it.getLongKey());
            } else if (r.readIndex < 0 && (!r.sent || nowNs - r.sentAtNs >= RESEND_NS)) {
                ask(it.getLongKey(), r);
                work++;
            }
        }
        for (Long c : expired) {
            final PendingRead r = pending.remove(c.longValue());
            r.future.completeExceptionally(r.leaderSeen
                    ? new HamokTimeoutException("linearizable read not confirmed within " + r.timeoutMs + " ms",
                    false)
                    : new NoLeaderException("no leader was known for " + r.timeoutMs + " ms; cannot read linearizably"));
            work++;
        }
        return work;
    }

    public void onLeaderChanged(String leader) {
        for (PendingRead r : pending.values()) {
            if (r.readIndex < 0) {
                r.sent = false; // ask the new leader at the next housekeeping
            }
        }
    }

    // ------------------------------------------------------------------ answers from the Raft node

    public void onReadIndex(long context, long readIndex) {
        final Served s = served.remove(context);
        if (s != null) {
            send(s.follower(), HamokMessage.newBuilder().setType(MessageType.RAFT_READ_INDEX_RESPONSE)
                    .setRequestId(s.requestId()).setSuccess(true).setReadIndex(readIndex).build());
            return;
        }
        final PendingRead r = pending.get(context);
        if (r != null) {
            r.readIndex = readIndex;
        }
    }

    public void onReadIndexFailed(long context) {
        final Served s = served.remove(context);
        if (s != null) {
            send(s.follower(), HamokMessage.newBuilder().setType(MessageType.RAFT_READ_INDEX_RESPONSE)
                    .setRequestId(s.requestId()).setSuccess(false).build());
            return;
        }
        final PendingRead r = pending.get(context);
        if (r != null) {
            r.sent = false;
        }
    }

    public void failAll(HamokException e) {
        pending.values().forEach(r -> r.future.completeExceptionally(e));
        pending.clear();
        served.clear();
    }

    // ------------------------------------------------------------------ frames

    public boolean onFrame(String from, DirectBuffer buffer, int offset, int length) {
        final HamokMessage m;
        try {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            m = HamokMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
        if (m.getType() == MessageType.RAFT_READ_INDEX_REQUEST) {
            final long context = ++contexts;
            if (loop.node().requestReadIndex(context)) {
                served.put(context, new Served(from, m.getRequestId()));
            } else {
                send(from, HamokMessage.newBuilder().setType(MessageType.RAFT_READ_INDEX_RESPONSE)
                        .setRequestId(m.getRequestId()).setSuccess(false).build());
            }
            return true;
        }
        if (m.getType() == MessageType.RAFT_READ_INDEX_RESPONSE) {
            final PendingRead r = pending.get(m.getRequestId());
            if (r != null && r.readIndex < 0) {
                if (m.getSuccess()) {
                    r.readIndex = m.getReadIndex();
                } else {
                    r.sent = false;
                }
            }
            return true;
        }
        return false;
    }

    private boolean send(String to, HamokMessage message) {
        final byte[] frame = message.toByteArray();
        sendBuffer.wrap(frame);
        return loop.send(to, sendBuffer, 0, frame.length);
    }
}
