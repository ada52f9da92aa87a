// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.hamok.state.StateFixtures.EMPTY;
import static io.hamok.state.StateFixtures.b;
import static io.hamok.state.StateFixtures.bs;
import static io.hamok.state.StateFixtures.request;
import static io.hamok.state.StateFixtures.same;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flyweight over a log entry: what it reads, what it refuses, and which arrays it hands out. */
@Timeout(30)
class RequestViewTest {
    private final RequestView view = new RequestView();

    private boolean wrap(byte[] bytes) {
        final byte[] framed = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, framed, 7, bytes.length);
        return view.wrap(new UnsafeBuffer(framed), 7, bytes.length);
    }

    @Test
    void shouldReadARequestAsItsObjectFormWrote() {
        final StorageRequest r = request("peer-é", 1L << 62, StorageKind.RECORD, "store", RequestType.SET,
                bs("a", "b"), List.of(b("1"), EMPTY), b("cond"));

        assertTrue(wrap(r.toBytes()));

        assertEquals("peer-é", view.sourceId());
        assertEquals(1L << 62, view.requestId());
        assertEquals("store", view.storageId());
        assertEquals(StorageKind.RECORD, view.kind());
        assertEquals(RequestType.SET, view.type());
        assertTrue(view.conditional());
        assertEquals(2, view.keyCount());
        assertEquals(2, view.valueCount());
        final StorageRequest back = view.toRequest();
        assertTrue(same(r.keys(), back.keys()) && same(r.values(), back.values()));
        assertArrayEquals(b("cond"), back.prevValue());
        assertEquals(r.sourceId(), back.sourceId());
    }

    @Test
    void shouldGiveTheSameIdInstancesForTheSameBytes() {
        assertTrue(wrap(request("p", 1, StorageKind.MAP, "m", RequestType.CLEAR, List.of(), List.of(), null).toBytes()));
        final String source = view.sourceId();
        final String storage = view.storageId();

        assertTrue(wrap(request("p", 2, StorageKind.MAP, "m", RequestType.CLEAR, List.of(), List.of(), null).toBytes()));

        assertSame(source, view.sourceId());
        assertSame(storage, view.storageId());
    }

    @Test
    void shouldRefuseWhatIsNotAStorageRequest() {
        final HamokMessage.Builder ok = HamokMessage.newBuilder().setType(MessageType.UPDATE_ENTRIES_REQUEST)
                .setStorageId("m").setStorageKindValue(1);
        assertTrue(wrap(ok.build().toByteArray()));

        assertFalse(wrap(ok.clone().setType(MessageType.SUBMIT_MESSAGE_REQUEST).build().toByteArray()), "type");
        assertFalse(wrap(ok.clone().setStorageKindValue(0).build().toByteArray()), "no kind");
        assertFalse(wrap(ok.clone().setStorageKindValue(99).build().toByteArray()), "unknown kind"); // 3 is QUEUE now
        assertFalse(wrap(ok.clone().clearStorageId().build().toByteArray()), "no storage id");
        assertFalse(wrap(ok.clone().addEmbeddedMessages(HamokMessage.newBuilder().setTerm(1)).build().toByteArray()),
                "embedded messages are never part of a storage request");
        assertFalse(wrap(new byte[] {(byte) 0xFF}), "garbage");
        assertFalse(wrap(EMPTY), "empty");
    }

    @Test
    void shouldStoreTheHeldRequestsArraysOnlyWhereTheirBytesAreEqual() {
        final byte[] key = b("k");
        final byte[] value = b("v1");
        final StorageRequest r = request("p", 1, StorageKind.MAP, "m", RequestType.SET, List.of(key), List.of(value),
                null);
        assertTrue(wrap(r.toBytes()));
        view.hold(r);

        assertSame(key, view.keyArray(0));
        assertSame(value, view.valueArray(0));

        final StorageRequest other = request("p", 1, StorageKind.MAP, "m", RequestType.SET, bs("k"), bs("v2"), null);
        assertTrue(wrap(r.toBytes()));
        view.hold(other);
        assertArrayEquals(value, view.valueArray(0), "the entry's bytes win");
        assertNotSame(other.values().get(0), view.valueArray(0));

        assertTrue(wrap(r.toBytes()));
        assertNotSame(value, view.valueArray(0), "a new wrap forgets the held request");
    }

    @Test
    void shouldCompareTheConditionInPlace() {
        assertTrue(wrap(request("p", 1, StorageKind.MAP, "m", RequestType.REMOVE, bs("k"), List.of(), EMPTY)
                .toBytes()));
        assertTrue(view.conditional());
        assertTrue(view.prevValueEquals(EMPTY));
        assertFalse(view.prevValueEquals(b("x")));

        assertTrue(wrap(request("p", 1, StorageKind.MAP, "m", RequestType.REMOVE, bs("k"), List.of(), null)
                .toBytes()));
        assertFalse(view.conditional());
        assertNull(view.prevValueCopy());
    }

    @Test
    void shouldFindAStoredKeyThroughTheProbeBothWays() {
        final java.util.concurrent.ConcurrentHashMap<ByteKey, String> map = new java.util.concurrent.ConcurrentHashMap<>();
        map.put(new ByteKey(b("alpha")), "A");
        assertTrue(wrap(request("p", 1, StorageKind.MAP, "m", RequestType.DELETE, bs("alpha", "beta"), List.of(), null)
                .toBytes()));

        final KeyProbe alpha = view.probeKey(0);
        assertEquals(new ByteKey(b("alpha")).hashCode(), alpha.hashCode());
        assertEquals("A", map.get(alpha));
        assertTrue(new ByteKey(b("alpha")).equals(alpha) && alpha.equals(new ByteKey(b("alpha"))));
        assertNull(map.get(view.probeKey(1)));
    }
}
