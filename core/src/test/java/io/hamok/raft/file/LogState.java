// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftLogs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Everything a {@link RaftLogs} holds, as a comparable value (entries as term/timestamp/type/payload). */
record LogState(long term, String votedFor, boolean emptyLogGuard, long firstIndex, long lastIndex, long termBeforeFirst,
                long snapshotIndex, long snapshotTerm, int snapshotChecksum, List<String> entries) {

    static LogState of(RaftLogs logs) {
        final LogEntryView view = new LogEntryView();
        final List<String> entries = new ArrayList<>();
        for (long index = logs.firstIndex(); index <= logs.lastIndex(); index++) {
            logs.read(index, view);
            final byte[] payload = new byte[view.payloadLength()];
            view.payload().getBytes(0, payload);
            entries.add(index + ":" + view.term() + "/" + view.timestampMs() + "/" + view.type() + "/"
                + Arrays.hashCode(payload) + "/" + payload.length);
        }
        return new LogState(logs.currentTerm(), logs.votedFor(), logs.emptyLogGuard(), logs.firstIndex(), logs.lastIndex(),
            logs.termAt(logs.firstIndex() - 1), logs.snapshotIndex(), logs.snapshotTerm(),
            logs.snapshot() == null ? 0 : logs.snapshot().checksum(), List.copyOf(entries));
    }

    @Override
    public String toString() {
        return "LogState{term=" + term + ", vote=" + votedFor + (emptyLogGuard ? ", guarded" : "") + ", [" + firstIndex + ".." + lastIndex + "], before="
            + termBeforeFirst + ", snapshot=" + snapshotIndex + "/" + snapshotTerm + ", entries="
            + (entries.size() <= 6 ? entries : entries.subList(0, 3) + "..." + entries.subList(entries.size() - 3,
            entries.size())) + "}";
    }

    boolean sameAs(LogState other) {
        return Objects.equals(this, other);
    }
}
