// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.metrics;

import io.hamok.HamokMonitor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two timers of an instance, as its {@link HamokMonitor.LatencyRecorder}: one pair per registry
 * the binder is bound to, built once. Recording is {@code Timer.record(long, TimeUnit)} on each, which
 * allocates nothing once a timer's histogram has taken its first values (checked for the simple and
 * the Prometheus registry, client-side percentiles included), so the loop thread records directly.
 * Request start times come from the first registry's clock.
 */
final class LatencyTimers implements HamokMonitor.LatencyRecorder {
    static final String REQUEST = "hamok.request.latency";
    static final String COMMIT = "hamok.raft.commit.latency";
    private static final double[] PERCENTILES = {0.5, 0.9, 0.99, 0.999};
    private static final Timer[] NONE = new Timer[0];

    private volatile Timer[] request = NONE;
    private volatile Timer[] commit = NONE;
    private volatile Clock clock = Clock.SYSTEM;

    /** Builds the pair in {@code registry}; they are added to {@code meters}. */
    synchronized void bind(MeterRegistry registry, Tags tags, List<Meter> meters) {
        final Timer requestTimer = Timer.builder(REQUEST).tags(tags).publishPercentiles(PERCENTILES)
                .description("storage writes from the call to the completion of the future, applied on this peer")
                .register(registry);
        final Timer commitTimer = Timer.builder(COMMIT).tags(tags).publishPercentiles(PERCENTILES)
                .description("the leader's log entries from append to apply on the leader")
                .register(registry);
        if (request.length == 0) {
            clock = registry.config().clock();
        }
        request = append(request, requestTimer);
        commit = append(commit, commitTimer);
        meters.add(requestTimer);
        meters.add(commitTimer);
    }

    synchronized void clear() {
        request = NONE;
        commit = NONE;
    }

    @Override
    public long requestStarted() {
        return clock.monotonicTime();
    }

    @Override
    public void requestCompleted(long startedAt) {
        final long ns = clock.monotonicTime() - startedAt;
        for (Timer t : request) {
            t.record(ns, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void commitApplied(long latencyNs) {
        for (Timer t : commit) {
            t.record(latencyNs, TimeUnit.NANOSECONDS);
        }
    }

    private static Timer[] append(Timer[] timers, Timer timer) {
        final Timer[] more = Arrays.copyOf(timers, timers.length + 1);
        more[timers.length] = timer;
        return more;
    }
}
