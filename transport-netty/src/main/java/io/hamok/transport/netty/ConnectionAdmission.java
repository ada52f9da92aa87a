// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits on accepted connections before they are trusted: at most {@code maxPending} connections
 * waiting for their handshake at once, and at most {@code perSecond} new ones per second (a token
 * bucket that holds one second's worth). Together with the small frame limit before the handshake
 * they bound what strangers can make a node hold: about {@code maxPending} times one TLS record and
 * one handshake frame.
 *
 * <p>Thread-safe. Dialed connections are not counted: the transport opens at most one per peer.
 */
final class ConnectionAdmission {
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    private final int maxPending;
    private final int perSecond;
    private final AtomicInteger pending = new AtomicInteger();
    private double tokens;
    private long refilledNs = System.nanoTime();

    ConnectionAdmission(int maxPending, int perSecond) {
        this.maxPending = maxPending;
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    /** A connection let in; {@link #release} it when its handshake ends, however it ends. Idempotent. */
    final class Ticket {
        private final AtomicBoolean released = new AtomicBoolean();

        void release() {
            if (released.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
        }
    }

    /**
     * Lets a new accepted connection in, or says why not.
     *
     * @param out receives the ticket when admitted
     * @return {@code null} when admitted, else the cause of the refusal
     */
    ConnectionRefusal admit(Ticket[] out) {
        if (!takeToken(System.nanoTime())) {
            return ConnectionRefusal.ACCEPT_RATE;
        }
        int now;
        do { // never above the cap, not even for a moment: a reader may look at any time
            now = pending.get();
            if (now >= maxPending) {
                return ConnectionRefusal.TOO_MANY_PENDING;
            }
        } while (!pending.compareAndSet(now, now + 1));
        out[0] = new Ticket();
        return null;
    }

    /** Connections admitted whose handshake has not ended yet. */
    int pending() {
        return pending.get();
    }

    private synchronized boolean takeToken(long nowNs) {
        tokens = Math.min(perSecond, tokens + (double) (nowNs - refilledNs) * perSecond / SECOND_NS);
        refilledNs = nowNs;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
