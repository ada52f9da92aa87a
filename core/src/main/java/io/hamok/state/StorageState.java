// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import java.util.List;
import java.util.Map;

/**
 * The replicated state of one storage of one kind: what {@link ReplicatedStorages} holds per storage
 * id and hands each committed request of that id to. Every kind (map and record share
 * {@link EntriesState}; a queue, an emitter's subscription table and a remote map's applied index have
 * their own) keeps these rules:
 *
 * <ul>
 *   <li><b>Deterministic.</b> {@link #apply} depends only on the state and the request, so every
 *       replica that applies the same requests in log order ends in the same state and reports the
 *       same result and events.</li>
 *   <li><b>Never throws on bad input.</b> A request that is malformed for this kind is refused with a
 *       reason ({@link ResultView#refuse}) and changes nothing.</li>
 *   <li><b>One writer.</b> {@code apply}, {@code clear}, {@code snapshotEntries} and {@code replaceWith}
 *       run on the loop thread only; what a kind offers readers on other threads is its own business
 *       (see {@link EntriesView}).</li>
 *   <li><b>Snapshots as entries.</b> A kind writes its whole state as key/value pairs
 *       ({@link #snapshotEntries}, in an order that is the same on every replica) and is rebuilt from
 *       them ({@link #replaceWith}); the snapshot stores them with the storage id and kind.</li>
 * </ul>
 */
public interface StorageState {
    String storageId();

    StorageKind kind();

    /** Applies one committed request of this storage; the outcome goes to {@code result}, changes to {@code events}. */
    void apply(RequestView request, ResultView result, Emitter events);

    /** Drops the whole state (the storage left the snapshot being restored, or changed kind), reporting it. */
    void clear(Emitter events);

    /** The whole state as entries in a replica-independent order, for a snapshot (a new list; loop thread). */
    List<StoredEntry> snapshotEntries();

    /**
     * Why {@code content} (a snapshot's entries of a storage of this kind) is not a valid state of this
     * kind, or {@code null} when it is. Asked of a new, empty state of the kind for every storage of a
     * snapshot before anything is restored, so that a bad snapshot changes nothing. Must not change
     * this state.
     */
    default String contentRefusal(Map<ByteKey, byte[]> content) {
        return null;
    }

    /**
     * Makes the state equal to the one {@code content} (a snapshot's entries of this storage, accepted
     * by {@link #contentRefusal}) describes, reporting the difference as events. Never merges: what
     * {@code content} lacks is gone afterwards.
     */
    void replaceWith(Map<ByteKey, byte[]> content, Emitter events);
}
