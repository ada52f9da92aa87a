// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.Membership;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cuts the power at every write, fsync, truncate, rename, delete and directory sync of a scripted
 * workload (appends over several segments, votes, a truncation across segments, a snapshot with
 * compaction, an install that drops the log and one that keeps it), reopens the surviving disk and
 * checks what Raft needs: the recovered log is the state after some prefix of the mutations (or a
 * truncation or snapshot caught half way, which only ever holds more of what it removes), and with
 * {@link FsyncPolicy#ALWAYS} and {@link FsyncPolicy#BATCH} that prefix includes every mutation that was
 * reported durable. For {@link FsyncPolicy#NEVER} it measures how many reported-durable mutations a cut
 * can lose, on this simulated disk.
 *
 * <p>The writer is driven on the test thread (no writer thread), so every run is deterministic.
 */
@Timeout(300)
class FileRaftLogsPowerCutTest {
    private static final Membership MEMBERS = Membership.ofVoters("a", "b", "c");
    private static final int PAYLOAD = 100;

    private enum Kind { APPEND, VOTE, TRUNCATE, STORE_SNAPSHOT, INSTALL_SNAPSHOT, FLUSH }

    private record Step(Kind kind, long a, String vote, RaftSnapshot snapshot) {
        void apply(RaftLogs logs, int seed) {
            switch (kind) {
                case APPEND -> logs.append(a, seed, (byte) 0, FileRaftLogsTest.payload(PAYLOAD, seed), 0, PAYLOAD);
                case VOTE -> logs.storeTermAndVote(a, vote);
                case TRUNCATE -> logs.truncateFrom(a);
                case STORE_SNAPSHOT -> logs.storeSnapshot(snapshot, a);
                case INSTALL_SNAPSHOT -> logs.installSnapshot(snapshot);
                case FLUSH -> {
                    if (logs instanceof FileRaftLogs file && file.writerThreadless()) {
                        file.writer().doWork();
                    }
                }
            }
        }
    }

    private final List<Step> script = script();
    /** Mutations only (no flushes), in order. */
    private final List<Step> mutations = script.stream().filter(s -> s.kind != Kind.FLUSH).toList();
    /** Acceptable recovered states once {@code k} mutations are accepted: after k, or k+1 caught half way. */
    private final List<Set<LogState>> acceptable = acceptableStates();

    private static List<Step> script() {
        final List<Step> steps = new ArrayList<>();
        steps.add(new Step(Kind.VOTE, 1, "a", null));
        appends(steps, 1, 70, 1, 7);
        steps.add(new Step(Kind.VOTE, 2, "b", null));
        appends(steps, 71, 80, 2, 10);
        steps.add(new Step(Kind.TRUNCATE, 50, null, null)); // across segments (about 30 entries a segment)
        appends(steps, 50, 75, 2, 5);
        steps.add(new Step(Kind.STORE_SNAPSHOT, 40, null, RaftSnapshot.of(60, 2, MEMBERS, new byte[] {6})));
        steps.add(new Step(Kind.FLUSH, 0, null, null));
        appends(steps, 76, 85, 2, 4);
        steps.add(new Step(Kind.VOTE, 3, null, null));
        steps.add(new Step(Kind.INSTALL_SNAPSHOT, 0, null, RaftSnapshot.of(120, 3, MEMBERS, new byte[] {7})));
        appends(steps, 121, 130, 3, 3);
        steps.add(new Step(Kind.INSTALL_SNAPSHOT, 0, null, RaftSnapshot.of(125, 3, MEMBERS, new byte[] {8})));
        appends(steps, 131, 135, 3, 5);
        steps.add(new Step(Kind.TRUNCATE, 133, null, null));
        appends(steps, 133, 134, 4, 1);
        steps.add(new Step(Kind.VOTE, 4, "c", null));
        steps.add(new Step(Kind.FLUSH, 0, null, null));
        return steps;
    }

    private static void appends(List<Step> steps, long from, long to, long term, int flushEvery) {
        for (long index = from; index <= to; index++) {
            steps.add(new Step(Kind.APPEND, term, null, null));
            if ((index - from + 1) % flushEvery == 0) {
                steps.add(new Step(Kind.FLUSH, 0, null, null));
            }
        }
    }

    private List<Set<LogState>> acceptableStates() {
        final List<Set<LogState>> states = new ArrayList<>();
        for (int k = 0; k <= mutations.size(); k++) {
            final Set<LogState> set = new HashSet<>();
            set.add(LogState.of(replay(k)));
            if (k < mutations.size()) {
                final Step next = mutations.get(k);
                if (next.kind == Kind.TRUNCATE) {
                    // Later segments are deleted (newest first) before the one holding the point is cut.
                    for (long from = next.a + 1; from <= replay(k).lastIndex(); from++) {
                        final MemoryRaftLogs partial = replay(k);
                        partial.truncateFrom(from);
                        set.add(LogState.of(partial));
                    }
                }
                final MemoryRaftLogs before = replay(k);
                if ((next.kind == Kind.STORE_SNAPSHOT || next.kind == Kind.INSTALL_SNAPSHOT)
                    && next.snapshot.index() <= before.lastIndex()
                    && before.termAt(next.snapshot.index()) == next.snapshot.term()) {
                    // The snapshot file is durable, the new log start is not yet: stored, not compacted.
                    before.storeSnapshot(next.snapshot, before.firstIndex() - 1);
                    set.add(LogState.of(before));
                }
            }
            states.add(set);
        }
        return states;
    }

    private MemoryRaftLogs replay(int count) {
        final MemoryRaftLogs logs = new MemoryRaftLogs();
        for (int i = 0; i < count; i++) {
            mutations.get(i).apply(logs, i);
        }
        return logs;
    }

    /** Runs the script until a mutation is refused; returns {writeSequence, durableSequence}. */
    private long[] run(SimFileSystem disk, FsyncPolicy policy) throws IOException {
        return run(disk, policy, false);
    }

    private long[] run(SimFileSystem disk, FsyncPolicy policy, boolean writerThread) throws IOException {
        final FileRaftLogs logs = FileRaftLogs.open(disk, FileRaftLogsTest.config(policy), writerThread);
        int seed = 0;
        try {
            for (Step step : script) {
                step.apply(logs, seed);
                if (step.kind != Kind.FLUSH) {
                    seed++;
                }
            }
        } catch (FileLogFailedException refused) {
            // the power is off: the loop learns it at its next mutation
        }
        final long written = logs.writeSequence();
        final long durable = logs.durableSequence();
        logs.close();
        // With a writer thread, close() may publish more (it drains); what was durable before it still counts.
        return new long[] {written, writerThread ? Math.max(durable, logs.durableSequence()) : durable};
    }

    @Test
    void shouldLoseNothingReportedDurableWhereverThePowerIsCutWithAlways() throws IOException {
        assertNothingDurableLost(FsyncPolicy.ALWAYS);
    }

    @Test
    void shouldLoseNothingReportedDurableWhereverThePowerIsCutWithBatch() throws IOException {
        assertNothingDurableLost(FsyncPolicy.BATCH);
    }

    @Test
    void shouldStayPrefixConsistentWithNeverAndBoundWhatIsLost() throws IOException {
        final SimFileSystem clean = new SimFileSystem();
        run(clean, FsyncPolicy.NEVER);
        int worstLoss = 0;
        int cutsThatLost = 0;
        for (int point = 1; point <= clean.points() + 1; point++) {
            for (SimFileSystem.Cut mode : List.of(SimFileSystem.Cut.LOSE_UNSYNCED, SimFileSystem.Cut.TORN_WRITE)) {
                final SimFileSystem disk = new SimFileSystem().cutPowerAt(point, mode);
                final long[] sequences = run(disk, FsyncPolicy.NEVER);
                final int recovered = recoveredPrefix(disk.restart(), 0, (int) sequences[0], point, mode);
                final int loss = (int) Math.max(0, sequences[1] - recovered);
                worstLoss = Math.max(worstLoss, loss);
                cutsThatLost += loss > 0 ? 1 : 0;
            }
            // A process crash (the OS keeps what was written) loses nothing reported durable, even with NEVER.
            final SimFileSystem crashed = new SimFileSystem().cutPowerAt(point, SimFileSystem.Cut.KEEP_UNSYNCED);
            final long[] sequences = run(crashed, FsyncPolicy.NEVER);
            recoveredPrefix(crashed.restart(), (int) sequences[1], (int) sequences[0], point, SimFileSystem.Cut.KEEP_UNSYNCED);
        }
        // With NEVER the unforced tail of the last segment is at risk: at most what was written since the
        // last forced point (a roll, a vote, a snapshot, a truncation in this script).
        System.out.println("NEVER: " + cutsThatLost + " of " + 2 * (clean.points() + 1)
            + " power cuts lost mutations reported durable; at most " + worstLoss + " at once");
        assertTrue(worstLoss > 0, "the simulated page cache does lose unforced data");
        assertTrue(worstLoss < 40, "loss bounded by the unforced tail: " + worstLoss);
    }

    /** The same property with the real writer thread (where batches fall is up to the scheduler). */
    @Test
    void shouldLoseNothingReportedDurableWithAWriterThread() throws IOException {
        for (FsyncPolicy policy : List.of(FsyncPolicy.ALWAYS, FsyncPolicy.BATCH)) {
            final SimFileSystem clean = new SimFileSystem();
            run(clean, policy, true);
            for (int point = 1; point <= clean.points() + 1; point += 3) {
                final SimFileSystem disk = new SimFileSystem().cutPowerAt(point, SimFileSystem.Cut.TORN_WRITE);
                final long[] sequences = run(disk, policy, true);
                recoveredPrefix(disk.restart(), (int) sequences[1], (int) sequences[0], point, SimFileSystem.Cut.TORN_WRITE);
            }
        }
    }

    private void assertNothingDurableLost(FsyncPolicy policy) throws IOException {
        final SimFileSystem clean = new SimFileSystem();
        final long[] full = run(clean, policy);
        assertEquals(mutations.size(), full[0]);
        assertEquals(full[0], full[1], "a clean run makes everything durable");
        final int points = clean.points();
        assertTrue(points > 100, "the script has many cut points: " + points);
        System.out.println(policy + ": " + points + " cut points, each tried with " + List.of(SimFileSystem.Cut.values()));
        for (int point = 1; point <= points + 1; point++) {
            for (SimFileSystem.Cut mode : SimFileSystem.Cut.values()) {
                final SimFileSystem disk = new SimFileSystem().cutPowerAt(point, mode);
                final long[] sequences = run(disk, policy);
                recoveredPrefix(disk.restart(), (int) sequences[1], (int) sequences[0], point, mode);
            }
        }
    }

    /**
     * Opens the disk after a cut and returns the number of mutations whose state it holds, checking that
     * it is one of the acceptable states for a count in [{@code atLeast}, {@code atMost}], and that the
     * recovered log takes new entries and survives another reopen.
     */
    private int recoveredPrefix(SimFileSystem disk, int atLeast, int atMost, int point, SimFileSystem.Cut mode) throws IOException {
        final String where = "cut at point " + point + " (" + mode + "), durable " + atLeast + ", written " + atMost;
        final LogState state;
        final LogState extended;
        try (FileRaftLogs logs = FileRaftLogs.open(disk, FileRaftLogsTest.config(FsyncPolicy.BATCH), false)) {
            state = LogState.of(logs);
            logs.append(Math.max(9, logs.currentTerm()), 1, (byte) 0, FileRaftLogsTest.payload(10, 1), 0, 10);
            extended = LogState.of(logs);
        } catch (FileLogCorruptException e) {
            throw new AssertionError(where + ": refused to open", e);
        }
        try (FileRaftLogs again = FileRaftLogs.open(disk, FileRaftLogsTest.config(FsyncPolicy.BATCH), false)) {
            assertEquals(extended, LogState.of(again), where + ": after a further append and reopen");
        } catch (FileLogCorruptException e) {
            throw new AssertionError(where + ": refused to reopen after a further append", e);
        }
        for (int k = atMost; k >= 0; k--) {
            if (acceptable.get(k).contains(state)) {
                if (k < atLeast) {
                    fail(where + ": recovered the state after " + k + " mutations, but " + atLeast
                        + " were reported durable: " + state);
                }
                return k;
            }
        }
        fail(where + ": recovered a state no prefix of the mutations explains: " + state);
        return -1;
    }
}
