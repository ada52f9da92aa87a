// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.InboundFrames;
import org.agrona.DirectBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * An {@link InboundFrames} for tests: copies every frame it accepts and lets a test wait, with a
 * timeout, until the received frames satisfy a condition. Refuses frames (returns {@code false},
 * like a full inbound ring) while {@link #refuse} is set.
 */
final class RecordingInboundFrames implements InboundFrames {
    /** One received frame. */
    record Frame(String from, byte[] bytes) {
        int sequence() {
            return TestFrames.sequence(bytes);
        }
    }

    private final List<Frame> frames = new ArrayList<>();
    private volatile boolean refuse;
    private long offers;

    @Override
    public synchronized boolean offer(String fromPeerId, DirectBuffer buffer, int offset, int length) {
        offers++;
        if (refuse) {
            notifyAll();
            return false;
        }
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        frames.add(new Frame(fromPeerId, copy));
        notifyAll();
        return true;
    }

    void refuse(boolean v) {
        refuse = v;
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    synchronized List<Frame> framesFrom(String peerId) {
        return frames.stream().filter(f -> f.from().equals(peerId)).toList();
    }

    synchronized long offers() {
        return offers;
    }

    /** Waits until {@code condition} holds for the frames received so far. */
    synchronized void await(Predicate<RecordingInboundFrames> condition, Duration timeout, String what)
            throws InterruptedException, TimeoutException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                throw new TimeoutException("waited " + timeout + " for " + what + "; received " + frames.size()
                        + " frames, " + offers + " offers");
            }
            wait(leftMs);
        }
    }

    /** Waits until {@code count} frames from {@code peerId} were received. */
    void awaitFrom(String peerId, int count, Duration timeout) throws InterruptedException, TimeoutException {
        await(r -> r.countFrom(peerId) >= count, timeout, count + " frames from " + peerId);
    }

    /** Waits until {@code count} frames were offered (accepted or refused). */
    void awaitOffers(long count, Duration timeout) throws InterruptedException, TimeoutException {
        await(r -> r.offers >= count, timeout, count + " offers");
    }

    private int countFrom(String peerId) {
        int n = 0;
        for (Frame f : frames) {
            if (f.from().equals(peerId)) {
                n++;
            }
        }
        return n;
    }
}
