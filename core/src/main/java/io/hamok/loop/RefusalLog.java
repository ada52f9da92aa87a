// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.RaftCounters;
import io.hamok.raft.RaftRefusal;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Rate-limited logging of the messages a {@link io.hamok.raft.RaftNode} refused (the core counts,
 * never logs): at most one line per {@link RaftRefusal cause} per {@link #INTERVAL_NS}. The first
 * refusal of a cause is logged at once; later ones within the interval are suppressed and the next
 * line says how many there were, so a flood of hostile frames costs a few lines, not one per frame.
 *
 * <p>Loop thread only. {@link #check} is called once per duty cycle with the cycle's {@code nowNs};
 * with nothing new it costs one comparison and allocates nothing.
 */
final class RefusalLog {
    /** At most one line per cause in this interval: 10 s. */
    static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private static final RaftRefusal[] CAUSES = RaftRefusal.values();

    private final String name;
    private final Consumer<String> sink;
    /** Per cause: the count as of its latest line. */
    private final long[] logged = new long[CAUSES.length];
    private final long[] lastLineNs = new long[CAUSES.length];
    /** Sum of {@link #logged}: when the counters' total equals it, nothing waits to be logged. */
    private long loggedTotal;
    /** The counters' total at the previous check, for the loop's counter. */
    private long seenTotal;

    RefusalLog(String name, Consumer<String> sink) {
        this.name = name;
        this.sink = sink;
    }

    /**
     * Logs what is due and returns how many refusals are new since the previous call.
     *
     * @param nowNs the loop's clock of this duty cycle
     */
    long check(RaftCounters counters, long nowNs) {
        final long total = counters.refusedTotal();
        final long fresh = total - seenTotal;
        seenTotal = total;
        if (total != loggedTotal) {
            for (RaftRefusal cause : CAUSES) {
                maybeLog(counters, cause, nowNs);
            }
        }
        return fresh;
    }

    private void maybeLog(RaftCounters counters, RaftRefusal cause, long nowNs) {
        final int i = cause.ordinal();
        final long count = counters.refused(cause);
        if (count == logged[i] || (logged[i] != 0 && nowNs - lastLineNs[i] < INTERVAL_NS)) {
            return;
        }
        final long suppressed = count - logged[i] - 1;
        final StringBuilder line = new StringBuilder(160).append(name).append(": refused a Raft message, ")
                .append(cause.name()).append(": ").append(cause.description()).append("; latest from ")
                .append(counters.lastFrom(cause)).append(", value ").append(counters.lastValue(cause));
        if (cause == RaftRefusal.SNAPSHOT_RESTORE_FAILED && counters.lastRestoreFailure() != null) {
            line.append(", restore threw ").append(counters.lastRestoreFailure());
        }
        line.append("; ").append(suppressed).append(" more of this cause suppressed (").append(count)
                .append(" in all; at most one line per cause per ")
                .append(TimeUnit.NANOSECONDS.toSeconds(INTERVAL_NS)).append(" s)");
        sink.accept(line.toString());
        loggedTotal += count - logged[i];
        logged[i] = count;
        lastLineNs[i] = nowNs;
    }
}
