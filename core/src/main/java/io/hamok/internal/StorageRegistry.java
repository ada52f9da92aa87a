// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.remotemap.HamokRemoteMap;
import io.hamok.remotemap.HamokRemoteMapConfig;
import io.hamok.HamokConfig;
import io.hamok.remotemap.RemoteMapExecutor;
import io.hamok.HamokClosedException;
import io.hamok.StorageCodecMismatchException;
import io.hamok.StorageKindMismatchException;
import io.hamok.emitter.EmitterChannel;
import io.hamok.emitter.HamokEmitter;
import io.hamok.emitter.HamokEmitterConfig;
import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
import io.hamok.record.HamokRecord;
import io.hamok.record.HamokRecordConfig;
import io.hamok.loop.RaftLoop;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.StorageKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The typed storages open on one {@link io.hamok.Hamok} instance, by id: creates them, hands out the open
 * one to {@code getOrCreate} when its codecs match, and closes them with the instance. Any thread,
 * except {@link #doWork}: the loop thread drives the remote maps' executors there.
 */
public final class StorageRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(StorageRegistry.class);

    private final String peerId;
    private final ReplicatedStorages state;
    private final StorageBackend backend;
    private final EmitterChannel emitters;
    private final BooleanSupplier closed;
    private final Map<String, AutoCloseable> storages = new ConcurrentHashMap<>();
    private final RaftLoop loop;
    private final int maxEntryBytes;
    /** The open remote maps' executors, replaced on change: the loop iterates the array, allocating nothing. */
    private volatile RemoteMapExecutor[] executors = new RemoteMapExecutor[0];
    /** How often each remote map was opened here: part of its executor's fencing token. */
    private final Map<String, Integer> remoteMapOpens = new HashMap<>();

    public StorageRegistry(HamokConfig config, ReplicatedStorages state, StorageBackend backend, EmitterChannel emitters,
                           RaftLoop loop, BooleanSupplier closed) {
        this.peerId = config.peerId();
        this.state = state;
        this.backend = backend;
        this.emitters = emitters;
        this.loop = loop;
        this.maxEntryBytes = config.raftConfig().maxBytesPerAppend();
        this.closed = closed;
    }

    public synchronized <K, V> HamokMap<K, V> createMap(HamokMapConfig<K, V> config) {
        register(config.mapId(), StorageKind.MAP);
        final HamokMap<K, V> map = new HamokMap<>(backend, config);
        storages.put(config.mapId(), map);
        return map;
    }

    @SuppressWarnings("unchecked")
    public synchronized <K, V> HamokMap<K, V> getOrCreateMap(HamokMapConfig<K, V> config) {
        if (storages.get(config.mapId()) instanceof HamokMap<?, ?> open) {
            final HamokMapConfig<?, ?> openConfig = open.config();
            requireSame("map", config.mapId(), "keyCodec", openConfig.keyCodec(), config.keyCodec());
            requireSame("map", config.mapId(), "valueCodec", openConfig.valueCodec(), config.valueCodec());
            return (HamokMap<K, V>) open;
        }
        return createMap(config);
    }

    public synchronized <T> HamokRecord<T> createRecord(HamokRecordConfig<T> config) {
        register(config.recordId(), StorageKind.RECORD);
        final HamokRecord<T> record = new HamokRecord<>(backend, config);
        storages.put(config.recordId(), record);
        return record;
    }

    @SuppressWarnings("unchecked")
    public synchronized <T> HamokRecord<T> getOrCreateRecord(HamokRecordConfig<T> config) {
        if (storages.get(config.recordId()) instanceof HamokRecord<?> open) {
            requireSame("record", config.recordId(), "codec", open.config().codec(), config.codec());
            return (HamokRecord<T>) open;
        }
        return createRecord(config);
    }

    public synchronized <T> HamokQueue<T> createQueue(HamokQueueConfig<T> config) {
        register(config.queueId(), StorageKind.QUEUE);
        final HamokQueue<T> queue = new HamokQueue<>(backend, config);
        storages.put(config.queueId(), queue);
        return queue;
    }

    @SuppressWarnings("unchecked")
    public synchronized <T> HamokQueue<T> getOrCreateQueue(HamokQueueConfig<T> config) {
        if (storages.get(config.queueId()) instanceof HamokQueue<?> open) {
            requireSame("queue", config.queueId(), "codec", open.config().codec(), config.codec());
            return (HamokQueue<T>) open;
        }
        return createQueue(config);
    }

    public synchronized <M> HamokEmitter<M> createEmitter(HamokEmitterConfig<M> config) {
        register(config.emitterId(), StorageKind.EMITTER);
        final HamokEmitter<M> emitter = new HamokEmitter<>(backend, emitters, config);
        storages.put(config.emitterId(), emitter);
        return emitter;
    }

    @SuppressWarnings("unchecked")
    public synchronized <M> HamokEmitter<M> getOrCreateEmitter(HamokEmitterConfig<M> config) {
        if (storages.get(config.emitterId()) instanceof HamokEmitter<?> open) {
            requireSame("emitter", config.emitterId(), "metadataCodec", open.config().metadataCodec(),
                    config.metadataCodec());
            return (HamokEmitter<M>) open;
        }
        return createEmitter(config);
    }

    public synchronized <K, V> HamokRemoteMap<K, V> createRemoteMap(HamokRemoteMapConfig<K, V> config) {
        register(config.mapId(), StorageKind.REMOTE_MAP);
        final int opens = remoteMapOpens.merge(config.mapId(), 1, Integer::sum);
        final RemoteMapExecutor executor = new RemoteMapExecutor(config.mapId(), config.remoteMap(), backend, loop,
                config.noEvents(), opens, maxEntryBytes);
        final HamokRemoteMap<K, V> map = new HamokRemoteMap<>(backend, config, () -> removeExecutor(executor));
        final RemoteMapExecutor[] more = java.util.Arrays.copyOf(executors, executors.length + 1);
        more[more.length - 1] = executor;
        executors = more;
        storages.put(config.mapId(), map);
        return map;
    }

    @SuppressWarnings("unchecked")
    public synchronized <K, V> HamokRemoteMap<K, V> getOrCreateRemoteMap(HamokRemoteMapConfig<K, V> config) {
        if (storages.get(config.mapId()) instanceof HamokRemoteMap<?, ?> open) {
            final HamokRemoteMapConfig<?, ?> openConfig = open.config();
            requireSame("remote map", config.mapId(), "keyCodec", openConfig.keyCodec(), config.keyCodec());
            requireSame("remote map", config.mapId(), "valueCodec", openConfig.valueCodec(), config.valueCodec());
            requireSame("remote map", config.mapId(), "remoteMap", openConfig.remoteMap(), config.remoteMap());
            return (HamokRemoteMap<K, V>) open;
        }
        return createRemoteMap(config);
    }

    private synchronized void removeExecutor(RemoteMapExecutor executor) {
        executor.close();
        executors = java.util.Arrays.stream(executors).filter(e -> e != executor).toArray(RemoteMapExecutor[]::new);
    }

    /** Runs the open remote maps' executors; loop thread, once per duty cycle. */
    public int doWork(long nowNs) {
        final RemoteMapExecutor[] running = executors;
        int work = 0;
        for (int i = 0; i < running.length; i++) {
            work += running[i].doWork(nowNs);
        }
        return work;
    }

    /** The storage was closed by its owner. */
    public void remove(String id) {
        storages.remove(id);
    }

    public Map<String, AutoCloseable> snapshot() {
        return Map.copyOf(storages);
    }

    /** Closes every open storage (the instance closes; a create racing with it sees it closed). */
    public synchronized void closeAll() {
        storages.values().forEach(s -> {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing a storage failed", e);
            }
        });
    }

    private static void requireSame(String kind, String id, String what, Object open, Object asked) {
        if (!Objects.equals(open, asked)) {
            throw new StorageCodecMismatchException(kind + " '" + id + "' is already open here with another " + what
                    + " (open: " + open + ", asked for: " + asked + "); pass the same " + what
                    + " as the open " + kind + " (or one equal to it), or close the open " + kind + " first");
        }
    }

    private static StorageKind kindOf(AutoCloseable open) {
        if (open instanceof HamokMap<?, ?>) {
            return StorageKind.MAP;
        }
        if (open instanceof HamokQueue<?>) {
            return StorageKind.QUEUE;
        }
        if (open instanceof HamokEmitter<?>) {
            return StorageKind.EMITTER;
        }
        if (open instanceof HamokRemoteMap<?, ?>) {
            return StorageKind.REMOTE_MAP;
        }
        return StorageKind.RECORD;
    }

    private void register(String id, StorageKind kind) {
        if (closed.getAsBoolean()) {
            throw new HamokClosedException("cannot create storage '" + id + "': " + peerId + " is closed");
        }
        final AutoCloseable open = storages.get(id);
        if (open != null) {
            final StorageKind openKind = kindOf(open);
            if (openKind != kind) {
                throw new StorageKindMismatchException("storage '" + id + "' is already open here as a "
                        + openKind + "; it cannot be a " + kind);
            }
            throw new IllegalStateException("storage '" + id + "' is already open here; use getOrCreate to share it");
        }
        final StorageKind replicated = state.kindOf(id);
        if (replicated != null && replicated != kind) {
            throw new StorageKindMismatchException("storage '" + id + "' is a " + replicated
                    + " in this cluster; it cannot be a " + kind);
        }
    }
}
