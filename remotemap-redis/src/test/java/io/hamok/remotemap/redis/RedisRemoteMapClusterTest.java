// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap.redis;

import io.hamok.Codecs;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.HamokException;
import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.RemoteStoreException;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.LocalNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@link Hamok} instances (in one JVM, on a {@code LocalNetwork}), each with its own
 * {@link RedisRemoteMap} to one real {@code redis-server} that the test starts, kills (SIGKILL) in the
 * middle of a stream of writes, and starts again on the same append-only file: while Redis is down every
 * write fails with a {@link RemoteStoreException}; after it is back the writes go on, and the journal in
 * Redis shows that nothing was executed twice.
 */
@Timeout(120)
class RedisRemoteMapClusterTest {
    private static final List<String> IDS = List.of("a", "b", "c");
    private static final long WAIT_S = 20;

    private final LocalNetwork network = new LocalNetwork();
    private final Map<String, Hamok> instances = new LinkedHashMap<>();
    private final Map<String, RedisRemoteMap> clients = new LinkedHashMap<>();
    private final Map<String, HamokRemoteMap<String, Integer>> maps = new LinkedHashMap<>();
    private RedisServer redis;

    @AfterEach
    void tearDown() throws Exception {
        instances.values().forEach(Hamok::close);
        clients.values().forEach(RedisRemoteMap::close);
        if (redis != null) {
            redis.close();
        }
    }

    private void startCluster(String prefix) throws Exception {
        for (String id : IDS) {
            final Hamok hamok = Hamok.create(HamokConfig.builder().peerId(id).peers(IDS).transport(network.transport(id))
                    .raftConfig(RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300).electionTimeoutMs(600)
                            .build()).build());
            final RedisRemoteMap client = new RedisRemoteMap(RedisRemoteMapConfig.builder().url(redis.url())
                    .keyPrefix(prefix).journal(true).timeoutMs(1_000).build());
            instances.put(id, hamok);
            clients.put(id, client);
            maps.put(id, hamok.createRemoteMap(HamokRemoteMapConfig.<String, Integer>builder().mapId(prefix)
                    .keyCodec(Codecs.string()).valueCodec(Codecs.integer()).remoteMap(client).build()));
        }
        final List<CompletableFuture<Void>> joins = new ArrayList<>();
        instances.values().forEach(h -> joins.add(h.join(Duration.ofSeconds(10))));
        for (CompletableFuture<Void> join : joins) {
            join.get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code key-i} from every instance for i in [from, to), each awaited; returns the failures by key. */
    private Map<String, Throwable> write(int from, int to, Map<String, Integer> acknowledged) throws Exception {
        final Map<String, Throwable> failed = new LinkedHashMap<>();
        final Map<String, CompletableFuture<Integer>> writes = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            for (Map.Entry<String, HamokRemoteMap<String, Integer>> e : maps.entrySet()) {
                writes.put(e.getKey() + "-" + i, e.getValue().set(e.getKey() + "-" + i, i));
            }
        }
        for (Map.Entry<String, CompletableFuture<Integer>> w : writes.entrySet()) {
            try {
                assertNull(w.getValue().get(WAIT_S, TimeUnit.SECONDS));
                acknowledged.put(w.getKey(), Integer.parseInt(w.getKey().substring(w.getKey().indexOf('-') + 1)));
            } catch (ExecutionException e) {
                failed.put(w.getKey(), e.getCause());
            }
        }
        return failed;
    }

    @Test
    void shouldFailWritesWithATypedExceptionWhileRedisIsDownAndExecuteNothingTwiceAfterItComesBack() throws Exception {
        redis = RedisServer.start();
        startCluster("killed");
        final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        assertEquals(Map.of(), write(0, 40, acknowledged), "Redis is up: every write goes through");

        redis.kill();
        final Map<String, Throwable> whileDown = write(40, 50, acknowledged);
        assertEquals(30, whileDown.size(), "no write goes through while Redis is down: " + acknowledged.size());
        whileDown.values().forEach(e -> assertInstanceOf(RemoteStoreException.class, e, "typed: " + e));
        final long notApplied = whileDown.values().stream().filter(e -> !((HamokException) e).mayHaveBeenApplied())
                .count();
        final HamokRemoteMap<String, Integer> follower = maps.get(IDS.stream()
                .filter(id -> !instances.get(id).isLeader()).findFirst().orElseThrow());
        final ExecutionException read = assertThrows(ExecutionException.class,
                () -> follower.get("a-1").get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(RemoteStoreException.class, read.getCause(), "reads fail alike");

        redis.restart();
        assertEquals(Map.of(), write(50, 90, acknowledged), "Redis is back: every write goes through again");

        final RedisRemoteMap reader = clients.get("a");
        final List<Long> journal = reader.journal().get(WAIT_S, TimeUnit.SECONDS);
        for (int i = 1; i < journal.size(); i++) {
            assertTrue(journal.get(i) > journal.get(i - 1), "executed in order, none twice: " + journal);
        }
        final Map<String, Integer> content = new HashMap<>();
        reader.forEach((k, v) -> content.put(Codecs.string().decode(k), Codecs.integer().decode(v)))
                .get(WAIT_S, TimeUnit.SECONDS);
        acknowledged.forEach((key, value) -> assertEquals(value, content.get(key), "acknowledged " + key));
        whileDown.forEach((key, e) -> {
            if (!((HamokException) e).mayHaveBeenApplied()) {
                assertFalse(content.containsKey(key), key + " failed as not applied, yet it is in Redis");
            }
        });
        assertEquals(journal.size(), content.size(), "one execution per key written: nothing ran twice");
        content.keySet().forEach(key -> assertTrue(acknowledged.containsKey(key)
                || ((HamokException) whileDown.get(key)).mayHaveBeenApplied(), key + " is in Redis, but failed as not applied"));
        assertTrue(notApplied >= 28, "the executor verifies with the store: almost every failure is exact ("
                + notApplied + " of 30 said not applied)");
    }
}
