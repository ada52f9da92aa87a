// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import java.lang.management.ManagementFactory;
import java.util.TreeMap;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the seeds of a random Hamok simulation and adds up what they did, for the summary line the
 * test prints ({@link #run}); and the replay check every random simulation has ({@link #assertReplays}).
 */
final class HamokSimTotals {
    long seeds;
    long ops;
    long acknowledged;
    long crashes;
    long snapshots;
    long duplicates;
    long timedOutButApplied;
    long unverifiable;
    long virtualMs;
    long realMs;
    long cpuMs;
    /** Joins, leaves, rejoins, clean-ups and failed changes of membership runs. */
    final long[] membership = new long[5];
    final TreeMap<String, Integer> failures = new TreeMap<>();

    /** Runs seeds 1 to {@code seeds} (each throws on a violation) and adds them up. */
    static HamokSimTotals run(int seeds, LongFunction<HamokSimWorkload.Result> runSeed) {
        final HamokSimTotals t = new HamokSimTotals();
        final long startNs = System.nanoTime();
        final long startCpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (long seed = 1; seed <= seeds; seed++) {
            t.add(runSeed.apply(seed));
        }
        t.realMs = (System.nanoTime() - startNs) / 1_000_000;
        t.cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCpuNs) / 1_000_000;
        return t;
    }

    private void add(HamokSimWorkload.Result r) {
        seeds++;
        ops += r.ops();
        acknowledged += r.acknowledged();
        crashes += r.crashes();
        snapshots += r.snapshots();
        duplicates += r.report().retriedDuplicates();
        timedOutButApplied += r.report().timedOutButApplied();
        unverifiable += r.report().unverifiableOps();
        virtualMs += r.virtualMs();
        r.report().failures().forEach((k, v) -> failures.merge(k, v, Integer::sum));
        if (r.membership() != null) {
            membership[0] += r.membership().joins();
            membership[1] += r.membership().leaves();
            membership[2] += r.membership().rejoins();
            membership[3] += r.membership().cleanups();
            membership[4] += r.membership().failed();
        }
    }

    /** The same seed run twice names exactly one history. */
    static void assertReplays(HamokSimWorkload.Result first, HamokSimWorkload.Result second) {
        assertEquals(first.fingerprint(), second.fingerprint(), "a seed names exactly one history");
        assertEquals(first.steps(), second.steps());
        assertEquals(first.commitIndex(), second.commitIndex());
        assertEquals(first.acknowledged(), second.acknowledged());
        assertEquals(first.membership(), second.membership());
    }
}
