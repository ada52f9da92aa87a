// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

/** An {@link EntryBatch} that reads a run of entries straight from a {@link RaftLogs}. */
final class LogBatch implements EntryBatch {
    private RaftLogs logs;
    private long firstIndex;
    private int count;

    LogBatch wrap(RaftLogs logs, long firstIndex, int count) {
        this.logs = logs;
        this.firstIndex = firstIndex;
        this.count = count;
        return this;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public LogEntryView read(int i, LogEntryView view) {
        return logs.read(firstIndex + i, view);
    }
}
