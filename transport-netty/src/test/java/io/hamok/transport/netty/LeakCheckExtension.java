// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test when Netty reported a leaked buffer during or before it. After each test it runs a
 * garbage collection, waits until the collector has processed references (a weak sentinel is
 * enqueued) and allocates a few buffers: Netty looks for collected-but-unreleased buffers when it
 * tracks a new one. A leak is found by the test that runs the collection, which may be a later
 * test than the one that leaked; the report's records show where the buffer was used.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        assertTrue(LeakRecordingDetector.installed(),
                "run with -Dio.netty.leakDetection.level=paranoid -Dio.netty.customResourceLeakDetector="
                        + LeakRecordingDetector.class.getName() + " (see transport-netty/pom.xml)");
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        assertNoLeaks();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        assertNoLeaks();
    }

    static void assertNoLeaks() throws InterruptedException {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " Netty leak(s) reported:\n" + String.join("\n\n", leaks));
        }
    }

    /** Collects garbage, lets Netty's detectors look at it and returns (and forgets) what they reported. */
    static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            gcAndWaitForReferenceProcessing();
            for (int i = 0; i < 16; i++) {
                ByteBufAllocator.DEFAULT.directBuffer(8).release();
                ByteBufAllocator.DEFAULT.heapBuffer(8).release();
                Unpooled.directBuffer(8).release();
            }
        }
        return LeakRecordingDetector.drain();
    }

    private static void gcAndWaitForReferenceProcessing() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        for (int attempt = 0; attempt < 10 && queue.poll() == null; attempt++) {
            System.gc();
            if (queue.remove(100) != null) {
                break;
            }
        }
        sentinel.clear();
    }
}
