// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The configurations a node knows: the one in its snapshot (or the bootstrap one) and every
 * CONFIG entry in its log above it. The latest is in force, committed or not (thesis §4.1); when
 * the log is truncated, the configurations of the removed entries are forgotten.
 */
final class MembershipLog {
    private record Entry(long index, Membership membership) {
    }

    private Membership base;
    private long baseIndex;
    private final List<Entry> entries = new ArrayList<>();

    MembershipLog(Membership base, long baseIndex) {
        reset(base, baseIndex);
    }

    void reset(Membership base, long baseIndex) {
        this.base = base;
        this.baseIndex = baseIndex;
        entries.clear();
    }

    void appended(long index, Membership membership) {
        entries.add(new Entry(index, membership));
    }

    /** Reads the CONFIG entries of {@code logs} above the latest known one (a node recovering its log). */
    void recoverFrom(RaftLogs logs, LogEntryView view) {
        for (long i = Math.max(logs.firstIndex(), latestIndex() + 1); i <= logs.lastIndex(); i++) {
            final LogEntryView e = logs.read(i, view);
            if (e.type() == LogEntryView.CONFIG) {
                appended(i, Membership.fromEntry(e));
            }
        }
    }

    /** Forgets configurations at {@code index} and after. */
    void truncatedFrom(long index) {
        entries.removeIf(e -> e.index >= index);
    }

    /** Snapshot installed at {@code index}: configurations up to it are replaced by the snapshot's. */
    void snapshotInstalled(long index, Membership membership) {
        entries.removeIf(e -> e.index <= index);
        base = membership;
        baseIndex = index;
    }

    Membership latest() {
        return entries.isEmpty() ? base : entries.get(entries.size() - 1).membership;
    }

    /** Index of the latest configuration's entry (the snapshot index or 0 for the base). */
    long latestIndex() {
        return entries.isEmpty() ? baseIndex : entries.get(entries.size() - 1).index;
    }

    /** The configuration in force at {@code index}. */
    Membership at(long index) {
        Membership found = base;
        for (Entry e : entries) {
            if (e.index > index) {
                break;
            }
            found = e.membership;
        }
        return found;
    }
}
