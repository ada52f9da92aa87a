// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

/**
 * Turns values of one type into bytes and back, for the keys and values of a replicated storage.
 *
 * <p>Contract: {@code decode(encode(v))} equals {@code v}, and {@code encode} is deterministic (equal
 * values give equal bytes): conditional operations and key lookups compare encoded bytes, never
 * objects. Neither method is given {@code null}, and neither may return {@code null}: a storage
 * rejects a {@code null} key or value with a {@link NullPointerException} naming the argument, so
 * absence is always expressed by the key not being there.
 *
 * <p>Threads: {@code encode} runs on the caller's thread; {@code decode} on whichever thread reads
 * (a reader's thread, or the Hamok loop thread for listeners and results). Implementations must be
 * thread-safe and must not block. A codec may throw {@link IllegalArgumentException} (or a
 * {@link HamokException}) for input it cannot handle; storages report it with the key concerned.
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {
    /**
     * @param value never {@code null}
     * @return the encoded form; the caller owns the array
     */
    byte[] encode(T value);

    /**
     * @param bytes never {@code null}; may be empty; must not be modified or kept
     * @return the decoded value, never {@code null}
     */
    T decode(byte[] bytes);
}
