// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Allocates from {@link ByteBufAllocator#DEFAULT} and remembers every buffer, so that a test can
 * check right after one connection that all of them were released: a leak is pinned on the input
 * that caused it, without waiting for the garbage collector and Netty's leak detector.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final ByteBufAllocator delegate = ByteBufAllocator.DEFAULT;
    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return delegate.isDirectBufferPooled();
    }

    private ByteBuf track(ByteBuf buf) {
        allocated.add(buf);
        return buf;
    }

    /** @return how many buffers allocated since the last call are still referenced; forgets them all */
    int unreleasedAndForget() {
        int unreleased = 0;
        for (ByteBuf buf : allocated) {
            if (buf.refCnt() != 0) {
                unreleased++;
            }
        }
        allocated.clear();
        return unreleased;
    }
}
