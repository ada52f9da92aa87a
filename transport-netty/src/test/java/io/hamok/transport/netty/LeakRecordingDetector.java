// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The leak detector of every Netty resource in these tests (installed by surefire with
 * {@code -Dio.netty.customResourceLeakDetector}, level paranoid): reports like Netty's own and
 * also records each report, so that {@link LeakCheckExtension} can fail the test.
 */
public final class LeakRecordingDetector<T> extends ResourceLeakDetector<T> {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** The older constructor Netty looks for first (it logs an error when it is missing). */
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** Whether surefire installed this detector (the tests are meaningless about leaks otherwise). */
    static boolean installed() {
        return LeakRecordingDetector.class.getName().equals(System.getProperty("io.netty.customResourceLeakDetector"))
                && getLevel() == Level.PARANOID;
    }

    /** Removes and returns the leaks reported so far. */
    static List<String> drain() {
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        return leaks;
    }

    @Override
    protected boolean needReport() {
        return true; // record even when no logger is enabled for errors
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add("LEAK of " + resourceType + ":" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add("LEAK of " + resourceType + " (no records)");
        super.reportUntracedLeak(resourceType);
    }
}
