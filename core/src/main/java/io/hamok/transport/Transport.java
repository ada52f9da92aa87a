// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import org.agrona.DirectBuffer;

/**
 * Moves encoded frames between the peers of a cluster. Core defines it and has no networking
 * type in it; {@link LocalTransport} connects instances inside one JVM, the {@code transport-netty}
 * module over TCP.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>{@link #start} and {@link #close} are called once each, by the owner, from any thread;
 *       {@code close} releases threads and sockets and may block until they are released.</li>
 *   <li>{@link #send} and {@link #flush} are called by the loop thread only, and never block: a
 *       transport copies the frame into its own per-peer budget, and drops and counts it when that
 *       budget is full or the peer is unknown. Raft retransmits, so a dropped frame costs time, not
 *       safety.</li>
 *   <li>Received frames go to the {@link InboundFrames} given to {@code start}, from the
 *       transport's own threads.</li>
 * </ul>
 * Frames to one peer arrive in the order they were sent or not at all (per-connection FIFO).
 */
public interface Transport extends AutoCloseable {
    /** The id of the peer this transport speaks for. */
    String localPeerId();

    /** Starts listening and connecting; received frames go to {@code inbound}. */
    void start(InboundFrames inbound);

    /**
     * Queues a frame for a peer. The bytes are copied before the method returns.
     *
     * @return {@code false} when the frame was dropped (budget full, peer unknown, transport closed)
     */
    boolean send(String peerId, DirectBuffer buffer, int offset, int length);

    /** Hands the frames queued since the last flush to the I/O side. Called once per duty cycle. */
    void flush();

    /**
     * The transport's I/O thread, lent to the loop to run on (see {@link LoopHost}), or {@code null}
     * when the transport has none to lend (the loop then runs on its own thread). Asked once, after
     * {@link #start}.
     */
    default LoopHost loopHost() {
        return null;
    }

    /**
     * The cluster's members and their addresses, as the loop last learnt them from the configuration
     * in its log (voters and learners, the local peer included; addresses in the form the
     * transport's config uses, {@code host:port} for TCP). Called by the loop thread whenever they
     * change, before frames go to a new member. A transport connects to members it did not know and
     * forgets members that are gone (its own configured peers it may keep); ids without an address
     * in the map are left as they are. Must not block. The default ignores it: a transport whose
     * peers are fixed (an in-JVM network) needs nothing.
     */
    default void updatePeers(java.util.Map<String, String> addressesById) {
    }

    /**
     * The address other members reach this instance at, in the form of {@link #updatePeers}
     * ({@code host:port} for TCP), sent in its join request; {@code null} when the transport has none
     * or cannot tell (by default). Any thread, after {@link #start}.
     */
    default String localAddress() {
        return null;
    }

    /**
     * The peers this instance reached through its seed addresses while it is not a member (or, after
     * {@link #redialSeeds}, while it looks for the cluster): where to send its join request. Empty for
     * a member, and by default. Any thread; may allocate (asked only while joining).
     */
    default java.util.Set<String> seedPeerIds() {
        return java.util.Set.of();
    }

    /**
     * The loop, a member, has known no leader for a while (issue 11): it may have been down while
     * every member it knows was replaced, so that the leader is a peer it has no address of. A
     * transport with seed addresses dials them again as a joiner, so that {@link #seedPeerIds} names
     * peers to ask where the cluster is, until an {@link #updatePeers} names this peer again. Loop
     * thread; must not block. The default does nothing.
     */
    default void redialSeeds() {
    }

    /** Counters of this transport (frames, bytes, drops, errors), safe to read from any thread. */
    TransportCounters counters();

    /** Stops listening, closes connections and releases threads. Idempotent. */
    @Override
    void close();
}
