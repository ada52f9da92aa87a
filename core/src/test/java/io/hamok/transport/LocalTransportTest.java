// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LocalTransport} and {@link LocalNetwork}: delivery, order, link filters, close, duplicate ids. */
@Timeout(10)
class LocalTransportTest {

    @Test
    void shouldDeliverFramesInOrderWithTheirSenderId() {
        final LocalNetwork network = new LocalNetwork();
        final Recorder atB = new Recorder();
        final LocalTransport a = started(network, "a", new Recorder());
        final LocalTransport b = started(network, "b", atB);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[16]);
        for (int i = 0; i < 100; i++) {
            frame.putInt(4, i);
            assertTrue(a.send("b", frame, 4, 4), "frame " + i);
        }
        assertEquals(100, atB.frames.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(new Frame("a", i), atB.frames.get(i));
        }
        assertEquals(100, a.counters().framesSent());
        assertEquals(400, a.counters().bytesSent());
        assertEquals(100, b.counters().framesReceived());
        assertEquals(400, b.counters().bytesReceived());
        assertEquals(0, a.counters().outboundDropped());
        assertEquals("a", a.localPeerId());
    }

    @Test
    void shouldDropAndCountFramesOnACutLinkInThatDirectionOnly() {
        final LocalNetwork network = new LocalNetwork();
        final Recorder atA = new Recorder();
        final Recorder atB = new Recorder();
        final LocalTransport a = started(network, "a", atA);
        final LocalTransport b = started(network, "b", atB);
        network.linkFilter((from, to) -> !(from.equals("a") && to.equals("b")));

        assertFalse(a.send("b", frameOf(1), 0, 4));
        assertEquals(1, a.counters().outboundDropped());
        assertEquals(0, a.counters().framesSent());
        assertTrue(atB.frames.isEmpty());

        assertTrue(b.send("a", frameOf(2), 0, 4), "the other direction is up");
        assertEquals(List.of(new Frame("b", 2)), atA.frames);

        network.heal();
        assertTrue(a.send("b", frameOf(3), 0, 4));
        assertEquals(List.of(new Frame("a", 3)), atB.frames);
        assertEquals(1, a.counters().outboundDropped(), "counters only grow");
    }

    @Test
    void shouldDropAndCountFramesToAnUnknownOrNotStartedPeer() {
        final LocalNetwork network = new LocalNetwork();
        final LocalTransport a = started(network, "a", new Recorder());
        network.transport("b"); // created, never started
        assertFalse(a.send("b", frameOf(1), 0, 4));
        assertFalse(a.send("nobody", frameOf(2), 0, 4));
        assertEquals(2, a.counters().outboundDropped());
    }

    @Test
    void shouldDropFramesSentByOrToAClosedTransport() {
        final LocalNetwork network = new LocalNetwork();
        final Recorder atA = new Recorder();
        final Recorder atB = new Recorder();
        final LocalTransport a = started(network, "a", atA);
        final LocalTransport b = started(network, "b", atB);
        a.close();

        assertFalse(a.send("b", frameOf(1), 0, 4), "a closed transport sends nothing");
        assertEquals(1, a.counters().outboundDropped());
        assertFalse(b.send("a", frameOf(2), 0, 4), "a closed transport receives nothing");
        assertEquals(1, b.counters().outboundDropped());
        assertTrue(atA.frames.isEmpty() && atB.frames.isEmpty());
        a.close(); // idempotent
    }

    @Test
    void shouldCountADropWhenTheReceiversInboundBudgetIsFull() {
        final LocalNetwork network = new LocalNetwork();
        final LocalTransport a = started(network, "a", new Recorder());
        final LocalTransport b = started(network, "b", (from, buffer, offset, length) -> false);
        assertFalse(a.send("b", frameOf(1), 0, 4));
        assertEquals(1, a.counters().outboundDropped());
        assertEquals(1, b.counters().inboundDropped());
        assertEquals(0, b.counters().framesReceived());
    }

    @Test
    void shouldRefuseASecondTransportWithTheSameIdOnOneNetwork() {
        final LocalNetwork network = new LocalNetwork();
        final Recorder atFirst = new Recorder();
        final LocalTransport first = started(network, "a", atFirst);
        final LocalTransport b = started(network, "b", new Recorder());
        final LocalTransport second = network.transport("a");
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.start(new Recorder()));
        assertTrue(e.getMessage().contains("a"), e.getMessage());

        second.close(); // closing the refused one must not unplug the first
        assertTrue(b.send("a", frameOf(7), 0, 4));
        assertEquals(List.of(new Frame("b", 7)), atFirst.frames);

        first.close();
        final Recorder atThird = new Recorder();
        started(network, "a", atThird); // the id is free again once the first closed
        assertTrue(b.send("a", frameOf(8), 0, 4));
        assertEquals(List.of(new Frame("b", 8)), atThird.frames);
    }

    @Test
    void shouldRejectANullLinkFilter() {
        assertThrows(NullPointerException.class, () -> new LocalNetwork().linkFilter(null));
    }

    private static LocalTransport started(LocalNetwork network, String id, InboundFrames inbound) {
        final LocalTransport t = network.transport(id);
        t.start(inbound);
        return t;
    }

    private static DirectBuffer frameOf(int value) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4]);
        b.putInt(0, value);
        return b;
    }

    private record Frame(String from, int value) {
    }

    /** Copies the first int of every frame, as the loop's ring buffer copies the bytes. */
    private static final class Recorder implements InboundFrames {
        final List<Frame> frames = new ArrayList<>();

        @Override
        public boolean offer(String fromPeerId, DirectBuffer buffer, int offset, int length) {
            assertEquals(4, length);
            frames.add(new Frame(fromPeerId, buffer.getInt(offset)));
            return true;
        }
    }
}
