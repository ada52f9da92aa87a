// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.HamokSimCluster.Node;
import io.hamok.HamokSimOp.Kind;
import io.hamok.HamokSimOp.Status;
import io.hamok.state.ByteKey;
import io.hamok.state.RecordCondition;
import io.hamok.state.RequestType;
import io.hamok.state.StorageRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the history of a simulated run against the committed log. The committed log is rebuilt
 * from every entry any peer appended ({@link HamokSimRaftLogs.Ground}); its storage requests are
 * replayed on an independent model of the map and the record, deduplicated by (source peer, request
 * id), and mapped back to the workload's ops: a request carrying a unique value names its op, and
 * an instance's request ids are consecutive (a base plus the op's ordinal), which maps the rest.
 *
 * <p>Checks, after the cluster healed and settled:
 * <ul>
 *   <li>(a) every live replica holds exactly the model's map and record;</li>
 *   <li>(b) every acknowledged op was applied (first occurrence in the committed log) with the result
 *       the caller got, and an op acknowledged before another was submitted comes first in the log;
 *       a replica whose stream started at index 1 and never received a snapshot heard exactly the
 *       model's events;</li>
 *   <li>(c) no write applied twice: each unique value is a new value at most once in every stream;</li>
 *   <li>(d) of the conditional ops expecting the same old value of the same key, at most one
 *       acknowledged {@code true};</li>
 *   <li>(e) an op that failed with "did not happen" semantics (no leader, not leader, entry lost, back
 *       pressure) is not in the committed log; timeouts and closes are "unknown" and may be;</li>
 *   <li>(f) a linearizable read returns a value the key held at a log index between the writes
 *       acknowledged before the read began and those submitted after it ended;</li>
 *   <li>no op is left pending, no loop error was counted, no log-matching or election violation.</li>
 * </ul>
 */
final class HamokSimChecker {
    /** Counters of a checked run; the fingerprint names the committed history and the final state. */
    record Report(int committedRequests, int retriedDuplicates, int mappedOps, int unverifiableOps,
                  Map<String, Integer> failures, int timedOutButApplied, int fingerprint) {
    }

    private final HamokSimCluster cluster;
    private final List<HamokSimOp> ops;
    private final List<HamokSimReplica> replicas;
    private final List<String> violations = new ArrayList<>();
    private final Map<HamokSimOp, Long> appliedAt = new HashMap<>();
    private final Map<HamokSimOp, Object> modelResult = new HashMap<>();
    private final Map<String, Long> baseOf = new HashMap<>();
    private final Map<String, Map<Long, HamokSimOp>> opsByIncarnation = new HashMap<>();
    private final Map<ByteKey, byte[]> mapModel = new HashMap<>();
    private final Map<ByteKey, byte[]> recordModel = new HashMap<>();
    private final List<String> modelEvents = new ArrayList<>();
    /** Per storage and key: the log index of every change and the value after it (null = absent). */
    private final Map<String, TreeMap<Long, Object>> histories = new HashMap<>();

    HamokSimChecker(HamokSimCluster cluster, List<HamokSimOp> ops, List<HamokSimReplica> replicas) {
        this.cluster = cluster;
        this.ops = ops;
        this.replicas = replicas;
        for (HamokSimOp op : ops) {
            opsByIncarnation.computeIfAbsent(op.peerId + "#" + op.incarnation, k -> new HashMap<>()).put(op.ordinal, op);
        }
    }

    /** Runs every check; throws an AssertionError listing the violations (those found during the run first). */
    Report check(List<String> duringRun) {
        violations.addAll(duringRun);
        violations.addAll(cluster.violations());
        violations.addAll(cluster.ground().violations());
        final Node leader = cluster.leader();
        if (leader == null) {
            throw new AssertionError("no leader after settling\n" + cluster.describe());
        }
        final List<StorageRequest> committed = new ArrayList<>();
        final List<Long> indexes = new ArrayList<>();
        for (HamokSimRaftLogs.Ground.Entry e : cluster.committedLog()) {
            final StorageRequest request = decode(e.payload());
            if (request != null) {
                committed.add(request);
                indexes.add(e.index());
            }
        }
        inferRequestIdBases(committed);
        final int duplicates = replay(committed, indexes);
        checkConvergence();
        checkAcknowledged();
        checkRealTimeOrder();
        checkStreams();
        checkConditionals();
        checkReads();
        final Map<String, Integer> failures = new TreeMap<>();
        int unverifiable = 0;
        int timedOutButApplied = 0;
        for (HamokSimOp op : ops) {
            if (op.failure instanceof HamokTimeoutException && appliedAt.containsKey(op)) {
                timedOutButApplied++;
            }
            if (op.status == Status.PENDING) {
                violation("liveness: " + op + " never completed");
            } else if (op.status == Status.FAILED) {
                failures.merge(op.failure.getClass().getSimpleName(), 1, Integer::sum);
                if (op.failedWithoutEffect() && appliedAt.containsKey(op)) {
                    violation("(e) " + op + " failed as not done, but was applied at index " + appliedAt.get(op));
                }
                if (op.failure instanceof ResultUnknownException && isMapped(op) && !appliedAt.containsKey(op)) {
                    violation("(e) " + op + " failed as applied without a result, but is not in the committed log");
                }
            }
            if (op.status == Status.ACKNOWLEDGED && !op.kind.isRead() && !isMapped(op)) {
                unverifiable++;
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " violation(s):\n  " + String.join("\n  ", violations)
                    + "\n" + cluster.describe());
        }
        final int fingerprint = Objects.hash(modelEvents, committed.size(), duplicates);
        return new Report(committed.size(), duplicates, appliedAt.size(), unverifiable, failures, timedOutButApplied,
                fingerprint);
    }

    private void violation(String message) {
        if (violations.size() < 30) {
            violations.add(message);
        }
    }

    private static StorageRequest decode(byte[] payload) {
        final StorageRequest r;
        try {
            r = StorageRequest.fromBytes(payload);
        } catch (RuntimeException e) {
            return null; // a membership or no-op entry
        }
        // other storages (the queue's) have checkers of their own
        return HamokSimReplica.MAP_ID.equals(r.storageId()) || HamokSimReplica.RECORD_ID.equals(r.storageId()) ? r : null;
    }

    // ------------------------------------------------------------------ mapping requests to ops

    /** The op whose unique value a request carries, or null. */
    private HamokSimOp opOfValue(StorageRequest r) {
        if (r.values().size() != 1) {
            return null;
        }
        final byte[] v = r.values().get(0);
        final int id;
        if (HamokSimReplica.MAP_ID.equals(r.storageId())) {
            if (v.length != Long.BYTES) {
                return null;
            }
            id = (int) (long) Codecs.longs().decode(v);
        } else {
            id = HamokSimOp.idOf(new String(v, StandardCharsets.UTF_8));
        }
        return id >= 1 && id <= ops.size() ? ops.get(id - 1) : null;
    }

    private void inferRequestIdBases(List<StorageRequest> committed) {
        for (StorageRequest r : committed) {
            final HamokSimOp op = opOfValue(r);
            if (op == null || !op.kind.writesValue()) {
                continue;
            }
            if (!op.peerId.equals(r.sourceId())) {
                violation("the value of " + op + " was written by request " + r.requestId() + " of " + r.sourceId());
                continue;
            }
            final String incarnation = op.peerId + "#" + op.incarnation;
            final long base = r.requestId() - op.ordinal;
            final Long known = baseOf.putIfAbsent(incarnation, base);
            if (known != null && known != base) {
                violation("request ids of " + incarnation + " are not consecutive: " + op + " has request id "
                        + r.requestId() + ", expected " + (known + op.ordinal));
            }
        }
    }

    private HamokSimOp opOf(StorageRequest r) {
        final HamokSimOp byValue = opOfValue(r);
        if (byValue != null && byValue.kind.writesValue()) {
            return byValue;
        }
        for (Map.Entry<String, Long> e : baseOf.entrySet()) {
            if (!e.getKey().startsWith(r.sourceId() + "#")) {
                continue;
            }
            final HamokSimOp op = opsByIncarnation.getOrDefault(e.getKey(), Map.of()).get(r.requestId() - e.getValue());
            if (op != null) {
                return op;
            }
        }
        return null;
    }

    private boolean isMapped(HamokSimOp op) {
        return appliedAt.containsKey(op) || baseOf.containsKey(op.peerId + "#" + op.incarnation)
                || op.kind.writesValue();
    }

    // ------------------------------------------------------------------ the model

    /** Replays the committed requests once each; returns how many were retried duplicates. */
    private int replay(List<StorageRequest> committed, List<Long> indexes) {
        final Set<String> applied = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < committed.size(); i++) {
            final StorageRequest r = committed.get(i);
            final HamokSimOp op = opOf(r);
            if (!applied.add(r.sourceId() + "/" + r.requestId())) {
                duplicates++;
                continue;
            }
            final Object result = apply(r, indexes.get(i));
            if (op != null) {
                if (appliedAt.containsKey(op)) {
                    violation("(c) " + op + " is in the committed log under two request ids (indexes "
                            + appliedAt.get(op) + " and " + indexes.get(i) + ")");
                }
                appliedAt.put(op, indexes.get(i));
                modelResult.put(op, result);
                if (op.kind.onMap() != HamokSimReplica.MAP_ID.equals(r.storageId()) || !requestMatches(op, r)) {
                    violation("request " + r.sourceId() + "/" + r.requestId() + " at index " + indexes.get(i)
                            + " (" + r.type() + " on " + r.storageId() + ") was mapped to " + op);
                }
            }
        }
        return duplicates;
    }

    private static boolean requestMatches(HamokSimOp op, StorageRequest r) {
        final RequestType expected = switch (op.kind) {
            case MAP_SET, MAP_UPDATE_IF, RECORD_SET, RECORD_UPDATE_IF -> RequestType.SET;
            case MAP_INSERT, RECORD_INSERT -> RequestType.INSERT;
            case MAP_DELETE -> RequestType.DELETE;
            case MAP_REMOVE, MAP_REMOVE_IF -> RequestType.REMOVE;
            case MAP_CLEAR -> RequestType.CLEAR;
            case MAP_READ, RECORD_READ -> null;
        };
        if (op.kind == Kind.MAP_CLEAR) {
            return r.type() == expected && r.keys().isEmpty();
        }
        return r.type() == expected && r.conditional() == op.kind.conditional() && r.keys().size() == 1
                && Arrays.equals(r.keys().get(0), op.key.getBytes(StandardCharsets.UTF_8));
    }

    private void changed(boolean isMap, String key, long index, Object value) {
        histories.computeIfAbsent((isMap ? "M/" : "R/") + key, k -> new TreeMap<>()).put(index, value);
    }

    /** Applies one request to the model; returns what the caller of the matching op must have got. */
    private Object apply(StorageRequest r, long index) {
        final boolean isMap = HamokSimReplica.MAP_ID.equals(r.storageId());
        final Map<ByteKey, byte[]> model = isMap ? mapModel : recordModel;
        if (r.type() == RequestType.CLEAR) {
            model.keySet().forEach(k -> changed(isMap, new String(k.bytes(), StandardCharsets.UTF_8), index, null));
            model.clear();
            modelEvents.add(isMap ? "M CLEARED" : "R CLEARED");
            return null;
        }
        final ByteKey key = new ByteKey(r.keys().get(0));
        final byte[] current = model.get(key);
        final String name = new String(key.bytes(), StandardCharsets.UTF_8);
        switch (r.type()) {
            case SET -> {
                if (r.conditional()) {
                    final boolean holds = isMap ? current != null && Arrays.equals(current, r.prevValue())
                            : RecordCondition.fromBytes(r.prevValue()).holds(model);
                    if (!holds) {
                        return false;
                    }
                }
                final byte[] value = r.values().get(0);
                model.put(key, value);
                changed(isMap, name, index, decode(isMap, value));
                modelEvents.add(current == null ? inserted(isMap, name, value) : updated(isMap, name, current, value));
                return r.conditional() ? (Object) true : decode(isMap, current);
            }
            case INSERT -> {
                if (current != null) {
                    return decode(isMap, current);
                }
                model.put(key, r.values().get(0));
                changed(isMap, name, index, decode(isMap, r.values().get(0)));
                modelEvents.add(inserted(isMap, name, r.values().get(0)));
                return null;
            }
            case DELETE, REMOVE -> {
                if (current == null || (r.conditional() && !Arrays.equals(current, r.prevValue()))) {
                    return false;
                }
                model.remove(key);
                changed(isMap, name, index, null);
                modelEvents.add(isMap ? HamokSimReplica.mapRemoved(name, decode(true, current))
                        : HamokSimReplica.recordRemoved(name, decode(false, current)));
                return true;
            }
            default -> throw new AssertionError("unexpected " + r.type());
        }
    }

    private static String inserted(boolean isMap, String key, byte[] value) {
        return isMap ? HamokSimReplica.mapInserted(key, decode(true, value))
                : HamokSimReplica.recordInserted(key, decode(false, value));
    }

    private static String updated(boolean isMap, String key, byte[] old, byte[] value) {
        return isMap ? HamokSimReplica.mapUpdated(key, decode(true, old), decode(true, value))
                : HamokSimReplica.recordUpdated(key, decode(false, old), decode(false, value));
    }

    private static Object decode(boolean isMap, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return isMap ? Codecs.longs().decode(bytes) : new String(bytes, StandardCharsets.UTF_8);
    }

    private Map<String, Object> decoded(Map<ByteKey, byte[]> model, boolean isMap) {
        final Map<String, Object> out = new HashMap<>();
        model.forEach((k, v) -> out.put(new String(k.bytes(), StandardCharsets.UTF_8), decode(isMap, v)));
        return out;
    }

    // ------------------------------------------------------------------ checks

    private void checkConvergence() {
        final Map<String, Object> map = decoded(mapModel, true);
        final Map<String, Object> record = decoded(recordModel, false);
        for (HamokSimReplica r : replicas) {
            if (!r.alive()) {
                continue;
            }
            if (!new HashMap<String, Object>(r.map.export()).equals(map)) {
                violation("(a) " + r + " holds map " + new TreeMap<>(r.map.export()) + " but the committed log gives "
                        + new TreeMap<>(map));
            }
            if (!r.record.export().equals(record)) {
                violation("(a) " + r + " holds record " + r.record.export() + " but the committed log gives " + record);
            }
        }
    }

    private void checkAcknowledged() {
        for (HamokSimOp op : ops) {
            if (op.status != Status.ACKNOWLEDGED || op.kind.isRead() || !isMapped(op)) {
                continue;
            }
            if (!appliedAt.containsKey(op)) {
                violation("(b) " + op + " was acknowledged but is not in the committed log");
                continue;
            }
            final Object expected = modelResult.get(op);
            if (!Objects.equals(expected, op.result)) {
                violation("(b) " + op + " was acknowledged with " + op.result + " but the committed log at index "
                        + appliedAt.get(op) + " gives " + expected);
            }
        }
    }

    /** An op acknowledged before another was submitted is before it in the log (writes are linearizable). */
    private void checkRealTimeOrder() {
        final List<HamokSimOp> applied = new ArrayList<>(appliedAt.keySet());
        for (HamokSimOp a : applied) {
            if (a.status != Status.ACKNOWLEDGED) {
                continue;
            }
            for (HamokSimOp b : applied) {
                if (b.submitSeq > a.completeSeq && appliedAt.get(b) < appliedAt.get(a)) {
                    violation("(b) " + a + " was acknowledged before " + b + " was submitted, but the log has it later ("
                            + appliedAt.get(a) + " > " + appliedAt.get(b) + ")");
                }
            }
        }
    }

    private void checkStreams() {
        for (HamokSimReplica r : replicas) {
            final Set<String> newValues = new HashSet<>();
            for (int i = 0; i < r.events.size(); i++) {
                final String event = r.events.get(i);
                final int arrow = event.indexOf("->");
                final int equals = event.indexOf('=');
                final String newValue = arrow >= 0 ? event.substring(arrow + 2) : equals >= 0 ? event.substring(equals + 1)
                        : null;
                if (newValue != null && !newValues.add(event.charAt(0) + newValue)) {
                    violation("(c) " + r + " applied the value " + newValue + " a second time (event #" + i + ": "
                            + event + ")");
                }
            }
            if (!r.startedWithoutSnapshot || !r.noSnapshotInstalled()) {
                continue;
            }
            final List<String> stream = r.events;
            final boolean prefix = stream.size() <= modelEvents.size()
                    && stream.equals(modelEvents.subList(0, stream.size()));
            if (!prefix || (r.alive() && stream.size() != modelEvents.size())) {
                int firstDiff = 0;
                while (firstDiff < Math.min(stream.size(), modelEvents.size())
                        && stream.get(firstDiff).equals(modelEvents.get(firstDiff))) {
                    firstDiff++;
                }
                violation("(b) the event stream of " + r + " (" + stream.size() + " events) is not the committed log's ("
                        + modelEvents.size() + " events); first difference at #" + firstDiff + ": "
                        + (firstDiff < stream.size() ? stream.get(firstDiff) : "-") + " vs "
                        + (firstDiff < modelEvents.size() ? modelEvents.get(firstDiff) : "-"));
            }
        }
    }

    /**
     * (f) A linearizable read returns the value the key had at some log index between the writes
     * acknowledged before the read began and the writes submitted after it ended.
     */
    private void checkReads() {
        for (HamokSimOp read : ops) {
            if (!read.kind.isRead() || read.status != Status.ACKNOWLEDGED) {
                continue;
            }
            long lo = 0;
            long hi = Long.MAX_VALUE;
            for (Map.Entry<HamokSimOp, Long> e : appliedAt.entrySet()) {
                final HamokSimOp w = e.getKey();
                if (w.status == Status.ACKNOWLEDGED && w.completeSeq < read.submitSeq) {
                    lo = Math.max(lo, e.getValue());
                }
                if (w.submitSeq > read.completeSeq) {
                    hi = Math.min(hi, e.getValue() - 1);
                }
            }
            final TreeMap<Long, Object> history = histories.getOrDefault((read.kind.onMap() ? "M/" : "R/") + read.key,
                    new TreeMap<>());
            final Map.Entry<Long, Object> atLo = history.floorEntry(lo);
            boolean possible = Objects.equals(atLo == null ? null : atLo.getValue(), read.result);
            if (!possible && hi >= lo) {
                for (Object value : history.subMap(lo, false, hi, true).values()) {
                    possible |= Objects.equals(value, read.result);
                }
            }
            if (!possible) {
                violation("(f) " + read + " returned " + read.result + ", which the key never held between index " + lo
                        + " and " + hi + " (history " + history + ")");
            }
        }
    }

    private void checkConditionals() {
        final Map<String, HamokSimOp> winners = new HashMap<>();
        for (HamokSimOp op : ops) {
            if (op.kind.conditional() && op.status == Status.ACKNOWLEDGED && Boolean.TRUE.equals(op.result)) {
                final String key = op.kind.onMap() + "/" + op.key + "/" + op.expected;
                final HamokSimOp other = winners.putIfAbsent(key, op);
                if (other != null) {
                    violation("(d) both " + other + " and " + op + " succeeded on the same old value");
                }
            }
        }
    }
}
