// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import org.agrona.DirectBuffer;

import java.util.Objects;

/**
 * A {@link Transport} between instances in one JVM, through a shared {@link LocalNetwork}: a send
 * copies the frame straight into the receiver's inbound buffer. No sockets, no threads; frames to
 * one peer keep their order. For tests and single-process clusters.
 */
public final class LocalTransport implements Transport {
    private final String localPeerId;
    private final LocalNetwork network;
    private final TransportCounters counters = new TransportCounters();
    private volatile InboundFrames inbound;
    private volatile boolean closed;

    LocalTransport(String localPeerId, LocalNetwork network) {
        this.localPeerId = Objects.requireNonNull(localPeerId, "localPeerId");
        this.network = network;
    }

    @Override
    public String localPeerId() {
        return localPeerId;
    }

    @Override
    public void start(InboundFrames inbound) {
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        network.attach(this);
    }

    @Override
    public boolean send(String peerId, DirectBuffer buffer, int offset, int length) {
        final LocalTransport receiver = closed ? null : network.route(localPeerId, peerId);
        if (receiver == null || !receiver.receive(localPeerId, buffer, offset, length)) {
            counters.countOutboundDrop();
            return false;
        }
        counters.countFrameSent(length);
        return true;
    }

    private boolean receive(String from, DirectBuffer buffer, int offset, int length) {
        final InboundFrames frames = inbound;
        if (closed || frames == null || !frames.offer(from, buffer, offset, length)) {
            counters.countInboundDrop();
            return false;
        }
        counters.countFrameReceived(length);
        return true;
    }

    @Override
    public void flush() {
        // frames were delivered at send
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
