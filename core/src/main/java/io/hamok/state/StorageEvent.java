package io.hamok.state;

/**
 * A change a replica made while applying a committed request, reported on every replica in log
 * order. Keys and values are encoded bytes; {@code oldValue}/{@code newValue} are {@code null} where
 * they do not apply.
 */
public record StorageEvent(Type type, String storageId, byte[] key, byte[] oldValue, byte[] newValue) {
    /** What happened to the key. */
    public enum Type {
        /** The key was absent and now has {@code newValue}. */
        INSERTED,
        /** The key had {@code oldValue} and now has {@code newValue}. */
        UPDATED,
        /** The key had {@code oldValue} and was removed. */
        REMOVED,
        /** The storage was cleared (key and values are null). */
        CLEARED
    }
}
