// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic message network on virtual time. Every message gets a delivery time (now +
 * base delay + random jitter, sometimes an extra reordering delay) and a sequence number; delivery
 * follows (delivery time, sequence), and every random choice comes from one seeded
 * {@link SplittableRandom}, so a run with the same seed is the same run.
 *
 * <p>Faults: loss ({@link #drop}), delay and jitter ({@link #delay}), duplication
 * ({@link #duplicate}), reordering ({@link #reorder}, and any jitter), topology ({@link #cut},
 * {@link #isolate}, {@link #partition}, {@link #heal}) and a test {@link Filter}. Topology is
 * checked when a message is sent and again when it arrives, so a partition also stops messages in
 * flight. Messages to or from a node that is {@link #nodeDown down} are lost, or, when
 * {@link #nodeDown(String, double)} says so, some of the messages it sent before crashing arrive
 * anyway, and messages to it arrive at its next incarnation if they land after its restart.
 *
 * <p>Single-threaded, like the rest of the simulation.
 */
public final class SimNetwork {
    /** One message in flight. */
    public record Envelope(long deliverAtNs, long sequence, String from, String to, SimMessage message) {
    }

    /** A test hook that sees every message when it arrives; returning false loses it. */
    @FunctionalInterface
    public interface Filter {
        boolean allow(Envelope envelope);
    }

    private static final long MS = 1_000_000;

    private final SimClock clock;
    private final SplittableRandom random;
    private final PriorityQueue<Envelope> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(Envelope::deliverAtNs).thenComparingLong(Envelope::sequence));
    private final Set<String> cuts = new HashSet<>();
    private final Set<String> isolated = new HashSet<>();
    private final Map<String, Integer> groupOf = new HashMap<>();
    private final Set<String> down = new HashSet<>();
    private final Map<String, Long> slowNs = new HashMap<>();
    private Filter filter = e -> true;
    private long sequence;
    private double dropProbability;
    private double duplicateProbability;
    private double reorderProbability;
    private long baseDelayNs = MS;
    private long jitterNs = 2 * MS;
    private long reorderMaxNs = 50 * MS;
    private long sent;
    private long delivered;
    private long lost;

    public SimNetwork(SimClock clock, SplittableRandom random) {
        this.clock = clock;
        this.random = random;
    }

    // ------------------------------------------------------------------ message quality

    /** Loses each message with {@code probability}. */
    public SimNetwork drop(double probability) {
        dropProbability = probability;
        return this;
    }

    /** Delivers each message after {@code baseMs} plus a uniform jitter in [0, jitterMs]. */
    public SimNetwork delay(long baseMs, long jitterMs) {
        baseDelayNs = baseMs * MS;
        jitterNs = jitterMs * MS;
        return this;
    }

    /** Delivers each message a second time (with its own delay) with {@code probability}. */
    public SimNetwork duplicate(double probability) {
        duplicateProbability = probability;
        return this;
    }

    /** Holds back each message, with {@code probability}, by an extra random delay up to {@code maxExtraMs}. */
    public SimNetwork reorder(double probability, long maxExtraMs) {
        reorderProbability = probability;
        reorderMaxNs = maxExtraMs * MS;
        return this;
    }

    /**
     * Makes every message to or from {@code node} slower by a random extra delay up to
     * {@code maxExtraMs}, until {@link #calm()}: its votes and acknowledgements arrive late, after
     * timeouts, and out of order.
     */
    public SimNetwork slow(String node, long maxExtraMs) {
        slowNs.put(node, maxExtraMs * MS);
        return this;
    }

    /** Back to a reliable network: no loss, no duplicates, no reordering, no slow nodes, 1-3 ms delay. */
    public SimNetwork calm() {
        slowNs.clear();
        return drop(0).duplicate(0).reorder(0, 0).delay(1, 2);
    }

    // ------------------------------------------------------------------ topology

    /** No message passes between {@code a} and {@code b}, in either direction, until {@link #heal()}. */
    public void cut(String a, String b) {
        cuts.add(linkKey(a, b));
    }

    /** {@code node} can reach nobody, and nobody can reach it, until {@link #heal()}. */
    public void isolate(String node) {
        isolated.add(node);
    }

    /**
     * Splits the nodes into groups: messages pass only inside a group. A node that is in no group
     * (for example one added later) is cut off from everybody until {@link #heal()}.
     */
    @SafeVarargs
    public final void partition(Set<String>... groups) {
        groupOf.clear();
        for (int g = 0; g < groups.length; g++) {
            for (String node : groups[g]) {
                groupOf.put(node, g);
            }
        }
    }

    /** Ends the isolation of {@code node} (other cuts and partitions stay). */
    public void rejoin(String node) {
        isolated.remove(node);
    }

    /** Removes every cut, isolation and partition (message quality stays as it is). */
    public void heal() {
        cuts.clear();
        isolated.clear();
        groupOf.clear();
    }

    /** Installs the test filter ({@code null} lets everything through). */
    public void filter(Filter filter) {
        this.filter = filter == null ? e -> true : filter;
    }

    /** Whether a message could pass from {@code from} to {@code to} now. */
    public boolean connected(String from, String to) {
        return !down.contains(from) && arrives(from, to);
    }

    /**
     * Whether a message in flight from {@code from} arrives at {@code to} now: like
     * {@link #connected}, except that a sender that is down now does not stop what it sent before.
     */
    private boolean arrives(String from, String to) {
        if (down.contains(to) || isolated.contains(from) || isolated.contains(to)) {
            return false;
        }
        if (!groupOf.isEmpty()) {
            final Integer a = groupOf.get(from);
            final Integer b = groupOf.get(to);
            if (a == null || !a.equals(b)) {
                return false;
            }
        }
        return cuts.isEmpty() || !cuts.contains(linkKey(from, to));
    }

    // ------------------------------------------------------------------ crashes

    /** The node crashed: messages to and from it, queued or later sent, are lost. */
    public void nodeDown(String node) {
        nodeDown(node, 0);
    }

    /**
     * The node crashed. With {@code keepSentProbability} 0 every message to and from it is lost, as
     * with {@link #nodeDown(String)}. Above 0, a message it sent before crashing stays on the wire
     * with that probability (chosen per message) and arrives, possibly after the node restarted
     * (a message of its previous incarnation); a message to it stays in flight too, and is lost on
     * arrival only if the node is still down then (otherwise its new incarnation receives it).
     */
    public void nodeDown(String node, double keepSentProbability) {
        down.add(node);
        final int before = inFlight.size();
        if (keepSentProbability <= 0) {
            inFlight.removeIf(e -> e.from().equals(node) || e.to().equals(node));
        } else if (keepSentProbability < 1) {
            // decide in sequence order, so that a seed names one run
            final List<Envelope> sentByIt = new ArrayList<>();
            for (Envelope e : inFlight) {
                if (e.from().equals(node)) {
                    sentByIt.add(e);
                }
            }
            sentByIt.sort(Comparator.comparingLong(Envelope::sequence));
            for (Envelope e : sentByIt) {
                if (random.nextDouble() >= keepSentProbability) {
                    inFlight.remove(e);
                }
            }
        }
        lost += before - inFlight.size();
    }

    /** The node runs again (a new incarnation). */
    public void nodeUp(String node) {
        down.remove(node);
    }

    // ------------------------------------------------------------------ sending and delivery

    /** Puts a message on the network (or loses it), at the clock's current time. */
    public void send(String from, String to, SimMessage message) {
        sent++;
        if (!connected(from, to) || (dropProbability > 0 && random.nextDouble() < dropProbability)) {
            lost++;
            return;
        }
        enqueue(from, to, message);
        if (duplicateProbability > 0 && random.nextDouble() < duplicateProbability) {
            enqueue(from, to, message);
        }
    }

    private void enqueue(String from, String to, SimMessage message) {
        long delayNs = baseDelayNs + (jitterNs > 0 ? random.nextLong(jitterNs + 1) : 0);
        if (reorderProbability > 0 && random.nextDouble() < reorderProbability) {
            delayNs += random.nextLong(reorderMaxNs + 1);
        }
        if (!slowNs.isEmpty()) {
            delayNs += extraNs(from) + extraNs(to);
        }
        inFlight.add(new Envelope(clock.nowNs() + delayNs, sequence++, from, to, message));
    }

    private long extraNs(String node) {
        final Long maxNs = slowNs.get(node);
        return maxNs == null ? 0 : random.nextLong(maxNs + 1);
    }

    /** Delivery time of the next message in flight, or {@link Long#MAX_VALUE} when none is. */
    public long nextDeliveryNs() {
        final Envelope next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.deliverAtNs();
    }

    /**
     * Takes the next message off the network.
     *
     * @return the message, or {@code null} when it is lost on arrival (topology or filter)
     */
    public Envelope poll() {
        final Envelope e = inFlight.poll();
        if (e == null) {
            return null;
        }
        if (!arrives(e.from(), e.to()) || !filter.allow(e)) {
            lost++;
            return null;
        }
        delivered++;
        return e;
    }

    /** Messages in flight now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Counters for reports: messages sent, delivered and lost so far. */
    public String stats() {
        return "sent=" + sent + " delivered=" + delivered + " lost=" + lost + " inFlight=" + inFlight.size();
    }

    private static String linkKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + '\u0000' + b : b + '\u0000' + a;
    }
}
