// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.internal.RequestBuffers;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

@Timeout(10)
class RequestBuffersTest {
    private final RequestBuffers buffers = new RequestBuffers(2);

    @Test
    void shouldHandBackAReleasedBuffer() {
        final ExpandableArrayBuffer first = buffers.acquire();
        buffers.release(first);

        assertSame(first, buffers.acquire());
        assertNotSame(first, buffers.acquire(), "an empty pool makes a new buffer");
    }

    @Test
    void shouldKeepNoMoreThanItsBoundAndNoOversizedBuffer() {
        final ExpandableArrayBuffer huge = buffers.acquire();
        huge.putByte(RequestBuffers.MAX_POOLED_BYTES, (byte) 1); // grows past the limit
        buffers.release(huge);
        assertEquals(0, buffers.pooled());

        buffers.release(new ExpandableArrayBuffer(16));
        buffers.release(new ExpandableArrayBuffer(16));
        buffers.release(new ExpandableArrayBuffer(16));
        assertEquals(2, buffers.pooled());
    }
}
