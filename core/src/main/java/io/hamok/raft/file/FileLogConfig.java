// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import java.util.Objects;

/**
 * Settings of a {@link FileRaftLogs}; immutable, built by {@link #builder()} and validated once.
 */
public final class FileLogConfig {
    /** Default segment file size: 64 MiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 64 << 20;
    /** Smallest segment size accepted. */
    public static final int MIN_SEGMENT_BYTES = 4096;
    /** Default journal (ring buffer between the loop and the writer thread): 8 MiB. */
    public static final int DEFAULT_JOURNAL_BYTES = 8 << 20;
    /** Smallest journal accepted. */
    public static final int MIN_JOURNAL_BYTES = 64 << 10;

    private final FsyncPolicy fsyncPolicy;
    private final int segmentBytes;
    private final int journalBytes;
    private final Runnable onDurable;

    private FileLogConfig(Builder builder) {
        this.fsyncPolicy = builder.fsyncPolicy;
        this.segmentBytes = builder.segmentBytes;
        this.journalBytes = builder.journalBytes;
        this.onDurable = builder.onDurable;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults: {@link FsyncPolicy#BATCH}, 64 MiB segments, an 8 MiB journal, no callback. */
    public static FileLogConfig defaults() {
        return builder().build();
    }

    public FsyncPolicy fsyncPolicy() {
        return fsyncPolicy;
    }

    public int segmentBytes() {
        return segmentBytes;
    }

    public int journalBytes() {
        return journalBytes;
    }

    /** The callback run when {@link FileRaftLogs#durableSequence()} advances, or {@code null}. */
    public Runnable onDurable() {
        return onDurable;
    }

    /** Builds a {@link FileLogConfig}. */
    public static final class Builder {
        private FsyncPolicy fsyncPolicy = FsyncPolicy.BATCH;
        private int segmentBytes = DEFAULT_SEGMENT_BYTES;
        private int journalBytes = DEFAULT_JOURNAL_BYTES;
        private Runnable onDurable;

        private Builder() {
        }

        /** When entries are forced to disk; default {@link FsyncPolicy#BATCH}. */
        public Builder fsyncPolicy(FsyncPolicy fsyncPolicy) {
            this.fsyncPolicy = Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
            return this;
        }

        /**
         * Size in bytes after which a segment file is rolled (default 64 MiB, at least
         * {@link #MIN_SEGMENT_BYTES}); a single larger record gets a segment of its own.
         */
        public Builder segmentBytes(int segmentBytes) {
            this.segmentBytes = segmentBytes;
            return this;
        }

        /**
         * Bytes of the ring buffer that carries mutations from the loop thread to the writer thread
         * (a power of two, default 8 MiB, at least {@link #MIN_JOURNAL_BYTES}). When it is full the
         * loop thread waits for the writer (back-pressure). An entry larger than an eighth of it
         * travels outside the ring, in a copy.
         */
        public Builder journalBytes(int journalBytes) {
            this.journalBytes = journalBytes;
            return this;
        }

        /**
         * Called on the writer thread each time {@link FileRaftLogs#durableSequence()} advances, after
         * the new value is visible; typically unparks the loop thread. Must be quick and must not
         * throw (an exception counts as a writer failure). Default: none.
         */
        public Builder onDurable(Runnable onDurable) {
            this.onDurable = onDurable;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first bad setting
         */
        public FileLogConfig build() {
            if (segmentBytes < MIN_SEGMENT_BYTES) {
                throw new IllegalArgumentException(
                    "segmentBytes must be at least " + MIN_SEGMENT_BYTES + ", got " + segmentBytes);
            }
            if (journalBytes < MIN_JOURNAL_BYTES || Integer.bitCount(journalBytes) != 1) {
                throw new IllegalArgumentException("journalBytes must be a power of two of at least "
                    + MIN_JOURNAL_BYTES + ", got " + journalBytes);
            }
            return new FileLogConfig(this);
        }
    }
}
