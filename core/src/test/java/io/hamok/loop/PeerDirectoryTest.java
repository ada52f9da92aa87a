// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PeerDirectory}: small positive numbers for peer ids, stable and reversible. */
@Timeout(10)
class PeerDirectoryTest {

    @Test
    void shouldNumberPeersFromOneInOrderOfFirstSightAndKeepTheirNumbers() {
        final PeerDirectory peers = new PeerDirectory();
        assertEquals(1, peers.idOf("b"));
        assertEquals(2, peers.idOf("a"));
        assertEquals(1, peers.idOf("b"));
        assertEquals(3, peers.idOf("c"));
        assertEquals("b", peers.peerOf(1));
        assertEquals("a", peers.peerOf(2));
        assertEquals("c", peers.peerOf(3));
        assertEquals(2, peers.idOf(new String("a"))); // equal ids, not identical strings
    }
}
