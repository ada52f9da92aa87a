// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.map.MapListener;
import io.hamok.transport.LocalNetwork;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state machine reports changes through one reused event; a map listener must still see every
 * change as it was, whether it runs on the loop thread at once or later on the event executor
 * (which gets copies), and a write's result must not be disturbed by later writes.
 */
@Timeout(60)
class HamokEventReuseTest {
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private Hamok hamok;
    private AgentInvoker invoker;
    private long nowNs = 1_000_000_000L;

    @AfterEach
    void tearDown() {
        if (hamok != null) {
            hamok.close();
        }
    }

    private HamokMap<String, String> start(Executor executor) {
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L);
        final HamokConfig.Builder config = HamokConfig.builder().peerId("solo").peers(List.of("solo"))
                .transport(new LocalNetwork().transport("solo")).clocks(nanoClock, epochClock)
                .random(new SplittableRandom(7)).heartbeatMs(50).electionTimeoutMs(600);
        if (executor != null) {
            config.eventExecutor(executor);
        }
        hamok = Hamok.create(config.build());
        final HamokMap<String, String> map = hamok.createMap(HamokMapConfig.<String, String>builder().mapId("m")
                .keyCodec(Codecs.string()).valueCodec(Codecs.string()).build());
        invoker = hamok.startInvoker();
        for (int i = 0; i < 3_000 && !hamok.isLeader(); i++) {
            step();
        }
        assertTrue(hamok.isLeader(), "a single node elects itself");
        return map;
    }

    private void step() {
        nowNs += 1_000_000;
        nanoClock.update(nowNs);
        epochClock.update(1_700_000_000_000L + nowNs / 1_000_000);
        invoker.invoke();
    }

    private <T> T await(CompletableFuture<T> future) {
        for (int i = 0; i < 1_000 && !future.isDone(); i++) {
            step();
        }
        return future.join();
    }

    /** Records every change with its values, as text. */
    private static MapListener<String, String> recorder(List<String> seen) {
        return new MapListener<>() {
            @Override
            public void onInserted(String key, String value) {
                seen.add("+" + key + "=" + value);
            }

            @Override
            public void onUpdated(String key, String oldValue, String newValue) {
                seen.add("~" + key + "=" + oldValue + ">" + newValue);
            }

            @Override
            public void onRemoved(String key, String oldValue) {
                seen.add("-" + key + "=" + oldValue);
            }
        };
    }

    private static Map<String, String> entries(String... keyValues) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    @Test
    void shouldDeliverEveryChangeAsItWasOnTheLoopThread() {
        final HamokMap<String, String> map = start(null);
        final List<String> seen = new ArrayList<>();
        map.addListener(recorder(seen));

        await(map.setAll(entries("a", "1", "b", "2", "c", "3")));
        await(map.setAll(entries("a", "4", "b", "5")));
        await(map.removeAll(List.of("c", "a")));

        assertEquals(List.of("+a=1", "+b=2", "+c=3", "~a=1>4", "~b=2>5", "-c=3", "-a=4"), seen);
    }

    @Test
    void shouldDeliverCopiesToTheEventExecutorSoLateDeliveriesSeeTheirOwnChange() {
        final HamokMap<String, String> map = start(deferred::add);
        final List<String> seen = new ArrayList<>();
        map.addListener(recorder(seen));

        final CompletableFuture<Map<String, String>> first = map.setAll(entries("a", "1", "b", "2", "c", "3"));
        final CompletableFuture<Map<String, String>> second = map.setAll(entries("a", "4", "b", "5"));
        await(first);
        await(second);
        assertTrue(seen.isEmpty(), "nothing delivered before the executor runs");
        while (!deferred.isEmpty()) {
            deferred.poll().run();
        }

        assertEquals(List.of("+a=1", "+b=2", "+c=3", "~a=1>4", "~b=2>5"), seen);
        assertEquals(Map.of(), first.join(), "the first write's result: no key existed");
        assertEquals(entries("a", "1", "b", "2"), second.join(), "the second write's result: the old values");
    }
}
