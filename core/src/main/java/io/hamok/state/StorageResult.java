// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import java.util.List;

/**
 * What applying a {@link StorageRequest} produced, for the peer that asked. Every replica computes
 * it (deterministically); only the requester uses it.
 *
 * @param applied for conditional requests whether the condition held; otherwise {@code true}
 * @param keys    keys the result is about (see {@link RequestType} for each type)
 * @param values  values aligned with {@code keys}, or empty when the type returns keys only, or the one
 *                item a queue pop took (no key)
 * @param error   why the request was refused (e.g. the storage id belongs to another kind), or {@code null}
 */
public record StorageResult(boolean applied, List<byte[]> keys, List<byte[]> values, String error) {
    public static final StorageResult EMPTY = new StorageResult(true, List.of(), List.of(), null);

    /** A conditional request whose condition did not hold: nothing changed (not an error). */
    public static final StorageResult NOT_APPLIED = new StorageResult(false, List.of(), List.of(), null);

    public static StorageResult refused(String error) {
        return new StorageResult(false, List.of(), List.of(), error);
    }

    /** Whether the request was refused ({@link #error()} says why) and changed nothing. */
    public boolean isRefused() {
        return error != null;
    }
}
