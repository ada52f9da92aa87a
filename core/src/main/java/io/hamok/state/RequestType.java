// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.wire.proto.MessageType;

/**
 * What a storage request does when applied. The wire keeps the original's message types; a
 * request with a {@code prevValue} is the conditional form of SET (update-if) or REMOVE
 * (remove-if). Presence is exact: any value, an empty one included, is present.
 *
 * <p>Conditional requests ({@link StorageRequest#conditional()}) always answer, with
 * {@link StorageResult#applied()} telling whether the condition held:
 * <ul>
 *   <li>On a {@link StorageKind#MAP}: exactly one key (else refused with an error). SET-if needs one
 *       value and applies only if the key is present with a value equal byte-for-byte to
 *       {@code prevValue}; REMOVE-if removes the key under the same condition. On success the result
 *       is keys=[key], values=[old value].</li>
 *   <li>On a {@link StorageKind#RECORD}: one or more keys, and {@code prevValue} is a
 *       {@link RecordCondition} ({@code RecordExpectations} message): a list of properties, each with
 *       the value it must have or "must be absent", independent of the keys being written. If every
 *       expectation holds the request applies exactly as the unconditional SET or REMOVE (same result
 *       and events), otherwise nothing changes. This makes a record's {@code updateInstanceIf} one
 *       atomic request.</li>
 *   <li>INSERT, DELETE and CLEAR take no condition: a {@code prevValue} on them is refused.</li>
 * </ul>
 *
 * <p>A {@link StorageKind#QUEUE} takes no keys: INSERT pushes its values, REMOVE without values pops
 * the head (the result holds the item as its one value), CLEAR empties the queue and pushes its values
 * if it has any; see {@link io.hamok.queue.QueueState}.
 */
public enum RequestType {
    /**
     * Set every key to its value (events INSERTED or UPDATED); result: the old values of keys that
     * existed. Conditional form: update-if (see the class comment).
     */
    SET(MessageType.UPDATE_ENTRIES_REQUEST),
    /**
     * Set only absent keys (events INSERTED); result: the existing entries (key and value) of keys that
     * were present, not changed.
     */
    INSERT(MessageType.INSERT_ENTRIES_REQUEST),
    /** Remove keys (events REMOVED); result: the keys that existed (values not returned). */
    DELETE(MessageType.DELETE_ENTRIES_REQUEST),
    /**
     * Remove keys (events REMOVED); result: the removed entries with their values. Conditional form:
     * remove-if (see the class comment).
     */
    REMOVE(MessageType.REMOVE_ENTRIES_REQUEST),
    /** Remove everything (one CLEARED event, also when already empty); result: empty. */
    CLEAR(MessageType.CLEAR_ENTRIES_REQUEST),
    /**
     * Added for the remote map: the leader's outcome of executing the map's oldest pending mutation
     * (see {@link io.hamok.remotemap.RemoteMapState}); refused on every other kind.
     */
    EXECUTED(MessageType.REMOTE_MAP_EXECUTED);

    private final MessageType messageType;

    RequestType(MessageType messageType) {
        this.messageType = messageType;
    }

    public MessageType messageType() {
        return messageType;
    }

    /** The request type of a wire message type, or {@code null} if it is not a storage request. */
    public static RequestType of(MessageType type) {
        return type == MessageType.UNRECOGNIZED ? null : ofWire(type.getNumber());
    }

    /**
     * The request type of a {@code MessageType} number, or {@code null} if it is not a storage
     * request. Allocation-free (unlike {@code values()}, which copies its array).
     */
    public static RequestType ofWire(int messageType) {
        return switch (messageType) {
            case MessageType.UPDATE_ENTRIES_REQUEST_VALUE -> SET;
            case MessageType.INSERT_ENTRIES_REQUEST_VALUE -> INSERT;
            case MessageType.DELETE_ENTRIES_REQUEST_VALUE -> DELETE;
            case MessageType.REMOVE_ENTRIES_REQUEST_VALUE -> REMOVE;
            case MessageType.CLEAR_ENTRIES_REQUEST_VALUE -> CLEAR;
            case MessageType.REMOTE_MAP_EXECUTED_VALUE -> EXECUTED;
            default -> null;
        };
    }
}
