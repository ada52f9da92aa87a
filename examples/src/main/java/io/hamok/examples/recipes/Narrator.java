// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import java.io.PrintStream;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a recipe demo prints (numbered steps, explanations, checks) and how its {@code main} ends. */
final class Narrator {
    /** A demo's body, on a running cluster. */
    interface Demo {
        void run(RecipeCluster cluster, Narrator narrator) throws Exception;
    }

    private final PrintStream out;
    private long startNs; // when the first step began
    private int step;

    Narrator(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs {@code demo} as a program on the cluster of the recipe config files: prints what it does and
     * exits 0 when every check held, 1 with the reason otherwise.
     */
    static void main(String title, Demo demo) {
        final Narrator narrator = new Narrator(System.out);
        narrator.out.println(title + ": three Hamok instances in this process, over loopback TCP with mutual TLS,"
                + " each configured by its own file (examples/config/recipe-node1..3.properties).");
        int status = 0;
        try (RecipeCluster cluster = RecipeCluster.start(RecipeCluster.configFiles())) {
            demo.run(cluster, narrator);
            narrator.out.println("\nDemo finished: every check held.");
        } catch (Exception | AssertionError e) {
            narrator.out.println("\nDemo FAILED: " + reason(e));
            status = 1;
        }
        System.exit(status);
    }

    void step(String text) {
        if (step == 0) {
            startNs = System.nanoTime();
        }
        out.println("\n" + (++step) + ". " + text);
    }

    void say(String text) {
        out.println("   " + text);
    }

    /** Says {@code text} with the milliseconds since the first step, for things that happen on their own. */
    void event(String text) {
        out.printf("   [%6d ms] %s%n", (System.nanoTime() - startNs) / 1_000_000, text);
    }

    static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
