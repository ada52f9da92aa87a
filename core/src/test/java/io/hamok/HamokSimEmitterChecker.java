// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.emitter.EmitterSubscription;
import io.hamok.HamokSimEmitterLoad.Delivery;
import io.hamok.HamokSimEmitterLoad.Publish;
import io.hamok.HamokSimEmitterLoad.Replica;
import io.hamok.HamokSimEmitterLoad.Sent;
import io.hamok.state.RequestType;
import io.hamok.state.StorageRequest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks an emitter run ({@link HamokSimEmitterLoad}) once the cluster healed and settled. The committed
 * log's emitter requests are replayed on an independent model of the subscription table, deduplicated
 * by (source, request id):
 *
 * <ul>
 *   <li>(t) every live replica holds exactly the model's table, and each live instance's rows are
 *       what it intends (its listeners, with their confirmed metadata): the tables converged;</li>
 *   <li>(s) a replica that started from an empty log and never installed a snapshot heard exactly the
 *       model's changes (a prefix, if it crashed);</li>
 *   <li>(d) every payload a listener got was sent, to that event, by the peer it names, and reached each
 *       incarnation at most once;</li>
 *   <li>(p) every peer a publish names as delivered has a delivery of it.</li>
 * </ul>
 */
final class HamokSimEmitterChecker {
    private final HamokSimEmitterLoad load;
    private final List<String> violations = new ArrayList<>();
    /** Event -> peer -> {request id, metadata ("" = none)}. */
    private final TreeMap<String, TreeMap<String, Object[]>> model = new TreeMap<>();
    private final List<String> modelChanges = new ArrayList<>();
    int committedRequests;

    HamokSimEmitterChecker(HamokSimEmitterLoad load) {
        this.load = load;
    }

    static String added(String event, String peer, String metadata) {
        return "ADD " + event + " " + peer + " " + metadata;
    }

    static String updated(String event, String peer, String oldMetadata, String newMetadata) {
        return "UPD " + event + " " + peer + " " + oldMetadata + "->" + newMetadata;
    }

    static String removed(String event, String peer, String metadata) {
        return "REM " + event + " " + peer + " " + metadata;
    }

    /** The violations found (empty: the run is correct). */
    List<String> check(List<HamokSimRaftLogs.Ground.Entry> committedLog) {
        replay(committedLog);
        checkTables();
        checkStreams();
        checkDeliveries();
        return violations;
    }

    /** Whether every live replica holds the same table and each live instance's rows are what it intends. */
    static boolean converged(HamokSimEmitterLoad load) {
        List<String> first = null;
        for (Replica r : load.current.values()) {
            if (!r.alive()) {
                continue;
            }
            final List<String> rows = rows(r);
            if (first != null && !first.equals(rows) || !ownRowsAsIntended(r, rows)) {
                return false;
            }
            first = rows;
        }
        return true;
    }

    private static boolean ownRowsAsIntended(Replica r, List<String> rows) {
        final Set<String> own = new HashSet<>();
        for (String row : rows) {
            if (row.contains(":" + r.node.id + "=")) {
                own.add(row);
            }
        }
        final Set<String> intended = new HashSet<>();
        r.intent.forEach((event, metadata) -> intended.add(event + ":" + r.node.id + "="
                + (metadata.isEmpty() ? null : metadata)));
        return own.equals(intended);
    }

    static List<String> rows(Replica r) {
        final List<String> out = new ArrayList<>();
        for (EmitterSubscription<String> s : r.emitter.subscriptions()) {
            out.add(s.event() + ":" + s.peerId() + "=" + s.metadata());
        }
        return out;
    }

    // ------------------------------------------------------------------ the model

    private void replay(List<HamokSimRaftLogs.Ground.Entry> committedLog) {
        final Set<String> applied = new HashSet<>();
        for (HamokSimRaftLogs.Ground.Entry e : committedLog) {
            final StorageRequest r;
            try {
                r = StorageRequest.fromBytes(e.payload());
            } catch (RuntimeException notAStorageRequest) {
                continue;
            }
            if (!applied.add(r.sourceId() + "/" + r.requestId()) || !HamokSimEmitterLoad.EMITTER_ID.equals(r.storageId())) {
                continue;
            }
            committedRequests++;
            apply(r);
        }
    }

    private void apply(StorageRequest r) {
        if (r.type() == RequestType.DELETE) {
            final Map<String, Long> bounds = new HashMap<>();
            for (int i = 0; i < r.keys().size(); i++) {
                bounds.merge(utf8(r.keys().get(i)), ByteBuffer.wrap(r.values().get(i)).getLong(), Math::max);
            }
            for (String event : new ArrayList<>(model.keySet())) {
                final TreeMap<String, Object[]> peers = model.get(event);
                for (String peer : new ArrayList<>(peers.keySet())) {
                    final Long bound = bounds.get(peer);
                    if (bound != null && (long) peers.get(peer)[0] <= bound) {
                        modelChanges.add(removed(event, peer, show(peers.remove(peer)[1])));
                    }
                }
                if (peers.isEmpty()) {
                    model.remove(event);
                }
            }
            return;
        }
        final String event = utf8(r.keys().get(0));
        final String peer = r.sourceId();
        final TreeMap<String, Object[]> peers = model.computeIfAbsent(event, k -> new TreeMap<>());
        final Object[] old = peers.get(peer);
        switch (r.type()) {
            case INSERT, SET -> {
                final String metadata = metadata(r.values().get(0));
                if (r.type() == RequestType.SET && (old == null
                        || r.conditional() && !metadata(r.prevValue()).equals(old[1]))) {
                    break;
                }
                peers.put(peer, new Object[] {r.requestId(), metadata});
                if (old == null) {
                    modelChanges.add(added(event, peer, show(metadata)));
                } else if (!old[1].equals(metadata)) {
                    modelChanges.add(updated(event, peer, show(old[1]), show(metadata)));
                }
            }
            case REMOVE -> {
                if (old != null) {
                    peers.remove(peer);
                    modelChanges.add(removed(event, peer, show(old[1])));
                }
            }
            default -> violations.add("unexpected " + r.type() + " on the emitter: " + r);
        }
        if (peers.isEmpty()) {
            model.remove(event);
        }
    }

    private static String metadata(byte[] form) {
        return form[0] == 0 ? "" : new String(form, 1, form.length - 1, StandardCharsets.UTF_8);
    }

    private static String show(Object metadata) {
        return ((String) metadata).isEmpty() ? "null" : (String) metadata;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ checks

    private void checkTables() {
        final List<String> expected = new ArrayList<>();
        model.forEach((event, peers) -> peers.forEach((peer, row) -> expected.add(event + ":" + peer + "="
                + show(row[1]))));
        for (Replica r : load.current.values()) {
            if (!r.alive()) {
                continue;
            }
            final List<String> rows = rows(r);
            if (!rows.equals(expected)) {
                violations.add("(t) " + r + " holds " + rows + " but the committed log gives " + expected);
            }
            if (!ownRowsAsIntended(r, rows)) {
                violations.add("(t) the rows of " + r + " in " + rows + " are not what it intends: " + r.intent);
            }
        }
    }

    private void checkStreams() {
        for (Replica r : load.replicas) {
            if (!r.startedWithoutSnapshot || r.snapshotsSeen != r.snapshotsAtStart) {
                continue;
            }
            final boolean prefix = r.changes.size() <= modelChanges.size()
                    && r.changes.equals(modelChanges.subList(0, r.changes.size()));
            if (!prefix || r.alive() && r.changes.size() != modelChanges.size()) {
                int at = 0;
                while (at < Math.min(r.changes.size(), modelChanges.size()) && r.changes.get(at).equals(modelChanges.get(at))) {
                    at++;
                }
                violations.add("(s) the changes " + r + " heard (" + r.changes.size() + ") are not the committed log's ("
                        + modelChanges.size() + "); first difference at #" + at + ": "
                        + (at < r.changes.size() ? r.changes.get(at) : "-") + " vs "
                        + (at < modelChanges.size() ? modelChanges.get(at) : "-"));
            }
        }
    }

    private void checkDeliveries() {
        final Set<String> seen = new HashSet<>();
        final Map<String, Set<String>> deliveredTo = new HashMap<>();
        for (Delivery d : load.deliveries) {
            final Sent s = load.sent.get(d.payload());
            if (s == null || !s.event().equals(d.event()) || !s.from().equals(d.from())) {
                violations.add("(d) " + d + " does not match what was sent: " + s);
            }
            if (!seen.add(d.peer() + "#" + d.incarnation() + "/" + d.payload())) {
                violations.add("(d) " + d + " reached that incarnation twice");
            }
            deliveredTo.computeIfAbsent(d.payload(), k -> new HashSet<>()).add(d.peer());
        }
        for (Publish p : load.publishes) {
            if (p.result == null) {
                continue;
            }
            final Set<String> missing = new HashSet<>(p.result.delivered());
            missing.removeAll(deliveredTo.getOrDefault(p.sent.payload(), Set.of()));
            if (!missing.isEmpty()) {
                violations.add("(p) " + p.sent + " names " + missing + " as delivered, but no listener there got it: "
                        + p.result);
            }
        }
    }

    @Override
    public String toString() {
        return "model " + Arrays.toString(model.entrySet().toArray());
    }
}
