// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import java.util.SplittableRandom;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.LogEntryView;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import org.agrona.concurrent.UnsafeBuffer;

import com.google.protobuf.ByteString;

/** A leader-side batch over plain arrays; {@link #read} allocates nothing. */
final class ArrayEntryBatch implements EntryBatch {
    private final long[] terms;
    private final long[] timestampsMs;
    private final byte[] types;
    private final byte[][] payloads;
    private final UnsafeBuffer[] payloadBuffers;

    ArrayEntryBatch(long[] terms, long[] timestampsMs, byte[] types, byte[][] payloads) {
        this.terms = terms;
        this.timestampsMs = timestampsMs;
        this.types = types;
        this.payloads = payloads;
        this.payloadBuffers = new UnsafeBuffer[payloads.length];
        for (int i = 0; i < payloads.length; i++) {
            payloadBuffers[i] = new UnsafeBuffer(payloads[i]);
        }
    }

    static ArrayEntryBatch empty() {
        return new ArrayEntryBatch(new long[0], new long[0], new byte[0], new byte[0][]);
    }

    /** {@code count} entries cycling through the three types, with payloads of 0..maxPayload random bytes. */
    static ArrayEntryBatch random(SplittableRandom random, int count, int maxPayload) {
        final long[] terms = new long[count];
        final long[] timestamps = new long[count];
        final byte[] types = new byte[count];
        final byte[][] payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            terms[i] = random.nextInt(4) == 0 ? random.nextLong() : random.nextLong(1000);
            timestamps[i] = random.nextInt(4) == 0 ? 0 : random.nextLong(1L << 42);
            types[i] = (byte) (i % 3);
            payloads[i] = new byte[random.nextInt(maxPayload + 1)];
            random.nextBytes(payloads[i]);
        }
        return new ArrayEntryBatch(terms, timestamps, types, payloads);
    }

    /** {@code count} NORMAL entries of exactly {@code payloadLength} bytes each. */
    static ArrayEntryBatch fixed(int count, int payloadLength) {
        final long[] terms = new long[count];
        final long[] timestamps = new long[count];
        final byte[] types = new byte[count];
        final byte[][] payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            terms[i] = 7 + i / 10;
            timestamps[i] = 1_700_000_000_000L + i;
            payloads[i] = new byte[payloadLength];
            payloads[i][0] = (byte) i;
        }
        return new ArrayEntryBatch(terms, timestamps, types, payloads);
    }

    @Override
    public int count() {
        return terms.length;
    }

    @Override
    public LogEntryView read(int i, LogEntryView view) {
        return view.wrap(terms[i], timestampsMs[i], types[i], payloadBuffers[i], 0, payloads[i].length);
    }

    /** Adds the same entries to a generated builder. */
    HamokMessage.Builder addTo(HamokMessage.Builder builder) {
        for (int i = 0; i < terms.length; i++) {
            builder.addEntries(LogEntry.newBuilder()
                .setTerm(terms[i])
                .setTimestampMs(timestampsMs[i])
                .setTypeValue(types[i])
                .setPayload(ByteString.copyFrom(payloads[i])));
        }
        return builder;
    }
}
