// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The loop's default way to wait for work: spin a little, yield a little, then park for at most
 * {@code maxParkNs} — and let producers wake it early. An I/O thread that puts a frame into the
 * inbound ring buffer, or a user thread that queues a command, calls {@link #signal()}, which
 * unparks the loop only if it is parked. So an idle loop costs no CPU, and a frame still reaches
 * the loop in microseconds instead of waiting out a park.
 *
 * <p>No lost wake-up: the loop announces {@code parked} (a volatile write) and then checks for work
 * once more before parking; a producer makes its work visible and then reads {@code parked}. One
 * of the two always sees the other. Timers are served anyway: a park never lasts longer than
 * {@code maxParkNs}.
 */
final class SignalledIdleStrategy implements IdleStrategy {
    private final int maxSpins;
    private final int maxYields;
    private final long maxParkNs;
    private final BooleanSupplier hasWork;
    private volatile boolean parked;
    private volatile Thread owner;
    private int spins;
    private int yields;

    SignalledIdleStrategy(int maxSpins, int maxYields, long maxParkNs, BooleanSupplier hasWork) {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxParkNs = maxParkNs;
        this.hasWork = hasWork;
    }

    static SignalledIdleStrategy defaults(BooleanSupplier hasWork) {
        return new SignalledIdleStrategy(50, 100, TimeUnit.MILLISECONDS.toNanos(1), hasWork);
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            if (owner == null) {
                owner = Thread.currentThread();
            }
            parked = true;
            if (!hasWork.getAsBoolean()) {
                LockSupport.parkNanos(this, maxParkNs);
            }
            parked = false;
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
    }

    /** Wakes the loop if it is parked; cheap (one volatile read) when it is not. Any thread. */
    void signal() {
        if (parked) {
            final Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    @Override
    public String alias() {
        return "signalled";
    }
}
