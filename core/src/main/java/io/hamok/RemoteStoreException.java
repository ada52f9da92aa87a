// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * The external store of a {@link io.hamok.remotemap.HamokRemoteMap} (its {@link io.hamok.remotemap.RemoteMap}) failed.
 *
 * <p>For a write, {@link #mayHaveBeenApplied()} is exact: {@code false} means the store did not execute
 * the mutation and never will (the leader verified the store's applied index, or the store said it
 * never received the call, and the mutation is resolved as failed on every peer); {@code true} means
 * it may have been executed (it will not be executed again). For a read it is {@code false}.
 * Retrying a write is safe when it says {@code false}; otherwise read the store first.
 */
public class RemoteStoreException extends HamokException {
    private static final long serialVersionUID = 1L;

    public RemoteStoreException(String message, boolean mayHaveBeenApplied) {
        super(message, mayHaveBeenApplied);
    }

    public RemoteStoreException(String message, Throwable cause, boolean mayHaveBeenApplied) {
        super(message, cause, mayHaveBeenApplied);
    }
}
