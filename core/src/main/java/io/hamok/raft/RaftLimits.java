// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * The ranges every term and index from the network must lie in (docs/design.md §4.8). The wire
 * carries them as {@code uint64}; Java reads them into a {@code long}, so a value of 2^63 or more
 * arrives negative. Both limits are 2^62 - 1: far beyond what any cluster reaches (2^62 elections, or
 * entries), and low enough that {@code term + 1}, {@code index + count} and the sum of two indexes
 * never overflow. A message with a field outside its range is refused and counted
 * ({@link RaftCounters}), never acted on.
 */
public final class RaftLimits {
    /** The largest term accepted from the network. */
    public static final long MAX_TERM = (1L << 62) - 1;
    /** The largest log index, snapshot offset or snapshot length accepted from the network. */
    public static final long MAX_INDEX = (1L << 62) - 1;

    private RaftLimits() {
    }

    /** True when {@code term} is in [0, {@link #MAX_TERM}]. */
    public static boolean isTerm(long term) {
        return term >= 0 && term <= MAX_TERM;
    }

    /** True when {@code index} is in [0, {@link #MAX_INDEX}]. */
    public static boolean isIndex(long index) {
        return index >= 0 && index <= MAX_INDEX;
    }
}
