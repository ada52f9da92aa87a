// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.Membership;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/** Random valid mutations applied alike to a log under test and a model log. */
final class RandomOps {
    private static final Membership MEMBERS = Membership.ofVoters("a", "b", "c");

    private RandomOps() {
    }

    static void step(SplittableRandom random, RaftLogs logs, RaftLogs model) {
        final int dice = random.nextInt(100);
        if (dice < 75) {
            final int length = random.nextInt(30) == 0 ? random.nextInt(1000, 6000) : random.nextInt(0, 120);
            final byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            final long term = Math.max(1, model.currentTerm());
            final long timestampMs = random.nextLong(1_000_000);
            final byte type = (byte) random.nextInt(3);
            final UnsafeBuffer payload = new UnsafeBuffer(bytes);
            model.append(term, timestampMs, type, payload, 0, length);
            logs.append(term, timestampMs, type, payload, 0, length);
        } else if (dice < 82) {
            if (random.nextInt(4) == 0) {
                final boolean guard = !model.emptyLogGuard();
                model.storeEmptyLogGuard(guard);
                logs.storeEmptyLogGuard(guard);
                return;
            }
            final long term = model.currentTerm() + random.nextInt(2);
            final String vote = random.nextBoolean() ? null : "node-" + random.nextInt(5);
            model.storeTermAndVote(term, vote);
            logs.storeTermAndVote(term, vote);
        } else if (dice < 90) {
            final long index = random.nextLong(model.snapshotIndex() + 1, model.lastIndex() + 2);
            model.truncateFrom(index);
            logs.truncateFrom(index);
        } else if (dice < 97) {
            if (model.lastIndex() < model.snapshotIndex() + 1 && model.snapshot() == null) {
                return;
            }
            final long index = random.nextLong(model.snapshotIndex(), model.lastIndex() + 1);
            if (index == 0) {
                return;
            }
            final long compactUntil = random.nextLong(Math.min(model.firstIndex() - 1, index), index + 1);
            final RaftSnapshot snapshot = index == model.snapshotIndex() && random.nextBoolean() && model.snapshot() != null
                ? model.snapshot() : RaftSnapshot.of(index, model.termAt(index), MEMBERS, bytes(random));
            model.storeSnapshot(snapshot, compactUntil);
            logs.storeSnapshot(snapshot, compactUntil);
        } else {
            final long index = random.nextLong(Math.max(1, model.snapshotIndex()), model.lastIndex() + 20);
            final boolean matching = index <= model.lastIndex() && index >= model.firstIndex() - 1 && random.nextBoolean();
            final long term = matching ? model.termAt(index) : model.currentTerm() + random.nextInt(1, 3);
            final RaftSnapshot snapshot = RaftSnapshot.of(index, term, MEMBERS, bytes(random));
            model.installSnapshot(snapshot);
            logs.installSnapshot(snapshot);
            if (term > model.currentTerm()) {
                model.storeTermAndVote(term, null);
                logs.storeTermAndVote(term, null);
            }
        }
    }

    private static byte[] bytes(SplittableRandom random) {
        final byte[] bytes = new byte[random.nextInt(0, 300)];
        random.nextBytes(bytes);
        return bytes;
    }

    static LogEntryView view() {
        return new LogEntryView();
    }
}
