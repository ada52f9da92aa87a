// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.record;

import io.hamok.HamokException;
import io.hamok.InvalidPropertyException;
import io.hamok.StorageClosedException;
import io.hamok.StorageKindMismatchException;
import io.hamok.internal.StorageBackend;
import io.hamok.internal.StorageListeners;
import io.hamok.state.ByteKey;
import io.hamok.state.EntriesView;
import io.hamok.state.RecordCondition;
import io.hamok.state.RequestType;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One object replicated on every peer that has a record with the same id. Each property is stored
 * separately (property name to the value encoded by the {@link RecordCodec}), so peers can change
 * different properties independently and conditions can cover several properties atomically. Get
 * one from {@code Hamok}; configure it with a {@link HamokRecordConfig}.
 *
 * <p><b>Reads</b> ({@link #get}, {@link #instance}, {@link #export}) read this peer's replica: any
 * thread, never blocking, possibly stale. {@link #getLinearizable} and {@link #instanceLinearizable}
 * wait for a linearizable read point first.
 *
 * <p><b>Writes</b> encode on the caller's thread and return a {@link CompletableFuture} that
 * completes once the request is committed and applied on this peer (on the Hamok loop thread: do
 * not block in dependent stages). Each write is one atomic log entry. Failures complete the future
 * with a {@link HamokException} ({@link io.hamok.HamokTimeoutException} = outcome unknown,
 * {@link io.hamok.NoLeaderException}, {@link io.hamok.BackPressureException}, {@link io.hamok.HamokClosedException},
 * {@link StorageKindMismatchException}); {@link HamokException#mayHaveBeenApplied()} says whether
 * the write may have happened anyway.
 *
 * <p><b>Presence is exact</b>: a property is absent only when it is not stored; {@code 0},
 * {@code ""} and {@code false} are values. A {@code null} property of an object means "not
 * given"; {@code null} as a property name or single value is rejected with a
 * {@link NullPointerException} naming the argument (use {@link #delete} to remove a property).
 * Conditions compare encoded bytes.
 *
 * <p><b>Property names and types are checked</b> when the codec declares them
 * ({@link RecordCodec#propertyTypes()}; {@link JsonRecordCodec} does): a write that names a
 * property the type does not have, or gives a value that is not of the property's class, throws
 * {@link InvalidPropertyException} on the caller's thread and sends nothing. So
 * {@code set("maxUsers", "many")} on an {@code Integer} property fails at once, instead of being
 * committed and breaking {@link #instance()} on every replica. Give values of exactly the
 * property's class ({@code 5L} for a {@code Long}, {@code 5.0} for a {@code Double}): equal
 * values then encode to equal bytes, which conditions compare. {@link #get} and {@link #delete}
 * accept any name (a property an older version of the type had can still be read and removed).
 *
 * <p><b>Decoding</b>: stored bytes the codec cannot decode make a read throw, or a future fail,
 * with a {@link HamokException} naming the property (a write is applied even when its result then
 * fails to decode). A listener is not called for an event it cannot decode; that is logged.
 *
 * <p><b>Closing</b> with {@link #close()} detaches this object only; the replicated data stays.
 * Afterwards every method except {@code close}, {@link #isClosed} and {@link #id} throws
 * {@link StorageClosedException}.
 *
 * @param <T> the record's type
 */
public final class HamokRecord<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HamokRecord.class);

    private final StorageBackend backend;
    private final String recordId;
    private final HamokRecordConfig<T> config;
    private final RecordCodec<T> codec;
    /** Property name to the class of its values, from the codec; null when the codec does not say. */
    private final Map<String, Class<?>> propertyTypes;
    private final long requestTimeoutMs;
    private final Consumer<StorageEvent> eventSink = this::onEvent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StorageListeners<RecordListener> listeners;

    /** Internal: get one from {@link io.hamok.Hamok#createRecord}. */
    public HamokRecord(StorageBackend backend, HamokRecordConfig<T> config) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.recordId = config.recordId();
        this.listeners = new StorageListeners<>("record '" + recordId + "'", closed);
        this.config = config;
        this.codec = config.codec();
        final Map<String, Class<?>> types = codec.propertyTypes();
        this.propertyTypes = types == null ? null : Map.copyOf(types);
        this.requestTimeoutMs = config.requestTimeoutMs();
        backend.subscribe(recordId, eventSink);
    }

    /** The record id (works after close). */
    public String id() {
        return recordId;
    }

    /** Whether {@link #close()} was called (works after close). */
    public boolean isClosed() {
        return closed.get();
    }

    /** The configuration this object was created with. */
    public HamokRecordConfig<T> config() {
        return config;
    }

    // ---------------------------------------------------------------- local reads

    /** The local value of {@code property} (decoded by {@link RecordCodec#decodeValue}), or {@code null} when absent. */
    public Object get(String property) {
        ensureOpen();
        final byte[] value = view().get(name(property, "property"));
        return value == null ? null : decodeValue(property, value);
    }

    /**
     * An object built from the local properties (a copy; absent properties are {@code null} or a
     * primitive's default, so an empty record gives an object with no property set).
     */
    public T instance() {
        ensureOpen();
        return decodeInstance(view());
    }

    /** An immutable point-in-time copy of the local properties, decoded. */
    public Map<String, Object> export() {
        ensureOpen();
        final Map<String, Object> out = new HashMap<>();
        view().copy().forEach((key, value) -> {
            final String property = propertyOf(key.bytes());
            out.put(property, decodeValue(property, value));
        });
        return Collections.unmodifiableMap(out);
    }

    // ---------------------------------------------------------------- linearizable reads

    /** The value of {@code property} as of a linearizable read point, or {@code null} when absent. */
    public CompletableFuture<Object> getLinearizable(String property) {
        ensureOpen();
        final byte[] key = name(property, "property");
        return backend.readBarrier(requestTimeoutMs).thenApply(ignored -> {
            final byte[] value = view().get(key);
            return value == null ? null : decodeValue(property, value);
        });
    }

    /** {@link #instance()} as of a linearizable read point. */
    public CompletableFuture<T> instanceLinearizable() {
        ensureOpen();
        return backend.readBarrier(requestTimeoutMs).thenApply(ignored -> decodeInstance(view()));
    }

    // ---------------------------------------------------------------- writes

    /**
     * Sets {@code property}; completes with its previous value, or {@code null} if it was absent.
     *
     * @throws InvalidPropertyException when the type has no such property, or {@code value} is not of its class
     */
    public CompletableFuture<Object> set(String property, Object value) {
        ensureOpen();
        final byte[] key = name(property, "property");
        final byte[] v = encodeValue(property, value, "value");
        return submit(RequestType.SET, List.of(key), List.of(v), null).thenApply(r -> singleValue(property, r));
    }

    /**
     * Sets every non-null property of {@code partial} in one atomic request; completes with the
     * previous values of those that existed. Nothing to set completes at once with an empty map.
     */
    public CompletableFuture<Map<String, Object>> setInstance(T partial) {
        return writeInstance(RequestType.SET, partial);
    }

    /**
     * Sets {@code property} only if it is absent; completes with {@code null} when this call set it,
     * otherwise with the existing value (unchanged). Of two concurrent inserts exactly one wins.
     *
     * @throws InvalidPropertyException when the type has no such property, or {@code value} is not of its class
     */
    public CompletableFuture<Object> insert(String property, Object value) {
        ensureOpen();
        final byte[] key = name(property, "property");
        final byte[] v = encodeValue(property, value, "value");
        return submit(RequestType.INSERT, List.of(key), List.of(v), null).thenApply(r -> singleValue(property, r));
    }

    /**
     * Inserts each non-null property of {@code partial} that is absent, in one atomic request;
     * completes with the properties that already existed and their existing (unchanged) values, so
     * an empty map means everything was inserted.
     */
    public CompletableFuture<Map<String, Object>> insertInstance(T partial) {
        return writeInstance(RequestType.INSERT, partial);
    }

    /**
     * Compare-and-set with {@code ConcurrentMap.replace}'s argument order: sets {@code property} to
     * {@code newValue} only if its current value is {@code expectedValue} (compared as encoded
     * bytes); completes with whether it did. Of two concurrent calls expecting the same value,
     * exactly one completes with {@code true}.
     *
     * <pre>{@code
     * // maxUsers goes from 10 to 12, only if it is still 10
     * boolean raised = room.replace("maxUsers", 10, 12).get();
     * }</pre>
     *
     * The same replicated operation as {@code updateIf(property, newValue, expectedValue)}.
     *
     * @throws InvalidPropertyException when the type has no such property, or a value is not of its class
     */
    public CompletableFuture<Boolean> replace(String property, Object expectedValue, Object newValue) {
        ensureOpen();
        final byte[] key = name(property, "property");
        final byte[] expected = encodeValue(property, expectedValue, "expectedValue");
        final byte[] v = encodeValue(property, newValue, "newValue");
        return updateIf(key, v, expected);
    }

    /**
     * The original's compare-and-set, <b>new value first</b>: sets {@code property} to
     * {@code newValue} only if its current value is {@code oldValue} (compared as encoded bytes);
     * completes with whether it did. {@code oldValue} may not be {@code null}: to require absence
     * use {@link #insert} or {@link #updateInstanceIf(Object, Map)}. {@link #replace} takes the
     * expected value first, as {@code ConcurrentMap} does.
     *
     * <pre>{@code
     * // maxUsers goes from 10 to 12, only if it is still 10
     * boolean raised = room.updateIf("maxUsers", 12, 10).get();
     * }</pre>
     *
     * @throws InvalidPropertyException when the type has no such property, or a value is not of its class
     */
    public CompletableFuture<Boolean> updateIf(String property, Object newValue, Object oldValue) {
        ensureOpen();
        final byte[] key = name(property, "property");
        final byte[] v = encodeValue(property, newValue, "newValue");
        final byte[] old = encodeValue(property, oldValue, "oldValue");
        return updateIf(key, v, old);
    }

    private CompletableFuture<Boolean> updateIf(byte[] key, byte[] newValue, byte[] expected) {
        final RecordCondition condition = new RecordCondition().expect(key, expected);
        return submit(RequestType.SET, List.of(key), List.of(newValue), condition.toBytes())
                .thenApply(StorageResult::applied);
    }

    /**
     * Sets every non-null property of {@code newValues} only if every non-null property of
     * {@code expected} currently has that value; one atomic request. Properties that are
     * {@code null} in {@code expected} are not checked; to require absence use
     * {@link #updateInstanceIf(Object, Map)}. Completes with whether it applied; of several
     * concurrent calls with the same expectation exactly one succeeds when they set that property.
     *
     * @throws IllegalArgumentException when {@code newValues} has no non-null property
     */
    public CompletableFuture<Boolean> updateInstanceIf(T newValues, T expected) {
        ensureOpen();
        Objects.requireNonNull(expected, "expected");
        final RecordCondition condition = new RecordCondition();
        encodeProperties(expected).forEach((property, value) -> condition.expect(name(property, "property"), value));
        return updateIf(newValues, condition);
    }

    /**
     * Like {@link #updateInstanceIf(Object, Object)}, with the condition given per property: every
     * entry of {@code expected} must hold, where a {@code null} value means "the property must be
     * absent" (so a {@code java.util.HashMap} is needed to express absence). An empty map is no
     * condition.
     *
     * @throws IllegalArgumentException when {@code newValues} has no non-null property
     * @throws InvalidPropertyException when {@code expected} names a property the type does not
     *         have, or a value that is not of its property's class
     */
    public CompletableFuture<Boolean> updateInstanceIf(T newValues, Map<String, ?> expected) {
        ensureOpen();
        Objects.requireNonNull(expected, "expected");
        final RecordCondition condition = new RecordCondition();
        expected.forEach((property, value) -> {
            final byte[] key = name(property, "expected property");
            if (value == null) {
                checkKnown(property);
                condition.expectAbsent(key);
            } else {
                condition.expect(key, encodeValue(property, value, "expected value"));
            }
        });
        return updateIf(newValues, condition);
    }

    /** Removes {@code property} (any name: no check); completes with whether it existed. */
    public CompletableFuture<Boolean> delete(String property) {
        ensureOpen();
        final byte[] key = name(property, "property");
        return submit(RequestType.DELETE, List.of(key), List.of(), null).thenApply(r -> !r.keys().isEmpty());
    }

    /** Removes every property; listeners get one {@link RecordListener#onCleared()}. */
    public CompletableFuture<Void> clear() {
        ensureOpen();
        return submit(RequestType.CLEAR, List.of(), List.of(), null).thenApply(r -> null);
    }

    /**
     * Replaces the replicated record with the non-null properties of {@code value}: a {@link #clear()}
     * followed by a {@link #setInstance}. These are two log entries, not one atomic step: other peers
     * may observe (and write into) the empty record in between.
     */
    public CompletableFuture<Void> importInstance(T value) {
        ensureOpen();
        encodeProperties(Objects.requireNonNull(value, "value")); // fails before anything is submitted
        return clear().thenCompose(ignored -> setInstance(value)).thenApply(ignored -> null);
    }

    // ---------------------------------------------------------------- events and lifecycle

    /** Adds a listener for changes of the local replica (see {@link RecordListener} for threads). */
    public void addListener(RecordListener listener) {
        ensureOpen();
        listeners.add(listener);
    }

    /** Removes one registration of {@code listener}; returns whether it was registered. */
    public boolean removeListener(RecordListener listener) {
        ensureOpen();
        return listeners.remove(listener);
    }

    /**
     * Detaches this object from the replicated record: stops events, tells the backend, and calls
     * {@link RecordListener#onClosed()} of each listener once, on this thread. Idempotent. The
     * replicated data stays. A write already submitted still completes. An event that the loop
     * thread is delivering at this moment may still reach a listener.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        backend.unsubscribe(recordId, eventSink);
        backend.closed(recordId);
        listeners.closeAll(l -> l.onClosed());
    }

    @Override
    public String toString() {
        return "HamokRecord{" + recordId + (closed.get() ? ", closed}" : "}");
    }

    private void onEvent(StorageEvent event) {
        if (listeners.isEmpty() || closed.get()) {
            return;
        }
        final String property;
        final Object oldValue;
        final Object newValue;
        try {
            property = event.key() == null ? null : propertyOf(event.key());
            oldValue = event.oldValue() == null ? null : decodeValue(property, event.oldValue());
            newValue = event.newValue() == null ? null : decodeValue(property, event.newValue());
        } catch (RuntimeException e) {
            LOG.warn("record '{}': cannot decode a {} event, listeners not called", recordId, event.type(), e);
            return;
        }
        final StorageEvent.Type type = event.type(); // the event is reused once this call returns
        listeners.deliver(type.name(), listener -> {
            switch (type) {
                case INSERTED -> listener.onInserted(property, newValue);
                case UPDATED -> listener.onUpdated(property, oldValue, newValue);
                case REMOVED -> listener.onRemoved(property, oldValue);
                case CLEARED -> listener.onCleared();
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private CompletableFuture<Boolean> updateIf(T newValues, RecordCondition condition) {
        final Map<String, byte[]> encoded = encodeProperties(Objects.requireNonNull(newValues, "newValues"));
        if (encoded.isEmpty()) {
            throw new IllegalArgumentException("record '" + recordId + "': newValues has no non-null property to set");
        }
        final List<byte[]> keys = new ArrayList<>(encoded.size());
        encoded.keySet().forEach(property -> keys.add(name(property, "property")));
        return submit(RequestType.SET, keys, new ArrayList<>(encoded.values()), condition.toBytes())
                .thenApply(StorageResult::applied);
    }

    private CompletableFuture<Map<String, Object>> writeInstance(RequestType type, T partial) {
        ensureOpen();
        final Map<String, byte[]> encoded = encodeProperties(Objects.requireNonNull(partial, "partial"));
        if (encoded.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        final List<byte[]> keys = new ArrayList<>(encoded.size());
        encoded.keySet().forEach(property -> keys.add(name(property, "property")));
        return submit(type, keys, new ArrayList<>(encoded.values()), null).thenApply(this::propertiesOf);
    }

    private CompletableFuture<StorageResult> submit(RequestType type, List<byte[]> keys, List<byte[]> values,
                                                    byte[] prevValue) {
        return backend.submit(StorageKind.RECORD, recordId, type, keys, values, prevValue, requestTimeoutMs)
                .thenApply(this::requireAccepted);
    }

    private StorageResult requireAccepted(StorageResult result) {
        if (result.error() != null) {
            throw new StorageKindMismatchException("record '" + recordId + "': request refused: " + result.error());
        }
        return result;
    }

    private Object singleValue(String property, StorageResult result) {
        return result.values().isEmpty() ? null : decodeResult(property, result.values().get(0));
    }

    private Map<String, Object> propertiesOf(StorageResult result) {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < result.keys().size(); i++) {
            final String property = propertyOf(result.keys().get(i));
            out.put(property, decodeResult(property, result.values().get(i)));
        }
        return out;
    }

    private T decodeInstance(EntriesView view) {
        final Map<String, byte[]> properties = new HashMap<>();
        for (Map.Entry<ByteKey, byte[]> e : view.copy().entrySet()) {
            properties.put(propertyOf(e.getKey().bytes()), e.getValue());
        }
        try {
            return Objects.requireNonNull(codec.decode(properties), "codec decoded null");
        } catch (RuntimeException e) {
            throw new HamokException("record '" + recordId + "': cannot decode the instance from properties "
                    + properties.keySet() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, byte[]> encodeProperties(T value) {
        final Map<String, byte[]> encoded = codec.encodeProperties(value);
        encoded.forEach((property, bytes) -> {
            Objects.requireNonNull(property, "codec returned a null property name");
            Objects.requireNonNull(bytes, () -> "codec returned a null value for property " + property);
        });
        return encoded;
    }

    /** Checks the property and the value's class (when the codec declares them), then encodes. */
    private byte[] encodeValue(String property, Object value, String argument) {
        Objects.requireNonNull(value, argument);
        checkKnown(property);
        if (propertyTypes != null) {
            final Class<?> type = propertyTypes.get(property);
            if (!type.isInstance(value)) {
                throw InvalidPropertyException.wrongType(recordId, property, type, value);
            }
        }
        return Objects.requireNonNull(codec.encodeValue(property, value),
                () -> "codec returned null for property " + property);
    }

    private void checkKnown(String property) {
        if (propertyTypes != null && !propertyTypes.containsKey(property)) {
            throw InvalidPropertyException.unknown(recordId, property, propertyTypes.keySet());
        }
    }

    private Object decodeValue(String property, byte[] bytes) {
        return decodeValue(property, bytes, false);
    }

    /** Decodes a value in the result of a write: the write was applied, whatever decoding says. */
    private Object decodeResult(String property, byte[] bytes) {
        return decodeValue(property, bytes, true);
    }

    private Object decodeValue(String property, byte[] bytes, boolean ofAppliedWrite) {
        try {
            return Objects.requireNonNull(codec.decodeValue(property, bytes), "codec decoded null");
        } catch (RuntimeException e) {
            throw new HamokException("record '" + recordId + "': cannot decode property '" + property + "'"
                    + (ofAppliedWrite ? " in the result of a write that was applied" : "") + ": " + e.getMessage(),
                    e, ofAppliedWrite);
        }
    }

    private static byte[] name(String property, String argument) {
        return Objects.requireNonNull(property, argument).getBytes(StandardCharsets.UTF_8);
    }

    private static String propertyOf(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    private EntriesView view() {
        return backend.view(recordId);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageClosedException("record '" + recordId + "' is closed");
        }
    }
}
