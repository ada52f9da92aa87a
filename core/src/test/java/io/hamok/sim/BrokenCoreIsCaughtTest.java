// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftTestAccess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The test of the test: with a deliberate safety bug switched on in every node, the random
 * simulation must report an {@link InvariantViolation} on at least one seed of the usual budget
 * ({@code -Dhamok.sim.seeds}, default 500). Stops at the first seed that catches the bug.
 */
class BrokenCoreIsCaughtTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    @Test
    @Tag("simulation")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldCatchFollowersThatSkipThePrevLogCheck() {
        assertCaught("skipPrevLogCheck", RaftTestAccess::skipPrevLogCheck);
    }

    @Test
    @Tag("simulation")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldCatchCandidatesThatCountStaleVotes() {
        assertCaught("countStaleVotes", RaftTestAccess::countStaleVotes);
    }

    @Test
    @Tag("simulation")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldCatchLeadersThatCommitOlderTermEntriesByCounting() {
        assertCaught("commitOldTermByCounting", RaftTestAccess::commitOldTermByCounting);
    }

    @Test
    @Tag("simulation")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldCatchMembershipChangesBeforeTheLeaderCommittedItsTerm() {
        assertCaught("changeBeforeTermCommit", RaftTestAccess::changeBeforeTermCommit);
    }

    @Test
    @Tag("simulation")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldCatchNodesThatSendBeforeTheirWritesAreDurable() {
        assertCaught("sendBeforeDurable", RaftTestAccess::sendBeforeDurable);
    }

    private static void assertCaught(String breakage, Consumer<RaftNode> breaker) {
        final int seeds = Integer.getInteger("hamok.sim.seeds", 500);
        int otherFailures = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            SEEDS.register(seed);
            try {
                RandomScenario.run(seed, RaftSimulationTest.nodesFor(seed), breaker);
            } catch (InvariantViolation caught) {
                System.out.println(breakage + " caught by seed " + seed + ": " + caught.getMessage());
                return;
            } catch (AssertionError | RuntimeException other) {
                // a liveness failure or the core's own defensive check: not the invariants' catch
                otherFailures++;
            }
        }
        SEEDS.clear();
        fail(breakage + " broke no invariant in seeds 1.." + seeds + " (" + otherFailures
                + " runs failed otherwise)");
    }
}
