// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.remotemap.RemoteMap;
import io.hamok.remotemap.RemoteMap.Execution;
import io.hamok.remotemap.RemoteMap.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link RemoteMap} must do (the SPI's contract), run against each implementation: the
 * applied index and the fencing token checked and recorded atomically with each mutation, each
 * mutation's result, exact presence (an empty value is a value) and binary keys, and the reads.
 * A subclass gives a fresh, empty store per test.
 */
@Timeout(30)
public abstract class RemoteMapContractTest {
    private static final long TOKEN = 7L << 16;

    /** A fresh, empty store (a new key prefix, a new object). */
    protected abstract RemoteMap store() throws Exception;

    protected static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    protected static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> entries(Execution e) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < e.keys().size(); i++) {
            out.put(new String(e.keys().get(i), StandardCharsets.UTF_8), new String(e.values().get(i),
                    StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void shouldStartWithAppliedIndexZeroAndKeepTheHighestToken() throws Exception {
        final RemoteMap store = store();
        assertEquals(Execution.of(Status.EXECUTED, 0).status(), done(store.fence(TOKEN)).status());
        assertEquals(0, done(store.fence(TOKEN)).appliedIndex(), "the same token again is fine");
        assertEquals(Status.EXECUTED, done(store.fence(TOKEN + 1)).status());
        assertEquals(Status.FENCED, done(store.fence(TOKEN)).status(), "a lower token is refused");
    }

    @Test
    void shouldExecuteAMutationOnceAndRecordItsIndex() throws Exception {
        final RemoteMap store = store();
        done(store.fence(TOKEN));
        final Execution first = done(store.setAll(TOKEN, 1, List.of(b("a"), b("b")), List.of(b("1"), b("2"))));
        assertEquals(Status.EXECUTED, first.status());
        assertEquals(1, first.appliedIndex());
        assertEquals(Map.of(), entries(first));
        final Execution again = done(store.setAll(TOKEN, 1, List.of(b("a")), List.of(b("9"))));
        assertEquals(Status.ALREADY_APPLIED, again.status());
        assertEquals(1, again.appliedIndex());
        assertArrayEquals(b("1"), done(store.get(b("a"))), "nothing changed");
        final Execution second = done(store.setAll(TOKEN, 5, List.of(b("b"), b("c"), b("a")),
                List.of(b("3"), b("4"), b("5"))));
        assertEquals(5, second.appliedIndex(), "indexes may jump (a failed mutation was skipped)");
        assertEquals(Map.of("b", "2", "a", "1"), entries(second), "the old values of the keys that existed");
        assertEquals(Status.ALREADY_APPLIED, done(store.clear(TOKEN, 4)).status());
        assertEquals(5, done(store.fence(TOKEN)).appliedIndex());
        assertEquals(3L, done(store.size()));
    }

    @Test
    void shouldChangeNothingForALowerToken() throws Exception {
        final RemoteMap store = store();
        done(store.fence(TOKEN + 1));
        final Execution stale = done(store.setAll(TOKEN, 1, List.of(b("a")), List.of(b("1"))));
        assertEquals(Status.FENCED, stale.status());
        assertNull(done(store.get(b("a"))));
        assertEquals(0, done(store.fence(TOKEN + 1)).appliedIndex());
        assertEquals(Status.EXECUTED, done(store.setAll(TOKEN + 2, 1, List.of(b("a")), List.of(b("1")))).status(),
                "a higher token without a fence is taken");
        assertEquals(Status.FENCED, done(store.removeAll(TOKEN + 1, 2, List.of(b("a")))).status());
    }

    @Test
    void shouldInsertOnlyAbsentKeysAndRemoveWithValues() throws Exception {
        final RemoteMap store = store();
        done(store.fence(TOKEN));
        done(store.setAll(TOKEN, 1, List.of(b("a")), List.of(b("1"))));
        final Execution insert = done(store.insertAll(TOKEN, 2, List.of(b("a"), b("b")), List.of(b("x"), b("2"))));
        assertEquals(Map.of("a", "1"), entries(insert), "the existing entry, unchanged");
        assertArrayEquals(b("1"), done(store.get(b("a"))));
        final Execution removed = done(store.removeAll(TOKEN, 3, List.of(b("b"), b("zz"))));
        assertEquals(Map.of("b", "2"), entries(removed));
        done(store.clear(TOKEN, 4));
        assertEquals(0L, done(store.size()));
        assertEquals(4, done(store.fence(TOKEN)).appliedIndex());
    }

    @Test
    void shouldApplyConditionsOnExactBytes() throws Exception {
        final RemoteMap store = store();
        done(store.fence(TOKEN));
        done(store.setAll(TOKEN, 1, List.of(b("k"), b("e")), List.of(b("v"), new byte[0])));
        final Execution miss = done(store.replace(TOKEN, 2, b("k"), b("V"), b("w")));
        assertEquals(Status.EXECUTED, miss.status());
        assertFalse(miss.applied());
        assertEquals(2, done(store.fence(TOKEN)).appliedIndex(), "a failed condition is still executed");
        final Execution hit = done(store.replace(TOKEN, 3, b("k"), b("v"), b("w")));
        assertTrue(hit.applied());
        assertEquals(Map.of("k", "v"), entries(hit));
        assertFalse(done(store.replace(TOKEN, 4, b("absent"), new byte[0], b("x"))).applied());
        assertTrue(done(store.removeIf(TOKEN, 5, b("e"), new byte[0])).applied(), "an empty value is a value");
        assertFalse(done(store.removeIf(TOKEN, 6, b("k"), b("v"))).applied());
        assertArrayEquals(b("w"), done(store.get(b("k"))));
        assertNull(done(store.get(b("e"))));
    }

    @Test
    void shouldReadBinaryKeysAndValues() throws Exception {
        final RemoteMap store = store();
        done(store.fence(TOKEN));
        final byte[] zero = {0, (byte) 0xFF, 0};
        done(store.setAll(TOKEN, 1, List.of(zero, b("plain"), b("empty")), List.of(zero, b("p"), new byte[0])));
        assertArrayEquals(zero, done(store.get(zero)));
        assertArrayEquals(new byte[0], done(store.get(b("empty"))));
        final List<byte[]> values = done(store.getAll(List.of(b("plain"), b("none"), zero)));
        assertArrayEquals(b("p"), values.get(0));
        assertNull(values.get(1));
        assertArrayEquals(zero, values.get(2));
        assertEquals(3L, done(store.size()));
        final List<String> keys = new ArrayList<>();
        done(store.keys()).forEach(k -> keys.add(Arrays.toString(k)));
        assertEquals(3, keys.size());
        assertTrue(keys.contains(Arrays.toString(zero)));
        final Map<String, String> seen = new LinkedHashMap<>();
        done(store.forEach((k, v) -> seen.put(Arrays.toString(k), Arrays.toString(v))));
        assertEquals(Map.of(Arrays.toString(zero), Arrays.toString(zero), Arrays.toString(b("plain")),
                Arrays.toString(b("p")), Arrays.toString(b("empty")), "[]"), seen);
    }

    @Test
    void shouldScanAStoreLargerThanOnePage() throws Exception {
        final RemoteMap store = store();
        done(store.fence(TOKEN));
        final List<byte[]> keys = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            keys.add(b("k" + i));
            values.add(b("v" + i));
        }
        done(store.setAll(TOKEN, 1, keys, values));
        final Map<String, String> seen = new LinkedHashMap<>();
        done(store.forEach((k, v) -> seen.put(new String(k, StandardCharsets.UTF_8), new String(v,
                StandardCharsets.UTF_8))));
        assertEquals(1_500, seen.size());
        assertEquals("v777", seen.get("k777"));
    }
}
