// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * Buffers that writes are encoded into on the caller's thread, handed back by the loop thread once
 * the write is done (applied here, or failed), so a steady stream of writes encodes without new
 * buffers. The pool is bounded: at most {@code maxPooled} buffers wait in it, none larger than
 * {@value #MAX_POOLED_BYTES} bytes; a buffer beyond that, or one that is never given back (a write
 * that could not even be queued), is left to the garbage collector.
 *
 * <p>Threads: {@link #acquire} on any thread, {@link #release} on the loop thread (any thread is
 * safe); allocation-free queue operations.
 */
public final class RequestBuffers {
    /** Buffers grown past this are not kept. */
    public static final int MAX_POOLED_BYTES = 64 * 1024;
    private static final int INITIAL_BYTES = 256;

    private final ManyToManyConcurrentArrayQueue<ExpandableArrayBuffer> free;

    public RequestBuffers(int maxPooled) {
        free = new ManyToManyConcurrentArrayQueue<>(maxPooled);
    }

    /** A buffer to encode one write into (it grows as the encoder writes). */
    public ExpandableArrayBuffer acquire() {
        final ExpandableArrayBuffer buffer = free.poll();
        return buffer != null ? buffer : new ExpandableArrayBuffer(INITIAL_BYTES);
    }

    /** Gives a buffer back once nothing reads it any more. */
    public void release(ExpandableArrayBuffer buffer) {
        if (buffer.capacity() <= MAX_POOLED_BYTES) {
            free.offer(buffer);
        }
    }

    /** Buffers waiting in the pool (tests). */
    public int pooled() {
        return free.size();
    }
}
