// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.transport.InboundFrames;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic network of {@link HamokSimTransport}s on virtual time, for whole Hamok instances
 * driven on one thread (DESIGN.md §10, layer 2; the vocabulary of STYLE.md item 5). A sent frame is
 * copied into a priority queue ordered by (delivery time, sequence); {@link #deliverDue} hands the
 * due ones to the receivers' {@link InboundFrames}. Every random choice comes from one seeded
 * {@link SplittableRandom}.
 *
 * <p>Faults: loss ({@link #drop}), delay and jitter ({@link #delay}), duplication
 * ({@link #duplicate}), reordering ({@link #reorder}: without it frames on one link keep their
 * order, as the {@code Transport} contract promises; a duplicate then arrives after the original),
 * topology ({@link #cut}, {@link #isolate}, {@link #partition}, {@link #heal}), and a test
 * {@link Filter}. Topology is checked at send and again at arrival, so a partition also stops
 * frames in flight. Frames to a peer that is not attached (crashed) are lost, and so are those on
 * their way to it when it crashes unless {@link #keepFramesOfCrashedPeers}; frames already sent by a
 * peer that crashes stay in flight, as bytes already on the wire would.
 *
 * <p>Single-threaded.
 */
final class HamokSimNetwork {
    /** One frame in flight. */
    record Frame(long deliverAtNs, long sequence, String from, String to, byte[] bytes) {
        /** The frame's message type (parses the frame: for filters, not for the hot path). */
        MessageType type() {
            try {
                return HamokMessage.parseFrom(bytes).getType();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                return MessageType.MESSAGE_TYPE_UNSPECIFIED;
            }
        }

        /** The frame parsed (for filters). */
        HamokMessage message() {
            try {
                return HamokMessage.parseFrom(bytes);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("not a HamokMessage", e);
            }
        }
    }

    /** A test hook that sees every frame when it arrives; returning false loses it. */
    @FunctionalInterface
    interface Filter {
        boolean allow(Frame frame);
    }

    private static final long MS = 1_000_000;

    private final NanoClock clock;
    private final SplittableRandom random;
    private final PriorityQueue<Frame> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(Frame::deliverAtNs).thenComparingLong(Frame::sequence));
    private final Map<String, HamokSimTransport> attached = new HashMap<>();
    private final Map<String, Long> lastDeliveryOnLink = new HashMap<>();
    private final Map<String, Long> extraDelayNs = new HashMap<>();
    private final Set<String> cuts = new HashSet<>();
    private final Set<String> isolated = new HashSet<>();
    private final Map<String, Integer> groupOf = new HashMap<>();
    private final UnsafeBuffer deliveryBuffer = new UnsafeBuffer(0, 0);
    private Filter filter = f -> true;
    private boolean keepFramesOfCrashedPeers;
    private boolean modelLinks;
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

    HamokSimNetwork(NanoClock clock, SplittableRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** A new transport for {@code peerId}, without an address or seeds; it attaches when the instance starts it. */
    HamokSimTransport transport(String peerId) {
        return transport(peerId, null, Set.of(), Set::of, Set::of);
    }

    /**
     * A new transport reached at {@code address}, knowing the {@code configured} peers, joining through
     * {@code seeds}, and looking for the cluster through {@code seedsWhenLost} once it was a member.
     */
    HamokSimTransport transport(String peerId, String address, Set<String> configured,
                                java.util.function.Supplier<Set<String>> seeds,
                                java.util.function.Supplier<Set<String>> seedsWhenLost) {
        return new HamokSimTransport(peerId, this, address, configured, seeds, seedsWhenLost);
    }

    /**
     * Whether links are modelled as on TCP (issue 11), checked when a frame is sent and when it
     * arrives: a member link joins two peers that know each other (each was configured with the other
     * or was last told its address); a guest link joins a joiner and its seeds, and carries only the
     * join exchange ({@code JOIN_NOTIFICATION}, {@code ENDPOINT_STATES_NOTIFICATION}). Default off:
     * every attached peer reaches every other.
     */
    HamokSimNetwork modelLinks(boolean model) {
        modelLinks = model;
        return this;
    }

    /**
     * Whether a frame from {@code from} to {@code to} finds a link (see {@link #modelLinks}): when it is
     * sent, both sides must hold it; when it arrives, the receiver (a sender that dropped the link since
     * flushed what it had queued first, as a TCP transport does).
     */
    private boolean linked(String from, String to, byte[] frame, int offset, int length, boolean arriving) {
        if (!modelLinks) {
            return true;
        }
        final HamokSimTransport a = arriving ? null : attached.get(from);
        final HamokSimTransport b = attached.get(to);
        if (b == null) {
            return false;
        }
        if ((a == null || a.knows(to)) && b.knows(from)) {
            return true;
        }
        final boolean guestLink = (a != null && a.seedPeerIds().contains(to)) || b.seedPeerIds().contains(from)
                || arriving; // a seed takes a joiner's guest link as it comes
        final int type = length < 2 || frame[offset] != 0x08 ? -1 : frame[offset + 1];
        return guestLink && (type == MessageType.JOIN_NOTIFICATION_VALUE
                || type == MessageType.ENDPOINT_STATES_NOTIFICATION_VALUE);
    }

    // ------------------------------------------------------------------ frame quality

    /** Loses each frame with {@code probability}. */
    HamokSimNetwork drop(double probability) {
        dropProbability = probability;
        return this;
    }

    /** Delivers each frame after {@code baseMs} plus a uniform jitter in [0, jitterMs]. */
    HamokSimNetwork delay(long baseMs, long jitterMs) {
        baseDelayNs = baseMs * MS;
        jitterNs = jitterMs * MS;
        return this;
    }

    /** Delivers each frame a second time (with its own delay) with {@code probability}. */
    HamokSimNetwork duplicate(double probability) {
        duplicateProbability = probability;
        return this;
    }

    /**
     * Lets each frame, with {@code probability}, overtake the frames sent before it on its link, held
     * back by an extra random delay up to {@code maxExtraMs} (frames behind it may overtake it too).
     */
    HamokSimNetwork reorder(double probability, long maxExtraMs) {
        reorderProbability = probability;
        reorderMaxNs = maxExtraMs * MS;
        return this;
    }

    /** Frames from {@code from} to {@code to} (one direction) take {@code extraMs} longer, until {@link #calm()}. */
    HamokSimNetwork slowLink(String from, String to, long extraMs) {
        extraDelayNs.put(from + '\u0000' + to, extraMs * MS);
        return this;
    }

    /** Back to a reliable network: no loss, duplicates, reordering or slow links; 1-3 ms delay. */
    HamokSimNetwork calm() {
        extraDelayNs.clear();
        return drop(0).duplicate(0).reorder(0, 0).delay(1, 2);
    }

    // ------------------------------------------------------------------ topology

    /** No frame passes between {@code a} and {@code b}, in either direction, until {@link #heal()}. */
    void cut(String a, String b) {
        cuts.add(linkKey(a, b));
    }

    /** {@code peer} reaches nobody and nobody reaches it until {@link #heal()}. */
    void isolate(String peer) {
        isolated.add(peer);
    }

    /** Frames pass only inside a group; a peer in no group is cut off from everybody. */
    @SafeVarargs
    final void partition(Set<String>... groups) {
        groupOf.clear();
        for (int g = 0; g < groups.length; g++) {
            for (String peer : groups[g]) {
                groupOf.put(peer, g);
            }
        }
    }

    /** Removes every cut, isolation and partition (frame quality and filter stay). */
    void heal() {
        cuts.clear();
        isolated.clear();
        groupOf.clear();
    }

    /** Installs the test filter ({@code null} lets everything through). */
    void filter(Filter newFilter) {
        this.filter = newFilter == null ? f -> true : newFilter;
    }

    /** Whether a frame could pass from {@code from} to {@code to} now (ignoring loss). */
    boolean connected(String from, String to) {
        if (isolated.contains(from) || isolated.contains(to)) {
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

    /** Whether the topology is whole again (no cut, isolation or partition). */
    boolean healed() {
        return cuts.isEmpty() && isolated.isEmpty() && groupOf.isEmpty();
    }

    // ------------------------------------------------------------------ transports

    void attach(HamokSimTransport transport) {
        if (attached.putIfAbsent(transport.localPeerId(), transport) != null) {
            throw new IllegalStateException("a transport for " + transport.localPeerId() + " is already attached");
        }
    }

    /**
     * Whether frames on their way to a peer that crashes stay in flight, reaching its next incarnation
     * if it runs by then (a transport that queues per peer id and reconnects); default false.
     */
    HamokSimNetwork keepFramesOfCrashedPeers(boolean keep) {
        keepFramesOfCrashedPeers = keep;
        return this;
    }

    /** The peer crashed: its transport leaves, and frames on their way to it are lost (see above). */
    void detach(HamokSimTransport transport) {
        if (attached.remove(transport.localPeerId(), transport) && !keepFramesOfCrashedPeers) {
            final String peer = transport.localPeerId();
            final int before = inFlight.size();
            inFlight.removeIf(f -> f.to().equals(peer));
            lost += before - inFlight.size();
        }
    }

    // ------------------------------------------------------------------ sending and delivery

    /** Copies a frame onto the network (or loses it) at the clock's current time. */
    boolean send(String from, String to, DirectBuffer buffer, int offset, int length) {
        sent++;
        if (!attached.containsKey(to)) {
            lost++;
            return false; // nobody listens there: like a connection that is down
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        if (!linked(from, to, bytes, 0, length, false)) {
            lost++;
            return false; // no link to that peer: the transport drops and counts it
        }
        if (!connected(from, to)
                || (dropProbability > 0 && random.nextDouble() < dropProbability)) {
            lost++;
            return true; // the sender cannot tell a lost frame from a delivered one
        }
        enqueue(from, to, bytes);
        if (duplicateProbability > 0 && random.nextDouble() < duplicateProbability) {
            enqueue(from, to, bytes);
        }
        return true;
    }

    private void enqueue(String from, String to, byte[] bytes) {
        final long nowNs = clock.nanoTime();
        long deliverAtNs = nowNs + baseDelayNs + (jitterNs > 0 ? random.nextLong(jitterNs + 1) : 0);
        final String link = from + '\u0000' + to;
        deliverAtNs += extraDelayNs.getOrDefault(link, 0L);
        if (reorderProbability > 0 && random.nextDouble() < reorderProbability) {
            deliverAtNs += random.nextLong(reorderMaxNs + 1);
        } else {
            // per-link FIFO: never before the frame sent before it
            deliverAtNs = Math.max(deliverAtNs, lastDeliveryOnLink.getOrDefault(link, 0L));
            lastDeliveryOnLink.put(link, deliverAtNs);
        }
        inFlight.add(new Frame(deliverAtNs, sequence++, from, to, bytes));
    }

    /** Hands every frame due at {@code nowNs} to its receiver; returns how many were delivered. */
    int deliverDue(long nowNs) {
        int count = 0;
        Frame f;
        while ((f = inFlight.peek()) != null && f.deliverAtNs() <= nowNs) {
            inFlight.poll();
            final HamokSimTransport receiver = attached.get(f.to());
            if (receiver == null || !connected(f.from(), f.to()) || !linked(f.from(), f.to(), f.bytes(), 0,
                    f.bytes().length, true) || !filter.allow(f)) {
                lost++;
                continue;
            }
            deliveryBuffer.wrap(f.bytes());
            if (receiver.receive(f.from(), deliveryBuffer, f.bytes().length)) {
                delivered++;
                count++;
            } else {
                lost++;
            }
        }
        return count;
    }

    /** Frames in flight now. */
    int inFlight() {
        return inFlight.size();
    }

    String stats() {
        return "sent=" + sent + " delivered=" + delivered + " lost=" + lost + " inFlight=" + inFlight.size()
                + " drop=" + dropProbability + " dup=" + duplicateProbability + " reorder=" + reorderProbability
                + " delayNs=" + baseDelayNs + "+" + jitterNs + " cuts=" + cuts.size() + " isolated=" + isolated
                + " groups=" + groupOf;
    }

    private static String linkKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + '\u0000' + b : b + '\u0000' + a;
    }
}
