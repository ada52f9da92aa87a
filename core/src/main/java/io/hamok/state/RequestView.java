// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.wire.GridWireReader;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The storage request in a log entry, read in place: a flyweight over the entry's bytes (a
 * {@link GridWireReader}), with no generated protobuf objects, so applying a request allocates only
 * what the storage keeps. The object form of the same request is {@link StorageRequest}.
 *
 * <p><b>Validity.</b> After {@link #wrap} returns {@code true} the view describes that request until
 * the next {@code wrap}; the wrapped bytes must stay unchanged meanwhile. An observer handed a view
 * must not keep it: call {@link #toRequest()} for a copy.
 *
 * <p><b>Ids.</b> {@link #sourceId()} and {@link #storageId()} are the same {@code String} instances
 * every time the same bytes come by (an {@link IdCache}), so looking them up allocates nothing.
 *
 * <p><b>Stored arrays.</b> The storage keeps values (and new keys) as arrays: {@code valueArray} and
 * {@code keyArray} copy them out of the entry, except when the peer that submitted the request still
 * holds its object form ({@link #hold}): then its arrays are used when they are equal byte for byte
 * to the entry's, and nothing is copied.
 *
 * <p>Loop thread only (one instance per state machine); not thread-safe.
 */
public final class RequestView {
    private final GridWireReader reader = new GridWireReader();
    private final IdCache ids;
    private final KeyProbe probe = new KeyProbe();
    private DirectBuffer buffer;
    private RequestType type;
    private StorageKind kind;
    private String sourceId;
    private String storageId;
    private StorageRequest held;

    public RequestView() {
        this(new IdCache());
    }

    RequestView(IdCache ids) {
        this.ids = ids;
    }

    /**
     * Reads the request in {@code buffer[offset, offset + length)}.
     *
     * @return whether the bytes are a storage request: a well-formed {@code HamokMessage} of a storage
     *         request type, with a storage kind and a non-empty storage id, and no embedded messages
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        held = null;
        this.buffer = null;
        if (reader.wrap(buffer, offset, length) != GridWireReader.OK || reader.embeddedMessageCount() > 0) {
            return false;
        }
        type = RequestType.ofWire(reader.type());
        kind = StorageKind.ofWire(reader.storageKind());
        if (type == null || kind == null || reader.storageIdLength() == 0) {
            return false;
        }
        this.buffer = buffer;
        sourceId = ids.id(buffer, reader.sourceIdOffset(), reader.sourceIdLength());
        storageId = ids.id(buffer, reader.storageIdOffset(), reader.storageIdLength());
        return true;
    }

    /** Forgets the wrapped bytes and the held request. */
    public void clear() {
        reader.clear();
        buffer = null;
        held = null;
    }

    public String sourceId() {
        return sourceId;
    }

    public long requestId() {
        return reader.requestId();
    }

    public String storageId() {
        return storageId;
    }

    public StorageKind kind() {
        return kind;
    }

    public RequestType type() {
        return type;
    }

    /** Whether the request carries a condition ({@code prev_value}, possibly empty). */
    public boolean conditional() {
        return reader.hasPrevValue();
    }

    public int keyCount() {
        return reader.keyCount();
    }

    public int valueCount() {
        return reader.valueCount();
    }

    /** A copy of key {@code i} (allocates; the apply path uses {@link #probeKey}). */
    public byte[] keyCopy(int i) {
        return Slices.copy(buffer, reader.keyOffset(i), reader.keyLength(i));
    }

    /** A copy of value {@code i}. */
    public byte[] valueCopy(int i) {
        return Slices.copy(buffer, reader.valueOffset(i), reader.valueLength(i));
    }

    /** The object form of this request (allocates: for observers that keep it, and for tests). */
    public StorageRequest toRequest() {
        final List<byte[]> keys = new ArrayList<>(keyCount());
        for (int i = 0; i < keyCount(); i++) {
            keys.add(keyCopy(i));
        }
        final List<byte[]> values = new ArrayList<>(valueCount());
        for (int i = 0; i < valueCount(); i++) {
            values.add(valueCopy(i));
        }
        return new StorageRequest(sourceId, requestId(), kind, storageId, type, keys, values, prevValueCopy());
    }

    @Override
    public String toString() {
        return buffer == null ? "RequestView(empty)" : "RequestView(" + sourceId + "#" + requestId() + " " + type
                + " " + kind + " '" + storageId + "', " + keyCount() + " keys)";
    }

    // ------------------------------------------------------------------ for the storages (loop thread)

    /**
     * Lends the object form of this request, held by the peer that submitted it, whose arrays may be
     * stored instead of copies; {@code null} to lend nothing. Valid until the next {@link #wrap}.
     */
    void hold(StorageRequest request) {
        held = request;
    }

    /** This view's probe over key {@code i}, for lookups in place. */
    KeyProbe probeKey(int i) {
        return probe.wrap(buffer, reader.keyOffset(i), reader.keyLength(i));
    }

    /** Key {@code i} as an array to store: the held request's equal array, or a copy. */
    public byte[] keyArray(int i) {
        final int offset = reader.keyOffset(i);
        final int length = reader.keyLength(i);
        if (held != null && i < held.keys().size()) {
            final byte[] lent = held.keys().get(i);
            if (Slices.equal(buffer, offset, length, lent)) {
                return lent;
            }
        }
        return Slices.copy(buffer, offset, length);
    }

    /** Value {@code i} as an array to store: the held request's equal array, or a copy (the one allocation of an overwrite). */
    public byte[] valueArray(int i) {
        final int offset = reader.valueOffset(i);
        final int length = reader.valueLength(i);
        if (held != null && i < held.values().size()) {
            final byte[] lent = held.values().get(i);
            if (Slices.equal(buffer, offset, length, lent)) {
                return lent;
            }
        }
        return Slices.copy(buffer, offset, length);
    }

    /** Whether key {@code i} equals {@code bytes} byte for byte. Allocation-free. */
    public boolean keyEquals(int i, byte[] bytes) {
        return Slices.equal(buffer, reader.keyOffset(i), reader.keyLength(i), bytes);
    }

    /** Byte {@code i} of the condition, or -1 when it has fewer bytes (or none). Allocation-free. */
    public int prevValueByte(int i) {
        return conditional() && i < reader.prevValueLength() ? buffer.getByte(reader.prevValueOffset() + i) & 0xFF : -1;
    }

    /** The condition's bytes from {@code from} on, decoded as UTF-8 (allocates). */
    public String prevValueText(int from) {
        final int length = conditional() ? reader.prevValueLength() - from : 0;
        return length <= 0 ? "" : buffer.getStringWithoutLengthUtf8(reader.prevValueOffset() + from, length);
    }

    /** Whether the condition equals {@code current} byte for byte (only for {@link #conditional()} requests). */
    public boolean prevValueEquals(byte[] current) {
        return Slices.equal(buffer, reader.prevValueOffset(), reader.prevValueLength(), current);
    }

    /** A copy of the condition, or {@code null} when the request has none. */
    public byte[] prevValueCopy() {
        return conditional() ? Slices.copy(buffer, reader.prevValueOffset(), reader.prevValueLength()) : null;
    }
}
