// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

/**
 * A change a replica made while applying a committed request, reported on every replica in log
 * order. Keys and values are encoded bytes; {@code oldValue}/{@code newValue} are {@code null} where
 * they do not apply.
 *
 * <p><b>Reuse.</b> The state machine reports every change through one reused instance
 * ({@link ReplicatedStorages} fills it again for the next change), so an event handed to an
 * {@link ReplicatedStorages.Observer} or a subscriber is valid only during that call. Whoever keeps
 * an event past the call (a queue, another thread, a list in a test) keeps {@link #copy()}. The
 * arrays an event refers to are never modified, so a copy of the event object is enough. Instances
 * made with the public constructor or {@code copy()} never change.
 */
public final class StorageEvent {
    /** What happened to the key. */
    public enum Type {
        /** The key was absent and now has {@code newValue}. */
        INSERTED,
        /** The key had {@code oldValue} and now has {@code newValue}. */
        UPDATED,
        /** The key had {@code oldValue} and was removed. */
        REMOVED,
        /** The storage was cleared (key and values are null). */
        CLEARED,
        // Added for the queue (issue 12): a queue's items have no key, see QueueState.
        /** A queue became empty (its last item was popped, or it was cleared); key and values are null. */
        EMPTY,
        /** A queue that was empty got items; key and values are null. */
        NOT_EMPTY,
        /**
         * Added for the remote map: the key may have changed, and how is not known (a mutation was
         * executed, or may have been, but its result was lost with a leader change or a store failure).
         * Values are null: read the store.
         */
        UNKNOWN
    }

    private Type type;
    private String storageId;
    private byte[] key;
    private byte[] oldValue;
    private byte[] newValue;

    /** An event that never changes. */
    public StorageEvent(Type type, String storageId, byte[] key, byte[] oldValue, byte[] newValue) {
        set(type, storageId, key, oldValue, newValue);
    }

    /** The reused instance of a state machine (package-private: only the state machine refills events). */
    StorageEvent() {
    }

    StorageEvent set(Type type, String storageId, byte[] key, byte[] oldValue, byte[] newValue) {
        this.type = type;
        this.storageId = storageId;
        this.key = key;
        this.oldValue = oldValue;
        this.newValue = newValue;
        return this;
    }

    public Type type() {
        return type;
    }

    public String storageId() {
        return storageId;
    }

    public byte[] key() {
        return key;
    }

    public byte[] oldValue() {
        return oldValue;
    }

    public byte[] newValue() {
        return newValue;
    }

    /** An unchanging copy of this event (the arrays are shared: they are never modified). */
    public StorageEvent copy() {
        return new StorageEvent(type, storageId, key, oldValue, newValue);
    }

    @Override
    public String toString() {
        return "StorageEvent[" + type + " '" + storageId + "']";
    }
}
