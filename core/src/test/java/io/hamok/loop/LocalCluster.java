// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftRole;
import io.hamok.transport.LocalNetwork;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * N {@link RaftLoop}s on one {@link LocalNetwork}, driven on the test thread: every {@link #step()}
 * advances the shared cached clocks by 1 ms and invokes every running loop once, in the order the
 * peers were given. Each loop gets its own seeded {@link SplittableRandom} and a
 * {@link RecordingStateMachine}, so a run is a pure function of the seed and the test's inputs.
 */
final class LocalCluster implements AutoCloseable {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long START_EPOCH_MS = 1_700_000_000_000L;

    /** Member of the cluster. */
    record Member(String id, RaftLoop loop, AgentInvoker invoker, RecordingStateMachine stateMachine) {
    }

    final LocalNetwork network = new LocalNetwork();
    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CachedEpochClock epochClock = new CachedEpochClock();
    /** The rate-limited refusal lines every loop would have logged, as "peer: line". */
    final List<String> refusalLines = new ArrayList<>();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final long seed;
    private long virtualMs;

    LocalCluster(long seed, RaftConfig raftConfig, RaftLoopSettings settings, String... ids) {
        this.seed = seed;
        epochClock.update(START_EPOCH_MS);
        final List<String> voters = Arrays.asList(ids);
        for (int i = 0; i < ids.length; i++) {
            final RecordingStateMachine sm = new RecordingStateMachine();
            final RaftLoop loop = RaftLoop.builder()
                    .peerId(ids[i])
                    .transport(network.transport(ids[i]))
                    .bootstrapVoters(voters)
                    .stateMachine(sm)
                    .raftConfig(raftConfig)
                    .settings(settings)
                    .clocks(nanoClock, epochClock)
                    .random(new SplittableRandom(seed * 31 + i))
                    .refusalLogSink(line -> refusalLines.add(line))
                    .build();
            members.put(ids[i], new Member(ids[i], loop, loop.startInvoker(), sm));
        }
    }

    /** Three peers a, b, c with default Raft config and loop settings. */
    static LocalCluster ofThree(long seed) {
        return new LocalCluster(seed, RaftConfig.builder().build(), RaftLoopSettings.defaults(), "a", "b", "c");
    }

    long seed() {
        return seed;
    }

    long virtualMs() {
        return virtualMs;
    }

    RaftLoop loop(String id) {
        return member(id).loop();
    }

    RecordingStateMachine stateMachine(String id) {
        return member(id).stateMachine();
    }

    List<RaftLoop> loops() {
        return members.values().stream().map(Member::loop).toList();
    }

    List<Member> members() {
        return List.copyOf(members.values());
    }

    private Member member(String id) {
        final Member m = members.get(id);
        if (m == null) {
            throw new IllegalArgumentException("no peer " + id);
        }
        return m;
    }

    /** One millisecond of virtual time: advance the clocks, invoke every running loop once. */
    void step() {
        nanoClock.advance(MS);
        epochClock.advance(1);
        virtualMs++;
        for (Member m : members.values()) {
            if (!m.invoker().isClosed()) {
                m.invoker().invoke();
            }
        }
    }

    /** Steps until {@code condition} holds (checked before every step); false if it did not within the budget. */
    boolean runUntil(BooleanSupplier condition, long maxVirtualMs) {
        for (long i = 0; i < maxVirtualMs; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            step();
        }
        return condition.getAsBoolean();
    }

    void runFor(long virtualMsToRun) {
        for (long i = 0; i < virtualMsToRun; i++) {
            step();
        }
    }

    /**
     * Runs until exactly one running loop leads and every running loop that can hear it names it in
     * the same term; returns it.
     *
     * @throws AssertionError when that did not happen within {@code maxVirtualMs}
     */
    RaftLoop awaitStableLeader(long maxVirtualMs) {
        if (!runUntil(this::hasStableLeader, maxVirtualMs)) {
            throw new AssertionError("no stable leader within " + maxVirtualMs + " ms (seed " + seed + "): "
                    + describe());
        }
        return leaders().get(0);
    }

    private boolean hasStableLeader() {
        final List<RaftLoop> leaders = leaders();
        if (leaders.size() != 1) {
            return false;
        }
        final RaftLoop leader = leaders.get(0);
        for (Member m : members.values()) {
            if (!m.invoker().isClosed()
                    && (!leader.peerId().equals(m.loop().leaderId()) || m.loop().term() != leader.term())) {
                return false;
            }
        }
        return true;
    }

    /** Running loops that currently say they lead. */
    List<RaftLoop> leaders() {
        final List<RaftLoop> leaders = new ArrayList<>();
        for (Member m : members.values()) {
            if (!m.invoker().isClosed() && m.loop().role() == RaftRole.LEADER) {
                leaders.add(m.loop());
            }
        }
        return leaders;
    }

    /** True when every running loop has applied at least {@code index}. */
    boolean allApplied(long index) {
        return members.values().stream()
                .filter(m -> !m.invoker().isClosed())
                .allMatch(m -> m.loop().lastApplied() >= index);
    }

    /** Cuts every link to and from {@code id}; the others still talk to each other. */
    void isolate(String id) {
        network.linkFilter((from, to) -> !from.equals(id) && !to.equals(id));
    }

    void heal() {
        network.heal();
    }

    /** Role, term, leader, commit and applied index of every loop, for failure messages. */
    String describe() {
        final StringBuilder sb = new StringBuilder("t=" + virtualMs + "ms");
        for (Member m : members.values()) {
            final RaftLoop l = m.loop();
            sb.append(" | ").append(m.id()).append(m.invoker().isClosed() ? " closed" : "")
                    .append(' ').append(l.role()).append(" term=").append(l.term())
                    .append(" leader=").append(l.leaderId()).append(" commit=").append(l.commitIndex())
                    .append(" applied=").append(l.lastApplied()).append(" [").append(l.counters()).append(']');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Member m : members.values()) {
            m.loop().close();
        }
    }
}
