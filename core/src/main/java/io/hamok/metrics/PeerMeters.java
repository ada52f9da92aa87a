// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.metrics;

import io.hamok.HamokMonitor;
import io.hamok.transport.PeerCounters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The meters of one instance that name a remote peer ({@code peer} tag), in one registry. The
 * replication lag gauge exists for each remote member of the configuration in force and goes with
 * the member; the transport's counters exist for each peer the transport counts for
 * ({@code TransportCounters.peers()}: the TCP transport keeps one per link, the in-JVM one none) and
 * stay, as the counters do. {@link #refresh} brings both up to date; never called on the loop thread.
 */
final class PeerMeters {
    static final String PEER = "peer";

    private final MeterRegistry registry;
    private final Tags tags;
    private final HamokMonitor monitor;
    private final Map<String, Meter> lag = new HashMap<>();
    private final Map<String, List<Meter>> transport = new HashMap<>();

    PeerMeters(MeterRegistry registry, Tags tags, HamokMonitor monitor) {
        this.registry = registry;
        this.tags = tags;
        this.monitor = monitor;
    }

    synchronized void refresh() {
        final Set<String> members = monitor.remotePeerIds();
        for (String peer : members) {
            lag.computeIfAbsent(peer, this::lagGauge);
        }
        for (Iterator<Map.Entry<String, Meter>> it = lag.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<String, Meter> e = it.next();
            if (!members.contains(e.getKey())) {
                registry.remove(e.getValue());
                it.remove();
            }
        }
        for (Map.Entry<String, PeerCounters> e : monitor.transportCounters().peers().entrySet()) {
            if (!e.getKey().equals(monitor.localPeerId())) {
                transport.computeIfAbsent(e.getKey(), peer -> transportMeters(peer, e.getValue()));
            }
        }
    }

    synchronized void close() {
        lag.values().forEach(registry::remove);
        transport.values().forEach(meters -> meters.forEach(registry::remove));
        lag.clear();
        transport.clear();
    }

    private Meter lagGauge(String peer) {
        return Gauge.builder("hamok.raft.replication.lag", monitor, m -> HamokMetrics.knownOrNaN(m.replicationLag(peer)))
                .tags(tags).tag(PEER, peer)
                .description("on the leader: log entries the peer is behind the leader's last entry (NaN elsewhere)")
                .register(registry);
    }

    private List<Meter> transportMeters(String peer, PeerCounters c) {
        final Tags t = tags.and(PEER, peer);
        return List.of(
                HamokMetrics.counter(registry, "hamok.transport.frames.sent", t, c, PeerCounters::framesSent,
                        null, "frames sent to the peer (keepalives excluded)"),
                HamokMetrics.counter(registry, "hamok.transport.frames.received", t, c, PeerCounters::framesReceived,
                        null, "frames received from the peer (keepalives excluded)"),
                HamokMetrics.counter(registry, "hamok.transport.data.sent", t, c, PeerCounters::bytesSent,
                        BaseUnits.BYTES, "bytes of frames sent to the peer"),
                HamokMetrics.counter(registry, "hamok.transport.data.received", t, c, PeerCounters::bytesReceived,
                        BaseUnits.BYTES, "bytes of frames received from the peer"),
                HamokMetrics.counter(registry, "hamok.transport.keepalives.sent", t, c, PeerCounters::keepalivesSent,
                        null, "keepalive frames sent on an idle link"),
                HamokMetrics.counter(registry, "hamok.transport.keepalives.received", t, c,
                        PeerCounters::keepalivesReceived, null, "keepalive frames received"),
                HamokMetrics.counter(registry, "hamok.transport.silent.closes", t, c, PeerCounters::silentLinksClosed,
                        null, "links closed because nothing came from the peer for linkSilenceTimeoutMs"),
                HamokMetrics.counter(registry, "hamok.transport.connections.attached", t, c,
                        PeerCounters::connectionsAttached, null, "connections that completed their handshake"));
    }
}
