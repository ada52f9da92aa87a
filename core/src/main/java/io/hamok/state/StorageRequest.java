// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.GridWireEncoder;
import io.hamok.wire.proto.HamokMessage;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One storage request as it travels in a Raft log entry: who asked ({@code sourceId} and its
 * per-source {@code requestId}, which together identify the request cluster-wide and let every
 * replica apply a retried request once), which storage, what to do, and the encoded keys and
 * values. Its byte form is a {@link HamokMessage}; on the apply path the same bytes are read in place
 * by a {@link RequestView} instead. {@link #fromBytes} parses with the generated classes (startup
 * scans and tests, where it is an independent decoder).
 *
 * <p>Keys and values are encoded bytes; an empty array is a value like any other. The arrays are
 * not copied and must not be modified once the request exists.
 *
 * @param prevValue the condition of a conditional SET (update-if) or REMOVE (remove-if), {@code null}
 *                  for unconditional requests: on a MAP the expected current value of the one key; on
 *                  a RECORD a {@link RecordCondition#toBytes() RecordCondition} (see {@link RequestType})
 */
public record StorageRequest(String sourceId, long requestId, StorageKind kind, String storageId, RequestType type,
                             List<byte[]> keys, List<byte[]> values, byte[] prevValue) {

    public StorageRequest {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(storageId, "storageId");
        Objects.requireNonNull(type, "type");
        keys = List.copyOf(keys);
        values = List.copyOf(values);
    }

    public boolean conditional() {
        return prevValue != null;
    }

    /** The encoded request (a {@code HamokMessage}), as {@link #encode} writes it. */
    public byte[] toBytes() {
        final byte[] source = sourceId.getBytes(StandardCharsets.UTF_8);
        final byte[] storage = storageId.getBytes(StandardCharsets.UTF_8);
        final byte[] bytes = new byte[GridWireEncoder.storageRequestLength(type.messageType().getNumber(), source,
                requestId, storage, keys, values, prevValue, kind.wireNumber())];
        encode(new UnsafeBuffer(bytes), 0, source, storage);
        return bytes;
    }

    /**
     * Writes the encoded request at {@code offset} of an {@link ExpandableArrayBuffer} (which grows
     * as needed) and returns its length: the caller's-thread half of the allocation-free path, into
     * a pooled buffer. The bytes are those of {@code HamokMessage.toByteArray()} for the same fields.
     */
    public int encode(ExpandableArrayBuffer buffer, int offset) {
        return encode(buffer, offset, sourceId.getBytes(StandardCharsets.UTF_8),
                storageId.getBytes(StandardCharsets.UTF_8));
    }

    private int encode(MutableDirectBuffer buffer, int offset, byte[] source, byte[] storage) {
        return GridWireEncoder.encodeStorageRequest(buffer, offset, type.messageType().getNumber(), source, requestId,
                storage, keys, values, prevValue, kind.wireNumber());
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a storage request
     */
    public static StorageRequest fromBytes(byte[] bytes) {
        final HamokMessage m;
        try {
            m = HamokMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a HamokMessage: " + e.getMessage(), e);
        }
        return of(m);
    }

    /**
     * @throws IllegalArgumentException when the message is not a storage request
     */
    public static StorageRequest of(HamokMessage m) {
        final RequestType type = RequestType.of(m.getType());
        final StorageKind kind = StorageKind.ofWire(m.getStorageKindValue());
        if (type == null || kind == null || m.getStorageId().isEmpty()) {
            throw new IllegalArgumentException("not a storage request: type " + m.getType() + ", kind "
                    + m.getStorageKindValue() + ", storage '" + m.getStorageId() + "'");
        }
        return new StorageRequest(m.getSourceId(), m.getRequestId(), kind, m.getStorageId(),
                type, bytesOf(m.getKeysList()), bytesOf(m.getValuesList()),
                m.hasPrevValue() ? m.getPrevValue().toByteArray() : null);
    }

    private static List<byte[]> bytesOf(List<ByteString> list) {
        final List<byte[]> out = new ArrayList<>(list.size());
        list.forEach(b -> out.add(b.toByteArray()));
        return out;
    }
}
