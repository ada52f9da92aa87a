// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hamok.examples.recipes.Narrator.check;
import static io.hamok.examples.recipes.RecipeCluster.await;

/**
 * Shared configuration on three nodes: changes made on any node raise the same events, with old and new
 * values, on every node; a node stopped while the configuration changed comes back with the current one.
 * Run it with {@code mvn -q -B -DskipTests -Precipe -Drecipe=Config verify}.
 */
public final class ConfigDemo {
    private ConfigDemo() {
    }

    public static void main(String[] args) {
        Narrator.main("Shared configuration", ConfigDemo::run);
    }

    static void run(RecipeCluster cluster, Narrator n) throws Exception {
        final Map<String, SharedConfig> configs = new LinkedHashMap<>();
        final Map<String, Recorder<String>> heard = new LinkedHashMap<>();
        try {
            run(cluster, configs, heard, n);
        } finally {
            configs.values().forEach(SharedConfig::close);
        }
    }

    private static void run(RecipeCluster cluster, Map<String, SharedConfig> configs,
                            Map<String, Recorder<String>> heard, Narrator n) throws Exception {
        n.step("Every node opens the shared configuration 'app' and listens to its changes.");
        for (String id : cluster.ids()) {
            open(cluster.node(id), id, configs, heard, n);
        }
        final SharedConfig one = configs.get("node-1");
        final SharedConfig two = configs.get("node-2");
        final SharedConfig three = configs.get("node-3");

        n.step("node-1 sets theme=dark, node-2 sets maxUsers=100, node-3 changes theme from dark to light "
                + "(compare-and-set), and node-1, still expecting dark, tries dark to blue.");
        await(one.set("theme", "dark"));
        await(two.set("maxUsers", "100"));
        check(await(three.compareAndSet("theme", "dark", "light")), "node-3's compare-and-set failed");
        check(!await(one.compareAndSet("theme", "dark", "blue")), "node-1's stale compare-and-set won");
        n.say("node-1's stale compare-and-set failed: theme was light by then. Nothing changed for it.");
        final List<String> expected = List.of("theme: null -> dark", "maxUsers: null -> 100", "theme: dark -> light");
        for (String id : cluster.ids()) {
            check(await(heard.get(id).when(values -> values.size() >= 3)).stream().map(Recorder.Entry::value).toList()
                    .equals(expected), id + " heard " + heard.get(id).values() + ", expected " + expected);
        }
        n.say("Every node heard the same three changes, in the same order, with the same old and new values.");

        n.step("Stopping node-3; node-1 sets maxUsers=250 while it is down.");
        cluster.stop("node-3");
        await(one.set("maxUsers", "250"));

        n.step("Starting node-3 again, with an empty log: it catches up from the leader.");
        final SharedConfig back = open(cluster.restart("node-3"), "node-3", configs, heard, n);
        final Map<String, String> current = await(back.current());
        check(Map.of("theme", "light", "maxUsers", "250").equals(current), "node-3 came back with " + current);
        n.say("node-3 reads the current configuration " + current + " (current() waits until it has applied "
                + "everything committed before the call). Its listener heard what it replayed while catching up, in "
                + "log order; had it caught up from a Raft snapshot, it would have heard one change per key.");

        n.step("node-2 sets feature.search=on: every node hears it, the restarted node-3 included.");
        await(two.set("feature.search", "on"));
        for (String id : cluster.ids()) {
            await(heard.get(id).when(values -> values.contains("feature.search: null -> on")));
        }
        n.say("All three heard it.");
    }

    private static SharedConfig open(io.hamok.Hamok hamok, String id, Map<String, SharedConfig> configs,
                                     Map<String, Recorder<String>> heard, Narrator n) {
        final SharedConfig config = SharedConfig.open(hamok, "app");
        final Recorder<String> changes = new Recorder<>();
        config.addListener((key, oldValue, newValue) -> {
            final String change = key + ": " + oldValue + " -> " + newValue;
            changes.add(change);
            n.event(id + " hears " + change);
        });
        configs.put(id, config);
        heard.put(id, changes);
        return config;
    }
}
