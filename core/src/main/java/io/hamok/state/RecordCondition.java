// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.proto.RecordExpectation;
import io.hamok.wire.proto.RecordExpectations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The condition of a conditional request on a {@link StorageKind#RECORD} storage: a list of
 * properties with the value each must have ({@link #expect}) or that must be absent
 * ({@link #expectAbsent}). Its byte form ({@link #toBytes()}, a {@code RecordExpectations} message)
 * is the request's {@link StorageRequest#prevValue()}, so a record's {@code updateInstanceIf}
 * (several properties checked and set) is one atomic log entry.
 *
 * <p>Values are compared byte-for-byte; an empty value is a value, distinct from absent. An empty
 * condition always holds. Not thread-safe while being built; keys and values are not copied.
 */
public final class RecordCondition {
    private final List<byte[]> keys = new ArrayList<>();
    /** Aligned with keys; {@code null} = the property must be absent. */
    private final List<byte[]> values = new ArrayList<>();

    /** The property {@code key} must currently have exactly {@code value}. */
    public RecordCondition expect(byte[] key, byte[] value) {
        keys.add(requireNonNull(key, "key"));
        values.add(requireNonNull(value, "value"));
        return this;
    }

    /** The property {@code key} must currently be absent. */
    public RecordCondition expectAbsent(byte[] key) {
        keys.add(requireNonNull(key, "key"));
        values.add(null);
        return this;
    }

    public int size() {
        return keys.size();
    }

    /** Whether every expectation holds on {@code entries}. */
    public boolean holds(Map<ByteKey, byte[]> entries) {
        return holds(entries::get);
    }

    /** Whether every expectation holds on a storage (loop thread). */
    boolean holds(EntriesState state) {
        return holds(state::valueOf);
    }

    private boolean holds(Function<ByteKey, byte[]> entries) {
        for (int i = 0; i < keys.size(); i++) {
            final byte[] current = entries.apply(new ByteKey(keys.get(i)));
            final byte[] expected = values.get(i);
            if (expected == null ? current != null : current == null || !Arrays.equals(current, expected)) {
                return false;
            }
        }
        return true;
    }

    /** The encoding carried in {@link StorageRequest#prevValue()}. */
    public byte[] toBytes() {
        final RecordExpectations.Builder b = RecordExpectations.newBuilder();
        for (int i = 0; i < keys.size(); i++) {
            final RecordExpectation.Builder e = RecordExpectation.newBuilder().setKey(ByteString.copyFrom(keys.get(i)));
            if (values.get(i) != null) {
                e.setValue(ByteString.copyFrom(values.get(i)));
            }
            b.addExpectations(e);
        }
        return b.build().toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a {@code RecordExpectations} message
     */
    public static RecordCondition fromBytes(byte[] bytes) {
        final RecordExpectations m;
        try {
            m = RecordExpectations.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a RecordExpectations message: " + e.getMessage(), e);
        }
        final RecordCondition c = new RecordCondition();
        for (RecordExpectation e : m.getExpectationsList()) {
            if (e.hasValue()) {
                c.expect(e.getKey().toByteArray(), e.getValue().toByteArray());
            } else {
                c.expectAbsent(e.getKey().toByteArray());
            }
        }
        return c;
    }

    private static byte[] requireNonNull(byte[] bytes, String what) {
        if (bytes == null) {
            throw new NullPointerException(what);
        }
        return bytes;
    }
}
