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
 */
final class HamokSimTransport implements Transport {
    private final String localPeerId;
    private final HamokSimNetwork network;
    private final TransportCounters counters = new TransportCounters();
    private InboundFrames inbound;
    private boolean closed;
    private Map<String, String> peers = Map.of();
    private int peerUpdates;

    HamokSimTransport(String localPeerId, HamokSimNetwork network) {
        this.localPeerId = Objects.requireNonNull(localPeerId, "localPeerId");
        this.network = network;
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
