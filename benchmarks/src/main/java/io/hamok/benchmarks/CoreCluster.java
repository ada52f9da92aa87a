// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.raft.StateMachine;
import io.hamok.wire.RaftPublisher;
import io.hamok.wire.RaftWireDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * N Raft nodes on the calling thread with zero-latency delivery: every message is encoded with
 * the wire codec into the receiver's inbox and decoded from it, so the benchmark measures the
 * core plus the codec, not a network. No allocation in steady state.
 */
final class CoreCluster {
    private static final int HEADER = 8; // [int length][int sender]

    final RaftNode[] nodes;
    final CountingStateMachine[] machines;
    private final String[] ids;
    private final ExpandableArrayBuffer[] inboxes;
    private final int[] inboxLengths;
    private final RaftWireDecoder decoder = new RaftWireDecoder();
    private long nowNs;

    CoreCluster(int size, RaftConfig config) {
        ids = new String[size];
        for (int i = 0; i < size; i++) {
            ids[i] = "node-" + i;
        }
        nodes = new RaftNode[size];
        machines = new CountingStateMachine[size];
        inboxes = new ExpandableArrayBuffer[size];
        inboxLengths = new int[size];
        final Membership membership = Membership.ofVoters(ids);
        for (int i = 0; i < size; i++) {
            final int sender = i;
            inboxes[i] = new ExpandableArrayBuffer(1 << 20);
            machines[i] = new CountingStateMachine();
            final RaftPublisher publisher = new RaftPublisher((to, buffer, offset, length) ->
                    enqueue(indexOf(to), sender, buffer, offset, length));
            nodes[i] = new RaftNode(ids[i], config, new MemoryRaftLogs(), machines[i], publisher, membership,
                    new SplittableRandom(42 + i), 0);
        }
    }

    /** Advances virtual time until some node leads. */
    RaftNode electLeader() {
        for (int round = 0; round < 100_000; round++) {
            nowNs += 1_000_000;
            for (RaftNode node : nodes) {
                node.tick(nowNs, nowNs / 1_000_000);
            }
            deliverAll();
            for (RaftNode node : nodes) {
                if (node.role() == RaftRole.LEADER) {
                    return node;
                }
            }
        }
        throw new IllegalStateException("no leader elected");
    }

    /** Delivers messages (and flushes every node after each round) until all inboxes are empty. */
    void deliverAll() {
        boolean delivered = true;
        while (delivered) {
            delivered = false;
            for (int i = 0; i < nodes.length; i++) {
                if (inboxLengths[i] > 0) {
                    drain(i);
                    delivered = true;
                }
            }
            for (RaftNode node : nodes) {
                node.flush();
            }
        }
    }

    void applyAll() {
        for (RaftNode node : nodes) {
            while (node.applyCommitted(Integer.MAX_VALUE) > 0) {
                // keep applying
            }
        }
    }

    private void drain(int receiver) {
        final ExpandableArrayBuffer inbox = inboxes[receiver];
        final int end = inboxLengths[receiver];
        int position = 0;
        while (position < end) {
            final int length = inbox.getInt(position);
            final int sender = inbox.getInt(position + 4);
            final int status = decoder.decode(inbox, position + HEADER, length, ids[sender], nodes[receiver]);
            if (status != RaftWireDecoder.OK) {
                throw new IllegalStateException("undecodable frame: " + RaftWireDecoder.describe(status));
            }
            position += HEADER + length;
        }
        inboxLengths[receiver] = 0;
    }

    private void enqueue(int receiver, int sender, DirectBuffer buffer, int offset, int length) {
        final ExpandableArrayBuffer inbox = inboxes[receiver];
        final int position = inboxLengths[receiver];
        inbox.putInt(position, length);
        inbox.putInt(position + 4, sender);
        inbox.putBytes(position + HEADER, buffer, offset, length);
        inboxLengths[receiver] = position + HEADER + length;
    }

    private int indexOf(String id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown peer " + id + " among " + Arrays.toString(ids));
    }

    /** Sums the first long of every command, so applying cannot be optimised away. */
    static final class CountingStateMachine implements StateMachine {
        long applied;
        long sum;

        @Override
        public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
            applied++;
            sum += payload.getLong(offset);
        }

        @Override
        public byte[] snapshot() {
            final byte[] bytes = new byte[16];
            final UnsafeBuffer b = new UnsafeBuffer(bytes);
            b.putLong(0, applied);
            b.putLong(8, sum);
            return bytes;
        }

        @Override
        public void restore(byte[] snapshot, long index) {
            final UnsafeBuffer b = new UnsafeBuffer(snapshot);
            applied = b.getLong(0);
            sum = b.getLong(8);
        }
    }
}
