// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import io.hamok.Codec;

import java.nio.charset.StandardCharsets;

/**
 * The replicated value of one lock: who holds it ({@code null} when free), the fencing token of the
 * acquisition that took it, and how often the holder renewed it since.
 *
 * <p>Every change is a compare-and-set on the exact encoded bytes, from one state to the next, so the
 * token is a counter written in the same entry as the acquisition: each taking of the lock (from free,
 * or from an expired holder) writes the previous token plus one, and a release keeps the token. Tokens
 * therefore grow strictly with every acquisition, in log order, and a value never repeats (no ABA).
 * This holds only while nothing deletes the key: a deleted lock would start again at token 1.
 */
record LockState(String holder, long token, long renewals) {
    /** Canonical text {@code token/renewals/holder} (holder empty when free), UTF-8: equal states, equal bytes. */
    static final Codec<LockState> CODEC = new Codec<>() {
        @Override
        public byte[] encode(LockState state) {
            return (state.token + "/" + state.renewals + "/" + (state.holder == null ? "" : state.holder))
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public LockState decode(byte[] bytes) {
            final String[] parts = new String(bytes, StandardCharsets.UTF_8).split("/", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a lock state: " + new String(bytes, StandardCharsets.UTF_8));
            }
            return new LockState(parts[2].isEmpty() ? null : parts[2], Long.parseLong(parts[0]),
                    Long.parseLong(parts[1]));
        }

        @Override
        public String toString() {
            return "LockState.CODEC";
        }
    };

    /** The first acquisition of a lock that was never held. */
    static LockState firstHeldBy(String owner) {
        return new LockState(owner, 1, 0);
    }

    /** The next acquisition, by {@code owner}: the token grows by one. */
    LockState takenBy(String owner) {
        return new LockState(owner, token + 1, 0);
    }

    LockState renewed() {
        return new LockState(holder, token, renewals + 1);
    }

    /** Free, keeping the token so that the next acquisition gets a greater one. */
    LockState released() {
        return new LockState(null, token, 0);
    }

    boolean isFree() {
        return holder == null;
    }
}
