// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs each recipe demo end to end, as {@code mvn -Precipe -Drecipe=...} does, over TCP with mutual TLS
 * from the recipe config files; only the ports are moved to free ones, so that a demo started by hand
 * cannot collide with the test.
 */
@Tag("integration")
@Timeout(180)
class RecipeDemosTest {
    @Test
    void shouldRunTheLockDemo() throws Exception {
        assertTrue(run(LockDemo::run).contains("The printer refuses it"));
    }

    @Test
    void shouldRunTheElectionDemo() throws Exception {
        assertTrue(run(ElectionDemo::run).contains("never two leaders at once"));
    }

    @Test
    void shouldRunTheConfigDemo() throws Exception {
        assertTrue(run(ConfigDemo::run).contains("All three heard it."));
    }

    @Test
    void shouldRunTheWorkQueueDemo() throws Exception {
        assertTrue(run(WorkQueueDemo::run).contains("reached node-3 and nobody else: it is lost."));
    }

    /** The profile runs {@code io.hamok.examples.recipes.<recipe>Demo}: each documented name has a main. */
    @Test
    void shouldHaveAMainForEveryRecipeTheProfileNames() throws Exception {
        for (String recipe : List.of("Lock", "Election", "Config", "WorkQueue")) {
            final Method main = Class.forName("io.hamok.examples.recipes." + recipe + "Demo")
                    .getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()), recipe);
        }
    }

    /** Runs {@code demo} on a fresh cluster and returns what it printed (printed to stdout too, when done). */
    private static String run(Narrator.Demo demo) throws Exception {
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (RecipeCluster cluster = RecipeCluster.start(onFreePorts(RecipeCluster.configFiles()))) {
            demo.run(cluster, new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        } finally {
            System.out.print(printed.toString(StandardCharsets.UTF_8));
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The configs with {@code hamok.peers} moved to free loopback ports below the ephemeral range. */
    private static List<Properties> onFreePorts(List<Properties> configs) {
        final StringBuilder peers = new StringBuilder();
        for (int n = 1; n <= configs.size(); n++) {
            peers.append(n == 1 ? "" : ", ").append("node-").append(n).append("@127.0.0.1:").append(freePort());
        }
        final List<Properties> moved = new ArrayList<>();
        for (Properties config : configs) {
            final Properties copy = new Properties();
            copy.putAll(config);
            copy.setProperty("hamok.peers", peers.toString());
            moved.add(copy);
        }
        return moved;
    }

    private static int freePort() {
        for (int attempt = 0; ; attempt++) {
            final int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                if (attempt > 100) {
                    throw new IllegalStateException("no free port", taken);
                }
            }
        }
    }
}
