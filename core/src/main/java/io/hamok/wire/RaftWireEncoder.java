// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import static io.hamok.wire.ProtoWire.WIRE_LEN;
import static io.hamok.wire.ProtoWire.boolFieldSize;
import static io.hamok.wire.ProtoWire.fixed32FieldSize;
import static io.hamok.wire.ProtoWire.int32FieldSize;
import static io.hamok.wire.ProtoWire.lengthDelimitedFieldSize;
import static io.hamok.wire.ProtoWire.lengthDelimitedSize;
import static io.hamok.wire.ProtoWire.putBoolField;
import static io.hamok.wire.ProtoWire.putBytesField;
import static io.hamok.wire.ProtoWire.putFixed32Field;
import static io.hamok.wire.ProtoWire.putInt32Field;
import static io.hamok.wire.ProtoWire.putTag;
import static io.hamok.wire.ProtoWire.putUint64Field;
import static io.hamok.wire.ProtoWire.putVarint;
import static io.hamok.wire.ProtoWire.uint64FieldSize;

import io.hamok.raft.EntryBatch;
import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftOutbox;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.LogEntry;
import io.hamok.wire.proto.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the hot-path Raft messages as complete {@code HamokMessage}s in the standard protobuf wire
 * format, straight into a caller's buffer, without allocating: the Publisher half of the codec,
 * one method per {@link RaftOutbox} send method. The bytes are exactly what the generated
 * {@code HamokMessage.toByteArray()} produces for the same values (fields in number order, proto3
 * defaults omitted), so any protobuf parser reads them.
 *
 * <p><b>Buffer contract.</b> Each {@code encode*} method writes one message at {@code offset} and
 * returns the number of bytes written. The caller guarantees the capacity: at least
 * {@link #appendEntriesLength}, {@link #installSnapshotLength} or {@link #MAX_FIXED_MESSAGE_LENGTH}
 * bytes from {@code offset}. An {@link org.agrona.ExpandableArrayBuffer} grows by itself; a fixed
 * buffer that is too small fails with Agrona's bounds-check exception after writing a partial
 * message. The encoder keeps no reference to the buffer or to the arguments after a call returns.
 *
 * <p><b>Threads.</b> Not thread-safe: one instance per thread (it holds a scratch entry view).
 */
public final class RaftWireEncoder {
    /**
     * An upper bound on the encoded length of every message except AppendEntries and
     * InstallSnapshot (which carry a variable payload): the largest is an AppendEntries response with
     * every number needing 10 bytes: type (2) + term, prev_log_index, match_index, conflict_term,
     * conflict_index (5 x 11) + success (2) + read_round (2-byte tag + 10).
     */
    public static final int MAX_FIXED_MESSAGE_LENGTH = 71;

    private final LogEntryView view = new LogEntryView();

    public int encodeVoteRequest(MutableDirectBuffer buffer, int offset, long term, long lastLogIndex,
                                 long lastLogTerm, boolean preVote, boolean leadershipTransfer) {
        final int type = preVote ? MessageType.RAFT_PRE_VOTE_REQUEST_VALUE : MessageType.RAFT_VOTE_REQUEST_VALUE;
        int i = putHeader(buffer, offset, type, term);
        i = putUint64Field(buffer, i, HamokMessage.LAST_LOG_INDEX_FIELD_NUMBER, lastLogIndex);
        i = putUint64Field(buffer, i, HamokMessage.LAST_LOG_TERM_FIELD_NUMBER, lastLogTerm);
        i = putBoolField(buffer, i, HamokMessage.LEADERSHIP_TRANSFER_FIELD_NUMBER, leadershipTransfer);
        return i - offset;
    }

    public int encodeVoteResponse(MutableDirectBuffer buffer, int offset, long term, boolean granted,
                                  boolean preVote) {
        final int type = preVote ? MessageType.RAFT_PRE_VOTE_RESPONSE_VALUE : MessageType.RAFT_VOTE_RESPONSE_VALUE;
        int i = putHeader(buffer, offset, type, term);
        i = putBoolField(buffer, i, HamokMessage.SUCCESS_FIELD_NUMBER, granted);
        return i - offset;
    }

    /** An AppendEntries request without a read round. */
    public int encodeAppendEntries(MutableDirectBuffer buffer, int offset, long term, long prevLogIndex,
                                   long prevLogTerm, long leaderCommit, EntryBatch entries) {
        return encodeAppendEntries(buffer, offset, term, prevLogIndex, prevLogTerm, leaderCommit, entries, 0);
    }

    /**
     * Writes an AppendEntries request with every entry of {@code entries} as a {@code LogEntry} and
     * the leader's read round (thesis §6.4; 0 = none, omitted). Each entry is read once into this
     * encoder's scratch view.
     */
    public int encodeAppendEntries(MutableDirectBuffer buffer, int offset, long term, long prevLogIndex,
                                   long prevLogTerm, long leaderCommit, EntryBatch entries, long readRound) {
        return encodeAppendEntries(buffer, offset, term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound,
            0);
    }

    /**
     * Writes an AppendEntries request with the leader's read round and its number for this append
     * ({@code appendId}, in {@code request_id}; 0 = none, omitted), which the response echoes.
     */
    public int encodeAppendEntries(MutableDirectBuffer buffer, int offset, long term, long prevLogIndex,
                                   long prevLogTerm, long leaderCommit, EntryBatch entries, long readRound,
                                   long appendId) {
        int i = putHeader(buffer, offset, MessageType.RAFT_APPEND_ENTRIES_REQUEST_VALUE, appendId, term);
        i = putUint64Field(buffer, i, HamokMessage.PREV_LOG_INDEX_FIELD_NUMBER, prevLogIndex);
        i = putUint64Field(buffer, i, HamokMessage.PREV_LOG_TERM_FIELD_NUMBER, prevLogTerm);
        i = putUint64Field(buffer, i, HamokMessage.LEADER_COMMIT_FIELD_NUMBER, leaderCommit);
        final int count = entries.count();
        for (int e = 0; e < count; e++) {
            i = putEntry(buffer, i, entries.read(e, view));
        }
        i = putUint64Field(buffer, i, HamokMessage.READ_ROUND_FIELD_NUMBER, readRound);
        return i - offset;
    }

    /**
     * The exact number of bytes {@link #encodeAppendEntries} writes for these arguments, so a caller
     * can claim that much space first. Reads every entry once.
     */
    public int appendEntriesLength(long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                   EntryBatch entries) {
        return appendEntriesLength(term, prevLogIndex, prevLogTerm, leaderCommit, entries, 0);
    }

    /** The exact number of bytes the {@code encodeAppendEntries} with a read round writes. Reads every entry once. */
    public int appendEntriesLength(long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                   EntryBatch entries, long readRound) {
        return appendEntriesLength(term, prevLogIndex, prevLogTerm, leaderCommit, entries, readRound, 0);
    }

    /** The exact number of bytes the {@code encodeAppendEntries} with an append id writes. Reads every entry once. */
    public int appendEntriesLength(long term, long prevLogIndex, long prevLogTerm, long leaderCommit,
                                   EntryBatch entries, long readRound, long appendId) {
        int length = headerLength(MessageType.RAFT_APPEND_ENTRIES_REQUEST_VALUE, term)
            + uint64FieldSize(HamokMessage.REQUEST_ID_FIELD_NUMBER, appendId)
            + uint64FieldSize(HamokMessage.PREV_LOG_INDEX_FIELD_NUMBER, prevLogIndex)
            + uint64FieldSize(HamokMessage.PREV_LOG_TERM_FIELD_NUMBER, prevLogTerm)
            + uint64FieldSize(HamokMessage.LEADER_COMMIT_FIELD_NUMBER, leaderCommit)
            + uint64FieldSize(HamokMessage.READ_ROUND_FIELD_NUMBER, readRound);
        final int count = entries.count();
        for (int e = 0; e < count; e++) {
            length += lengthDelimitedSize(HamokMessage.ENTRIES_FIELD_NUMBER, entryLength(entries.read(e, view)));
        }
        return length;
    }

    /** An AppendEntries response without a read round. */
    public int encodeAppendEntriesResponse(MutableDirectBuffer buffer, int offset, long term, boolean success,
                                           long prevLogIndex, long matchIndex, long conflictTerm,
                                           long conflictIndex) {
        return encodeAppendEntriesResponse(buffer, offset, term, success, prevLogIndex, matchIndex, conflictTerm,
            conflictIndex, 0);
    }

    /** An AppendEntries response echoing the request's read round (thesis §6.4; 0 = none, omitted). */
    public int encodeAppendEntriesResponse(MutableDirectBuffer buffer, int offset, long term, boolean success,
                                           long prevLogIndex, long matchIndex, long conflictTerm,
                                           long conflictIndex, long readRound) {
        return encodeAppendEntriesResponse(buffer, offset, term, success, prevLogIndex, matchIndex, conflictTerm,
            conflictIndex, readRound, 0, 0);
    }

    /**
     * An AppendEntries response that also names the request it answers: the request's term
     * ({@code request_term}) and append id ({@code request_id}); 0 = none, omitted.
     */
    public int encodeAppendEntriesResponse(MutableDirectBuffer buffer, int offset, long term, boolean success,
                                           long prevLogIndex, long matchIndex, long conflictTerm,
                                           long conflictIndex, long readRound, long requestTerm, long appendId) {
        int i = putHeader(buffer, offset, MessageType.RAFT_APPEND_ENTRIES_RESPONSE_VALUE, appendId, term);
        i = putUint64Field(buffer, i, HamokMessage.PREV_LOG_INDEX_FIELD_NUMBER, prevLogIndex);
        i = putBoolField(buffer, i, HamokMessage.SUCCESS_FIELD_NUMBER, success);
        i = putUint64Field(buffer, i, HamokMessage.MATCH_INDEX_FIELD_NUMBER, matchIndex);
        i = putUint64Field(buffer, i, HamokMessage.CONFLICT_TERM_FIELD_NUMBER, conflictTerm);
        i = putUint64Field(buffer, i, HamokMessage.CONFLICT_INDEX_FIELD_NUMBER, conflictIndex);
        i = putUint64Field(buffer, i, HamokMessage.READ_ROUND_FIELD_NUMBER, readRound);
        i = putUint64Field(buffer, i, HamokMessage.REQUEST_TERM_FIELD_NUMBER, requestTerm);
        return i - offset;
    }

    /** Writes one snapshot chunk; {@code data[dataOffset, dataOffset + dataLength)} is copied. */
    public int encodeInstallSnapshot(MutableDirectBuffer buffer, int offset, long term, long snapshotIndex,
                                     long snapshotTerm, long chunkOffset, DirectBuffer data, int dataOffset,
                                     int dataLength, boolean done, long snapshotLength, int checksum) {
        int i = putHeader(buffer, offset, MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST_VALUE, term);
        i = putUint64Field(buffer, i, HamokMessage.SNAPSHOT_INDEX_FIELD_NUMBER, snapshotIndex);
        i = putUint64Field(buffer, i, HamokMessage.SNAPSHOT_TERM_FIELD_NUMBER, snapshotTerm);
        i = putUint64Field(buffer, i, HamokMessage.CHUNK_OFFSET_FIELD_NUMBER, chunkOffset);
        i = putBytesField(buffer, i, HamokMessage.DATA_FIELD_NUMBER, data, dataOffset, dataLength);
        i = putBoolField(buffer, i, HamokMessage.DONE_FIELD_NUMBER, done);
        i = putUint64Field(buffer, i, HamokMessage.SNAPSHOT_LENGTH_FIELD_NUMBER, snapshotLength);
        i = putFixed32Field(buffer, i, HamokMessage.CHECKSUM_FIELD_NUMBER, checksum);
        return i - offset;
    }

    /** The exact number of bytes {@link #encodeInstallSnapshot} writes for these arguments. */
    public static int installSnapshotLength(long term, long snapshotIndex, long snapshotTerm, long chunkOffset,
                                            int dataLength, boolean done, long snapshotLength, int checksum) {
        return headerLength(MessageType.RAFT_INSTALL_SNAPSHOT_REQUEST_VALUE, term)
            + uint64FieldSize(HamokMessage.SNAPSHOT_INDEX_FIELD_NUMBER, snapshotIndex)
            + uint64FieldSize(HamokMessage.SNAPSHOT_TERM_FIELD_NUMBER, snapshotTerm)
            + uint64FieldSize(HamokMessage.CHUNK_OFFSET_FIELD_NUMBER, chunkOffset)
            + lengthDelimitedFieldSize(HamokMessage.DATA_FIELD_NUMBER, dataLength)
            + boolFieldSize(HamokMessage.DONE_FIELD_NUMBER, done)
            + uint64FieldSize(HamokMessage.SNAPSHOT_LENGTH_FIELD_NUMBER, snapshotLength)
            + fixed32FieldSize(HamokMessage.CHECKSUM_FIELD_NUMBER, checksum);
    }

    /** {@code nextOffset} travels in {@code chunk_offset}. */
    public int encodeInstallSnapshotResponse(MutableDirectBuffer buffer, int offset, long term, boolean success,
                                             long snapshotIndex, long nextOffset) {
        int i = putHeader(buffer, offset, MessageType.RAFT_INSTALL_SNAPSHOT_RESPONSE_VALUE, term);
        i = putBoolField(buffer, i, HamokMessage.SUCCESS_FIELD_NUMBER, success);
        i = putUint64Field(buffer, i, HamokMessage.SNAPSHOT_INDEX_FIELD_NUMBER, snapshotIndex);
        i = putUint64Field(buffer, i, HamokMessage.CHUNK_OFFSET_FIELD_NUMBER, nextOffset);
        return i - offset;
    }

    public int encodeTimeoutNow(MutableDirectBuffer buffer, int offset, long term) {
        return putHeader(buffer, offset, MessageType.RAFT_TIMEOUT_NOW_VALUE, term) - offset;
    }

    /** Fields 1 (type) and 5 (term): the start of every Raft message. */
    private static int putHeader(MutableDirectBuffer buffer, int offset, int type, long term) {
        final int i = putInt32Field(buffer, offset, HamokMessage.TYPE_FIELD_NUMBER, type);
        return putUint64Field(buffer, i, HamokMessage.TERM_FIELD_NUMBER, term);
    }

    /** Type, request id and term: fields 1, 4 and 5 in field order, as the generated code writes them. */
    private static int putHeader(MutableDirectBuffer buffer, int offset, int type, long requestId, long term) {
        int i = putInt32Field(buffer, offset, HamokMessage.TYPE_FIELD_NUMBER, type);
        i = putUint64Field(buffer, i, HamokMessage.REQUEST_ID_FIELD_NUMBER, requestId);
        return putUint64Field(buffer, i, HamokMessage.TERM_FIELD_NUMBER, term);
    }

    private static int headerLength(int type, long term) {
        return int32FieldSize(HamokMessage.TYPE_FIELD_NUMBER, type)
            + uint64FieldSize(HamokMessage.TERM_FIELD_NUMBER, term);
    }

    /** Writes {@code entry} as one element of the repeated {@code entries} field, written even when empty. */
    private static int putEntry(MutableDirectBuffer buffer, int index, LogEntryView entry) {
        int i = putTag(buffer, index, HamokMessage.ENTRIES_FIELD_NUMBER, WIRE_LEN);
        i = putVarint(buffer, i, entryLength(entry));
        i = putUint64Field(buffer, i, LogEntry.TERM_FIELD_NUMBER, entry.term());
        i = putUint64Field(buffer, i, LogEntry.TIMESTAMP_MS_FIELD_NUMBER, entry.timestampMs());
        i = putInt32Field(buffer, i, LogEntry.TYPE_FIELD_NUMBER, entry.type());
        return putBytesField(buffer, i, LogEntry.PAYLOAD_FIELD_NUMBER, entry.payload(), 0, entry.payloadLength());
    }

    /** Length of the {@code LogEntry} sub-message's content (without its tag and length prefix). */
    private static int entryLength(LogEntryView entry) {
        return uint64FieldSize(LogEntry.TERM_FIELD_NUMBER, entry.term())
            + uint64FieldSize(LogEntry.TIMESTAMP_MS_FIELD_NUMBER, entry.timestampMs())
            + int32FieldSize(LogEntry.TYPE_FIELD_NUMBER, entry.type())
            + lengthDelimitedFieldSize(LogEntry.PAYLOAD_FIELD_NUMBER, entry.payloadLength());
    }
}
