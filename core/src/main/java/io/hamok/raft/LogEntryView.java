// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable, mutable view of one Raft log entry: its term, its leader timestamp, its type and
 * its payload bytes. A view is wrapped over bytes that somebody else owns (a log segment, a
 * received frame); it is valid until that owner changes the bytes, so a reader copies what it
 * wants to keep. Views exist so that entries can move between the log, the wire and the state
 * machine without allocating.
 *
 * <p>Not thread-safe: one view belongs to one thread.
 */
public final class LogEntryView {
    /** Entry type of a state-machine command. */
    public static final byte NORMAL = 0;
    /** Entry type of the empty entry a new leader appends (paper §5.4.2). */
    public static final byte NOOP = 1;
    /** Entry type of a cluster configuration entry (payload: an encoded configuration). */
    public static final byte CONFIG = 2;

    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private long term;
    private long timestampMs;
    private byte type;

    /**
     * Points this view at an entry.
     *
     * @param term        term in which the entry was created
     * @param timestampMs creating leader's epoch milliseconds
     * @param type        {@link #NORMAL}, {@link #NOOP} or {@link #CONFIG}
     * @param buffer      bytes holding the payload (not copied)
     * @param offset      payload offset in {@code buffer}
     * @param length      payload length in bytes
     * @return this view
     */
    public LogEntryView wrap(long term, long timestampMs, byte type, DirectBuffer buffer, int offset, int length) {
        this.term = term;
        this.timestampMs = timestampMs;
        this.type = type;
        if (length == 0) {
            payload.wrap(0, 0);
        } else {
            payload.wrap(buffer, offset, length);
        }
        return this;
    }

    public long term() {
        return term;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public byte type() {
        return type;
    }

    /** The payload bytes, starting at offset 0 of the returned buffer. */
    public DirectBuffer payload() {
        return payload;
    }

    public int payloadLength() {
        return payload.capacity();
    }
}
