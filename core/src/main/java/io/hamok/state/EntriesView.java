// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import java.util.Map;

/**
 * A read-only view of one storage's replicated entries, safe to read from any thread while the
 * loop thread applies commits (sequentially consistent per node: a read sees a prefix of the log).
 * Keys and values are encoded bytes and must not be modified.
 */
public interface EntriesView {
    /** The value of {@code key}, or {@code null} when absent. */
    byte[] get(byte[] key);

    boolean containsKey(byte[] key);

    int size();

    /** A point-in-time copy of the entries (key bytes to value bytes), in no particular order. */
    Map<ByteKey, byte[]> copy();
}
