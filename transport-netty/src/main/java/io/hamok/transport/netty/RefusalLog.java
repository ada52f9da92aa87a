// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.ConnectionRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Rate-limited WARN lines about refused connections: at most one line per {@link ConnectionRefusal}
 * cause per {@link #INTERVAL_NS}; the next line says how many were not logged in between. A flood
 * of hostile connections costs a few lines a minute, not one per connection. Thread-safe.
 */
final class RefusalLog {
    static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

    private final String localPeerId;
    /** One slot per cause, and a last one for broken links of authenticated peers. */
    private static final int BROKEN = ConnectionRefusal.values().length;

    private final AtomicLongArray nextLineNs = new AtomicLongArray(BROKEN + 1);
    private final AtomicLongArray notLogged = new AtomicLongArray(BROKEN + 1);
    private final long startNs = System.nanoTime();

    RefusalLog(String localPeerId) {
        this.localPeerId = localPeerId;
    }

    /**
     * Logs a refusal unless one of the same cause was logged less than an interval ago.
     *
     * @return whether a line was written
     */
    boolean refused(ConnectionRefusal cause, Object connection, String reason) {
        long skipped = due(cause.ordinal());
        if (skipped < 0) {
            return false;
        }
        LOG.warn("{}: refused connection {} ({}): {}{}", localPeerId, connection, cause, reason, more(skipped));
        return true;
    }

    /**
     * Logs that an authenticated connection was closed after an error (a malformed frame, a TLS
     * record that does not decrypt), at most one line per interval.
     *
     * @return whether a line was written
     */
    boolean broken(Object connection, String reason) {
        long skipped = due(BROKEN);
        if (skipped < 0) {
            return false;
        }
        LOG.warn("{}: closing connection {}: {}{}", localPeerId, connection, reason, more(skipped));
        return true;
    }

    /** @return -1 when slot {@code i} logged less than an interval ago, else how many it skipped since */
    private long due(int i) {
        long now = System.nanoTime() - startNs; // >= 0, so 0 means "never logged"
        long next = nextLineNs.get(i);
        if ((next != 0 && now - next < 0) || !nextLineNs.compareAndSet(i, next, Math.max(1, now + INTERVAL_NS))) {
            notLogged.incrementAndGet(i);
            return -1;
        }
        return notLogged.getAndSet(i, 0);
    }

    private static String more(long skipped) {
        return skipped == 0 ? "" : "; " + skipped + " more like it since the last line";
    }
}
