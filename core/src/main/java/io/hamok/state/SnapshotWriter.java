// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.hamok.wire.proto.DedupSourceSnapshot;
import io.hamok.wire.proto.StateMachineSnapshot;
import io.hamok.wire.proto.StorageSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@code StateMachineSnapshot} straight into one array of its exact size, in the bytes the
 * generated builder produces for the same content (fields in number order, defaults omitted), but
 * without a builder and two {@code ByteString}s per entry: a snapshot allocates the array, the
 * sorted entry lists and the few dedup messages, and nothing per entry. Loop thread.
 */
final class SnapshotWriter {
    private SnapshotWriter() {
    }

    /** @param storages the storages in id order */
    static byte[] write(List<StorageState> storages, int dedupWindow, List<DedupSourceSnapshot> dedupSources) {
        final List<List<StoredEntry>> entries = new ArrayList<>(storages.size());
        final int[] storageSizes = new int[storages.size()];
        int size = 0;
        for (int i = 0; i < storages.size(); i++) {
            final StorageState state = storages.get(i);
            final List<StoredEntry> sorted = state.snapshotEntries();
            entries.add(sorted);
            storageSizes[i] = storageSize(state, sorted);
            size += CodedOutputStream.computeTagSize(StateMachineSnapshot.STORAGES_FIELD_NUMBER)
                    + CodedOutputStream.computeUInt32SizeNoTag(storageSizes[i]) + storageSizes[i];
        }
        if (dedupWindow != 0) {
            size += CodedOutputStream.computeUInt32Size(StateMachineSnapshot.DEDUP_WINDOW_FIELD_NUMBER, dedupWindow);
        }
        for (DedupSourceSnapshot source : dedupSources) {
            size += CodedOutputStream.computeMessageSize(StateMachineSnapshot.DEDUP_SOURCES_FIELD_NUMBER, source);
        }
        final byte[] bytes = new byte[size];
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            for (int i = 0; i < storages.size(); i++) {
                out.writeTag(StateMachineSnapshot.STORAGES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(storageSizes[i]);
                writeStorage(out, storages.get(i), entries.get(i));
            }
            if (dedupWindow != 0) {
                out.writeUInt32(StateMachineSnapshot.DEDUP_WINDOW_FIELD_NUMBER, dedupWindow);
            }
            for (DedupSourceSnapshot source : dedupSources) {
                out.writeMessage(StateMachineSnapshot.DEDUP_SOURCES_FIELD_NUMBER, source);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot size miscounted", e); // a bug: sizes are computed above
        }
        return bytes;
    }

    private static int storageSize(StorageState state, List<StoredEntry> sorted) {
        int size = state.storageId().isEmpty() ? 0
                : CodedOutputStream.computeStringSize(StorageSnapshot.STORAGE_ID_FIELD_NUMBER, state.storageId());
        size += CodedOutputStream.computeEnumSize(StorageSnapshot.KIND_FIELD_NUMBER, state.kind().wireNumber());
        for (int i = 0; i < sorted.size(); i++) {
            final StoredEntry e = sorted.get(i);
            size += CodedOutputStream.computeByteArraySize(StorageSnapshot.KEYS_FIELD_NUMBER, e.key)
                    + CodedOutputStream.computeByteArraySize(StorageSnapshot.VALUES_FIELD_NUMBER, e.value);
        }
        return size;
    }

    /** Writes what {@link #storageSize} counted; the loop thread is the only writer, so values stay put. */
    private static void writeStorage(CodedOutputStream out, StorageState state, List<StoredEntry> sorted)
            throws IOException {
        if (!state.storageId().isEmpty()) {
            out.writeString(StorageSnapshot.STORAGE_ID_FIELD_NUMBER, state.storageId());
        }
        out.writeEnum(StorageSnapshot.KIND_FIELD_NUMBER, state.kind().wireNumber());
        for (int i = 0; i < sorted.size(); i++) {
            out.writeByteArray(StorageSnapshot.KEYS_FIELD_NUMBER, sorted.get(i).key);
        }
        for (int i = 0; i < sorted.size(); i++) {
            out.writeByteArray(StorageSnapshot.VALUES_FIELD_NUMBER, sorted.get(i).value);
        }
    }
}
