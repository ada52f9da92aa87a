// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.raft.StateMachine;
import io.hamok.wire.RaftPublisher;
import io.hamok.wire.RaftWireDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The Raft core at work: three nodes in one process exchange real wire-format messages, elect a
 * leader, replicate writes, survive the leader's crash and bring it back up to date.
 *
 * <p>Time is virtual (the loop advances a clock in 1 ms steps), so the demo runs in well under a
 * second; the network and the TCP transport arrive in the next issue. Exits 0 when every check
 * holds, 1 with the reason otherwise.
 */
public final class CoreDemo {
    private static final List<String> IDS = List.of("alpha", "bravo", "charlie");

    private final RaftConfig config = RaftConfig.builder()
            .heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
            .snapshotThresholdEntries(500).build();
    private final Membership membership = Membership.of(IDS, List.of());
    private final MemoryRaftLogs[] disks = new MemoryRaftLogs[IDS.size()];
    private final RaftNode[] nodes = new RaftNode[IDS.size()];
    private final KeyValueMachine[] machines = new KeyValueMachine[IDS.size()];
    private final ArrayDeque<Frame> network = new ArrayDeque<>();
    private final RaftWireDecoder decoder = new RaftWireDecoder();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
    private long nowMs;

    private record Frame(int from, int to, byte[] bytes) {
    }

    public static void main(String[] args) {
        try {
            new CoreDemo().run();
            System.out.println("\nDemo finished: every check held.");
            System.exit(0);
        } catch (IllegalStateException e) {
            System.out.println("\nDemo FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() {
        say("Starting three Raft nodes: " + IDS + ". Each has its own log and its own copy of a key-value map.");
        for (int i = 0; i < IDS.size(); i++) {
            disks[i] = new MemoryRaftLogs();
            start(i);
        }
        int leader = awaitLeader(-1);
        say("1. Election: " + IDS.get(leader) + " won term " + nodes[leader].term() + " after "
                + nowMs + " ms of virtual time.");

        write(leader, "account-", 1000);
        awaitApplied(nodes[leader].commitIndex(), -1);
        say("2. Replication: the leader accepted 1000 writes; all three nodes applied them. Map digests: "
                + digests(-1) + " (equal).");
        checkSameState(-1);

        final int crashed = leader;
        final String acknowledgedBalance = machines[crashed].get("account-999");
        nodes[crashed] = null;
        machines[crashed] = null;
        say("3. Crash: " + IDS.get(crashed) + " (the leader) stops. Its log survives, as a disk would.");
        leader = awaitLeader(crashed);
        say("   The others elect " + IDS.get(leader) + " in term " + nodes[leader].term() + ".");
        if (!acknowledgedBalance.equals(machines[leader].get("account-999"))) {
            throw new IllegalStateException("the new leader lost an acknowledged write");
        }
        say("   Every write acknowledged before the crash is still there (account-999 = " + acknowledgedBalance + ").");
        write(leader, "order-", 800);
        awaitApplied(nodes[leader].commitIndex(), crashed);
        say("   800 more writes committed with two nodes of three: a majority is enough.");

        final long lastIndexBeforeRestart = disks[crashed].lastIndex();
        start(crashed);
        final long target = nodes[leader].commitIndex();
        awaitApplied(target, -1);
        final boolean bySnapshot = machines[crashed].restoredIndex > lastIndexBeforeRestart;
        say("4. Restart: " + IDS.get(crashed) + " comes back and catches up to index " + target
                + (bySnapshot ? " (the leader sent it a snapshot, its log was behind the leader's first entry)."
                : " (from the leader's log)."));
        checkSameState(-1);
        say("   All three maps hold " + machines[0].size() + " keys with equal digests: " + digests(-1) + ".");
    }

    private void start(int i) {
        machines[i] = new KeyValueMachine();
        final int self = i;
        final RaftPublisher publisher = new RaftPublisher((to, buffer, offset, length) -> {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            network.add(new Frame(self, IDS.indexOf(to), bytes));
        });
        nodes[i] = new RaftNode(IDS.get(i), config, disks[i], machines[i], publisher, membership,
                new SplittableRandom(7 + i), nowMs * 1_000_000);
    }

    private void write(int leader, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            final byte[] text = (prefix + i + "=" + (i * 10)).getBytes(StandardCharsets.UTF_8);
            command.putBytes(0, text);
            if (nodes[leader].propose(command, 0, text.length) < 0) {
                throw new IllegalStateException(IDS.get(leader) + " refused a write");
            }
            if (i % 100 == 99) {
                step();
            }
        }
        step();
    }

    private int awaitLeader(int excluded) {
        for (int ms = 0; ms < 10_000; ms++) {
            step();
            for (int i = 0; i < nodes.length; i++) {
                if (i != excluded && nodes[i] != null && nodes[i].role() == RaftRole.LEADER) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no leader within 10 s of virtual time");
    }

    private void awaitApplied(long index, int excluded) {
        for (int ms = 0; ms < 10_000; ms++) {
            boolean all = true;
            for (int i = 0; i < nodes.length; i++) {
                if (i != excluded && (nodes[i] == null || nodes[i].lastApplied() < index)) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            step();
        }
        throw new IllegalStateException("nodes did not apply index " + index + " within 10 s of virtual time");
    }

    /** One millisecond of the cluster: tick, deliver everything in flight, apply. */
    private void step() {
        nowMs++;
        for (RaftNode node : nodes) {
            if (node != null) {
                node.tick(nowMs * 1_000_000, nowMs);
            }
        }
        while (!network.isEmpty()) {
            final Frame f = network.poll();
            final RaftNode to = nodes[f.to];
            if (to == null || nodes[f.from] == null) {
                continue; // a crashed node neither sends nor receives
            }
            final int status = decoder.decode(new UnsafeBuffer(f.bytes), 0, f.bytes.length, IDS.get(f.from), to);
            if (status != RaftWireDecoder.OK) {
                throw new IllegalStateException("bad frame: " + RaftWireDecoder.describe(status));
            }
            if (network.isEmpty()) {
                for (RaftNode node : nodes) {
                    if (node != null) {
                        node.flush();
                    }
                }
            }
        }
        for (RaftNode node : nodes) {
            if (node != null) {
                node.applyCommitted(10_000);
            }
        }
    }

    private void checkSameState(int excluded) {
        Map<String, String> reference = null;
        for (int i = 0; i < machines.length; i++) {
            if (i == excluded) {
                continue;
            }
            if (reference == null) {
                reference = machines[i].entries;
            } else if (!reference.equals(machines[i].entries)) {
                throw new IllegalStateException(IDS.get(i) + " holds a different map");
            }
        }
    }

    private String digests(int excluded) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < machines.length; i++) {
            if (i != excluded) {
                sb.append(sb.length() == 0 ? "" : ", ").append(IDS.get(i)).append('=')
                        .append(Integer.toHexString(machines[i].entries.hashCode()));
            }
        }
        return sb.toString();
    }

    private static void say(String line) {
        System.out.println(line);
    }

    /** Applies "key=value" commands to a sorted map; snapshots are the map's entries. */
    private static final class KeyValueMachine implements StateMachine {
        final TreeMap<String, String> entries = new TreeMap<>();
        long restoredIndex;

        String get(String key) {
            return entries.get(key);
        }

        int size() {
            return entries.size();
        }

        @Override
        public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
            final String text = payload.getStringWithoutLengthUtf8(offset, length);
            final int eq = text.indexOf('=');
            entries.put(text.substring(0, eq), text.substring(eq + 1));
        }

        @Override
        public byte[] snapshot() {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(entries.size());
                for (Map.Entry<String, String> e : entries.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        public void restore(byte[] snapshot, long index) {
            restoredIndex = index;
            entries.clear();
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
                final int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    entries.put(in.readUTF(), in.readUTF());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
