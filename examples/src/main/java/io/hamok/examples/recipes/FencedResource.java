// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

/**
 * What a lock protects, as it should check fencing tokens: a stand-in for an external store (a
 * database row with a {@code token} column and {@code UPDATE ... WHERE token <= ?}, a file service, a
 * device). It remembers the highest token it has accepted and refuses a write with a lower one, so a
 * holder that lost its lock while paused cannot overwrite the work of the holder after it. The same
 * holder may write many times with its token. Thread-safe.
 *
 * @param <T> the value written
 */
public final class FencedResource<T> {
    private long highestToken = Long.MIN_VALUE;
    private T value;

    /**
     * Writes {@code value} if {@code token} is at least the highest token accepted so far.
     *
     * @return whether the write was accepted
     */
    public synchronized boolean write(long token, T value) {
        if (token < highestToken) {
            return false;
        }
        highestToken = token;
        this.value = value;
        return true;
    }

    /** The last value accepted, or {@code null}. */
    public synchronized T value() {
        return value;
    }

    /** The highest token accepted, or {@link Long#MIN_VALUE} before any write. */
    public synchronized long highestToken() {
        return highestToken;
    }
}
