// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import com.google.protobuf.UnsafeByteOperations;
import io.hamok.wire.proto.DedupSourceSnapshot;
import io.hamok.wire.proto.StateMachineSnapshot;
import io.hamok.wire.proto.StorageSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hamok.state.StateFixtures.EMPTY;
import static io.hamok.state.StateFixtures.b;
import static io.hamok.state.StateFixtures.bs;
import static io.hamok.state.StateFixtures.feed;
import static io.hamok.state.StateFixtures.map;
import static io.hamok.state.StateFixtures.request;
import static io.hamok.state.StateFixtures.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The allocation-free apply path's contracts: one reused event, one reused result, the submitter's
 * arrays stored on its own replica, overwrites in place that keep the key, and snapshots written
 * without a builder in the generated builder's exact bytes.
 */
@Timeout(30)
class ReplicatedStoragesReuseTest {

    /** Keeps the identity of what it is handed, and copies of the content. */
    private static final class IdentityObserver implements ReplicatedStorages.Observer {
        final List<StorageEvent> instances = new ArrayList<>();
        final List<String> described = new ArrayList<>();
        final List<ResultView> results = new ArrayList<>();
        final List<List<byte[]>> resultKeys = new ArrayList<>();
        StorageRequest held;

        @Override
        public void onApplied(RequestView request, ResultView result, long index, long timestampMs) {
            results.add(result);
            final List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < result.keyCount(); i++) {
                keys.add(result.key(i));
            }
            resultKeys.add(keys);
        }

        @Override
        public void onDuplicate(RequestView request, long index) {
        }

        @Override
        public void onEvent(StorageEvent event) {
            instances.add(event);
            described.add(RecordingObserver.describe(event));
        }

        @Override
        public StorageRequest heldRequest(String sourceId, long requestId) {
            return held != null && held.sourceId().equals(sourceId) && held.requestId() == requestId ? held : null;
        }
    }

    @Test
    void shouldReportEveryChangeThroughOneReusedEventAndResult() {
        final IdentityObserver observer = new IdentityObserver();
        final ReplicatedStorages state = new ReplicatedStorages(observer);

        feed(state, 1, map(1, "m", RequestType.SET, bs("a", "b"), bs("1", "2")));
        feed(state, 2, map(2, "m", RequestType.REMOVE, bs("a"), List.of()));

        assertEquals(List.of("INSERTED m a null->1", "INSERTED m b null->2", "REMOVED m a 1->null"),
                observer.described);
        assertSame(observer.instances.get(0), observer.instances.get(2), "one event object for every change");
        assertSame(observer.results.get(0), observer.results.get(1), "one result object for every request");
        final StorageEvent kept = new StorageEvent(StorageEvent.Type.UPDATED, "m", b("k"), b("o"), b("n")).copy();
        assertEquals("UPDATED m k o->n", RecordingObserver.describe(kept));
    }

    @Test
    void shouldStoreTheSubmittersOwnArraysOnItsReplica() {
        final IdentityObserver observer = new IdentityObserver();
        final ReplicatedStorages state = new ReplicatedStorages(observer);
        final byte[] key = b("k");
        final byte[] value = b("v");
        observer.held = request("me", 1, StorageKind.MAP, "m", RequestType.SET, List.of(key), List.of(value), null);

        feed(state, 1, observer.held);
        feed(state, 2, map(2, "m", RequestType.SET, bs("k"), bs("w"))); // from another peer: a copy

        assertEquals("w", s(state.view("m").get(b("k"))));
        assertSame(key, observer.resultKeys.get(1).get(0), "the overwrite kept the stored key");

        final IdentityObserver elsewhere = new IdentityObserver();
        final ReplicatedStorages replica = new ReplicatedStorages(elsewhere);
        feed(replica, 1, observer.held);
        assertNotSame(value, replica.view("m").get(b("k")), "a peer that did not submit it stores a copy");
    }

    @Test
    void shouldKeepTheOldValueArrayUntouchedOnOverwrite() {
        final ReplicatedStorages state = new ReplicatedStorages();
        feed(state, 1, map(1, "m", RequestType.SET, bs("k"), bs("same")));
        final byte[] readerHolds = state.view("m").get(b("k"));

        feed(state, 2, map(2, "m", RequestType.SET, bs("k"), bs("SAME")));

        assertEquals("same", s(readerHolds), "a reader's array is never written");
        assertEquals("SAME", s(state.view("m").get(b("k"))));
    }

    @Test
    void shouldWriteSnapshotsInTheGeneratedBuildersExactBytes() {
        final ReplicatedStorages state = new ReplicatedStorages();
        feed(state, 1, map(1, "m", RequestType.SET, bs("b", "a", "c"), List.of(b("2"), EMPTY, b("3"))));
        feed(state, 2, request("q", 1, StorageKind.RECORD, "r", RequestType.INSERT, bs("z", "y"), bs("1", "2"), null));
        feed(state, 3, map(2, "empty", RequestType.CLEAR, List.of(), List.of()));
        feed(state, 4, map(5, "ünïcode", RequestType.SET, List.of(EMPTY), List.of(new byte[300])));
        feed(state, 5, map(3, "m", RequestType.DELETE, bs("c"), List.of()));

        assertArrayEquals(withBuilder(state), state.snapshot());
    }

    /** The snapshot as the generated builder writes it (the way it was written before issue 9). */
    private static byte[] withBuilder(ReplicatedStorages state) {
        final StateMachineSnapshot.Builder b = StateMachineSnapshot.newBuilder().setDedupWindow(DedupTable.DEFAULT_WINDOW);
        final StateMachineSnapshot parsed;
        try {
            parsed = StateMachineSnapshot.parseFrom(state.snapshot());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        for (DedupSourceSnapshot source : parsed.getDedupSourcesList()) {
            b.addDedupSources(source);
        }
        for (String id : state.storageIds()) {
            final Map<ByteKey, byte[]> content = state.view(id).copy();
            final StorageSnapshot.Builder s = StorageSnapshot.newBuilder().setStorageId(id)
                    .setKindValue(state.kindOf(id).ordinal() + 1);
            content.keySet().stream().sorted().forEach(key -> {
                s.addKeys(UnsafeByteOperations.unsafeWrap(key.bytes()));
                s.addValues(UnsafeByteOperations.unsafeWrap(content.get(key)));
            });
            b.addStorages(s);
        }
        assertEquals(2, parsed.getDedupSourcesCount());
        return b.build().toByteArray();
    }
}
