// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link RaftOutbox} that records every send as a small immutable record, copying entries and
 * snapshot chunks (the node's views are valid only during the call). Tests read what a node sent
 * with {@link #ofKind}, or take it with {@link #takeAll()}; a hook set with {@link #onSend} runs
 * at send time, so a test can check the node's durable state at the moment a message leaves.
 *
 * <p>Not thread-safe; used on the test thread only.
 */
final class RecordingOutbox implements RaftOutbox {

    /** One message the node sent. */
    sealed interface Sent permits VoteRequest, VoteResponse, AppendEntries, AppendEntriesResponse,
            InstallSnapshot, InstallSnapshotResponse, TimeoutNow {
        String to();

        long term();
    }

    record VoteRequest(String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                       boolean leadershipTransfer) implements Sent {
    }

    record VoteResponse(String to, long term, boolean granted, boolean preVote) implements Sent {
    }

    /** AppendEntries; {@code readRound} is the leader's read round (thesis §6.4), 0 = none. */
    record AppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                         List<Entry> entries, long readRound, long appendId) implements Sent {
        AppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                      List<Entry> entries) {
            this(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, 0, 0);
        }

        /** Index of the last entry carried, or prevLogIndex for a heartbeat. */
        long lastIndex() {
            return prevLogIndex + entries.size();
        }

        /** The entries as a batch a follower can be handed. */
        EntryBatch batch() {
            return RecordingOutbox.batch(entries);
        }
    }

    /**
     * The answer to AppendEntries; {@code readRound}, {@code requestTerm} and {@code appendId} are
     * echoed from the request.
     */
    record AppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                 long conflictTerm, long conflictIndex, long readRound, long requestTerm,
                                 long appendId) implements Sent {
        /** An answer to a request of the responder's own term, without read round or append id. */
        AppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                              long conflictTerm, long conflictIndex) {
            this(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, 0, term, 0);
        }
    }

    record InstallSnapshot(String to, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                           byte[] data, boolean done, long snapshotLength, int checksum) implements Sent {
    }

    record InstallSnapshotResponse(String to, long term, boolean success, long snapshotIndex, long nextOffset)
            implements Sent {
    }

    record TimeoutNow(String to, long term) implements Sent {
    }

    /** A copied log entry. */
    record Entry(long term, long timestampMs, byte type, byte[] payload) {
        static Entry normal(long term, String text) {
            return new Entry(term, 0, LogEntryView.NORMAL, text.getBytes(StandardCharsets.UTF_8));
        }

        static Entry noop(long term) {
            return new Entry(term, 0, LogEntryView.NOOP, new byte[0]);
        }

        static Entry config(long term, Membership membership) {
            return new Entry(term, 0, LogEntryView.CONFIG, membership.toBytes());
        }

        static Entry copyOf(LogEntryView view) {
            final byte[] payload = new byte[view.payloadLength()];
            view.payload().getBytes(0, payload);
            return new Entry(view.term(), view.timestampMs(), view.type(), payload);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            final String kind = type == LogEntryView.NORMAL ? "'" + text() + "'"
                    : type == LogEntryView.NOOP ? "NOOP" : "CONFIG " + Membership.fromBytes(payload);
            return "t" + term + ":" + kind;
        }
    }

    /** An entry batch over copied entries, as a decoder would hand it to a follower. */
    static EntryBatch batch(List<Entry> entries) {
        final List<Entry> copy = List.copyOf(entries);
        return new EntryBatch() {
            @Override
            public int count() {
                return copy.size();
            }

            @Override
            public LogEntryView read(int i, LogEntryView view) {
                final Entry e = copy.get(i);
                return view.wrap(e.term(), e.timestampMs(), e.type(), new UnsafeBuffer(e.payload()), 0,
                        e.payload().length);
            }
        };
    }

    static EntryBatch batch(Entry... entries) {
        return batch(List.of(entries));
    }

    private final List<Sent> sent = new ArrayList<>();
    private final LogEntryView view = new LogEntryView();
    private Consumer<Sent> onSend = s -> {
    };

    /** Runs {@code hook} for every message at the moment it is sent, before it is recorded. */
    RecordingOutbox onSend(Consumer<Sent> hook) {
        this.onSend = hook;
        return this;
    }

    /** Everything recorded since the last take, oldest first; the record is emptied. */
    List<Sent> takeAll() {
        final List<Sent> all = new ArrayList<>(sent);
        sent.clear();
        return all;
    }

    /** The recorded messages of one kind, oldest first; the record is left as it is. */
    <T extends Sent> List<T> ofKind(Class<T> kind) {
        final List<T> found = new ArrayList<>();
        for (Sent s : sent) {
            if (kind.isInstance(s)) {
                found.add(kind.cast(s));
            }
        }
        return found;
    }

    /** The recorded messages of one kind to one peer, oldest first. */
    <T extends Sent> List<T> ofKind(Class<T> kind, String to) {
        final List<T> found = new ArrayList<>();
        for (T s : ofKind(kind)) {
            if (s.to().equals(to)) {
                found.add(s);
            }
        }
        return found;
    }

    /** Removes and returns the recorded messages of one kind to one peer, oldest first. */
    <T extends Sent> List<T> take(Class<T> kind, String to) {
        final List<T> found = ofKind(kind, to);
        sent.removeIf(s -> kind.isInstance(s) && s.to().equals(to));
        return found;
    }

    /** The only recorded message of one kind to one peer; fails when there is not exactly one. */
    <T extends Sent> T single(Class<T> kind, String to) {
        final List<T> found = ofKind(kind, to);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind.getSimpleName() + " to " + to + ", recorded " + sent);
        }
        return found.get(0);
    }

    List<Sent> all() {
        return List.copyOf(sent);
    }

    void clear() {
        sent.clear();
    }

    boolean isEmpty() {
        return sent.isEmpty();
    }

    private void record(Sent s) {
        onSend.accept(s);
        sent.add(s);
    }

    @Override
    public void sendVoteRequest(String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                                boolean leadershipTransfer) {
        record(new VoteRequest(to, term, lastLogIndex, lastLogTerm, preVote, leadershipTransfer));
    }

    @Override
    public void sendVoteResponse(String to, long term, boolean granted, boolean preVote) {
        record(new VoteResponse(to, term, granted, preVote));
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries) {
        sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, 0);
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries, long readRound) {
        sendAppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound, 0);
    }

    @Override
    public void sendAppendEntries(String to, long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                  EntryBatch entries, long readRound, long appendId) {
        final List<Entry> copies = new ArrayList<>(entries.count());
        for (int i = 0; i < entries.count(); i++) {
            copies.add(Entry.copyOf(entries.read(i, view)));
        }
        record(new AppendEntries(to, term, prevLogIndex, prevLogTerm, leaderCommit, List.copyOf(copies), readRound,
                appendId));
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex) {
        sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, 0);
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex, long readRound) {
        sendAppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex, readRound,
                term, 0);
    }

    @Override
    public void sendAppendEntriesResponse(String to, long term, boolean success, long prevLogIndex, long matchIndex,
                                          long conflictTerm, long conflictIndex, long readRound, long requestTerm,
                                          long appendId) {
        record(new AppendEntriesResponse(to, term, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex,
                readRound, requestTerm, appendId));
    }

    @Override
    public void sendInstallSnapshot(String to, long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                    DirectBuffer data, int dataOffset, int dataLength, boolean done,
                                    long snapshotLength, int checksum) {
        final byte[] chunk = new byte[dataLength];
        data.getBytes(dataOffset, chunk);
        record(new InstallSnapshot(to, term, snapshotIndex, snapshotTerm, chunkOffset, chunk, done, snapshotLength,
                checksum));
    }

    @Override
    public void sendInstallSnapshotResponse(String to, long term, boolean success, long snapshotIndex,
                                            long nextOffset) {
        record(new InstallSnapshotResponse(to, term, success, snapshotIndex, nextOffset));
    }

    @Override
    public void sendTimeoutNow(String to, long term) {
        record(new TimeoutNow(to, term));
    }

    @Override
    public String toString() {
        return sent.toString();
    }
}
