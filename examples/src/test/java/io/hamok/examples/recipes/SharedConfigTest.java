// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hamok.examples.recipes.InJvmCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared-configuration recipe on three in-JVM instances. */
@Timeout(120)
class SharedConfigTest {
    private final Map<String, SharedConfig> configs = new LinkedHashMap<>();
    private final Map<String, Recorder<String>> heard = new LinkedHashMap<>();
    private InJvmCluster cluster;

    @AfterEach
    void tearDown() {
        configs.values().forEach(SharedConfig::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private SharedConfig open(String id) {
        final SharedConfig config = SharedConfig.open(cluster.get(id), "app");
        final Recorder<String> changes = new Recorder<>();
        config.addListener((key, oldValue, newValue) -> changes.add(key + ": " + oldValue + " -> " + newValue));
        configs.put(id, config);
        heard.put(id, changes);
        return config;
    }

    private List<String> heardBy(String id, int count) throws Exception {
        return await(heard.get(id).when(values -> values.size() >= count)).stream().map(Recorder.Entry::value).toList();
    }

    @Test
    void shouldRaiseEveryChangeMadeOnAnyInstanceOnEveryInstanceWithOldAndNewValues() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        List.of("a", "b", "c").forEach(this::open);

        assertNull(await(configs.get("a").set("theme", "dark")));
        assertNull(await(configs.get("b").set("maxUsers", "100")));
        assertTrue(await(configs.get("c").compareAndSet("theme", "dark", "light")));
        assertFalse(await(configs.get("a").compareAndSet("theme", "dark", "blue")), "a stale expectation loses");
        assertFalse(await(configs.get("b").compareAndSet("maxUsers", null, "5")), "null expects absence");
        assertEquals("100", await(configs.get("c").remove("maxUsers")));

        final List<String> expected = List.of("theme: null -> dark", "maxUsers: null -> 100", "theme: dark -> light",
                "maxUsers: 100 -> null");
        for (String id : List.of("a", "b", "c")) {
            assertEquals(expected, heardBy(id, 4), id);
            assertEquals(Map.of("theme", "light"), await(configs.get(id).current()), id);
        }
    }

    @Test
    void shouldShowTheCurrentConfigurationToARestartedInstanceAndTellItOfLaterChanges() throws Exception {
        cluster = new InJvmCluster("a", "b", "c");
        final SharedConfig a = open("a");
        await(a.set("theme", "dark"));
        cluster.get("c").close();
        await(a.set("theme", "light"));
        await(a.set("maxUsers", "250"));

        cluster.restart("c"); // a new instance with an empty log
        final SharedConfig back = open("c");

        assertEquals(Map.of("theme", "light", "maxUsers", "250"), await(back.current()));
        assertEquals("light", back.get("theme"));
        final int before = heard.get("c").values().size(); // what it heard while catching up, if anything
        await(configs.get("a").set("feature.search", "on"));
        assertEquals("feature.search: null -> on", heardBy("c", before + 1).get(before));
    }
}
