// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.file.FileLogConfig;
import io.hamok.raft.file.FileRaftLogs;
import io.hamok.raft.file.FsyncPolicy;
import io.hamok.transport.LocalNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8: three loops on their own threads, each with a {@link FileRaftLogs} in its own directory;
 * the whole cluster is closed and started again from the directories alone: every committed entry is
 * there, in order, and the cluster goes on committing. (Killing real processes is the job of the
 * real-process test; here the loops close their logs cleanly.)
 */
@Timeout(60)
class FileLogClusterRestartTest {
    private static final List<String> IDS = List.of("a", "b", "c");

    @TempDir
    Path dataDir;

    private List<RaftLoop> start(LocalNetwork network, List<RecordingStateMachine> machines, long seed)
            throws Exception {
        final List<RaftLoop> loops = new ArrayList<>();
        for (int i = 0; i < IDS.size(); i++) {
            final String id = IDS.get(i);
            final FileRaftLogs logs = FileRaftLogs.open(dataDir.resolve(id),
                    FileLogConfig.builder().fsyncPolicy(FsyncPolicy.BATCH).build());
            final RecordingStateMachine sm = new RecordingStateMachine();
            machines.add(sm);
            loops.add(RaftLoop.builder().peerId(id).transport(network.transport(id)).bootstrapVoters(IDS)
                    .stateMachine(sm).raftLogs(logs).random(new SplittableRandom(seed + i)).build().start());
        }
        return loops;
    }

    private static List<Long> proposeAll(RaftLoop leader, String prefix, int n) throws Exception {
        final List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(leader.propose((prefix + i).getBytes(StandardCharsets.UTF_8)));
        }
        final List<Long> indexes = new ArrayList<>();
        for (CompletableFuture<Long> f : futures) {
            indexes.add(f.get(30, TimeUnit.SECONDS));
        }
        return indexes;
    }

    private static RaftLoop leaderOf(List<RaftLoop> loops) throws Exception {
        final String id = loops.get(0).awaitLeader().get(30, TimeUnit.SECONDS);
        for (RaftLoop l : loops) {
            if (l.peerId().equals(id)) {
                l.await(RaftLoop::isLeader).get(30, TimeUnit.SECONDS);
                return l;
            }
        }
        throw new AssertionError("no loop named " + id);
    }

    @Test
    void shouldKeepEveryCommittedEntryAcrossAWholeClusterRestart() throws Exception {
        final List<RecordingStateMachine> before = new ArrayList<>();
        final List<RaftLoop> first = start(new LocalNetwork(), before, 1);
        final List<Long> written;
        try {
            written = proposeAll(leaderOf(first), "w", 300);
        } finally {
            first.forEach(RaftLoop::close);
        }
        final long last = written.get(written.size() - 1);

        final List<RecordingStateMachine> after = new ArrayList<>();
        final List<RaftLoop> second = start(new LocalNetwork(), after, 7);
        try {
            for (RaftLoop l : second) {
                l.awaitApplied(last).get(30, TimeUnit.SECONDS);
            }
            for (RecordingStateMachine sm : after) {
                final List<String> payloads = sm.payloads();
                final List<String> expected = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    expected.add("w" + i);
                }
                assertEquals(expected, payloads.subList(0, 300), "every committed entry, in order, after the restart");
            }
            final List<Long> more = proposeAll(leaderOf(second), "more", 20);
            assertTrue(more.get(0) > last, "the cluster goes on after the log it recovered");
        } finally {
            second.forEach(RaftLoop::close);
        }
    }
}
