package io.hamok.state;

import io.hamok.wire.proto.MessageType;

/**
 * What a storage request does when applied. The wire keeps the original's message types; a
 * request with a {@code prevValue} is the conditional form of SET (update-if) or REMOVE
 * (remove-if).
 */
public enum RequestType {
    /** Set every key to its value; result: the old values of keys that existed. */
    SET(MessageType.UPDATE_ENTRIES_REQUEST),
    /** Set only absent keys; result: the existing values of keys that were present (not changed). */
    INSERT(MessageType.INSERT_ENTRIES_REQUEST),
    /** Remove keys; result: the keys that existed (values not returned). */
    DELETE(MessageType.DELETE_ENTRIES_REQUEST),
    /** Remove keys; result: the removed entries with their values. */
    REMOVE(MessageType.REMOVE_ENTRIES_REQUEST),
    /** Remove everything; result: empty. */
    CLEAR(MessageType.CLEAR_ENTRIES_REQUEST);

    private final MessageType messageType;

    RequestType(MessageType messageType) {
        this.messageType = messageType;
    }

    public MessageType messageType() {
        return messageType;
    }

    /** The request type of a wire message type, or {@code null} if it is not a storage request. */
    public static RequestType of(MessageType type) {
        for (RequestType t : values()) {
            if (t.messageType == type) {
                return t;
            }
        }
        return null;
    }
}
