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
import static io.hamok.state.StateFixtures.feed;
import static io.hamok.state.StateFixtures.map;
import static io.hamok.state.StateFixtures.request;
import static io.hamok.state.StateFixtures.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ReplicatedStoragesTest {
    private final RecordingObserver observer = new RecordingObserver();
    private final ReplicatedStorages state = new ReplicatedStorages(observer);

    @Test
    void shouldApplyARequestAndReportEventsBeforeTheResult() {
        feed(state, 1, map(1, "m", RequestType.SET, bs("a"), bs("1")));

        assertEquals(List.of("event INSERTED m a null->1", "applied 1 @1001 peer-a#1 true keys=[] values=[] error=null"),
                observer.lines);
        assertEquals("1", s(state.view("m").get(b("a"))));
        assertEquals(StorageKind.MAP, state.kindOf("m"));
        assertEquals(1, state.appliedIndex());
    }

    @Test
    void shouldApplyARetriedRequestOnceWithoutEvents() {
        final StorageRequest set = map(7, "m", RequestType.SET, bs("a"), bs("1"));
        feed(state, 1, set);
        feed(state, 2, map(8, "m", RequestType.SET, bs("a"), bs("2")));
        observer.clear();

        feed(state, 3, set);

        assertEquals(List.of("duplicate 3 peer-a#7"), observer.lines);
        assertEquals("2", s(state.view("m").get(b("a"))), "the retry must not set the value back");
        assertEquals(1, state.duplicates());
        assertEquals(3, state.appliedIndex());
    }

    @Test
    void shouldTreatTheSameRequestIdFromAnotherSourceAsANewRequest() {
        feed(state, 1, request("a", 1, StorageKind.MAP, "m", RequestType.SET, bs("k"), bs("1"), null));
        feed(state, 2, request("b", 1, StorageKind.MAP, "m", RequestType.SET, bs("k"), bs("2"), null));

        assertEquals("2", s(state.view("m").get(b("k"))));
        assertEquals(0, state.duplicates());
    }

    @Test
    void shouldRefuseARequestOfAnotherKindWithoutChangingState() {
        feed(state, 1, map(1, "m", RequestType.SET, bs("a"), bs("1")));
        observer.clear();

        feed(state, 2, request("peer-a", 2, StorageKind.RECORD, "m", RequestType.CLEAR, List.of(), List.of(), null));

        final StorageResult r = observer.results.get(0);
        assertFalse(r.applied());
        assertEquals("storage 'm' is a MAP, not a RECORD", r.error());
        assertTrue(observer.events.isEmpty());
        assertEquals("1", s(state.view("m").get(b("a"))));
        assertEquals(StorageKind.MAP, state.kindOf("m"));
    }

    @Test
    void shouldLetTheFirstRequestFixTheKindOfAStorage() {
        feed(state, 1, request("p", 1, StorageKind.RECORD, "r", RequestType.CLEAR, List.of(), List.of(), null));

        assertEquals(StorageKind.RECORD, state.kindOf("r"));
        assertNull(state.kindOf("nothing"));
        assertSame(ReplicatedStorages.EMPTY_VIEW, state.view("nothing"));
        assertEquals(0, state.view("nothing").size());
        assertNull(state.view("nothing").get(b("a")));
    }

    @Test
    void shouldIgnoreAndCountMalformedEntriesAndKeepApplying() {
        final byte[] garbage = {(byte) 0xff, (byte) 0xff, 0x07};
        final byte[] otherType = HamokMessage.newBuilder().setType(MessageType.JOIN_NOTIFICATION).setSourceId("x")
                .build().toByteArray();
        final byte[] noKind = HamokMessage.newBuilder().setType(MessageType.UPDATE_ENTRIES_REQUEST).setStorageId("m")
                .build().toByteArray();
        feed(state, 1, garbage);
        feed(state, 2, otherType);
        feed(state, 3, noKind);
        feed(state, 4, EMPTY);
        feed(state, 5, map(1, "m", RequestType.SET, bs("a"), bs("1")));

        assertEquals(4, state.nonStorageEntries());
        assertEquals(4, observer.rawEntries);
        assertEquals(List.of("raw 1 " + garbage.length, "raw 2 " + otherType.length, "raw 3 " + noKind.length,
                "raw 4 0"), observer.lines.subList(0, 4));
        assertEquals("1", s(state.view("m").get(b("a"))));
        assertEquals(5, state.appliedIndex());
    }

    @Test
    void shouldContinueApplyingWhenTheObserverThrows() {
        final ReplicatedStorages throwing = new ReplicatedStorages(new ReplicatedStorages.Observer() {
            @Override
            public void onApplied(RequestView request, ResultView result, long index, long timestampMs) {
                throw new IllegalStateException("applied");
            }

            @Override
            public void onDuplicate(RequestView request, long index) {
            }

            @Override
            public void onEvent(StorageEvent event) {
                throw new IllegalStateException("event");
            }
        });

        feed(throwing, 1, map(1, "m", RequestType.SET, bs("a", "b"), bs("1", "2")));

        assertEquals(2, throwing.view("m").size(), "both keys set although the first event threw");
        assertEquals(3, throwing.observerFailures());
        assertEquals("applied", throwing.lastObserverFailure().getMessage());
    }

    @Test
    void shouldAnswerEveryConditionalRequestThroughTheObserver() {
        feed(state, 1, map(1, "m", RequestType.SET, bs("a"), bs("1")));
        observer.clear();

        feed(state, 2, request("peer-a", 2, StorageKind.MAP, "m", RequestType.REMOVE, bs("a"), List.of(), b("x")));
        feed(state, 3, request("peer-a", 3, StorageKind.MAP, "m", RequestType.SET, bs("a", "b"), bs("1", "2"),
                b("1")));

        assertEquals(2, observer.results.size());
        assertFalse(observer.results.get(0).applied());
        assertNull(observer.results.get(0).error());
        assertTrue(observer.results.get(1).isRefused());
    }

    @Test
    void shouldProduceIdenticalSnapshotsOnTwoReplicasFedTheSameLog() {
        final ReplicatedStorages other = new ReplicatedStorages();
        final List<StorageRequest> log = List.of(
                map(1, "m", RequestType.SET, bs("b", "a", "c"), List.of(b("2"), EMPTY, b("3"))),
                request("q", 1, StorageKind.RECORD, "r", RequestType.INSERT, bs("z", "y"), bs("1", "2"), null),
                map(2, "m", RequestType.DELETE, bs("c"), List.of()),
                map(1, "m", RequestType.CLEAR, List.of(), List.of()), // a retry of request 1: a duplicate
                map(3, "n", RequestType.INSERT, bs("k"), bs("v")));
        for (int i = 0; i < log.size(); i++) {
            feed(state, i + 1, log.get(i));
        }
        // the same content reached in another key order must give the same bytes
        feed(other, 1, map(1, "m", RequestType.SET, bs("a"), List.of(EMPTY)));
        feed(other, 2, request("q", 1, StorageKind.RECORD, "r", RequestType.INSERT, bs("y", "z"), bs("2", "1"),
                null));
        feed(other, 3, map(3, "n", RequestType.INSERT, bs("k"), bs("v")));
        feed(other, 4, map(2, "m", RequestType.SET, bs("b"), bs("2")));

        assertArrayEquals(state.snapshot(), other.snapshot());

        final ReplicatedStorages restored = new ReplicatedStorages();
        restored.restore(state.snapshot(), 5);
        assertArrayEquals(state.snapshot(), restored.snapshot());
        assertEquals(5, restored.appliedIndex());
        assertArrayEquals(EMPTY, restored.view("m").get(b("a")));
        assertEquals(StorageKind.RECORD, restored.kindOf("r"));
    }

    @Test
    void shouldRememberAppliedRequestIdsAcrossARestore() {
        final StorageRequest set = map(5, "m", RequestType.SET, bs("a"), bs("1"));
        feed(state, 1, set);
        final ReplicatedStorages restored = new ReplicatedStorages(observer);
        restored.restore(state.snapshot(), 1);
        observer.clear();

        feed(restored, 2, set);

        assertEquals(List.of("duplicate 2 peer-a#5"), observer.lines);
    }

    @Test
    void shouldReplaceNotMergeOnRestore() {
        final ReplicatedStorages source = new ReplicatedStorages();
        feed(source, 1, map(1, "m", RequestType.SET, bs("a", "b"), bs("1", "2")));
        final byte[] snapshot = source.snapshot();
        feed(state, 1, map(1, "m", RequestType.SET, bs("a", "b"), bs("1", "2")));
        feed(state, 2, map(2, "m", RequestType.DELETE, bs("a"), List.of()));
        feed(state, 3, map(3, "m", RequestType.SET, bs("b", "c"), bs("9", "3")));
        feed(state, 4, map(4, "gone", RequestType.SET, bs("x"), bs("1")));
        final EntriesView liveView = state.view("m");
        final EntriesView goneView = state.view("gone");
        observer.clear();

        state.restore(snapshot, 1);

        assertEquals(source.view("m").copy().keySet(), state.view("m").copy().keySet());
        assertEquals("1", s(state.view("m").get(b("a"))));
        assertEquals("2", s(state.view("m").get(b("b"))));
        assertFalse(state.view("m").containsKey(b("c")), "a key absent from the snapshot is removed");
        assertNull(state.kindOf("gone"), "a storage absent from the snapshot disappears");
        assertEquals(0, goneView.size());
        assertSame(liveView, state.view("m"), "a surviving storage keeps its live view");
        assertEquals(List.of("event CLEARED gone null null->null", "event REMOVED m c 3->null",
                "event INSERTED m a null->1", "event UPDATED m b 9->2"), observer.lines);
        assertArrayEquals(snapshot, state.snapshot());
        assertFalse(state.view("gone").containsKey(b("x")));
    }

    @Test
    void shouldReplaceAStorageWhoseKindChangedInTheSnapshot() {
        final ReplicatedStorages source = new ReplicatedStorages();
        feed(source, 1, request("p", 1, StorageKind.RECORD, "s", RequestType.SET, bs("f"), bs("1"), null));
        feed(state, 1, map(1, "s", RequestType.SET, bs("k"), bs("v")));
        observer.clear();

        state.restore(source.snapshot(), 1);

        assertEquals(StorageKind.RECORD, state.kindOf("s"));
        assertEquals(List.of("event CLEARED s null null->null", "event INSERTED s f null->1"), observer.lines);
    }

    @Test
    void shouldRejectAnInvalidSnapshotAndKeepTheState() {
        feed(state, 1, map(1, "m", RequestType.SET, bs("a"), bs("1")));
        final byte[] before = state.snapshot();

        assertThrows(IllegalArgumentException.class, () -> state.restore(new byte[]{(byte) 0xff, 0x00}, 9));

        assertArrayEquals(before, state.snapshot());
        assertEquals(1, state.appliedIndex());
    }

    @Test
    void shouldReadThePayloadAtItsOffsetOnly() {
        final byte[] payload = map(1, "m", RequestType.SET, bs("a"), bs("1")).toBytes();
        final byte[] padded = new byte[payload.length + 10];
        java.util.Arrays.fill(padded, (byte) 0x7f);
        System.arraycopy(payload, 0, padded, 5, payload.length);

        state.apply(1, 1, 0, new UnsafeBuffer(padded), 5, payload.length);

        assertEquals("1", s(state.view("m").get(b("a"))));
        assertEquals(0, state.nonStorageEntries());
    }
}
