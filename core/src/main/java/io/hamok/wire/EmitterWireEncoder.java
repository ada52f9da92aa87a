// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static io.hamok.wire.ProtoWire.putBoolField;
import static io.hamok.wire.ProtoWire.putBytesElement;
import static io.hamok.wire.ProtoWire.putBytesField;
import static io.hamok.wire.ProtoWire.putInt32Field;
import static io.hamok.wire.ProtoWire.putUint64Field;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.agrona.MutableDirectBuffer;

/**
 * Writes an emitter's direct messages (not log entries: they go from one peer to another) as
 * complete {@code HamokMessage}s, in exactly the bytes the generated {@code toByteArray()} produces
 * for the same values, so {@link GridWireReader} and any protobuf parser read them. The original's
 * message types, with the emitter's storage id and {@code storage_kind} = EMITTER:
 *
 * <ul>
 *   <li>publish: UPDATE_ENTRIES_REQUEST, {@code request_id} = the publisher's message id,
 *       {@code keys} = [event], {@code values} = [payload]; answered by</li>
 *   <li>UPDATE_ENTRIES_RESPONSE, {@code request_id} echoed, {@code success} = whether a listener
 *       received it, {@code storage_kind} = EMITTER (no storage id);</li>
 *   <li>notify: UPDATE_ENTRIES_NOTIFICATION, as publish, never answered.</li>
 * </ul>
 *
 * <p>Buffer contract as {@link GridWireEncoder}: the caller guarantees the capacity (an
 * {@link org.agrona.ExpandableArrayBuffer} grows by itself). Stateless and allocation-free; any thread.
 */
public final class EmitterWireEncoder {
    private EmitterWireEncoder() {
    }

    /** A publish ({@code answered}) or a notify: one event and its payload for the emitter {@code storageId}. */
    public static int encodeDelivery(MutableDirectBuffer buffer, int offset, boolean answered, long messageId,
                                     byte[] storageId, byte[] event, byte[] payload, int storageKind) {
        int i = putInt32Field(buffer, offset, HamokMessage.TYPE_FIELD_NUMBER, answered
                ? MessageType.UPDATE_ENTRIES_REQUEST_VALUE : MessageType.UPDATE_ENTRIES_NOTIFICATION_VALUE);
        i = putUint64Field(buffer, i, HamokMessage.REQUEST_ID_FIELD_NUMBER, messageId);
        i = putBytesField(buffer, i, HamokMessage.STORAGE_ID_FIELD_NUMBER, storageId);
        i = putBytesElement(buffer, i, HamokMessage.KEYS_FIELD_NUMBER, event);
        i = putBytesElement(buffer, i, HamokMessage.VALUES_FIELD_NUMBER, payload);
        i = putInt32Field(buffer, i, HamokMessage.STORAGE_KIND_FIELD_NUMBER, storageKind);
        return i - offset;
    }

    /**
     * The answer to a publish: whether a listener of the receiving peer got it. No storage id: the
     * message id alone names the publish at its publisher.
     */
    public static int encodeAnswer(MutableDirectBuffer buffer, int offset, long messageId, boolean delivered,
                                   int storageKind) {
        int i = putInt32Field(buffer, offset, HamokMessage.TYPE_FIELD_NUMBER, MessageType.UPDATE_ENTRIES_RESPONSE_VALUE);
        i = putUint64Field(buffer, i, HamokMessage.REQUEST_ID_FIELD_NUMBER, messageId);
        i = putBoolField(buffer, i, HamokMessage.SUCCESS_FIELD_NUMBER, delivered);
        i = putInt32Field(buffer, i, HamokMessage.STORAGE_KIND_FIELD_NUMBER, storageKind);
        return i - offset;
    }
}
