// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.LogEntryView;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An immutable {@link EntryBatch} over entries copied out of a sender's batch, so that a message
 * can wait on the simulated network (and be delivered twice) after the sender's view is gone.
 */
public final class CopiedEntryBatch implements EntryBatch {
    /** The batch of a heartbeat. */
    public static final CopiedEntryBatch EMPTY = new CopiedEntryBatch(new long[0], new long[0], new byte[0], new byte[0][]);

    private static final UnsafeBuffer NO_BYTES = new UnsafeBuffer(new byte[0]);

    private final long[] terms;
    private final long[] timestampsMs;
    private final byte[] types;
    private final byte[][] payloads;

    private CopiedEntryBatch(long[] terms, long[] timestampsMs, byte[] types, byte[][] payloads) {
        this.terms = terms;
        this.timestampsMs = timestampsMs;
        this.types = types;
        this.payloads = payloads;
    }

    /** Copies every entry of {@code batch}; the batch may be a view that dies after the call. */
    public static CopiedEntryBatch copyOf(EntryBatch batch) {
        final int count = batch.count();
        if (count == 0) {
            return EMPTY;
        }
        final long[] terms = new long[count];
        final long[] timestampsMs = new long[count];
        final byte[] types = new byte[count];
        final byte[][] payloads = new byte[count][];
        final LogEntryView view = new LogEntryView();
        for (int i = 0; i < count; i++) {
            batch.read(i, view);
            terms[i] = view.term();
            timestampsMs[i] = view.timestampMs();
            types[i] = view.type();
            payloads[i] = new byte[view.payloadLength()];
            view.payload().getBytes(0, payloads[i]);
        }
        return new CopiedEntryBatch(terms, timestampsMs, types, payloads);
    }

    @Override
    public int count() {
        return terms.length;
    }

    @Override
    public LogEntryView read(int i, LogEntryView view) {
        final byte[] payload = payloads[i];
        // Deliberate allocation per read: test code, and a fresh wrapper keeps the batch immutable.
        final UnsafeBuffer buffer = payload.length == 0 ? NO_BYTES : new UnsafeBuffer(payload);
        return view.wrap(terms[i], timestampsMs[i], types[i], buffer, 0, payload.length);
    }

    /** Term of entry {@code i}. */
    public long term(int i) {
        return terms[i];
    }
}
