// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

/**
 * When {@link FileRaftLogs} forces appended entries to the disk before it reports them durable
 * ({@link FileRaftLogs#durableSequence()}). Term and vote, snapshots, segment rolls, file deletions
 * and renames are always forced, whatever the policy: they are rare, and a forgotten vote breaks
 * election safety.
 */
public enum FsyncPolicy {
    /**
     * One fsync per mutation, then publish it. The slowest; nothing reported durable is ever lost.
     */
    ALWAYS,
    /**
     * Group commit: the writer thread writes every mutation waiting in the journal, forces once and
     * then publishes them all. Nothing reported durable is ever lost; under load one fsync covers
     * many entries. The default.
     */
    BATCH,
    /**
     * Entries are published as soon as they are written to the operating system, never forced
     * (except when a segment is rolled and when the log is closed). A process crash loses nothing,
     * but a machine crash or power cut can lose entries that were reported durable and therefore
     * acknowledged to the leader: a committed entry can then be lost on this node, and if a majority
     * loses it together, in the whole cluster. Recovery then truncates the torn tail, or refuses to
     * open when the file system kept later data but lost earlier data.
     */
    NEVER
}
