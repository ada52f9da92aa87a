// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap.redis;

import io.hamok.remotemap.RemoteMap;
import io.hamok.RemoteMapContractTest;
import io.hamok.RemoteStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link RemoteMap} contract on {@link RedisRemoteMap} against a real {@code redis-server}; its journal and failures. */
class RedisRemoteMapTest extends RemoteMapContractTest {
    private static RedisServer redis;
    private static int prefixes;
    private final List<RedisRemoteMap> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeMaps() {
        opened.forEach(RedisRemoteMap::close);
    }

    private RedisRemoteMap open(String prefix, boolean journal) {
        final RedisRemoteMap map = new RedisRemoteMap(RedisRemoteMapConfig.builder().url(redis.url()).keyPrefix(prefix)
                .journal(journal).build());
        opened.add(map);
        return map;
    }

    @Override
    protected RemoteMap store() {
        return open("contract-" + (++prefixes), false);
    }

    @Test
    void shouldJournalExecutedIndexesOnlyOnce() throws Exception {
        final RedisRemoteMap store = open("journal", true);
        done(store.fence(1));
        done(store.setAll(1, 1, List.of(b("a")), List.of(b("1"))));
        done(store.setAll(1, 1, List.of(b("a")), List.of(b("2"))));
        done(store.removeAll(1, 3, List.of(b("a"))));
        assertEquals(List.of(1L, 3L), done(store.journal()));
    }

    @Test
    void shouldShareOneMapBetweenClientsWithTheSamePrefixAndKeepPrefixesApart() throws Exception {
        final RedisRemoteMap one = open("shared", false);
        final RedisRemoteMap two = open("shared", false);
        final RedisRemoteMap other = open("other", false);
        done(one.fence(5));
        assertEquals(RemoteMap.Status.FENCED, done(two.setAll(4, 1, List.of(b("a")), List.of(b("1")))).status());
        assertEquals(RemoteMap.Status.EXECUTED, done(two.setAll(5, 1, List.of(b("a")), List.of(b("1")))).status());
        assertEquals(1L, done(one.size()));
        assertEquals(0L, done(other.size()));
    }

    @Test
    void shouldFailAsNotExecutedWhenNothingListens() throws Exception {
        final RedisRemoteMap nowhere = new RedisRemoteMap(RedisRemoteMapConfig.builder()
                .url("redis://127.0.0.1:" + unusedPort()).keyPrefix("x").timeoutMs(500).build());
        opened.add(nowhere);
        final Throwable e = assertThrows(ExecutionException.class,
                () -> done(nowhere.setAll(1, 1, List.of(b("a")), List.of(b("1"))))).getCause();
        assertInstanceOf(RemoteStoreException.class, e);
        assertFalse(((RemoteStoreException) e).mayHaveBeenApplied(), "no connection: the script never ran");
    }

    @Test
    void shouldValidateTheConfigurationNamingTheField() {
        final IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> RedisRemoteMapConfig.builder().url("http://x").keyPrefix("p").build());
        assertTrue(url.getMessage().startsWith("url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisRemoteMapConfig.builder()
                .url("redis://h:1").build()).getMessage().startsWith("keyPrefix"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisRemoteMapConfig.builder()
                .url("redis://h:1").keyPrefix("p").threads(0).build()).getMessage().startsWith("threads"));
        final RedisRemoteMapConfig config = RedisRemoteMapConfig.builder().url("redis://h/3").keyPrefix("p").build();
        assertEquals(6379, config.port());
        assertEquals(3, config.database());
    }

    private static int unusedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
