// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.MemoryRaftLogs;
import io.hamok.raft.RaftLogs;
import io.hamok.raft.RaftSnapshot;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import static io.hamok.raft.file.FileFormat.ORDER;

/**
 * A durable {@link RaftLogs}: an in-memory mirror that answers every read, and a write-behind
 * journal that a writer thread turns into files (segments, metadata, snapshots) in a data directory.
 * See docs/design.md, "The file log", for the layout and the recovery rules.
 *
 * <p><b>Threads.</b> Every {@link RaftLogs} method is called by the loop thread, as the SPI says,
 * and never blocks on I/O: it applies the mutation to a {@link MemoryRaftLogs} mirror (so reads are
 * exactly the in-memory log's) and puts a record in a bounded ring buffer (the journal). Appends copy
 * their payload into the ring and allocate nothing in steady state; snapshots and entries larger
 * than an eighth of the journal travel beside it and allocate. When the journal is full the loop
 * thread waits for the writer (back-pressure, counted by {@link #backPressureWaits()}) instead of
 * growing memory. The writer thread writes the records in order and, per {@link FsyncPolicy},
 * publishes {@link #durableSequence()} once they are durable, then runs the
 * {@link FileLogConfig#onDurable() onDurable} callback.
 *
 * <p><b>Failures.</b> When a write or fsync fails (a full disk, an I/O error), the writer records
 * the failure ({@link #failure()}), stops writing and never publishes again, so nothing more is
 * acknowledged; every later mutation throws {@link FileLogFailedException}. Reads keep working.
 *
 * <p><b>Lifecycle.</b> {@link #open} recovers the directory (and throws
 * {@link FileLogCorruptException} on damage it must not repair); {@link #close()} drains the journal,
 * forces the files (whatever the policy), stops the writer thread, and makes mutations throw
 * {@link IllegalStateException}. One directory must be opened by one instance at a time.
 */
public final class FileRaftLogs implements RaftLogs, AutoCloseable {
    private static final int MAX_PAYLOAD_LENGTH = Integer.MAX_VALUE - 64;

    private final FileIo io;
    private final MemoryRaftLogs mirror;
    private final AtomicBuffer journalBuffer;
    private final OneToOneRingBuffer journal;
    private final ConcurrentLinkedQueue<Object> sideRecords = new ConcurrentLinkedQueue<>();
    private final LogWriter writer;
    private final Thread writerThread;
    private final IdleStrategy backPressureIdle = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
    private final int tornTails;
    private final long tornBytes;
    private final long recoveredEntries;
    private long writeSequence;
    private long backPressureWaits;
    /** Held from open to close when the log is in a real directory. */
    private DirectoryLock directoryLock;
    private boolean closed;
    /** Truncations not yet durable: entries from {@code floorIndexes[i] + 1} on are not durable before {@code floorSequences[i]}. */
    private long[] floorSequences = new long[16];
    private long[] floorIndexes = new long[16];
    private int floorHead;
    private int floorCount;

    private FileRaftLogs(FileIo io, FileLogConfig config, Recovery recovery, boolean startWriter) {
        this.io = io;
        this.mirror = recovery.mirror();
        this.journalBuffer = new UnsafeBuffer(
            ByteBuffer.allocateDirect(config.journalBytes() + RingBufferDescriptor.TRAILER_LENGTH));
        this.journal = new OneToOneRingBuffer(journalBuffer);
        this.writer = new LogWriter(io, config, journal, sideRecords, recovery);
        this.tornTails = recovery.tornTails();
        this.tornBytes = recovery.tornBytes();
        this.recoveredEntries = recovery.entriesRead();
        if (startWriter) {
            writerThread = new Thread(writer::run, "hamok-filelog-writer");
            writerThread.setDaemon(true);
            writerThread.start();
        } else {
            writerThread = null;
        }
    }

    /**
     * Opens (creating if needed) the log in {@code dataDir}, recovers it and starts its writer thread.
     *
     * The directory stays locked (an OS lock on its {@code lock} file) until {@link #close()} or the
     * end of the process.
     *
     * @throws FileLogCorruptException      when the files are damaged beyond a torn tail
     * @throws DataDirectoryInUseException when another open log, in this process or another, holds the directory
     * @throws IOException                  when the directory cannot be read
     */
    public static FileRaftLogs open(Path dataDir, FileLogConfig config) throws IOException {
        Files.createDirectories(dataDir);
        final DirectoryLock lock = DirectoryLock.acquire(dataDir);
        try {
            final FileRaftLogs logs = open(new RealFileIo(dataDir), config, true);
            logs.directoryLock = lock;
            return logs;
        } catch (Throwable e) { // an Error too (no direct memory, no thread): never keep the directory locked
            lock.close();
            throw e;
        }
    }

    /** Opens over any file layer; without {@code startWriter} the caller drives {@link #writer()} (tests). */
    static FileRaftLogs open(FileIo io, FileLogConfig config, boolean startWriter) throws IOException {
        Objects.requireNonNull(config, "config");
        return new FileRaftLogs(io, config, Recovery.run(io), startWriter);
    }

    // ------------------------------------------------------------------ reads: the mirror's

    @Override
    public long currentTerm() {
        return mirror.currentTerm();
    }

    @Override
    public String votedFor() {
        return mirror.votedFor();
    }

    @Override
    public long firstIndex() {
        return mirror.firstIndex();
    }

    @Override
    public long lastIndex() {
        return mirror.lastIndex();
    }

    @Override
    public long termAt(long index) {
        return mirror.termAt(index);
    }

    @Override
    public LogEntryView read(long index, LogEntryView view) {
        return mirror.read(index, view);
    }

    @Override
    public long sizeInBytes() {
        return mirror.sizeInBytes();
    }

    @Override
    public long snapshotIndex() {
        return mirror.snapshotIndex();
    }

    @Override
    public long snapshotTerm() {
        return mirror.snapshotTerm();
    }

    @Override
    public RaftSnapshot snapshot() {
        return mirror.snapshot();
    }

    // ------------------------------------------------------------------ mutations: mirror + journal

    /**
     * {@inheritDoc}
     *
     * @throws FileLogFailedException after a write failure; {@link IllegalStateException} once closed
     */
    @Override
    public void storeTermAndVote(long term, String votedFor) {
        storeMeta(term, votedFor, mirror.emptyLogGuard());
    }

    @Override
    public boolean emptyLogGuard() {
        return mirror.emptyLogGuard();
    }

    /**
     * {@inheritDoc}
     *
     * @throws FileLogFailedException after a write failure; {@link IllegalStateException} once closed
     */
    @Override
    public void storeEmptyLogGuard(boolean on) {
        storeMeta(mirror.currentTerm(), mirror.votedFor(), on);
    }

    /** Term, vote and guard travel together: the writer rewrites {@code meta} with all three. */
    private void storeMeta(long term, String votedFor, boolean guard) {
        checkWritable();
        final byte[] vote = votedFor == null ? null : votedFor.getBytes(StandardCharsets.UTF_8); // rare
        final int at = claim(LogWriter.TERM_VOTE, 16 + (vote == null ? 0 : vote.length));
        journalBuffer.putLong(at, term, ORDER);
        journalBuffer.putInt(at + 8, guard ? 1 : 0, ORDER);
        journalBuffer.putInt(at + 12, vote == null ? -1 : vote.length, ORDER);
        if (vote != null) {
            journalBuffer.putBytes(at + 16, vote);
        }
        mirror.storeTermAndVote(term, votedFor);
        mirror.storeEmptyLogGuard(guard);
        commit(at);
    }

    /**
     * {@inheritDoc}
     *
     * @throws FileLogFailedException after a write failure; {@link IllegalStateException} once closed
     */
    @Override
    public long append(long term, long timestampMs, byte type, DirectBuffer payload, int offset, int length) {
        checkWritable();
        if (length < 0 || length > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("payload length out of range [0.." + MAX_PAYLOAD_LENGTH + "]: " + length);
        }
        final long index = mirror.lastIndex() + 1;
        if (length > journal.maxMsgLength() - LogWriter.APPEND_HEADER) {
            return appendBig(index, term, timestampMs, type, payload, offset, length);
        }
        final int at = claim(LogWriter.APPEND, LogWriter.APPEND_HEADER + length);
        try {
            mirror.append(term, timestampMs, type, payload, offset, length);
        } catch (RuntimeException e) {
            journal.abort(at);
            throw e;
        }
        putAppendHeader(journalBuffer, at, index, term, timestampMs, type);
        journalBuffer.putBytes(at + LogWriter.APPEND_HEADER, payload, offset, length);
        commit(at);
        return index;
    }

    private long appendBig(long index, long term, long timestampMs, byte type, DirectBuffer payload, int offset,
        int length) {
        // Larger than the journal takes: the record travels beside it, in a copy (allocating, and rare).
        final UnsafeBuffer body = new UnsafeBuffer(new byte[LogWriter.APPEND_HEADER + length]);
        putAppendHeader(body, 0, index, term, timestampMs, type);
        body.putBytes(LogWriter.APPEND_HEADER, payload, offset, length);
        final int at = claim(LogWriter.BIG_APPEND, 0);
        try {
            mirror.append(term, timestampMs, type, payload, offset, length);
        } catch (RuntimeException e) {
            journal.abort(at);
            throw e;
        }
        sideRecords.offer(body.byteArray());
        commit(at);
        return index;
    }

    private static void putAppendHeader(MutableDirectBuffer buffer, int at, long index, long term, long timestampMs, byte type) {
        buffer.putLong(at, index, ORDER);
        buffer.putLong(at + 8, term, ORDER);
        buffer.putLong(at + 16, timestampMs, ORDER);
        buffer.putByte(at + 24, type);
    }

    /**
     * {@inheritDoc}
     *
     * @throws FileLogFailedException after a write failure; {@link IllegalStateException} once closed
     */
    @Override
    public void truncateFrom(long index) {
        checkWritable();
        final long lastBefore = mirror.lastIndex();
        final int at = claim(LogWriter.TRUNCATE, 8);
        try {
            mirror.truncateFrom(index);
        } catch (RuntimeException e) {
            journal.abort(at);
            throw e;
        }
        journalBuffer.putLong(at, index, ORDER);
        commit(at);
        if (index <= lastBefore) {
            addFloor(writeSequence, index - 1);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws FileLogFailedException after a write failure; {@link IllegalStateException} once closed
     */
    @Override
    public void storeSnapshot(RaftSnapshot snapshot, long compactUntil) {
        Objects.requireNonNull(snapshot, "snapshot");
        checkWritable();
        final boolean isNew = snapshot != mirror.snapshot();
        final int at = claim(LogWriter.SNAPSHOT, LogWriter.SNAPSHOT_BODY);
        try {
            mirror.storeSnapshot(snapshot, compactUntil);
        } catch (RuntimeException e) {
            journal.abort(at);
            throw e;
        }
        commitSnapshot(at, snapshot, isNew ? LogWriter.NEW_SNAPSHOT : 0);
    }

    /**
     * {@inheritDoc}
     *
     * @throws FileLogFailedException after a write failure; {@link IllegalStateException} once closed
     */
    @Override
    public void installSnapshot(RaftSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        checkWritable();
        final boolean dropAll = snapshot.index() > mirror.lastIndex() || mirror.termAt(snapshot.index()) != snapshot.term();
        final long floor = Math.min(mirror.snapshotIndex(), mirror.lastIndex());
        final int at = claim(LogWriter.SNAPSHOT, LogWriter.SNAPSHOT_BODY);
        try {
            mirror.installSnapshot(snapshot);
        } catch (RuntimeException e) {
            journal.abort(at);
            throw e;
        }
        commitSnapshot(at, snapshot, LogWriter.NEW_SNAPSHOT | (dropAll ? LogWriter.DROP_ALL : 0));
        if (dropAll) {
            addFloor(writeSequence, floor);
        }
    }

    private void commitSnapshot(int at, RaftSnapshot snapshot, int flags) {
        journalBuffer.putInt(at, flags, ORDER);
        journalBuffer.putLong(at + 4, mirror.firstIndex(), ORDER);
        journalBuffer.putLong(at + 12, mirror.termAt(mirror.firstIndex() - 1), ORDER);
        journalBuffer.putLong(at + 20, mirror.lastIndex(), ORDER);
        if ((flags & LogWriter.NEW_SNAPSHOT) != 0) {
            sideRecords.offer(snapshot);
        }
        commit(at);
    }

    // ------------------------------------------------------------------ durability

    @Override
    public long writeSequence() {
        return writeSequence;
    }

    @Override
    public long durableSequence() {
        return writer.durableSequence();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The log's last index as of the newest durable mutation, lowered to just before any
     * truncation (or snapshot install that dropped the log) that is not durable yet.
     */
    @Override
    public long durableIndex() {
        final long durable = writer.durableSequence();
        long index = Math.min(writer.durableLastIndex(), mirror.lastIndex()); // read after the sequence: as new or newer
        while (floorCount > 0 && floorSequences[floorHead] <= durable) {
            floorHead = (floorHead + 1) & (floorSequences.length - 1);
            floorCount--;
        }
        for (int i = 0; i < floorCount; i++) {
            index = Math.min(index, floorIndexes[(floorHead + i) & (floorIndexes.length - 1)]);
        }
        return index;
    }

    /** Called on the writer thread after every advance of {@link #durableSequence()}, besides the config's callback. */
    @Override
    public void durabilityListener(Runnable listener) {
        writer.durabilityListener(listener);
    }

    /** The failure that stopped the writer, or {@code null}. */
    @Override
    public Throwable failure() {
        return writer.failure();
    }

    /** Fsyncs of segment data so far (metadata and snapshot files not counted); any thread may read it. */
    public long segmentFsyncs() {
        return writer.fsyncs();
    }

    /** Mutations that found the journal full and waited for the writer. */
    public long backPressureWaits() {
        return backPressureWaits;
    }

    /** Torn tails cut off by recovery when this log was opened (0 or 1). */
    public int tornTailsTruncated() {
        return tornTails;
    }

    /** Bytes cut off with the torn tail when this log was opened. */
    public long tornBytesTruncated() {
        return tornBytes;
    }

    /** Entry records read from the segments when this log was opened. */
    public long recoveredEntries() {
        return recoveredEntries;
    }

    /**
     * Drains the journal, forces the files, stops the writer thread. Idempotent. Blocks until the
     * writer is done: call it from the thread that owns the log, after its loop has stopped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writerThread == null) {
            while (writer.doWork() > 0) {
                // drain
            }
            writer.finish();
            return;
        }
        writer.stop();
        LockSupport.unpark(writerThread);
        boolean interrupted = false;
        while (writerThread.isAlive()) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (directoryLock != null) {
            directoryLock.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FileRaftLogs{" + io.describe("") + ", [" + firstIndex() + ".." + lastIndex() + "], write "
            + writeSequence + ", durable " + durableSequence() + '}';
    }

    /** Whether this log was opened without a writer thread (the caller drives {@link #writer()}). */
    boolean writerThreadless() {
        return writerThread == null;
    }

    /** The writer, for tests that drive it on their own thread (opened without a writer thread). */
    LogWriter writer() {
        return writer;
    }

    // ------------------------------------------------------------------ internals

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("the file log in " + io.describe("") + " is closed");
        }
        checkFailure();
    }

    private void checkFailure() {
        final Throwable failure = writer.failure();
        if (failure != null) {
            throw new FileLogFailedException("the file log in " + io.describe("")
                + " failed to write and accepts no more mutations: " + failure, failure);
        }
    }

    private int claim(int type, int length) {
        int at = journal.tryClaim(type, length);
        if (at >= 0) {
            return at;
        }
        backPressureWaits++;
        while ((at = journal.tryClaim(type, length)) < 0) {
            checkFailure();
            if (writerThread == null) {
                writer.doWork();
            } else {
                wakeWriter();
                backPressureIdle.idle();
            }
        }
        backPressureIdle.reset();
        return at;
    }

    private void commit(int at) {
        journal.commit(at);
        writeSequence++;
        wakeWriter();
    }

    private void wakeWriter() {
        if (writerThread != null) {
            VarHandle.fullFence(); // the commit above must be visible before we read the writer's sleeping flag
            if (writer.sleeping()) {
                LockSupport.unpark(writerThread);
            }
        }
    }

    private void addFloor(long sequence, long index) {
        if (floorCount == floorSequences.length) {
            final long[] sequences = new long[floorCount * 2]; // rare: many truncations waiting for one fsync
            final long[] indexes = new long[floorCount * 2];
            for (int i = 0; i < floorCount; i++) {
                sequences[i] = floorSequences[(floorHead + i) & (floorCount - 1)];
                indexes[i] = floorIndexes[(floorHead + i) & (floorCount - 1)];
            }
            floorSequences = sequences;
            floorIndexes = indexes;
            floorHead = 0;
        }
        final int slot = (floorHead + floorCount) & (floorSequences.length - 1);
        floorSequences[slot] = sequence;
        floorIndexes[slot] = index;
        floorCount++;
    }
}
