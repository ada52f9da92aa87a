// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import java.util.Arrays;

/**
 * Numbers the peers a loop talks to, so that a frame in the inbound ring buffer carries a small
 * int (its message type id) instead of a string. Lookups are lock-free and allocation-free from
 * any thread; adding an unknown peer copies the array (rare: membership changes).
 */
final class PeerDirectory {
    private volatile String[] ids = new String[0];

    /** The number of {@code peerId} (1-based, as ring buffer type ids must be positive), adding it if new. */
    int idOf(String peerId) {
        final String[] current = ids;
        for (int i = 0; i < current.length; i++) {
            if (current[i].equals(peerId)) {
                return i + 1;
            }
        }
        return add(peerId);
    }

    private synchronized int add(String peerId) {
        final String[] current = ids;
        for (int i = 0; i < current.length; i++) {
            if (current[i].equals(peerId)) {
                return i + 1;
            }
        }
        final String[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = peerId;
        ids = grown;
        return grown.length;
    }

    /** The peer of number {@code id}, as given by {@link #idOf(String)}. */
    String peerOf(int id) {
        return ids[id - 1];
    }
}
