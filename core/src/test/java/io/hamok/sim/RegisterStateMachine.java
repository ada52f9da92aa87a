// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.sim;

import io.hamok.raft.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;

import java.nio.ByteBuffer;

/**
 * A replicated test state machine: one 64-bit register with {@code set} and
 * {@code compare-and-set} commands. Every command carries a unique 64-bit proposal id. The machine
 * records what it applied (index and proposal id, since its last restore) and keeps a running
 * hash of its whole applied history, which its snapshot carries, so a checker can compare two
 * replicas even after one of them was restored from a snapshot.
 *
 * <p>Command format ({@link #COMMAND_BYTES} bytes): {@code [byte op][long proposalId][long value][long expected]}.
 * Snapshot format: {@code [long value][long lastIndex][long historyCount][long historyHash]}.
 */
public final class RegisterStateMachine implements StateMachine {
    /** Op code: set the register to {@code value}. */
    public static final byte SET = 1;
    /** Op code: set the register to {@code value} if it holds {@code expected}. */
    public static final byte CAS = 2;
    /** Length of an encoded command. */
    public static final int COMMAND_BYTES = 25;

    /** What a checker wants to hear about each apply and restore; called synchronously. */
    public interface Observer {
        /** Applied the command {@code proposalId} at {@code index}; {@code historyHash} includes it. */
        void onApplied(long index, long term, long proposalId, long historyHash);

        /** Restored a snapshot that was taken after applying {@code historyCount} commands, the last at {@code lastIndex}. */
        void onRestored(long snapshotIndex, long lastIndex, long historyCount, long historyHash);
    }

    private static final Observer NO_OBSERVER = new Observer() {
        @Override
        public void onApplied(long index, long term, long proposalId, long historyHash) {
        }

        @Override
        public void onRestored(long snapshotIndex, long lastIndex, long historyCount, long historyHash) {
        }
    };

    private final Observer observer;
    private final LongArrayList appliedIndexes = new LongArrayList();
    private final LongArrayList appliedProposals = new LongArrayList();
    private long value;
    private long appliedUpTo;
    private long lastIndex;
    private long historyCount;
    private long historyHash;

    public RegisterStateMachine() {
        this(NO_OBSERVER);
    }

    public RegisterStateMachine(Observer observer) {
        this.observer = observer;
    }

    /** Writes a command into {@code buffer} at {@code offset}; returns its length. */
    public static int encode(MutableDirectBuffer buffer, int offset, byte op, long proposalId, long value,
                             long expected) {
        buffer.putByte(offset, op);
        buffer.putLong(offset + 1, proposalId);
        buffer.putLong(offset + 9, value);
        buffer.putLong(offset + 17, expected);
        return COMMAND_BYTES;
    }

    @Override
    public void apply(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
        if (length != COMMAND_BYTES) {
            throw new AssertionError("register command of " + length + " bytes at index " + index);
        }
        if (index <= appliedUpTo) {
            throw new InvariantViolation("(d) state machine safety", "applied index " + index
                    + " after index " + appliedUpTo + " (out of order or twice)");
        }
        final byte op = payload.getByte(offset);
        final long proposalId = payload.getLong(offset + 1);
        final long newValue = payload.getLong(offset + 9);
        final long expected = payload.getLong(offset + 17);
        if (op == SET || (op == CAS && value == expected)) {
            value = newValue;
        }
        lastIndex = index;
        appliedUpTo = index;
        historyCount++;
        historyHash = mix(historyHash ^ mix(index * 0x9E3779B97F4A7C15L + proposalId));
        appliedIndexes.addLong(index);
        appliedProposals.addLong(proposalId);
        observer.onApplied(index, term, proposalId, historyHash);
    }

    @Override
    public byte[] snapshot() {
        return ByteBuffer.allocate(32).putLong(value).putLong(lastIndex).putLong(historyCount).putLong(historyHash)
                .array();
    }

    @Override
    public void restore(byte[] snapshot, long index) {
        final ByteBuffer b = ByteBuffer.wrap(snapshot);
        value = b.getLong();
        lastIndex = b.getLong();
        historyCount = b.getLong();
        historyHash = b.getLong();
        if (lastIndex > index) {
            throw new InvariantViolation("(d) state machine safety", "snapshot at index " + index
                    + " holds a command applied at later index " + lastIndex);
        }
        appliedUpTo = index;
        appliedIndexes.clear();
        appliedProposals.clear();
        observer.onRestored(index, lastIndex, historyCount, historyHash);
    }

    /** The register's value. */
    public long value() {
        return value;
    }

    /** Index of the last command applied (or covered by the restored snapshot), 0 before any. */
    public long lastIndex() {
        return lastIndex;
    }

    /** Commands in the whole history, restored ones included. */
    public long historyCount() {
        return historyCount;
    }

    /** Running hash of the whole history of (index, proposal id). */
    public long historyHash() {
        return historyHash;
    }

    /** Commands applied one by one since the last restore (or since creation). */
    public int appliedCount() {
        return appliedIndexes.size();
    }

    /** Log index of the {@code i}-th command applied since the last restore. */
    public long appliedIndex(int i) {
        return appliedIndexes.getLong(i);
    }

    /** Proposal id of the {@code i}-th command applied since the last restore. */
    public long appliedProposal(int i) {
        return appliedProposals.getLong(i);
    }

    /** SplitMix64's finaliser: a cheap, well-spread 64-bit hash step. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
