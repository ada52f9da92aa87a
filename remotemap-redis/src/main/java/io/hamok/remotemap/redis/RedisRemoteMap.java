// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap.redis;

import io.hamok.remotemap.RemoteMap;
import io.hamok.RemoteStoreException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A {@link RemoteMap} over a Redis hash, with Jedis: the store of a {@code HamokRemoteMap} shared by
 * every peer (each peer has its own {@code RedisRemoteMap} to the same Redis and key prefix).
 *
 * <p><b>Exactly once.</b> Each mutation runs as one Lua script, which Redis executes atomically: it
 * reads the fencing token and applied index from {@code {prefix}:meta}, refuses a lower token
 * ({@code FENCED}) or an index at or below the applied one ({@code ALREADY_APPLIED}), and otherwise
 * changes {@code {prefix}:data}, stores the new index and token, and (with a journal) appends the index
 * to {@code {prefix}:journal}, all in the same step. The keys share a hash tag, so they live in one
 * slot of a Redis Cluster. Numbers are compared as Lua numbers: exact up to 2^53.
 *
 * <p><b>Durability</b> is Redis's: a Redis that loses acknowledged writes (no AOF, or
 * {@code appendfsync} other than {@code always}, and a crash) loses the entries and the applied index
 * together, and mutations it had acknowledged are not executed again (they are resolved). Use
 * {@code appendonly yes} with {@code appendfsync always} where that matters.
 *
 * <p><b>Threads.</b> Calls run on {@link RedisRemoteMapConfig#threads()} threads of this object, with
 * pooled connections (a Jedis {@link RedisClient}); futures complete there. A call that could not
 * connect (Redis down, refused: a {@link java.net.ConnectException} underneath) fails with a
 * {@link RemoteStoreException} saying it was not executed ({@code mayHaveBeenApplied() == false}); any
 * other failure during a mutation (a connection that broke mid-call, a timeout) says it may have been.
 * {@link #close()} stops the threads and closes the connections.
 */
public final class RedisRemoteMap implements RemoteMap, AutoCloseable {
    private static final String CHECK = """
            local stored_token = tonumber(redis.call('HGET', KEYS[2], 'token') or '0')
            local stored_index = redis.call('HGET', KEYS[2], 'index') or '0'
            if tonumber(ARGV[1]) < stored_token then return {'FENCED', stored_index} end
            if tonumber(ARGV[2]) <= tonumber(stored_index) then return {'ALREADY', stored_index} end
            local result = {'OK', ARGV[2], '1'}
            """;
    private static final String RECORD = """
            redis.call('HSET', KEYS[2], 'token', ARGV[1], 'index', ARGV[2])
            if ARGV[3] == '1' then redis.call('RPUSH', KEYS[3], ARGV[2]) end
            return result
            """;
    private static final byte[] FENCE = script("""
            local stored_token = tonumber(redis.call('HGET', KEYS[2], 'token') or '0')
            local stored_index = redis.call('HGET', KEYS[2], 'index') or '0'
            if tonumber(ARGV[1]) < stored_token then return {'FENCED', stored_index} end
            redis.call('HSET', KEYS[2], 'token', ARGV[1])
            return {'OK', stored_index, '1'}
            """);
    private static final byte[] SET_ALL = script(CHECK + """
            for i = 4, #ARGV, 2 do
              local old = redis.call('HGET', KEYS[1], ARGV[i])
              if old then table.insert(result, ARGV[i]); table.insert(result, old) end
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            """ + RECORD);
    private static final byte[] INSERT_ALL = script(CHECK + """
            for i = 4, #ARGV, 2 do
              local old = redis.call('HGET', KEYS[1], ARGV[i])
              if old then table.insert(result, ARGV[i]); table.insert(result, old)
              else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            end
            """ + RECORD);
    private static final byte[] REMOVE_ALL = script(CHECK + """
            for i = 4, #ARGV do
              local old = redis.call('HGET', KEYS[1], ARGV[i])
              if old then
                redis.call('HDEL', KEYS[1], ARGV[i])
                table.insert(result, ARGV[i]); table.insert(result, old)
              end
            end
            """ + RECORD);
    private static final byte[] CLEAR = script(CHECK + """
            redis.call('DEL', KEYS[1])
            """ + RECORD);
    private static final byte[] REPLACE = script(CHECK + """
            local old = redis.call('HGET', KEYS[1], ARGV[4])
            if old and old == ARGV[5] then
              redis.call('HSET', KEYS[1], ARGV[4], ARGV[6])
              table.insert(result, ARGV[4]); table.insert(result, old)
            else result[3] = '0' end
            """ + RECORD);
    private static final byte[] REMOVE_IF = script(CHECK + """
            local old = redis.call('HGET', KEYS[1], ARGV[4])
            if old and old == ARGV[5] then
              redis.call('HDEL', KEYS[1], ARGV[4])
              table.insert(result, ARGV[4]); table.insert(result, old)
            else result[3] = '0' end
            """ + RECORD);
    private static final int SCAN_COUNT = 500;

    private final RedisRemoteMapConfig config;
    private final RedisClient client;
    private final ExecutorService executor;
    private final byte[] dataKey;
    private final List<byte[]> keys;
    private final byte[] journalFlag;

    public RedisRemoteMap(RedisRemoteMapConfig config) {
        this.config = config;
        final GenericObjectPoolConfig<Connection> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(config.threads() + 1);
        poolConfig.setMaxIdle(config.threads() + 1);
        poolConfig.setJmxEnabled(false);
        // PING a pooled connection before use: one that broke with a restart of Redis is replaced instead of
        // failing a mutation mid-call (which could then only be reported as "may have been executed")
        poolConfig.setTestOnBorrow(config.validateConnections());
        this.client = RedisClient.builder().hostAndPort(config.host(), config.port()).poolConfig(poolConfig)
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(config.timeoutMs())
                        .socketTimeoutMillis(config.timeoutMs()).database(config.database()).build())
                .build();
        final AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), task -> {
            final Thread t = new Thread(task, "hamok-redis-" + config.keyPrefix() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        final String tag = "{" + config.keyPrefix() + "}";
        this.dataKey = bytes(tag + ":data");
        this.keys = List.of(dataKey, bytes(tag + ":meta"), bytes(tag + ":journal"));
        this.journalFlag = bytes(config.journal() ? "1" : "0");
    }

    public RedisRemoteMapConfig config() {
        return config;
    }

    /** The journal's indexes, in execution order (empty without {@link RedisRemoteMapConfig#journal()}). */
    public CompletableFuture<List<Long>> journal() {
        return run("journal", false, redis -> {
            final List<Long> out = new ArrayList<>();
            for (byte[] index : redis.lrange(keys.get(2), 0, -1)) {
                out.add(Long.parseLong(new String(index, StandardCharsets.UTF_8)));
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public CompletableFuture<byte[]> get(byte[] key) {
        return run("get", false, redis -> redis.hget(dataKey, key));
    }

    @Override
    public CompletableFuture<List<byte[]>> getAll(List<byte[]> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return run("getAll", false, redis -> redis.hmget(dataKey, keys.toArray(new byte[0][])));
    }

    @Override
    public CompletableFuture<Long> size() {
        return run("size", false, redis -> redis.hlen(dataKey));
    }

    @Override
    public CompletableFuture<List<byte[]>> keys() {
        return run("keys", false, redis -> new ArrayList<>(redis.hkeys(dataKey)));
    }

    /** Scans the hash ({@code HSCAN}, {@value #SCAN_COUNT} entries a round) on one of this object's threads. */
    @Override
    public CompletableFuture<Void> forEach(BiConsumer<byte[], byte[]> action) {
        return run("forEach", false, redis -> {
            byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
            final ScanParams params = new ScanParams().count(SCAN_COUNT);
            do {
                final ScanResult<Map.Entry<byte[], byte[]>> page = redis.hscan(dataKey, cursor, params);
                page.getResult().forEach(e -> action.accept(e.getKey(), e.getValue()));
                cursor = page.getCursorAsBytes();
            } while (!scanDone(cursor));
            return null;
        });
    }

    private static boolean scanDone(byte[] cursor) {
        return cursor.length == 1 && cursor[0] == '0';
    }

    // ---------------------------------------------------------------- the leader's calls

    @Override
    public CompletableFuture<Execution> fence(long token) {
        return eval("fence", FENCE, token, 0, List.of());
    }

    @Override
    public CompletableFuture<Execution> setAll(long token, long index, List<byte[]> keys, List<byte[]> values) {
        return eval("setAll", SET_ALL, token, index, interleave(keys, values));
    }

    @Override
    public CompletableFuture<Execution> insertAll(long token, long index, List<byte[]> keys, List<byte[]> values) {
        return eval("insertAll", INSERT_ALL, token, index, interleave(keys, values));
    }

    @Override
    public CompletableFuture<Execution> removeAll(long token, long index, List<byte[]> keys) {
        return eval("removeAll", REMOVE_ALL, token, index, keys);
    }

    @Override
    public CompletableFuture<Execution> clear(long token, long index) {
        return eval("clear", CLEAR, token, index, List.of());
    }

    @Override
    public CompletableFuture<Execution> replace(long token, long index, byte[] key, byte[] expected, byte[] value) {
        return eval("replace", REPLACE, token, index, List.of(key, expected, value));
    }

    @Override
    public CompletableFuture<Execution> removeIf(long token, long index, byte[] key, byte[] expected) {
        return eval("removeIf", REMOVE_IF, token, index, List.of(key, expected));
    }

    /** Runs a script with ARGV = token, index, journal flag, then {@code args}; reads {@code [status, index, applied, k, v, ...]}. */
    private CompletableFuture<Execution> eval(String what, byte[] script, long token, long index, List<byte[]> args) {
        final List<byte[]> argv = new ArrayList<>(args.size() + 3);
        argv.add(bytes(Long.toString(token)));
        argv.add(bytes(Long.toString(index)));
        argv.add(journalFlag);
        argv.addAll(args);
        return run(what, true, redis -> execution(redis.eval(script, keys, argv)));
    }

    private static Execution execution(Object reply) {
        final List<?> parts = (List<?>) reply;
        final String status = text(parts.get(0));
        final long appliedIndex = Long.parseLong(text(parts.get(1)));
        switch (status) {
            case "FENCED" -> {
                return Execution.of(Status.FENCED, appliedIndex);
            }
            case "ALREADY" -> {
                return Execution.of(Status.ALREADY_APPLIED, appliedIndex);
            }
            default -> {
                final List<byte[]> keys = new ArrayList<>();
                final List<byte[]> values = new ArrayList<>();
                for (int i = 3; i + 1 < parts.size(); i += 2) {
                    keys.add((byte[]) parts.get(i));
                    values.add((byte[]) parts.get(i + 1));
                }
                return new Execution(Status.EXECUTED, appliedIndex, "1".equals(text(parts.get(2))), keys, values);
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs {@code call} with a pooled connection on this object's threads. No connection: "not executed";
     * a failure during a mutation: "may have been executed".
     */
    private <T> CompletableFuture<T> run(String what, boolean mutation, Function<UnifiedJedis, T> call) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return call.apply(client);
                } catch (JedisException | ClassCastException | IndexOutOfBoundsException | NumberFormatException e) {
                    final boolean maybe = mutation && !neverConnected(e);
                    throw new RemoteStoreException(what + " failed at redis://" + config.host() + ":" + config.port()
                            + ": " + e + (maybe ? "; it may have been executed" : "; not executed"), e, maybe);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new RemoteStoreException(what + ": this RedisRemoteMap is closed",
                    e, false));
        }
    }

    /** Whether the call failed to connect, so nothing was sent: a {@link java.net.ConnectException} in the causes. */
    static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof java.net.ConnectException) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static List<byte[]> interleave(List<byte[]> keys, List<byte[]> values) {
        final List<byte[]> out = new ArrayList<>(keys.size() * 2);
        for (int i = 0; i < keys.size(); i++) {
            out.add(keys.get(i));
            out.add(values.get(i));
        }
        return out;
    }

    private static String text(Object part) {
        return part instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(part);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] script(String lua) {
        return bytes(lua);
    }

    /** Stops the threads (calls not started yet fail) and closes the connections. */
    @Override
    public void close() {
        executor.shutdown();
        client.close();
    }

    @Override
    public String toString() {
        return "RedisRemoteMap{" + config + "}";
    }
}
