// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * Joining a cluster through seeds failed: no seed answered in time (check the seed addresses, the
 * cluster id and the TLS settings), the instance had no address members could dial (set
 * {@code hamok.advertise}), or the cluster refused it (the peer id is a member with another
 * address: remove it first, or use another id). Nothing was changed by this instance
 * ({@link #mayHaveBeenApplied()} is false), though a leader may have added it just before a timeout:
 * joining again with the same id and address is safe.
 */
public final class JoinException extends HamokException {
    private static final long serialVersionUID = 1L;

    public JoinException(String message) {
        super(message, false);
    }
}
