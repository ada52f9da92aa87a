// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the seed of a failing simulation and how to replay it. A test registers the seed it is
 * about to run with {@link #register(long)}; when the test fails, the extension prints
 * "Simulation failed with seed S; replay with -Dhamok.sim.seed=S" and adds the same line to the
 * failure as a suppressed exception, so it also shows in the test report.
 *
 * <p>Use as {@code @RegisterExtension static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();}.
 * Tests of one class run one at a time, so one field holds the current seed.
 */
public final class SimulationSeedExtension implements BeforeEachCallback, TestExecutionExceptionHandler,
        TestWatcher {
    /** The system property that replays one seed. */
    public static final String SEED_PROPERTY = "hamok.sim.seed";

    private static final long NO_SEED = Long.MIN_VALUE;

    private volatile long seed = NO_SEED;

    /** The seed the current test runs now. */
    public void register(long seed) {
        this.seed = seed;
    }

    /** The seed to replay from {@code -Dhamok.sim.seed}, or {@code null}. */
    public static Long replaySeed() {
        return Long.getLong(SEED_PROPERTY);
    }

    /** No seed is running (a failure now is not a simulation's). */
    public void clear() {
        seed = NO_SEED;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        clear();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (seed != NO_SEED) {
            throwable.addSuppressed(new SeedNote(message()));
        }
        throw throwable;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (seed != NO_SEED) {
            System.out.println(message() + " (" + context.getDisplayName() + ")");
        }
    }

    private String message() {
        return "Simulation failed with seed " + seed + "; replay with -D" + SEED_PROPERTY + "=" + seed;
    }

    /** Carries the replay line into the failure report; has no stack trace of its own. */
    private static final class SeedNote extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SeedNote(String message) {
            super(message, null, false, false);
        }
    }
}
