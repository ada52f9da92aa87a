// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * A run of consecutive log entries, read one at a time into a caller's {@link LogEntryView}.
 * The leader hands its outbox a batch that reads straight from its log; a decoder hands the
 * follower a batch that reads straight from the received frame. Either way no entry is copied
 * until it is stored.
 *
 * <p>A batch is valid only during the call it is passed to.
 */
public interface EntryBatch {
    /** Number of entries in the batch (0 for a heartbeat). */
    int count();

    /**
     * Wraps {@code view} over entry {@code i} of the batch.
     *
     * @param i    0-based position, {@code 0 <= i < count()}
     * @param view the view to wrap
     * @return {@code view}
     */
    LogEntryView read(int i, LogEntryView view);
}
