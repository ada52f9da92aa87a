// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.transport.InboundFrames;
import io.hamok.transport.Transport;
import io.hamok.transport.TransportCounters;
import org.agrona.DirectBuffer;

import java.util.Map;
import java.util.Objects;

/**
 * A {@link Transport} on a {@link HamokSimNetwork}: {@link #send} copies the frame onto the
 * network's virtual-time queue, and the network hands due frames to the {@link InboundFrames} given
 * to {@link #start}. Everything runs on the simulation's one thread. A crash is {@link #close()}:
 * the transport leaves the network and frames on their way to it are lost; the restarted instance
 * gets a new transport for the same peer id.
 *
 * <p>For joins (issue 11) it has an address ({@link #localAddress()}) and seeds: the peers a joiner
 * sends its join request to ({@link #seedPeerIds()}) until the addresses it is told name it. Which
 * peers it knows (the configured ones, then those last told) decides, on a network that
 * {@link HamokSimNetwork#modelLinks models links}, which frames get through, as on TCP.
 */
final class HamokSimTransport implements Transport {
    private final String localPeerId;
    private final HamokSimNetwork network;
    private final String address;
    private final java.util.Set<String> configured;
    private final java.util.function.Supplier<java.util.Set<String>> seeds;
    private final java.util.function.Supplier<java.util.Set<String>> seedsWhenLost;
    /** Asked to dial its seeds again although a member ({@link #redialSeeds}). */
    private boolean redialing;
    /** The addresses told named this peer once: it was a member. */
    private boolean named;
    private final TransportCounters counters = new TransportCounters();
    private InboundFrames inbound;
    private boolean closed;
    private Map<String, String> peers = Map.of();
    private int peerUpdates;
    private int redials;

    HamokSimTransport(String localPeerId, HamokSimNetwork network, String address, java.util.Set<String> configured,
                      java.util.function.Supplier<java.util.Set<String>> seeds,
                      java.util.function.Supplier<java.util.Set<String>> seedsWhenLost) {
        this.localPeerId = Objects.requireNonNull(localPeerId, "localPeerId");
        this.network = network;
        this.address = address;
        this.configured = java.util.Set.copyOf(configured);
        this.seeds = seeds;
        this.seedsWhenLost = seedsWhenLost;
    }

    @Override
    public String localAddress() {
        return address;
    }

    /**
     * The seeds, until the addresses told name this peer (a member: its links follow the configuration),
     * or, once it was a member, after {@link #redialSeeds}: then those of a member that lost the cluster.
     */
    @Override
    public java.util.Set<String> seedPeerIds() {
        if (peers.containsKey(localPeerId) && !redialing) {
            return java.util.Set.of();
        }
        return named ? seedsWhenLost.get() : seeds.get();
    }

    @Override
    public void redialSeeds() {
        redialing = true;
        redials++;
    }

    /** How many times the loop asked to dial the seeds again. */
    int redials() {
        return redials;
    }

    /** Whether this transport would hold a member link to {@code peer}: it was configured, or told last. */
    boolean knows(String peer) {
        return peerUpdates == 0 ? configured.contains(peer) : peers.containsKey(peer);
    }

    @Override
    public String localPeerId() {
        return localPeerId;
    }

    @Override
    public void start(InboundFrames frames) {
        this.inbound = Objects.requireNonNull(frames, "inbound");
        network.attach(this);
    }

    @Override
    public boolean send(String peerId, DirectBuffer buffer, int offset, int length) {
        if (closed) {
            counters.countOutboundDrop();
            return false;
        }
        counters.countFrameSent(length);
        return network.send(localPeerId, peerId, buffer, offset, length);
    }

    /** Called by the network with a due frame. */
    boolean receive(String from, DirectBuffer buffer, int length) {
        if (closed || inbound == null || !inbound.offer(from, buffer, 0, length)) {
            counters.countInboundDrop();
            return false;
        }
        counters.countFrameReceived(length);
        return true;
    }

    /** Records the addresses (the network routes by peer id and ignores them). */
    @Override
    public void updatePeers(Map<String, String> addressesById) {
        peers = Map.copyOf(addressesById);
        peerUpdates++;
        redialing &= !peers.containsKey(localPeerId);
        named |= peers.containsKey(localPeerId);
    }

    /** The addresses the loop told last (empty before it told any). */
    Map<String, String> peers() {
        return peers;
    }

    /** How many times the loop told addresses. */
    int peerUpdates() {
        return peerUpdates;
    }

    @Override
    public void flush() {
        // frames were queued on the network at send
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            network.detach(this);
        }
    }
}
