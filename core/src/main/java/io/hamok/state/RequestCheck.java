// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

/**
 * Decides whether a storage request is well-formed for a storage, before anything changes. A refused
 * request is answered with the reason (never silently ignored) and changes nothing.
 */
public final class RequestCheck {
    private RequestCheck() {
    }

    /** Why {@code request} cannot be applied to the storage {@code storageId} of {@code kind}, or {@code null}. */
    public static String refusal(RequestView request, StorageKind kind, String storageId) {
        if (request.kind() != kind) {
            return kindMismatch(storageId, kind, request.kind());
        }
        final RequestType type = request.type();
        if (type == RequestType.EXECUTED) {
            return "an " + type + " outcome belongs to a " + StorageKind.REMOTE_MAP + ", not to a " + kind;
        }
        final int keys = request.keyCount();
        if ((type == RequestType.SET || type == RequestType.INSERT) && request.valueCount() != keys) {
            return type + " needs one value per key: " + keys + " keys, " + request.valueCount() + " values";
        }
        if (!request.conditional()) {
            return null;
        }
        if (type != RequestType.SET && type != RequestType.REMOVE) {
            return "a prevValue (condition) is only allowed on SET and REMOVE, not " + type;
        }
        if (kind != StorageKind.RECORD) { // a MAP or a REMOTE_MAP: one key and its expected value
            return keys == 1 ? null
                    : "a conditional " + type + " on a " + kind + " takes exactly one key, got " + keys;
        }
        if (keys == 0) {
            return "a conditional " + type + " on a RECORD takes at least one key";
        }
        try {
            RecordCondition.fromBytes(request.prevValueCopy());
            return null;
        } catch (IllegalArgumentException e) {
            return "the prevValue of a conditional " + type + " on a RECORD is not a RecordExpectations message";
        }
    }

    public static String kindMismatch(String storageId, StorageKind kind, StorageKind requested) {
        return "storage '" + storageId + "' is a " + kind + ", not a " + requested;
    }
}
