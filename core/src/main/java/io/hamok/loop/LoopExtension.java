// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.RaftListener;
import io.hamok.raft.RaftNode;
import org.agrona.DirectBuffer;

/**
 * Code that runs on a {@link RaftLoop}'s thread next to the Raft node: the Hamok facade plugs its
 * grid in here. Every method is called on the loop thread, must not block, and should not throw
 * (an exception is logged and counted as a loop error). As a {@link RaftListener} it also hears
 * role, leader, membership and apply events.
 */
public interface LoopExtension extends RaftListener {
    /** The loop started (its transport is started). */
    default void onStart(RaftLoop loop) {
    }

    /**
     * A frame that decoded as a valid message but not a Raft one.
     *
     * @return whether the extension handled it (otherwise it is counted as ignored)
     */
    default boolean onFrame(String fromPeerId, DirectBuffer buffer, int offset, int length) {
        return false;
    }

    /** Once per duty cycle, after committed entries were applied; returns how much work it did. */
    default int doWork(long nowNs) {
        return 0;
    }

    /** The loop is closing. */
    default void onClose() {
    }
}
