// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Transport} that passes everything to another one and records, in order, every
 * {@link #updatePeers} call (the map, copied, and the calling thread) and every peer a frame was
 * sent to, so a test can tell what the loop told it, on which thread, and whether it did so before
 * frames went to a new member. Safe to read from any thread.
 */
public final class RecordingTransport implements Transport {
    /** One call: {@code addresses} non-null for updatePeers, {@code sentTo} non-null for a send. */
    public record Event(Map<String, String> addresses, String sentTo, Thread thread) {
    }

    private final Transport delegate;
    private final List<Event> events = new ArrayList<>();

    public RecordingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    /** The addresses of every updatePeers call so far, in order. */
    public synchronized List<Map<String, String>> updates() {
        return events.stream().filter(e -> e.addresses() != null).map(Event::addresses).toList();
    }

    /** The updatePeers calls so far, in order, with their threads. */
    public synchronized List<Event> updateEvents() {
        return events.stream().filter(e -> e.addresses() != null).toList();
    }

    /** The addresses of the latest updatePeers call, or an empty map when there was none. */
    public synchronized Map<String, String> lastUpdate() {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).addresses() != null) {
                return events.get(i).addresses();
            }
        }
        return Map.of();
    }

    /** Every call so far, in order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized void updatePeers(Map<String, String> addressesById) {
        events.add(new Event(Map.copyOf(addressesById), null, Thread.currentThread()));
        delegate.updatePeers(addressesById);
    }

    @Override
    public String localPeerId() {
        return delegate.localPeerId();
    }

    @Override
    public void start(InboundFrames inbound) {
        delegate.start(inbound);
    }

    @Override
    public boolean send(String peerId, DirectBuffer buffer, int offset, int length) {
        synchronized (this) {
            if (events.isEmpty() || !peerId.equals(events.get(events.size() - 1).sentTo())) {
                events.add(new Event(null, peerId, Thread.currentThread())); // runs of sends to one peer: once
            }
        }
        return delegate.send(peerId, buffer, offset, length);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public LoopHost loopHost() {
        return delegate.loopHost();
    }

    @Override
    public TransportCounters counters() {
        return delegate.counters();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
