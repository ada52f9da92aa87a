// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftConfig;
import io.hamok.raft.RaftLimits;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRefusal;
import io.hamok.raft.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 7, finding 5, at the wire: terms and indexes are {@code uint64} on the wire and reach the
 * handler exactly as decoded (a value of 2^63 or more as a negative {@code long}); the decoder
 * reports OK for a well-formed frame and leaves the range check to the handler, and {@link RaftNode}
 * refuses and counts what is out of range (docs/design.md §4.8).
 */
@Timeout(30)
class RaftWireHostileFieldsTest {
    private final RaftWireDecoder decoder = new RaftWireDecoder();
    private final RaftWireEncoder encoder = new RaftWireEncoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);

    private static RaftNode follower() {
        final StateMachine sm = new StateMachine() {
            @Override
            public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
            }

            @Override
            public byte[] snapshot() {
                return new byte[0];
            }

            @Override
            public void restore(byte[] snapshot, long index) {
            }
        };
        return new RaftNode("b", RaftConfig.builder().build(), new MemoryRaftLogs(), sm,
                new RaftPublisher((to, b, offset, length) -> { }), Membership.ofVoters("a", "b", "c"),
                new SplittableRandom(7), 0);
    }

    private static ArrayEntryBatch entries(long term, int count) {
        final long[] terms = new long[count];
        final byte[][] payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            terms[i] = term;
            payloads[i] = ("e" + i).getBytes(StandardCharsets.UTF_8);
        }
        final byte[] types = new byte[count];
        Arrays.fill(types, LogEntryView.NORMAL);
        return new ArrayEntryBatch(terms, new long[count], types, payloads);
    }

    private int appendEntries(RaftNode node, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                              ArrayEntryBatch batch) {
        final int length = encoder.encodeAppendEntries(buffer, 0, term, prevLogIndex, prevLogTerm, leaderCommit, batch);
        return decoder.decode(buffer, 0, length, "a", node);
    }

    @Test
    @DisplayName("issue 7 finding 5 (contract): a uint64 of 2^63 or more reaches the handler as a negative long, with status OK, never an exception")
    void shouldHandUint64AboveTwoToTheSixtyThreeToTheHandlerAsNegativeLong() {
        final RecordingHandler handler = new RecordingHandler();
        final int length = encoder.encodeVoteRequest(buffer, 0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, false, false);
        assertEquals(RaftWireDecoder.OK, decoder.decode(buffer, 0, length, "a", handler));
        assertEquals(-1L, handler.term);
        assertEquals(Long.MIN_VALUE, handler.lastLogIndex);
        assertEquals(Long.MAX_VALUE, handler.lastLogTerm);
    }

    @Test
    @DisplayName("issue 7 finding 5: a term of 2^63-1 decoded from the wire is refused by the node and counted (bug: adopted, then term()+1 overflowed)")
    void shouldRefuseTermOfTwoToTheSixtyThreeMinusOneFromTheWire_finding5() {
        final RaftNode node = follower();
        assertEquals(RaftWireDecoder.OK, appendEntries(node, Long.MAX_VALUE, 0, 0, 0, ArrayEntryBatch.empty()));
        final int length = encoder.encodeTimeoutNow(buffer, 0, -1L); // 2^64 - 1 on the wire
        assertEquals(RaftWireDecoder.OK, decoder.decode(buffer, 0, length, "a", node));
        assertEquals(0, node.term());
        assertEquals(2, node.counters().refused(RaftRefusal.TERM_OUT_OF_RANGE));
        assertEquals(-1L, node.counters().lastValue(RaftRefusal.TERM_OUT_OF_RANGE));
    }

    @Test
    @DisplayName("issue 7 finding 5: a prevLogIndex of 2^63 + 3 decoded from the wire is refused and counted without an exception (bug: the skip count overflowed and threw)")
    void shouldRefusePrevLogIndexNearTwoToTheSixtyThreeFromTheWire_finding5() {
        final RaftNode node = follower();
        assertEquals(RaftWireDecoder.OK, appendEntries(node, 1, 0, 0, 3, entries(1, 3)));
        assertEquals(3, node.commitIndex());
        final long prevLogIndex = Long.MIN_VALUE + 3; // 2^63 + 3 as uint64
        assertDoesNotThrow(() -> appendEntries(node, 1, prevLogIndex, 1, 3, entries(1, 2)));
        assertEquals(1, node.counters().refused(RaftRefusal.INDEX_OUT_OF_RANGE));
        assertEquals(prevLogIndex, node.counters().lastValue(RaftRefusal.INDEX_OUT_OF_RANGE));
        assertEquals(3, node.logs().lastIndex());
        assertEquals(3, node.commitIndex());
        assertEquals(RaftWireDecoder.OK, appendEntries(node, 1, RaftLimits.MAX_INDEX, 1, 3, entries(1, 1)));
        assertEquals(1, node.counters().refused(RaftRefusal.INDEX_OUT_OF_RANGE), "2^62-1 is in range (rejected by §5.3, not refused)");
    }
}
