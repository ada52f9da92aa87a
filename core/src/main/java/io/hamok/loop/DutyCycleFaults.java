// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a failure in one step of a duty cycle from skipping the others, and keeps the log small when
 * a step fails on every cycle: each step's failures are counted, the first one is logged with its
 * stack trace, and later ones at most once per {@link #LOG_INTERVAL_NS} with the number left out.
 *
 * <p>Loop thread only. No allocation unless a step fails.
 */
final class DutyCycleFaults {
    /** The steps of {@link RaftLoop#doWork()}, in their order. */
    enum Step { INBOUND, COMMANDS, TICK, APPLY, REFUSALS, HOUSEKEEPING, PUBLISH, EXTENSION, FLUSH }

    static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final Step[] STEPS = Step.values();

    private final String name;
    private final Logger log;
    private final long[] failures = new long[STEPS.length];
    private final long[] nextLogNs = new long[STEPS.length];
    private final long[] notLogged = new long[STEPS.length];
    private final boolean[] everLogged = new boolean[STEPS.length];

    DutyCycleFaults(String name, Logger log) {
        this.name = name;
        this.log = log;
    }

    /** Counts a failure of {@code step} and logs it unless one was logged less than an interval ago. */
    void failed(Step step, Throwable t, long nowNs) {
        final int i = step.ordinal();
        failures[i]++;
        if (everLogged[i] && nowNs - nextLogNs[i] < 0) {
            notLogged[i]++;
            return;
        }
        everLogged[i] = true;
        nextLogNs[i] = nowNs + LOG_INTERVAL_NS;
        if (notLogged[i] == 0) {
            log.error("{}: duty cycle step {} failed; the other steps went on", name, step, t);
        } else {
            log.error("{}: duty cycle step {} failed again ({} more failures not logged since the last line): {}",
                    name, step, notLogged[i], t.toString());
        }
        notLogged[i] = 0;
    }

    /** Failures of {@code step} since the loop was built. */
    long failures(Step step) {
        return failures[step.ordinal()];
    }
}
