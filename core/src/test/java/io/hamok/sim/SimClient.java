// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.RaftNode;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A client of the simulated cluster: proposes register commands (set, and compare-and-set against
 * the leader's current value) to a node that believes it leads, picked at random when there are
 * several (a stale leader in a minority partition accepts commands that will be lost), and records
 * every accepted proposal with the term and index the leader gave it. Every command carries a
 * fresh proposal id; a refused command is not retried under its id.
 */
public final class SimClient {
    /** A proposal a leader accepted: it put command {@code proposalId} at {@code index} in {@code term}. */
    public record Accepted(long proposalId, String leader, long term, long index) {
    }

    private final SimCluster cluster;
    private final SplittableRandom random;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[RegisterStateMachine.COMMAND_BYTES]);
    private final List<Accepted> accepted = new ArrayList<>();
    private long nextProposalId = 1;
    private long refused;

    public SimClient(SimCluster cluster, SplittableRandom random) {
        this.cluster = cluster;
        this.random = random;
    }

    /**
     * Proposes up to {@code count} commands to one leader, stopping at its first refusal.
     *
     * @return how many it accepted
     */
    public int propose(int count) {
        if (count == 0) {
            return 0;
        }
        final List<SimNode> leaders = cluster.leaders();
        if (leaders.isEmpty()) {
            refused += count;
            return 0;
        }
        return proposeTo(leaders.get(leaders.size() == 1 ? 0 : random.nextInt(leaders.size())), count);
    }

    /**
     * Proposes up to {@code count} commands to {@code target}, stopping at its first refusal.
     *
     * @return how many it accepted
     */
    public int proposeTo(SimNode target, int count) {
        if (count == 0) {
            return 0;
        }
        if (!target.alive()) {
            refused += count;
            return 0;
        }
        final RaftNode raft = target.raft();
        int done = 0;
        for (; done < count; done++) {
            final boolean cas = random.nextInt(4) == 0;
            final long expected = cas && random.nextBoolean() ? target.stateMachine().value() : random.nextLong(8);
            RegisterStateMachine.encode(command, 0, cas ? RegisterStateMachine.CAS : RegisterStateMachine.SET,
                    nextProposalId, random.nextLong(8), expected);
            final long index = raft.propose(command, 0, RegisterStateMachine.COMMAND_BYTES);
            if (index <= 0) {
                refused += count - done;
                break;
            }
            accepted.add(new Accepted(nextProposalId++, target.id(), raft.term(), index));
        }
        raft.flush();
        cluster.settle(target);
        return done;
    }

    /** Every accepted proposal, in acceptance order. */
    public List<Accepted> accepted() {
        return Collections.unmodifiableList(accepted);
    }

    public int acceptedCount() {
        return accepted.size();
    }

    /** Commands no leader took (no leader, not leader, busy). */
    public long refused() {
        return refused;
    }
}
