// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.remotemap.RemoteMapState;
import io.hamok.wire.proto.MessageType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.hamok.state.StateFixtures.b;
import static io.hamok.state.StateFixtures.bs;
import static io.hamok.state.StateFixtures.feed;
import static io.hamok.state.StateFixtures.request;
import static io.hamok.state.StateFixtures.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RemoteMapState} through {@link ReplicatedStorages}: mutations wait, numbered; the leader's
 * outcomes resolve the oldest one, answering its requester and reporting events; snapshots keep the
 * pending ones.
 */
@Timeout(30)
class RemoteMapStateTest {
    private static final String MAP = "rm";
    private static final String EXECUTOR = RemoteMapState.executorSourceId(MAP);

    /** What the state machine reported for one entry: the answer (or "deferred"), and the events. */
    private final List<String> lines = new ArrayList<>();
    private ReplicatedStorages state;
    private long index;

    @BeforeEach
    void setUp() {
        state = new ReplicatedStorages(new ReplicatedStorages.Observer() {
            @Override
            public void onApplied(RequestView request, ResultView result, long index, long timestampMs) {
                if (result.deferred()) {
                    lines.add("deferred " + request.sourceId() + "#" + request.requestId());
                } else if (result.isRefused()) {
                    lines.add("refused " + result.error());
                } else {
                    final StringBuilder sb = new StringBuilder("answer ").append(result.answersSource()).append('#')
                            .append(result.answersRequestId()).append(' ').append(result.applied());
                    for (int i = 0; i < result.keyCount(); i++) {
                        sb.append(' ').append(i == 0 ? "[" + (int) result.key(0)[0] + "]" : s(result.key(i)))
                                .append('=').append(s(result.value(i)));
                    }
                    lines.add(sb.toString());
                }
            }

            @Override
            public void onDuplicate(RequestView request, long index) {
                lines.add("duplicate " + request.requestId());
            }

            @Override
            public void onEvent(StorageEvent event) {
                lines.add("event " + event.type() + " " + s(event.key()) + " " + s(event.oldValue()) + "->"
                        + s(event.newValue()));
            }
        });
    }

    private void mutate(long id, RequestType type, List<byte[]> keys, List<byte[]> values, byte[] expected) {
        feed(state, ++index, request("peer-a", id, StorageKind.REMOTE_MAP, MAP, type, keys, values, expected));
    }

    /** An EXECUTED entry for mutation {@code sequence}, as the executor writes it. */
    private void outcome(long sequence, int code, int flags, List<byte[]> keys, List<byte[]> values, String message) {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        final byte[] header = new byte[2 + text.length];
        header[0] = (byte) code;
        header[1] = (byte) flags;
        System.arraycopy(text, 0, header, 2, text.length);
        feed(state, ++index, request(EXECUTOR, sequence, StorageKind.REMOTE_MAP, MAP, RequestType.EXECUTED, keys,
                values, header));
    }

    private RemoteMapState remote() {
        return (RemoteMapState) state.state(MAP);
    }

    @Test
    void shouldNumberMutationsAndAnswerTheirRequestersOnlyWithTheOutcome() {
        mutate(10, RequestType.SET, bs("a", "b"), bs("1", "2"), null);
        mutate(11, RequestType.SET, bs("a"), bs("3"), null);
        assertEquals(List.of("deferred peer-a#10", "deferred peer-a#11"), lines);
        assertEquals(2, remote().lastSequence());
        assertEquals(0, remote().executedSequence());
        assertEquals(RequestType.SET, remote().pending(1).type());
        lines.clear();
        outcome(1, RemoteMapState.OUTCOME_OK, 0, List.of(), List.of(), "");
        outcome(2, RemoteMapState.OUTCOME_OK, 0, bs("a"), bs("1"), "");
        assertEquals(List.of("event INSERTED a null->1", "event INSERTED b null->2", "answer peer-a#10 true [0]=",
                "event UPDATED a 1->3", "answer peer-a#11 true [0]= a=1"), lines);
        assertEquals(2, remote().executedSequence());
        assertNull(remote().pending(2));
    }

    @Test
    void shouldDropASecondOutcomeAndRefuseOneForAnotherThanTheOldestMutation() {
        mutate(1, RequestType.DELETE, bs("a"), List.of(), null);
        mutate(2, RequestType.CLEAR, List.of(), List.of(), null);
        lines.clear();
        outcome(2, RemoteMapState.OUTCOME_OK, 0, List.of(), List.of(), "");
        assertTrue(lines.get(0).startsWith("refused remote map 'rm': an outcome for mutation 2"), lines.toString());
        assertEquals(1, remote().refusedOutcomes());
        assertEquals(0, remote().executedSequence(), "nothing changed");
        lines.clear();
        outcome(1, RemoteMapState.OUTCOME_OK, 0, bs("a"), bs("old"), "");
        outcome(1, RemoteMapState.OUTCOME_RESULT_LOST, 0, List.of(), List.of(), "another leader's report");
        assertEquals(List.of("event REMOVED a old->null", "answer peer-a#1 true [0]= a=old", "duplicate 1"), lines);
    }

    @Test
    void shouldReportFailuresAndLostResultsWithTheirOutcomeAndUnknownChanges() {
        mutate(1, RequestType.SET, bs("a"), bs("1"), null);
        mutate(2, RequestType.INSERT, bs("b"), bs("2"), null);
        mutate(3, RequestType.CLEAR, List.of(), List.of(), null);
        mutate(4, RequestType.REMOVE, bs("c"), List.of(), null);
        lines.clear();
        outcome(1, RemoteMapState.OUTCOME_NOT_EXECUTED, 0, List.of(), List.of(), "down");
        outcome(2, RemoteMapState.OUTCOME_MAYBE_EXECUTED, 0, List.of(), List.of(), "timeout");
        outcome(3, RemoteMapState.OUTCOME_RESULT_LOST, 0, List.of(), List.of(), "lost");
        outcome(4, RemoteMapState.OUTCOME_OK, 0, bs("zz"), bs("?"), ""); // a result that cannot be the mutation's
        assertEquals(List.of("answer peer-a#1 true [1]=down", "event UNKNOWN b null->null",
                "answer peer-a#2 true [2]=timeout", "event CLEARED null null->null", "answer peer-a#3 true [3]=lost",
                "event UNKNOWN c null->null", "answer peer-a#4 true [3]=the outcome reported for it cannot be read"),
                lines);
    }

    @Test
    void shouldAnswerConditionalMutationsAndReportNoEventsWhenAsked() {
        mutate(1, RequestType.SET, bs("k"), bs("new"), b("old"));
        mutate(2, RequestType.REMOVE, bs("k"), List.of(), b("new"));
        mutate(3, RequestType.SET, bs("k"), bs("x"), null);
        lines.clear();
        outcome(1, RemoteMapState.OUTCOME_OK, RemoteMapState.FLAG_APPLIED, bs("k"), bs("old"), "");
        outcome(2, RemoteMapState.OUTCOME_OK, 0, List.of(), List.of(), "");
        outcome(3, RemoteMapState.OUTCOME_OK, RemoteMapState.FLAG_NO_EVENTS, List.of(), List.of(), "");
        assertEquals(List.of("event UPDATED k old->new", "answer peer-a#1 true [0]= k=old", "answer peer-a#2 false",
                "answer peer-a#3 true [0]="), lines);
    }

    @Test
    void shouldRefuseMalformedMutationsAndRequestsOfAnotherKind() {
        mutate(1, RequestType.SET, bs("a", "b"), bs("1"), null);
        mutate(2, RequestType.SET, bs("a", "b"), bs("1", "2"), b("x"));
        feed(state, ++index, request("peer-a", 3, StorageKind.MAP, MAP, RequestType.SET, bs("a"), bs("1"), null));
        assertEquals(3, lines.size());
        lines.forEach(line -> assertTrue(line.startsWith("refused"), line));
        assertEquals(0, remote().lastSequence());
        feed(state, ++index, request("peer-a", 4, StorageKind.MAP, "plain", RequestType.EXECUTED, List.of(), List.of(),
                new byte[]{0, 0}));
        assertTrue(lines.get(3).startsWith("refused an EXECUTED outcome belongs to a REMOTE_MAP"), lines.get(3));
    }

    @Test
    void shouldKeepPendingMutationsInASnapshotAndReportMissedOutcomesOnRestore() {
        mutate(1, RequestType.SET, bs("a"), bs("1"), null);
        mutate(2, RequestType.REMOVE, bs("a"), List.of(), b("1"));
        mutate(3, RequestType.INSERT, bs("b", "c"), bs("2", "3"), null);
        outcome(1, RemoteMapState.OUTCOME_OK, 0, List.of(), List.of(), "");
        final byte[] snapshot = state.snapshot();
        final long at = index;

        final ReplicatedStorages copy = new ReplicatedStorages();
        copy.restore(snapshot, at);
        final RemoteMapState restored = (RemoteMapState) copy.state(MAP);
        assertEquals(3, restored.lastSequence());
        assertEquals(1, restored.executedSequence());
        assertTrue(restored.pending(2).conditional());
        assertArrayEquals(b("1"), restored.pending(2).expected());
        assertEquals(List.of("b", "c"), restored.pending(3).keys().stream().map(StateFixtures::s).toList());
        assertArrayEquals(snapshot, copy.snapshot(), "the same state gives the same bytes");

        // a replica that saw only mutation 1 and then gets a snapshot where 2 was resolved: an unknown change
        outcome(2, RemoteMapState.OUTCOME_OK, RemoteMapState.FLAG_APPLIED, bs("a"), bs("1"), "");
        final byte[] later = state.snapshot();
        lines.clear();
        final ReplicatedStorages behind = new ReplicatedStorages(new ReplicatedStorages.Observer() {
            @Override
            public void onApplied(RequestView request, ResultView result, long index, long timestampMs) {
            }

            @Override
            public void onDuplicate(RequestView request, long index) {
            }

            @Override
            public void onEvent(StorageEvent event) {
                lines.add(event.type() + " " + s(event.key()));
            }
        });
        behind.restore(snapshot, at);
        lines.clear();
        behind.restore(later, index);
        assertEquals(List.of("UNKNOWN null"), lines);
        assertEquals(2, ((RemoteMapState) behind.state(MAP)).executedSequence());
    }

    /** Regression (found by the simulation): pending mutations were read back in ByteKey order, which is signed. */
    @Test
    void shouldRestoreMorePendingMutationsThanOneByteOfNumbersHolds() {
        for (int i = 1; i <= 300; i++) {
            mutate(i, RequestType.SET, bs("k" + i), bs("v" + i), null);
        }
        for (int i = 1; i <= 100; i++) {
            outcome(i, RemoteMapState.OUTCOME_OK, 0, List.of(), List.of(), "");
        }
        final ReplicatedStorages copy = new ReplicatedStorages();
        copy.restore(state.snapshot(), index);
        final RemoteMapState restored = (RemoteMapState) copy.state(MAP);
        assertEquals(100, restored.executedSequence());
        for (long n = 101; n <= 300; n++) {
            assertEquals("k" + n, s(restored.pending(n).keys().get(0)));
        }
    }

    @Test
    void shouldRefuseASnapshotWhoseNumbersDoNotMatchItsMutations() {
        final RemoteMapState empty = new RemoteMapState(MAP);
        final java.util.Map<ByteKey, byte[]> content = new java.util.HashMap<>();
        content.put(new ByteKey(new byte[]{0}), java.nio.ByteBuffer.allocate(16).putLong(2).putLong(0).array());
        assertTrue(empty.contentRefusal(content).contains("do not match"), empty.contentRefusal(content));
        assertTrue(empty.contentRefusal(java.util.Map.of()).contains("no mutation numbers"));
        assertThrows(IllegalArgumentException.class, () -> new ReplicatedStorages().restore(b("junk"), 1));
    }

    @Test
    void shouldNameTheOutcomeMessageTypeInTheWireSchema() {
        assertEquals(RequestType.EXECUTED, RequestType.ofWire(MessageType.REMOTE_MAP_EXECUTED_VALUE));
        assertEquals(StorageKind.REMOTE_MAP, StorageKind.ofWire(5));
    }
}
