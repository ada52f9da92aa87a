// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static io.hamok.wire.ProtoWire.int32FieldSize;
import static io.hamok.wire.ProtoWire.lengthDelimitedFieldSize;
import static io.hamok.wire.ProtoWire.lengthDelimitedSize;
import static io.hamok.wire.ProtoWire.putBoolField;
import static io.hamok.wire.ProtoWire.putBytesElement;
import static io.hamok.wire.ProtoWire.putBytesField;
import static io.hamok.wire.ProtoWire.putInt32Field;
import static io.hamok.wire.ProtoWire.putLengthPrefix;
import static io.hamok.wire.ProtoWire.putUint64Field;
import static io.hamok.wire.ProtoWire.uint64FieldSize;

import java.util.List;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the grid's messages (storage requests, SUBMIT_MESSAGE_REQUEST and _RESPONSE) as complete
 * {@code HamokMessage}s straight into a caller's buffer, in exactly the bytes the generated
 * {@code toByteArray()} produces for the same values (fields in number order, proto3 defaults
 * omitted), so {@link GridWireReader} and any protobuf parser read them.
 *
 * <p><b>Buffer contract.</b> Each {@code encode*} method writes one message at {@code offset} and
 * returns its length. The caller guarantees the capacity: {@link #storageRequestLength} for a storage
 * request; an {@link org.agrona.ExpandableArrayBuffer} grows by itself (the grid's buffers are such).
 * Strings are passed as their UTF-8 bytes. Nothing is kept after a call returns.
 *
 * <p>Stateless and allocation-free; any thread. Lists are read by index (pass random-access lists).
 */
public final class GridWireEncoder {
    private GridWireEncoder() {
    }

    /** The exact length {@link #encodeStorageRequest} writes for these arguments. */
    public static int storageRequestLength(int type, byte[] sourceId, long requestId, byte[] storageId,
                                           List<byte[]> keys, List<byte[]> values, byte[] prevValue,
                                           int storageKind) {
        int length = int32FieldSize(HamokMessage.TYPE_FIELD_NUMBER, type)
            + lengthDelimitedFieldSize(HamokMessage.SOURCE_ID_FIELD_NUMBER, sourceId.length)
            + uint64FieldSize(HamokMessage.REQUEST_ID_FIELD_NUMBER, requestId)
            + lengthDelimitedFieldSize(HamokMessage.STORAGE_ID_FIELD_NUMBER, storageId.length)
            + int32FieldSize(HamokMessage.STORAGE_KIND_FIELD_NUMBER, storageKind);
        for (int i = 0; i < keys.size(); i++) {
            length += lengthDelimitedSize(HamokMessage.KEYS_FIELD_NUMBER, keys.get(i).length);
        }
        for (int i = 0; i < values.size(); i++) {
            length += lengthDelimitedSize(HamokMessage.VALUES_FIELD_NUMBER, values.get(i).length);
        }
        if (prevValue != null) {
            length += lengthDelimitedSize(HamokMessage.PREV_VALUE_FIELD_NUMBER, prevValue.length);
        }
        return length;
    }

    /**
     * Writes a storage request: {@code type} (a {@code MessageType} number), source id, request id,
     * storage id, keys, values, the optional {@code prevValue} ({@code null} = absent; an empty array
     * is present) and {@code storageKind} (a {@code StorageKind} number).
     */
    public static int encodeStorageRequest(MutableDirectBuffer buffer, int offset, int type, byte[] sourceId,
                                           long requestId, byte[] storageId, List<byte[]> keys,
                                           List<byte[]> values, byte[] prevValue, int storageKind) {
        int i = putInt32Field(buffer, offset, HamokMessage.TYPE_FIELD_NUMBER, type);
        i = putBytesField(buffer, i, HamokMessage.SOURCE_ID_FIELD_NUMBER, sourceId);
        i = putUint64Field(buffer, i, HamokMessage.REQUEST_ID_FIELD_NUMBER, requestId);
        i = putBytesField(buffer, i, HamokMessage.STORAGE_ID_FIELD_NUMBER, storageId);
        for (int k = 0; k < keys.size(); k++) {
            i = putBytesElement(buffer, i, HamokMessage.KEYS_FIELD_NUMBER, keys.get(k));
        }
        for (int v = 0; v < values.size(); v++) {
            i = putBytesElement(buffer, i, HamokMessage.VALUES_FIELD_NUMBER, values.get(v));
        }
        if (prevValue != null) {
            i = putBytesElement(buffer, i, HamokMessage.PREV_VALUE_FIELD_NUMBER, prevValue);
        }
        i = putInt32Field(buffer, i, HamokMessage.STORAGE_KIND_FIELD_NUMBER, storageKind);
        return i - offset;
    }

    /**
     * Writes a SUBMIT_MESSAGE_REQUEST: the request id and one entry whose payload is
     * {@code payload[payloadOffset, payloadOffset + payloadLength)} (term, timestamp and type left
     * to the leader).
     */
    public static int encodeSubmitRequest(MutableDirectBuffer buffer, int offset, long requestId, DirectBuffer payload,
                                          int payloadOffset, int payloadLength) {
        int i = putInt32Field(buffer, offset, HamokMessage.TYPE_FIELD_NUMBER,
            MessageType.SUBMIT_MESSAGE_REQUEST_VALUE);
        i = putUint64Field(buffer, i, HamokMessage.REQUEST_ID_FIELD_NUMBER, requestId);
        i = putLengthPrefix(buffer, i, HamokMessage.ENTRIES_FIELD_NUMBER, entryLength(payloadLength));
        i = ProtoWire.putBytesField(buffer, i, LogEntry.PAYLOAD_FIELD_NUMBER, payload, payloadOffset, payloadLength);
        return i - offset;
    }

    /** Writes a SUBMIT_MESSAGE_RESPONSE; {@code leaderId} is the UTF-8 leader id, or {@code null} when none is known. */
    public static int encodeSubmitResponse(MutableDirectBuffer buffer, int offset, long requestId, boolean success,
                                           byte[] leaderId) {
        int i = putInt32Field(buffer, offset, HamokMessage.TYPE_FIELD_NUMBER,
            MessageType.SUBMIT_MESSAGE_RESPONSE_VALUE);
        i = putUint64Field(buffer, i, HamokMessage.REQUEST_ID_FIELD_NUMBER, requestId);
        i = putBoolField(buffer, i, HamokMessage.SUCCESS_FIELD_NUMBER, success);
        if (leaderId != null) {
            i = putBytesField(buffer, i, HamokMessage.RAFT_LEADER_ID_FIELD_NUMBER, leaderId);
        }
        return i - offset;
    }

    private static int entryLength(int payloadLength) {
        return lengthDelimitedFieldSize(LogEntry.PAYLOAD_FIELD_NUMBER, payloadLength);
    }
}
