// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/**
 * Reads waiting for their round, oldest first, in parallel primitive arrays used as a ring that
 * grows by doubling (a deliberate allocation, only when more reads wait than ever before). The
 * reads without a read index yet are always the newest: once the leader can give read indexes,
 * every waiting read gets one before a new read is queued.
 */
final class PendingReads {
    /** The round of a read that has no read index yet. */
    static final long NO_ROUND = 0;
    /** The read index of a read that has none yet. */
    static final long NO_INDEX = -1;

    private long[] contexts;
    private long[] readIndexes;
    private long[] rounds;
    private int head;
    private int count;
    private int unassigned;

    PendingReads(int capacity) {
        contexts = new long[capacity];
        readIndexes = new long[capacity];
        rounds = new long[capacity];
    }

    void add(long context) {
        if (count == contexts.length) {
            grow();
        }
        final int i = slot(count);
        contexts[i] = context;
        readIndexes[i] = NO_INDEX;
        rounds[i] = NO_ROUND;
        count++;
        unassigned++;
    }

    boolean hasUnassigned() {
        return unassigned > 0;
    }

    void assignWaiting(long readIndex, long round) {
        for (int k = count - unassigned; k < count; k++) {
            final int i = slot(k);
            readIndexes[i] = readIndex;
            rounds[i] = round;
        }
        unassigned = 0;
    }

    boolean isEmpty() {
        return count == 0;
    }

    long headContext() {
        return contexts[head];
    }

    long headReadIndex() {
        return readIndexes[head];
    }

    long headRound() {
        return rounds[head];
    }

    void pop() {
        head = slot(1);
        count--;
        unassigned = Math.min(unassigned, count);
    }

    private int slot(int k) {
        return (head + k) % contexts.length;
    }

    private void grow() {
        final int capacity = contexts.length * 2;
        final long[] c = new long[capacity];
        final long[] x = new long[capacity];
        final long[] r = new long[capacity];
        for (int k = 0; k < count; k++) {
            final int i = slot(k);
            c[k] = contexts[i];
            x[k] = readIndexes[i];
            r[k] = rounds[i];
        }
        contexts = c;
        readIndexes = x;
        rounds = r;
        head = 0;
    }
}
