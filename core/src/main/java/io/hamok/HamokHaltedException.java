// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * This instance stopped for good because going on would break Raft's safety: a leader asked it to
 * replace an entry it had committed, so the replicas have diverged (lost or corrupted state on some
 * node). Nothing sent to it is applied. What to do: keep its data for inspection, find the node whose
 * state was lost or corrupted, and replace the halted instance (new data directory, or a new peer id).
 *
 * <p>A write made after the halt was not applied ({@link #mayHaveBeenApplied()} false). A write
 * that was waiting when the instance halted and had already reached a leader may still be
 * committed by the rest of the cluster (true: outcome unknown).
 */
public final class HamokHaltedException extends HamokException {
    private static final long serialVersionUID = 1L;

    /** The operation did not run. */
    public HamokHaltedException(String peerId, String reason) {
        this(peerId, reason, false);
    }

    /** @param mayHaveBeenApplied whether the write had reached a leader before the halt */
    public HamokHaltedException(String peerId, String reason, boolean mayHaveBeenApplied) {
        super(peerId + " halted and serves nothing more: " + reason
                + (mayHaveBeenApplied ? " (the write had reached a leader: it may still be applied)" : ""),
                mayHaveBeenApplied);
    }
}
