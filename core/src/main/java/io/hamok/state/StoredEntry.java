// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

/**
 * One entry of a storage: its key and current value. An overwrite replaces the value reference in
 * place (a volatile write, as {@link java.util.concurrent.ConcurrentHashMap} does for its own nodes),
 * so it needs no new map node and no new key; the arrays themselves are never modified, so a reader
 * on another thread sees either the old or the new value, whole. Also the unit of a snapshot
 * ({@link StorageState#snapshotEntries}).
 */
public final class StoredEntry {
    final byte[] key;
    volatile byte[] value;

    public StoredEntry(byte[] key, byte[] value) {
        this.key = key;
        this.value = value;
    }

    public byte[] key() {
        return key;
    }

    public byte[] value() {
        return value;
    }
}
