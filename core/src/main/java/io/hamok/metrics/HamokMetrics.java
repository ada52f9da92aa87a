// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.metrics;

import io.hamok.Hamok;
import io.hamok.HamokMonitor;
import io.hamok.loop.LoopCounters;
import io.hamok.raft.RaftRole;
import io.hamok.transport.ConnectionRefusal;
import io.hamok.transport.TransportCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer meters of one {@link Hamok} instance: {@code new HamokMetrics(hamok).bindTo(registry)}.
 * Needs {@code io.micrometer:micrometer-core} on the class path (an optional dependency of
 * {@code hamok-core}); nothing else in Hamok refers to Micrometer.
 *
 * <p>Every meter is named {@code hamok.*} and tagged {@code node} with the local peer id (and the
 * extra tags given here); the README's "Metrics" section lists them. Gauges and function counters
 * read the instance's counters and published state when the registry is scraped: nothing is counted
 * twice and nothing is done per frame or per write. The two timers (request and commit latency, with
 * percentiles) are recorded through {@link HamokMonitor#latencyRecorder}, allocating nothing per
 * write on the loop thread.
 *
 * <p>Peers: a remote member's replication lag gauge and a transport peer's counters are registered
 * at {@link #bindTo} and again after every configuration change, on {@code executor} (never on the
 * loop thread); a removed member's lag gauge is removed. {@link #refresh()} does the same at once.
 *
 * <p>One binder per instance (it owns the instance's latency hook); bind it to as many registries as
 * needed. {@link #close()} removes its meters and unhooks it.
 */
public final class HamokMetrics implements MeterBinder, AutoCloseable {
    /** The tag with the local peer id, on every meter. */
    public static final String NODE = "node";

    private final Hamok hamok;
    private final HamokMonitor monitor;
    private final Tags tags;
    private final Executor executor;
    private final LatencyTimers timers = new LatencyTimers();
    private final Runnable onConfigurationChange = this::configurationChanged;
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final List<Meter> meters = new ArrayList<>();
    private final List<PeerMeters> peerMeters = new ArrayList<>();
    private boolean closed;

    /** Meters of {@code hamok}, tagged {@code node} only; peers are refreshed on the common pool. */
    public HamokMetrics(Hamok hamok) {
        this(hamok, Tags.empty(), ForkJoinPool.commonPool());
    }

    /**
     * Meters of {@code hamok} with {@code extraTags} on each; after a configuration change the peer
     * meters are refreshed on {@code executor}, which must not be the instance's loop thread.
     */
    public HamokMetrics(Hamok hamok, Iterable<Tag> extraTags, Executor executor) {
        this.hamok = Objects.requireNonNull(hamok, "hamok");
        this.monitor = hamok.monitor();
        this.tags = Tags.of(extraTags).and(NODE, hamok.localPeerId());
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (closed) {
            throw new IllegalStateException("closed: build a new HamokMetrics");
        }
        raftMeters(registry);
        budgetMeters(registry);
        transportMeters(registry);
        timers.bind(registry, tags, meters);
        final PeerMeters peers = new PeerMeters(registry, tags, monitor);
        peers.refresh();
        peerMeters.add(peers);
        if (registries.isEmpty()) {
            monitor.latencyRecorder(timers);
            monitor.addConfigurationListener(onConfigurationChange);
        }
        registries.add(registry);
    }

    /**
     * Registers the peer meters of members and transport peers that appeared since the last refresh
     * and removes the lag gauges of members that left; any thread but the instance's loop thread.
     */
    public synchronized void refresh() {
        peerMeters.forEach(PeerMeters::refresh);
    }

    /** Removes every meter of this binder from its registries and stops timing; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        monitor.removeConfigurationListener(onConfigurationChange);
        monitor.latencyRecorder(null);
        timers.clear();
        for (MeterRegistry registry : registries) {
            meters.forEach(registry::remove);
        }
        peerMeters.forEach(PeerMeters::close);
        meters.clear();
        peerMeters.clear();
        registries.clear();
    }

    /** On the loop thread, after a configuration change: the registering is handed to the executor. */
    private void configurationChanged() {
        executor.execute(this::refresh);
    }

    private void raftMeters(MeterRegistry r) {
        for (RaftRole role : RaftRole.values()) {
            meters.add(Gauge.builder("hamok.raft.role", monitor, m -> m.role() == role ? 1 : 0).tags(tags)
                    .tag("role", role.name().toLowerCase(Locale.ROOT))
                    .description("1 for the role this peer plays now, 0 for the others").register(r));
        }
        gauge(r, "hamok.raft.term", HamokMonitor::term, "the current Raft term");
        gauge(r, "hamok.raft.commit.index", HamokMonitor::commitIndex, "the highest log index known committed");
        gauge(r, "hamok.raft.applied.index", HamokMonitor::appliedIndex, "the highest log index applied here");
        meters.add(Gauge.builder("hamok.raft.members", monitor, HamokMonitor::voters).tags(tags).tag("kind", "voter")
                .description("members of the configuration in force").register(r));
        meters.add(Gauge.builder("hamok.raft.members", monitor, HamokMonitor::learners).tags(tags)
                .tag("kind", "learner").description("members of the configuration in force").register(r));
        meters.add(Gauge.builder("hamok.raft.log.size", hamok, h -> h.stats().logSizeBytes()).tags(tags)
                .baseUnit(BaseUnits.BYTES).description("bytes the Raft log holds in memory").register(r));
        meters.add(Gauge.builder("hamok.requests.pending", hamok, h -> h.stats().pendingRequests()).tags(tags)
                .description("writes and linearizable reads waiting on the cluster").register(r));
        meters.add(counter(r, "hamok.raft.prevotes.started", tags, monitor, HamokMonitor::preVotesStarted, null,
                "pre-vote rounds this peer started"));
        meters.add(counter(r, "hamok.raft.elections.started", tags, monitor, HamokMonitor::electionsStarted, null,
                "elections this peer started as a candidate"));
        meters.add(counter(r, "hamok.raft.elections.won", tags, monitor, HamokMonitor::electionsWon, null,
                "elections this peer won"));
    }

    private void budgetMeters(MeterRegistry r) {
        final LoopCounters loop = monitor.loopCounters();
        final TransportCounters transport = monitor.transportCounters();
        meters.add(counter(r, "hamok.raft.messages.refused", tags, loop, LoopCounters::messagesRefused, null,
                "Raft messages refused (a field out of range, a snapshot over budget, ...)"));
        meters.add(counter(r, "hamok.loop.errors", tags, loop, LoopCounters::errors, null,
                "exceptions that escaped a step of the duty cycle"));
        final String drops = "frames or commands dropped because a budget was full";
        meters.add(counter(r, "hamok.drops", tags.and("budget", "inbound"), loop, LoopCounters::inboundDropped, null,
                drops));
        meters.add(counter(r, "hamok.drops", tags.and("budget", "frame_size"), loop, LoopCounters::framesTooLarge,
                null, drops));
        meters.add(counter(r, "hamok.drops", tags.and("budget", "commands"), loop, LoopCounters::commandsRejected,
                null, drops));
        meters.add(counter(r, "hamok.drops", tags.and("budget", "outbound"), transport,
                TransportCounters::outboundDropped, null, drops));
    }

    private void transportMeters(MeterRegistry r) {
        final TransportCounters transport = monitor.transportCounters();
        for (ConnectionRefusal cause : ConnectionRefusal.values()) {
            meters.add(counter(r, "hamok.transport.connections.refused",
                    tags.and("cause", cause.name().toLowerCase(Locale.ROOT)), transport, c -> c.refusals(cause), null,
                    "connections refused before they carried a frame, by cause"));
        }
        meters.add(counter(r, "hamok.transport.connections.opened", tags, transport,
                TransportCounters::connectionsOpened, null, "connections opened (dialled or accepted)"));
        meters.add(counter(r, "hamok.transport.connections.closed", tags, transport,
                TransportCounters::connectionsClosed, null, "connections closed"));
    }

    private void gauge(MeterRegistry r, String name, ToDoubleFunction<HamokMonitor> value, String description) {
        meters.add(Gauge.builder(name, monitor, value).tags(tags).description(description).register(r));
    }

    static <T> FunctionCounter counter(MeterRegistry r, String name, Tags tags, T source, ToDoubleFunction<T> count,
                                       String baseUnit, String description) {
        return FunctionCounter.builder(name, source, count).tags(tags).baseUnit(baseUnit).description(description)
                .register(r);
    }

    /** A published value where -1 means "not known": NaN, which registries show as absent or NaN. */
    static double knownOrNaN(long value) {
        return value < 0 ? Double.NaN : value;
    }
}
