// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.MemoryRemoteMap;
import io.hamok.remotemap.RemoteMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The {@link RemoteMap} contract on {@link MemoryRemoteMap}, and its test switches. */
class MemoryRemoteMapTest extends RemoteMapContractTest {
    @Override
    protected RemoteMap store() {
        return new MemoryRemoteMap();
    }

    @Test
    void shouldFailEveryCallAsNotAppliedWhileUnavailableAndKeepAJournal() throws Exception {
        final MemoryRemoteMap store = new MemoryRemoteMap();
        done(store.setAll(1, 1, List.of(b("a")), List.of(b("1"))));
        store.available(false);
        final Throwable down = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> done(store.setAll(1, 2, List.of(b("a")), List.of(b("2"))))).getCause();
        assertInstanceOf(RemoteStoreException.class, down);
        assertEquals(false, ((HamokException) down).mayHaveBeenApplied());
        store.available(true);
        done(store.removeAll(1, 3, List.of(b("a"))));
        assertEquals(List.of(1L, 3L), store.executedIndexes());
    }
}
