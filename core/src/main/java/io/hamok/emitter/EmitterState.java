// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import io.hamok.state.ByteKey;
import io.hamok.state.Emitter;
import io.hamok.state.RequestCheck;
import io.hamok.state.RequestType;
import io.hamok.state.RequestView;
import io.hamok.state.ResultView;
import io.hamok.state.StorageEvent;
import io.hamok.state.StorageKind;
import io.hamok.state.StorageState;
import io.hamok.state.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicated subscription table of one emitter: event, then subscribed peer, then that
 * subscription's metadata (in {@link EmitterFormat}'s form) and the id of the request that made it.
 * Changed only by committed requests, identically on every replica; publish and notify never go
 * through it (they are direct messages between peers).
 *
 * <p><b>Requests</b> (the subscriber is the request's source peer unless said otherwise):
 * <table>
 *   <caption>what each request type does on an emitter</caption>
 *   <tr><th>type</th><th>keys / values / prevValue</th><th>applies as</th><th>result</th></tr>
 *   <tr><td>INSERT</td><td>[event] / [metadata] / none</td><td>subscribe; a subscription that exists
 *       gets the new metadata and request id</td><td>[event] = [old metadata] if it existed</td></tr>
 *   <tr><td>SET</td><td>[event] / [metadata] / optional expected metadata</td><td>update the metadata
 *       of an existing subscription (if the expectation holds)</td><td>applied or not; [event] = [old]</td></tr>
 *   <tr><td>REMOVE</td><td>[event] / none / none</td><td>unsubscribe from that event only</td>
 *       <td>[event] = [old metadata] if it existed</td></tr>
 *   <tr><td>DELETE</td><td>peer ids / a bound per peer / none</td><td>remove every subscription of
 *       each peer made by one of its requests with an id up to its bound (cleanup, and a peer's
 *       {@code clear()} of its own)</td><td>keys: the peers that lost a subscription</td></tr>
 *   <tr><td>CLEAR</td><td>subscription keys / stored values / none</td><td>the table becomes exactly
 *       these entries (an import; none: empty)</td><td>empty</td></tr>
 * </table>
 * A malformed request is refused with a reason and changes nothing. Events, one per change, after
 * the change: INSERTED (a new subscription), UPDATED (its metadata changed; a renewal with equal
 * metadata reports nothing), REMOVED; key = the subscription key, values = metadata forms. Several
 * changes of one request are reported in the same order on every replica (a DELETE by event, then
 * peer; a CLEAR or a snapshot restore in subscription key order).
 *
 * <p><b>Why DELETE has bounds.</b> A cleanup is decided from one node's view of the configuration
 * and may reach the log late (resent after a leader change). A peer that was removed and joined
 * again subscribes with request ids above any it used before, so a late cleanup leaves the new
 * subscriptions alone.
 *
 * <p><b>Threads.</b> One writer, the loop thread ({@code apply}, {@code clear},
 * {@code snapshotEntries}, {@code replaceWith}, {@link #subscribedPeers()}); the readers
 * ({@link #subscribers}, {@link #metadataOf}, {@link #events()}) may run on any thread: each event's
 * subscribers are an immutable {@link Subscribers} replaced as a whole on every change.
 */
public final class EmitterState implements StorageState {
    /** The subscribers of one event at one moment, sorted by peer id. Immutable; any thread. */
    public static final class Subscribers {
        private final String event;
        private final String[] peers;
        private final byte[][] metadata;
        private final long[] requestIds;
        private final byte[][] keys;

        private Subscribers(String event, String[] peers, byte[][] metadata, long[] requestIds, byte[][] keys) {
            this.event = event;
            this.peers = peers;
            this.metadata = metadata;
            this.requestIds = requestIds;
            this.keys = keys;
        }

        public String event() {
            return event;
        }

        public int size() {
            return peers.length;
        }

        public String peer(int i) {
            return peers[i];
        }

        /** The metadata form ({@link EmitterFormat}) of subscriber {@code i}; do not modify it. */
        public byte[] metadata(int i) {
            return metadata[i];
        }

        /** The position of {@code peerId}, or a negative number when it is not subscribed. */
        public int indexOf(String peerId) {
            return Arrays.binarySearch(peers, peerId);
        }

        /** A copy with {@code peerId} subscribed (inserted, or its entry replaced). */
        Subscribers with(String peerId, byte[] form, long requestId, byte[] key) {
            final int at = indexOf(peerId);
            if (at >= 0) {
                final Subscribers s = new Subscribers(event, peers, metadata.clone(), requestIds.clone(), keys);
                s.metadata[at] = form;
                s.requestIds[at] = requestId;
                return s;
            }
            final int insert = -at - 1;
            final int n = peers.length;
            final String[] p = new String[n + 1];
            final byte[][] m = new byte[n + 1][];
            final long[] r = new long[n + 1];
            final byte[][] k = new byte[n + 1][];
            copyAround(peers, p, insert, n);
            copyAround(metadata, m, insert, n);
            copyAround(keys, k, insert, n);
            System.arraycopy(requestIds, 0, r, 0, insert);
            System.arraycopy(requestIds, insert, r, insert + 1, n - insert);
            p[insert] = peerId;
            m[insert] = form;
            r[insert] = requestId;
            k[insert] = key != null ? key : EmitterFormat.subscriptionKey(event, peerId);
            return new Subscribers(event, p, m, r, k);
        }

        /** A copy without subscriber {@code at}, or {@code null} when none would be left. */
        Subscribers without(int at) {
            final int n = peers.length;
            if (n == 1) {
                return null;
            }
            final String[] p = new String[n - 1];
            final byte[][] m = new byte[n - 1][];
            final long[] r = new long[n - 1];
            final byte[][] k = new byte[n - 1][];
            copySkipping(peers, p, at, n);
            copySkipping(metadata, m, at, n);
            copySkipping(keys, k, at, n);
            System.arraycopy(requestIds, 0, r, 0, at);
            System.arraycopy(requestIds, at + 1, r, at, n - at - 1);
            return new Subscribers(event, p, m, r, k);
        }

        private static <T> void copyAround(T[] from, T[] to, int gap, int n) {
            System.arraycopy(from, 0, to, 0, gap);
            System.arraycopy(from, gap, to, gap + 1, n - gap);
        }

        private static <T> void copySkipping(T[] from, T[] to, int skipped, int n) {
            System.arraycopy(from, 0, to, 0, skipped);
            System.arraycopy(from, skipped + 1, to, skipped, n - skipped - 1);
        }

        @Override
        public String toString() {
            return event + "=" + Arrays.toString(peers);
        }
    }

    private static final Subscribers[] NONE = new Subscribers[0];

    private final String storageId;
    private final ConcurrentHashMap<String, Subscribers> byEvent = new ConcurrentHashMap<>();

    public EmitterState(String storageId) {
        this.storageId = storageId;
    }

    @Override
    public String storageId() {
        return storageId;
    }

    @Override
    public StorageKind kind() {
        return StorageKind.EMITTER;
    }

    // ------------------------------------------------------------------ readers (any thread)

    /** The subscribers of {@code event} now, or {@code null} when it has none. */
    public Subscribers subscribers(String event) {
        return byEvent.get(event);
    }

    /** The metadata form of {@code peerId}'s subscription to {@code event}, or {@code null} when it is not subscribed. */
    public byte[] metadataOf(String event, String peerId) {
        final Subscribers s = byEvent.get(event);
        final int at = s == null ? -1 : s.indexOf(peerId);
        return at < 0 ? null : s.metadata(at);
    }

    /** The events with at least one subscriber, sorted (a copy). */
    public List<String> events() {
        final List<String> events = new ArrayList<>(byEvent.keySet());
        Collections.sort(events);
        return events;
    }

    /** The number of events with at least one subscriber. */
    public int eventCount() {
        return byEvent.size();
    }

    /** Every peer that holds a subscription, sorted (a copy). Loop thread. */
    public TreeSet<String> subscribedPeers() {
        final TreeSet<String> peers = new TreeSet<>();
        for (Subscribers s : byEvent.values()) {
            peers.addAll(Arrays.asList(s.peers));
        }
        return peers;
    }

    // ------------------------------------------------------------------ applying (loop thread)

    @Override
    public void apply(RequestView request, ResultView result, Emitter events) {
        result.reset();
        final String refusal = refusal(request);
        if (refusal != null) {
            result.refuse(refusal);
            return;
        }
        switch (request.type()) {
            case INSERT -> subscribe(request, result, events);
            case SET -> update(request, result, events);
            case REMOVE -> unsubscribe(request, result, events);
            case DELETE -> removePeers(request, result, events);
            case CLEAR -> replaceWith(contentOf(request), events);
        }
    }

    private String refusal(RequestView request) {
        if (request.kind() != StorageKind.EMITTER) {
            return RequestCheck.kindMismatch(storageId, StorageKind.EMITTER, request.kind());
        }
        final RequestType type = request.type();
        final int keys = request.keyCount();
        final int values = request.valueCount();
        if (request.conditional() && (type != RequestType.SET || !EmitterFormat.isMetadata(request.prevValueCopy()))) {
            return "an emitter takes a condition (the expected metadata) only on SET";
        }
        return switch (type) {
            case INSERT, SET -> keys == 1 && values == 1 && request.keyCopy(0).length > 0
                    && EmitterFormat.isMetadata(request.valueCopy(0)) ? null
                    : "an emitter's " + type + " takes one event and its metadata";
            case REMOVE -> keys == 1 && values == 0 && request.keyCopy(0).length > 0 ? null
                    : "an emitter's REMOVE takes one event and no value";
            case DELETE -> keys > 0 && values == keys && allBounds(request) ? null
                    : "an emitter's DELETE takes peer ids, each with an 8-byte bound";
            case CLEAR -> values == keys ? contentRefusal(contentOf(request))
                    : "an emitter's CLEAR takes subscription entries (keys and values aligned)";
            case EXECUTED -> "an emitter takes no EXECUTED (a remote map's execution outcome)";
        };
    }

    private static boolean allBounds(RequestView request) {
        for (int i = 0; i < request.valueCount(); i++) {
            if (!EmitterFormat.isBound(request.valueCopy(i))) {
                return false;
            }
        }
        return true;
    }

    /** INSERT: the source subscribes to the event (or renews its subscription with new metadata). */
    private void subscribe(RequestView request, ResultView result, Emitter events) {
        final byte[] eventBytes = request.keyArray(0);
        final String event = new String(eventBytes, StandardCharsets.UTF_8);
        final byte[] form = request.valueArray(0);
        final byte[] old = metadataOf(event, request.sourceId());
        put(event, request.sourceId(), form, request.requestId(), events);
        if (old != null) {
            result.add(eventBytes, old);
        }
    }

    /** SET: the source's existing subscription gets new metadata, if the expected one (when given) is current. */
    private void update(RequestView request, ResultView result, Emitter events) {
        final byte[] eventBytes = request.keyArray(0);
        final String event = new String(eventBytes, StandardCharsets.UTF_8);
        final byte[] old = metadataOf(event, request.sourceId());
        if (old == null || request.conditional() && !request.prevValueEquals(old)) {
            result.notApplied();
            return;
        }
        put(event, request.sourceId(), request.valueArray(0), request.requestId(), events);
        result.add(eventBytes, old);
    }

    /** REMOVE: the source leaves this one event. */
    private void unsubscribe(RequestView request, ResultView result, Emitter events) {
        final byte[] eventBytes = request.keyArray(0);
        final String event = new String(eventBytes, StandardCharsets.UTF_8);
        final Subscribers s = byEvent.get(event);
        final int at = s == null ? -1 : s.indexOf(request.sourceId());
        if (at >= 0) {
            result.add(eventBytes, s.metadata(at));
            remove(s, at, events);
        }
    }

    /** DELETE: every subscription of each named peer made up to its bound goes, event by event in name order. */
    private void removePeers(RequestView request, ResultView result, Emitter events) {
        final Map<String, Long> bounds = new HashMap<>();
        for (int i = 0; i < request.keyCount(); i++) {
            bounds.merge(new String(request.keyCopy(i), StandardCharsets.UTF_8),
                    EmitterFormat.boundOf(request.valueCopy(i)), Math::max);
        }
        final TreeSet<String> removed = new TreeSet<>();
        for (String event : events()) {
            Subscribers s = byEvent.get(event);
            int i = 0;
            while (s != null && i < s.size()) {
                final Long bound = bounds.get(s.peers[i]);
                if (bound != null && s.requestIds[i] <= bound) {
                    removed.add(s.peers[i]);
                    s = remove(s, i, events);
                } else {
                    i++;
                }
            }
        }
        for (String peer : removed) {
            result.addKey(peer.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Subscribes {@code peerId} (a new entry or a renewal); reports INSERTED, or UPDATED when the metadata changed. */
    private void put(String event, String peerId, byte[] form, long requestId, Emitter events) {
        final Subscribers s = byEvent.get(event);
        final int at = s == null ? -1 : s.indexOf(peerId);
        final Subscribers next = s == null
                ? new Subscribers(event, new String[0], new byte[0][], new long[0], new byte[0][])
                .with(peerId, form, requestId, null)
                : s.with(peerId, form, requestId, null);
        byEvent.put(event, next);
        final int now = next.indexOf(peerId);
        if (at < 0) {
            events.emit(StorageEvent.Type.INSERTED, storageId, next.keys[now], null, form);
        } else if (!Arrays.equals(s.metadata(at), form)) {
            events.emit(StorageEvent.Type.UPDATED, storageId, next.keys[now], s.metadata(at), form);
        }
    }

    /** Removes subscriber {@code at} of {@code s}, reports REMOVED; returns what is left of the event, or null. */
    private Subscribers remove(Subscribers s, int at, Emitter events) {
        final Subscribers left = s.without(at);
        if (left == null) {
            byEvent.remove(s.event);
        } else {
            byEvent.put(s.event, left);
        }
        events.emit(StorageEvent.Type.REMOVED, storageId, s.keys[at], s.metadata(at), null);
        return left;
    }

    // ------------------------------------------------------------------ whole state (loop thread)

    @Override
    public void clear(Emitter events) {
        replaceWith(Map.of(), events);
    }

    /** Every subscription as (subscription key, stored value), in key order. */
    @Override
    public List<StoredEntry> snapshotEntries() {
        final List<StoredEntry> out = new ArrayList<>();
        for (Subscribers s : byEvent.values().toArray(NONE)) {
            for (int i = 0; i < s.size(); i++) {
                out.add(new StoredEntry(s.keys[i], EmitterFormat.storedValue(s.requestIds[i], s.metadata[i])));
            }
        }
        out.sort((a, b) -> Arrays.compare(a.key(), b.key()));
        return out;
    }

    @Override
    public String contentRefusal(Map<ByteKey, byte[]> content) {
        for (Map.Entry<ByteKey, byte[]> e : content.entrySet()) {
            if (!EmitterFormat.isKey(e.getKey().bytes()) || !EmitterFormat.isStoredValue(e.getValue())) {
                return "not a subscription: key " + e.getKey() + ", value " + Arrays.toString(e.getValue());
            }
        }
        return null;
    }

    /**
     * Makes the table exactly {@code content} (a snapshot's or an import's entries), then reports the
     * difference in subscription key order: REMOVED, UPDATED (metadata changed) and INSERTED.
     */
    @Override
    public void replaceWith(Map<ByteKey, byte[]> content, Emitter events) {
        final TreeMap<ByteKey, byte[]> before = new TreeMap<>();
        for (StoredEntry e : snapshotEntries()) {
            before.put(new ByteKey(e.key()), e.value());
        }
        final TreeMap<ByteKey, byte[]> after = new TreeMap<>(content);
        final Map<String, Subscribers> rebuilt = new HashMap<>();
        for (Map.Entry<ByteKey, byte[]> e : after.entrySet()) {
            final byte[] key = e.getKey().bytes();
            final String event = EmitterFormat.eventOf(key);
            final Subscribers s = rebuilt.get(event);
            final byte[] form = EmitterFormat.metadataOfStored(e.getValue());
            final long requestId = EmitterFormat.requestIdOf(e.getValue());
            rebuilt.put(event, (s != null ? s : new Subscribers(event, new String[0], new byte[0][], new long[0],
                    new byte[0][])).with(EmitterFormat.peerOf(key), form, requestId, key));
        }
        byEvent.keySet().removeIf(event -> !rebuilt.containsKey(event));
        byEvent.putAll(rebuilt);
        final TreeSet<ByteKey> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (ByteKey key : keys) {
            final byte[] old = before.get(key);
            final byte[] now = after.get(key);
            if (now == null) {
                events.emit(StorageEvent.Type.REMOVED, storageId, key.bytes(), EmitterFormat.metadataOfStored(old), null);
            } else if (old == null) {
                events.emit(StorageEvent.Type.INSERTED, storageId, key.bytes(), null, EmitterFormat.metadataOfStored(now));
            } else {
                final byte[] oldForm = EmitterFormat.metadataOfStored(old);
                final byte[] newForm = EmitterFormat.metadataOfStored(now);
                if (!Arrays.equals(oldForm, newForm)) {
                    events.emit(StorageEvent.Type.UPDATED, storageId, key.bytes(), oldForm, newForm);
                }
            }
        }
    }

    /** The entries an import (CLEAR) carries. */
    private static Map<ByteKey, byte[]> contentOf(RequestView request) {
        final Map<ByteKey, byte[]> content = new HashMap<>();
        for (int i = 0; i < request.keyCount(); i++) {
            content.put(new ByteKey(request.keyCopy(i)), request.valueCopy(i));
        }
        return content;
    }

    @Override
    public String toString() {
        return "EmitterState{" + storageId + ", " + byEvent.values() + "}";
    }
}
