// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.StateMachine;
import org.agrona.DirectBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A state machine that remembers every entry applied to it, in order. Applied on the loop thread;
 * {@link #applied()} may be read from any thread (it copies under the lock).
 */
final class RecordingStateMachine implements StateMachine {
    /** One applied entry; the payload is decoded as UTF-8 text. */
    record Applied(long index, long term, String payload) {
    }

    private final List<Applied> applied = new ArrayList<>();
    /** When set, {@link #snapshot()} throws: a state machine that cannot export its state. */
    volatile boolean failSnapshots;

    @Override
    public synchronized void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset,
                                   int length) {
        applied.add(new Applied(index, term, payload.getStringWithoutLengthUtf8(offset, length)));
    }

    @Override
    public synchronized byte[] snapshot() {
        if (failSnapshots) {
            throw new IllegalStateException("snapshot refused (test)");
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(applied.size());
            for (Applied a : applied) {
                out.writeLong(a.index());
                out.writeLong(a.term());
                final byte[] text = a.payload().getBytes(StandardCharsets.UTF_8);
                out.writeInt(text.length);
                out.write(text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public synchronized void restore(byte[] snapshot, long index) {
        applied.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            final int n = in.readInt();
            for (int i = 0; i < n; i++) {
                final long entryIndex = in.readLong();
                final long term = in.readLong();
                final byte[] text = new byte[in.readInt()];
                in.readFully(text);
                applied.add(new Applied(entryIndex, term, new String(text, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of what was applied so far. */
    synchronized List<Applied> applied() {
        return List.copyOf(applied);
    }

    /** The payloads applied so far, in order. */
    synchronized List<String> payloads() {
        return applied.stream().map(Applied::payload).toList();
    }
}
