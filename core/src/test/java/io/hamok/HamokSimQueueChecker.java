// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.HamokSimOp.Status;
import io.hamok.HamokSimQueueOps.Kind;
import io.hamok.HamokSimQueueOps.Op;
import io.hamok.HamokSimQueueOps.QueueReplica;
import io.hamok.state.RequestType;
import io.hamok.state.StorageRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the queue history of a simulated run ({@link HamokSimQueueOps}) against the committed log:
 * the log's queue requests are replayed, once each by (source, request id), on a model deque, and
 * mapped back to the ops (a push by its unique items; every write by its request id, which is a base
 * per incarnation plus the op's ordinal, the base learnt from any request that carries a unique value,
 * the map's and the record's included).
 *
 * <p>Checks, after the run healed, settled and drained the queue:
 * <ul>
 *   <li>(q-a) every live replica holds exactly the model's queue (empty after the drain);</li>
 *   <li>(q-b) every acknowledged push, pop and clear is in the committed log, and every acknowledged pop
 *       returned what the model's pop at that index took (an item, or nothing when the queue was
 *       empty there);</li>
 *   <li>(q-c) exactly once: no item was returned by two pops, and every item of an acknowledged push was
 *       taken by exactly one committed pop or dropped by a clear;</li>
 *   <li>(q-d) a write acknowledged before another was submitted comes first in the log;</li>
 *   <li>(q-e) a write that failed with "did not happen" is not in the log, one that failed with
 *       {@link ResultUnknownException} is;</li>
 *   <li>(q-f) a linearizable peek or size saw the queue as it was at an index between the writes
 *       acknowledged before it began and those submitted after it ended;</li>
 *   <li>(q-g) a replica that started at index 1 and never installed a snapshot heard exactly the
 *       model's events; every replica added and removed each item at most once;</li>
 *   <li>no queue op is left pending.</li>
 * </ul>
 */
final class HamokSimQueueChecker {
    /** Counters of a checked run; the fingerprint names the committed queue history. */
    record Report(int pushedItems, int poppedByAcknowledged, int poppedByUnacknowledged, int cleared,
                  int emptyPops, int unverifiableOps, int fingerprint) {
    }

    private final HamokSimCluster cluster;
    private final List<HamokSimOp> otherOps;
    private final List<Op> ops;
    private final List<QueueReplica> replicas;
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Long> baseOf = new HashMap<>();
    private final Map<String, Map<Long, Op>> writesByIncarnation = new HashMap<>();
    private final Map<Op, Long> appliedAt = new HashMap<>();
    private final Map<Op, Long> modelResult = new HashMap<>();
    /** Per item: the pop op that took it (null: a pop of no known op), or absent. */
    private final Map<Long, Op> takenBy = new HashMap<>();
    private final Set<Long> pushed = new HashSet<>();
    private final Set<Long> cleared = new HashSet<>();
    private final ArrayDeque<Long> model = new ArrayDeque<>();
    private final List<String> modelEvents = new ArrayList<>();
    /** Per log index of a queue change: {head item or -1, size} after it. */
    private final TreeMap<Long, long[]> history = new TreeMap<>();
    private int emptyPops;

    HamokSimQueueChecker(HamokSimCluster cluster, List<HamokSimOp> otherOps, List<Op> ops,
                         List<QueueReplica> replicas) {
        this.cluster = cluster;
        this.otherOps = otherOps;
        this.ops = ops;
        this.replicas = replicas;
        for (Op op : ops) {
            if (!op.kind.isRead()) {
                writesByIncarnation.computeIfAbsent(op.incarnation(), k -> new HashMap<>()).put(op.ordinal, op);
            }
        }
    }

    /** Runs every check; the violations go to {@code out}. */
    Report check(List<String> out) {
        history.put(0L, new long[]{-1, 0});
        final List<StorageRequest> committed = new ArrayList<>();
        final List<Long> indexes = new ArrayList<>();
        for (HamokSimRaftLogs.Ground.Entry e : cluster.committedLog()) {
            final StorageRequest r = decode(e.payload());
            if (r != null) {
                learnBase(r);
                if (HamokSimQueueOps.QUEUE_ID.equals(r.storageId())) {
                    committed.add(r);
                    indexes.add(e.index());
                }
            }
        }
        final Set<String> applied = new HashSet<>();
        for (int i = 0; i < committed.size(); i++) {
            final StorageRequest r = committed.get(i);
            if (applied.add(r.sourceId() + "/" + r.requestId())) {
                apply(r, opOf(r), indexes.get(i));
            }
        }
        checkReplicas();
        final int unverifiable = checkOps();
        checkExactlyOnce();
        checkRealTimeOrder();
        checkReads();
        checkStreams();
        out.addAll(violations);
        int byAcknowledged = 0;
        int byOthers = 0;
        for (Op op : takenBy.values()) {
            if (op != null && op.status == Status.ACKNOWLEDGED) {
                byAcknowledged++;
            } else {
                byOthers++;
            }
        }
        return new Report(pushed.size(), byAcknowledged, byOthers, cleared.size(), emptyPops, unverifiable,
                Objects.hash(modelEvents, committed.size()));
    }

    private void violation(String message) {
        if (violations.size() < 30) {
            violations.add(message);
        }
    }

    private static StorageRequest decode(byte[] payload) {
        try {
            return StorageRequest.fromBytes(payload);
        } catch (RuntimeException e) {
            return null; // a membership or no-op entry
        }
    }

    // ------------------------------------------------------------------ mapping requests to ops

    /** Learns the request id base of an incarnation from a request that carries an op's unique value. */
    private void learnBase(StorageRequest r) {
        if (r.values().isEmpty()) {
            return;
        }
        final byte[] v = r.values().get(0);
        String incarnation = null;
        long ordinal = 0;
        if (HamokSimQueueOps.QUEUE_ID.equals(r.storageId()) && r.type() == RequestType.INSERT) {
            final Op op = pushOf(Codecs.longs().decode(v));
            if (op != null) {
                incarnation = op.incarnation();
                ordinal = op.ordinal;
            }
        } else {
            final int id = HamokSimReplica.MAP_ID.equals(r.storageId())
                    ? (v.length == Long.BYTES ? (int) (long) Codecs.longs().decode(v) : -1)
                    : HamokSimOp.idOf(new String(v, StandardCharsets.UTF_8));
            if (id >= 1 && id <= otherOps.size() && otherOps.get(id - 1).kind.writesValue()) {
                final HamokSimOp op = otherOps.get(id - 1);
                incarnation = op.peerId + "#" + op.incarnation;
                ordinal = op.ordinal;
            }
        }
        if (incarnation != null) {
            baseOf.putIfAbsent(incarnation, r.requestId() - ordinal);
        }
    }

    /** The push op whose first item is {@code item}, or null. */
    private Op pushOf(long item) {
        final long id = item / 10;
        return id >= 1 && id <= ops.size() && ops.get((int) id - 1).kind == Kind.PUSH && item % 10 == 0
                ? ops.get((int) id - 1) : null;
    }

    private Op opOf(StorageRequest r) {
        for (Map.Entry<String, Long> e : baseOf.entrySet()) {
            if (e.getKey().startsWith(r.sourceId() + "#")) {
                final Op op = writesByIncarnation.getOrDefault(e.getKey(), Map.of()).get(r.requestId() - e.getValue());
                if (op != null) {
                    return op;
                }
            }
        }
        return null;
    }

    private static boolean matches(Op op, StorageRequest r) {
        return switch (op.kind) {
            case PUSH -> r.type() == RequestType.INSERT && op.items.equals(decodeAll(r.values()));
            case POP -> r.type() == RequestType.REMOVE && r.values().isEmpty();
            case CLEAR -> r.type() == RequestType.CLEAR && r.values().isEmpty();
            case PEEK, SIZE -> false;
        };
    }

    private static List<Long> decodeAll(List<byte[]> values) {
        final List<Long> out = new ArrayList<>();
        values.forEach(v -> out.add(Codecs.longs().decode(v)));
        return out;
    }

    // ------------------------------------------------------------------ the model

    private void apply(StorageRequest r, Op op, long index) {
        if (op != null) {
            if (appliedAt.containsKey(op)) {
                violation("(q-c) " + op + " is in the committed log under two request ids");
            }
            appliedAt.put(op, index);
            if (!matches(op, r)) {
                violation("request " + r.sourceId() + "/" + r.requestId() + " at index " + index + " (" + r.type()
                        + ") was mapped to " + op);
            }
        }
        if (r.type() == RequestType.CLEAR) {
            cleared.addAll(model);
            final boolean hadItems = !model.isEmpty();
            model.clear();
            modelEvents.add("cleared");
            if (hadItems) {
                modelEvents.add("empty");
            }
        }
        if (r.type() == RequestType.INSERT || r.type() == RequestType.CLEAR) {
            final boolean wasEmpty = model.isEmpty();
            for (Long item : decodeAll(r.values())) {
                model.add(item);
                pushed.add(item);
                modelEvents.add("added " + item);
            }
            if (wasEmpty && !r.values().isEmpty()) {
                modelEvents.add("not-empty");
            }
        } else if (r.type() == RequestType.REMOVE) {
            final Long item = model.poll();
            if (op != null) {
                modelResult.put(op, item);
            }
            if (item == null) {
                emptyPops++;
            } else {
                takenBy.put(item, op);
                modelEvents.add("removed " + item);
                if (model.isEmpty()) {
                    modelEvents.add("empty");
                }
            }
        }
        history.put(index, new long[]{model.isEmpty() ? -1 : model.peek(), model.size()});
    }

    // ------------------------------------------------------------------ checks

    private void checkReplicas() {
        for (QueueReplica q : replicas) {
            if (q.replica.alive() && !q.queue.export().equals(new ArrayList<>(model))) {
                violation("(q-a) " + q.replica + " holds " + q.queue.export() + " but the committed log gives "
                        + model);
            }
        }
    }

    /** (q-b), (q-e) and liveness per op; returns how many acknowledged writes could not be traced. */
    private int checkOps() {
        int unverifiable = 0;
        for (Op op : ops) {
            final boolean traceable = appliedAt.containsKey(op) || baseOf.containsKey(op.incarnation())
                    || op.kind == Kind.PUSH;
            if (op.status == Status.PENDING) {
                violation("liveness: " + op + " never completed");
            } else if (op.kind.isRead()) {
                continue;
            } else if (op.status == Status.FAILED) {
                if (op.failedWithoutEffect() && appliedAt.containsKey(op)) {
                    violation("(q-e) " + op + " failed as not done, but was applied at index " + appliedAt.get(op));
                }
                if (op.failure instanceof ResultUnknownException && traceable && !appliedAt.containsKey(op)) {
                    violation("(q-e) " + op + " failed as applied without a result, but is not in the committed log");
                }
            } else if (!traceable) {
                unverifiable++;
            } else if (!appliedAt.containsKey(op)) {
                violation("(q-b) " + op + " was acknowledged but is not in the committed log");
            } else if (op.kind == Kind.POP && !Objects.equals(op.result, modelResult.get(op))) {
                violation("(q-b) " + op + " returned " + op.result + " but the committed log at index "
                        + appliedAt.get(op) + " gives " + modelResult.get(op));
            }
        }
        return unverifiable;
    }

    private void checkExactlyOnce() {
        final Map<Object, Op> returned = new HashMap<>();
        for (Op op : ops) {
            if (op.kind == Kind.POP && op.status == Status.ACKNOWLEDGED && op.result != null) {
                final Op other = returned.putIfAbsent(op.result, op);
                if (other != null) {
                    violation("(q-c) the item " + op.result + " was popped twice: by " + other + " and " + op);
                }
            }
            if (op.kind == Kind.PUSH && op.status == Status.ACKNOWLEDGED) {
                for (Long item : op.items) {
                    if (!takenBy.containsKey(item) && !cleared.contains(item)) {
                        violation("(q-c) the item " + item + " of " + op + " was never popped (nor cleared)");
                    }
                }
            }
        }
    }

    private void checkRealTimeOrder() {
        final List<Op> applied = new ArrayList<>(appliedAt.keySet());
        for (Op a : applied) {
            if (a.status != Status.ACKNOWLEDGED) {
                continue;
            }
            for (Op b : applied) {
                if (b.submitSeq > a.completeSeq && appliedAt.get(b) < appliedAt.get(a)) {
                    violation("(q-d) " + a + " was acknowledged before " + b + " was submitted, but the log has it"
                            + " later (" + appliedAt.get(a) + " > " + appliedAt.get(b) + ")");
                }
            }
        }
    }

    private void checkReads() {
        for (Op read : ops) {
            if (!read.kind.isRead() || read.status != Status.ACKNOWLEDGED) {
                continue;
            }
            long lo = 0;
            long hi = Long.MAX_VALUE;
            for (Map.Entry<Op, Long> e : appliedAt.entrySet()) {
                if (e.getKey().status == Status.ACKNOWLEDGED && e.getKey().completeSeq < read.submitSeq) {
                    lo = Math.max(lo, e.getValue());
                }
                if (e.getKey().submitSeq > read.completeSeq) {
                    hi = Math.min(hi, e.getValue() - 1);
                }
            }
            boolean possible = sees(read, history.floorEntry(lo).getValue());
            if (hi > lo) {
                for (long[] state : history.subMap(lo, false, hi, true).values()) {
                    possible |= sees(read, state);
                }
            }
            if (!possible) {
                violation("(q-f) " + read + " saw a queue that never was between index " + lo + " and " + hi);
            }
        }
    }

    private static boolean sees(Op read, long[] state) {
        return read.kind == Kind.PEEK ? Objects.equals(read.result, state[0] < 0 ? null : state[0])
                : Objects.equals(read.result, (int) state[1]);
    }

    private void checkStreams() {
        for (QueueReplica q : replicas) {
            final Set<String> seen = new HashSet<>();
            for (String event : q.events) {
                if ((event.startsWith("added ") || event.startsWith("removed ")) && !seen.add(event)) {
                    violation("(q-g) " + q.replica + " heard " + event + " twice");
                }
            }
            if (!q.replica.startedWithoutSnapshot || !q.replica.noSnapshotInstalled()) {
                continue;
            }
            final List<String> stream = q.events.stream().filter(e -> !e.equals("closed")).toList(); // crashes close
            final boolean prefix = stream.size() <= modelEvents.size()
                    && stream.equals(modelEvents.subList(0, stream.size()));
            if (!prefix || (q.replica.alive() && stream.size() != modelEvents.size())) {
                int diff = 0;
                while (diff < Math.min(stream.size(), modelEvents.size())
                        && stream.get(diff).equals(modelEvents.get(diff))) {
                    diff++;
                }
                violation("(q-g) the queue events of " + q.replica + " (" + stream.size() + ") are not the committed"
                        + " log's (" + modelEvents.size() + "); first difference at #" + diff + ": "
                        + (diff < stream.size() ? stream.get(diff) : "-") + " vs "
                        + (diff < modelEvents.size() ? modelEvents.get(diff) : "-"));
            }
        }
    }
}
