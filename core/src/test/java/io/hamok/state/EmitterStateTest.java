// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.emitter.EmitterFormat;
import io.hamok.emitter.EmitterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.hamok.state.StateFixtures.b;
import static io.hamok.state.StateFixtures.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The apply rules of an emitter's subscription table ({@link EmitterState}) through {@link ReplicatedStorages}. */
@Timeout(30)
class EmitterStateTest {
    private static final String ID = "em";
    private final RecordingObserver observer = new RecordingObserver();
    private final ReplicatedStorages state = new ReplicatedStorages(observer);
    private long index;

    private static byte[] meta(String m) {
        return EmitterFormat.metadata(m == null ? null : b(m));
    }

    private StorageResult apply(String source, long requestId, RequestType type, List<byte[]> keys, List<byte[]> values,
                                byte[] prev) {
        observer.clear();
        feed(state, ++index, new StorageRequest(source, requestId, StorageKind.EMITTER, ID, type, keys, values, prev));
        return observer.results.get(0);
    }

    private StorageResult subscribe(String peer, long requestId, String event, String metadata) {
        return apply(peer, requestId, RequestType.INSERT, List.of(b(event)), List.of(meta(metadata)), null);
    }

    private EmitterState table() {
        return (EmitterState) state.state(ID);
    }

    /** The table as "event:peer=metadata" lines, sorted. */
    private List<String> rows() {
        final List<String> out = new ArrayList<>();
        for (String event : table().events()) {
            final EmitterState.Subscribers s = table().subscribers(event);
            for (int i = 0; i < s.size(); i++) {
                final byte[] m = EmitterFormat.metadataBytes(s.metadata(i));
                out.add(event + ":" + s.peer(i) + "=" + (m == null ? null : new String(m)));
            }
        }
        return out;
    }

    /** The events of the last request as "TYPE event peer old->new". */
    private List<String> events() {
        final List<String> out = new ArrayList<>();
        for (StorageEvent e : observer.events) {
            out.add(e.type() + " " + EmitterFormat.eventOf(e.key()) + " " + EmitterFormat.peerOf(e.key()) + " "
                    + text(e.oldValue()) + "->" + text(e.newValue()));
        }
        return out;
    }

    private static String text(byte[] form) {
        if (form == null) {
            return "-";
        }
        final byte[] m = EmitterFormat.metadataBytes(form);
        return m == null ? "none" : new String(m);
    }

    @Test
    void shouldSubscribeTheSourcePeerAndRenewWithoutAnEventWhenTheMetadataIsTheSame() {
        subscribe("a", 1, "e1", null);
        assertEquals(List.of("INSERTED e1 a -->none"), events());
        subscribe("b", 1, "e1", "m");
        assertEquals(List.of("e1:a=null", "e1:b=m"), rows());

        final StorageResult renewed = subscribe("a", 2, "e1", null);
        assertEquals(List.of(), events(), "same metadata: nothing to report");
        assertEquals(1, renewed.keys().size(), "the result names the subscription that existed");
        subscribe("a", 3, "e1", "x");
        assertEquals(List.of("UPDATED e1 a none->x"), events());
    }

    @Test
    void shouldUpdateMetadataOnlyOfAnExistingSubscriptionAndOnlyIfTheExpectationHolds() {
        assertFalse(apply("a", 1, RequestType.SET, List.of(b("e1")), List.of(meta("m")), null).applied(),
                "not subscribed: nothing to update");
        subscribe("a", 2, "e1", "m");
        assertFalse(apply("a", 3, RequestType.SET, List.of(b("e1")), List.of(meta("n")), meta("wrong")).applied());
        assertTrue(apply("a", 4, RequestType.SET, List.of(b("e1")), List.of(meta("n")), meta("m")).applied());
        assertEquals(List.of("UPDATED e1 a m->n"), events());
        assertTrue(apply("a", 5, RequestType.SET, List.of(b("e1")), List.of(meta(null)), null).applied());
        assertTrue(apply("a", 6, RequestType.SET, List.of(b("e1")), List.of(meta("p")), meta(null)).applied(),
                "expecting none matches none");
        assertEquals(List.of("e1:a=p"), rows());
    }

    @Test
    void shouldUnsubscribeTheSourceFromOneEventOnly() {
        subscribe("a", 1, "e1", null);
        subscribe("a", 2, "e2", null);
        subscribe("b", 1, "e1", null);

        final StorageResult r = apply("a", 3, RequestType.REMOVE, List.of(b("e1")), List.of(), null);
        assertEquals(1, r.keys().size());
        assertEquals(List.of("REMOVED e1 a none->-"), events());
        assertEquals(List.of("e1:b=null", "e2:a=null"), rows());
        assertEquals(0, apply("a", 4, RequestType.REMOVE, List.of(b("e1")), List.of(), null).keys().size());
    }

    @Test
    void shouldRemoveAPeersSubscriptionsUpToItsBoundOnly() {
        subscribe("gone", 10, "e1", null);
        subscribe("gone", 11, "e2", null);
        subscribe("stays", 5, "e1", null);
        subscribe("gone", 20, "e3", null); // made after the bound below: a peer that joined again

        final StorageResult r = apply("leader", 1, RequestType.DELETE, List.of(b("gone")),
                List.of(EmitterFormat.bound(11)), null);

        assertEquals(List.of("e1:stays=null", "e3:gone=null"), rows());
        assertEquals(List.of("REMOVED e1 gone none->-", "REMOVED e2 gone none->-"), events(), "event order, then peer");
        assertEquals(List.of("gone"), r.keys().stream().map(String::new).toList());
    }

    @Test
    void shouldReplaceTheWholeTableOnClearAndReportTheDifference() {
        subscribe("a", 1, "e1", "m");
        subscribe("b", 1, "e1", null);
        final List<byte[]> keys = List.of(EmitterFormat.subscriptionKey("e1", "a"), EmitterFormat.subscriptionKey("e2", "c"));
        final List<byte[]> values = List.of(EmitterFormat.storedValue(0, meta("n")), EmitterFormat.storedValue(0, meta(null)));

        apply("x", 1, RequestType.CLEAR, keys, values, null);

        assertEquals(List.of("e1:a=n", "e2:c=null"), rows());
        assertEquals(3, events().size());
        assertTrue(events().containsAll(List.of("UPDATED e1 a m->n", "REMOVED e1 b none->-", "INSERTED e2 c -->none")));
        apply("x", 2, RequestType.CLEAR, List.of(), List.of(), null);
        assertEquals(List.of(), rows());
    }

    @Test
    void shouldRefuseMalformedRequestsAndChangeNothing() {
        subscribe("a", 1, "e1", null);
        final List<StorageResult> refused = List.of(
                apply("a", 2, RequestType.INSERT, List.of(b("e1")), List.of(b("not a metadata form")), null),
                apply("a", 3, RequestType.INSERT, List.of(b("e1"), b("e2")), List.of(meta(null), meta(null)), null),
                apply("a", 4, RequestType.REMOVE, List.of(b("e1")), List.of(meta(null)), null),
                apply("a", 5, RequestType.DELETE, List.of(b("a")), List.of(b("short")), null),
                apply("a", 6, RequestType.REMOVE, List.of(b("e1")), List.of(), meta(null)),
                apply("a", 7, RequestType.CLEAR, List.of(b("no length prefix")), List.of(b("x")), null),
                apply("a", 8, RequestType.INSERT, List.of(new byte[0]), List.of(meta(null)), null));
        for (StorageResult r : refused) {
            assertNotNull(r.error(), r.toString());
        }
        assertEquals(List.of("e1:a=null"), rows());
        feed(state, ++index, new StorageRequest("a", 9, StorageKind.MAP, ID, RequestType.SET, List.of(b("k")),
                List.of(b("v")), null));
        assertNotNull(observer.results.get(observer.results.size() - 1).error(), "a map request on an emitter's id");
    }

    @Test
    void shouldRestoreFromASnapshotWithTheSameRowsRequestIdsAndBytes() {
        subscribe("a", 7, "e1", "m");
        subscribe("b", 3, "e2", null);
        final byte[] snapshot = state.snapshot();

        final RecordingObserver other = new RecordingObserver();
        final ReplicatedStorages restored = new ReplicatedStorages(other);
        restored.restore(snapshot, 9);

        assertArrayEquals(snapshot, restored.snapshot(), "equal state, equal bytes");
        assertEquals(2, other.events.size(), "every row reported as inserted");
        final EmitterState table = (EmitterState) restored.state(ID);
        assertArrayEquals(meta("m"), table.metadataOf("e1", "a"));
        assertNull(table.metadataOf("e1", "b"));
        // the request ids survive: a cleanup bounded below a's request keeps its row
        feed(restored, 10, new StorageRequest("l", 1, StorageKind.EMITTER, ID, RequestType.DELETE,
                List.of(b("a"), b("b")), List.of(EmitterFormat.bound(6), EmitterFormat.bound(3)), null));
        assertNotNull(table.metadataOf("e1", "a"));
        assertNull(table.subscribers("e2"));
    }

    @Test
    void shouldRefuseASnapshotWhoseEmitterRowsAreMalformed() {
        final EmitterState empty = new EmitterState(ID);
        final java.util.Map<ByteKey, byte[]> bad = java.util.Map.of(new ByteKey(b("x")), b("y"));
        assertNotNull(empty.contentRefusal(bad));
        assertNull(empty.contentRefusal(java.util.Map.of(new ByteKey(EmitterFormat.subscriptionKey("e", "p")),
                EmitterFormat.storedValue(1, meta(null)))));
    }
}
