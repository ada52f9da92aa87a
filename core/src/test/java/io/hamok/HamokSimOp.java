// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One storage operation of the simulated workload and what became of it: acknowledged (with its
 * result), failed (with its exception type), or pending. Values written are unique: a map value is
 * the op id, a record value is {@code "v" + id}, so every write can be traced in the log and in the
 * event streams.
 */
final class HamokSimOp {
    /** The operations the workload issues. */
    enum Kind {
        MAP_SET, MAP_INSERT, MAP_DELETE, MAP_REMOVE, MAP_UPDATE_IF, MAP_REMOVE_IF, MAP_CLEAR, MAP_READ,
        RECORD_SET, RECORD_INSERT, RECORD_UPDATE_IF, RECORD_READ;

        boolean onMap() {
            return name().startsWith("MAP_");
        }

        /** A linearizable read: no request in the log, no request id. */
        boolean isRead() {
            return this == MAP_READ || this == RECORD_READ;
        }

        boolean conditional() {
            return this == MAP_UPDATE_IF || this == MAP_REMOVE_IF || this == RECORD_UPDATE_IF;
        }

        /** Whether the request carries the op's unique value. */
        boolean writesValue() {
            return this == MAP_SET || this == MAP_INSERT || this == MAP_UPDATE_IF || this == RECORD_SET
                    || this == RECORD_INSERT || this == RECORD_UPDATE_IF;
        }
    }

    /** Where an op stands. */
    enum Status { PENDING, ACKNOWLEDGED, FAILED }

    final int id;
    final Kind kind;
    final String peerId;
    final int incarnation;
    /** 1-based position among the writes this incarnation submitted (its request id minus a base); 0 for reads. */
    final long ordinal;
    final String key;
    /** The expected old value of a conditional op (Long for the map, String for the record), else null. */
    final Object expected;
    final long submitSeq;
    final long submitMs;
    Status status = Status.PENDING;
    Object result;
    Throwable failure;
    long completeSeq = -1;
    long completeMs = -1;

    HamokSimOp(int id, Kind kind, String peerId, int incarnation, long ordinal, String key, Object expected,
               long submitSeq, long submitMs) {
        this.id = id;
        this.kind = kind;
        this.peerId = peerId;
        this.incarnation = incarnation;
        this.ordinal = ordinal;
        this.key = key;
        this.expected = expected;
        this.submitSeq = submitSeq;
        this.submitMs = submitMs;
    }

    /** The unique value this op writes: the id for the map, "v" + id for the record. */
    Object value() {
        return kind.onMap() ? (Object) (long) id : "v" + id;
    }

    /** The op id written as {@code value}, or -1 if it is not a workload value. */
    static int idOf(Object value) {
        if (value instanceof Long l) {
            return (int) (long) l;
        }
        if (value instanceof String s && s.startsWith("v")) {
            return Integer.parseInt(s.substring(1));
        }
        return -1;
    }

    void track(CompletableFuture<?> future, java.util.function.LongSupplier seq, java.util.function.LongSupplier nowMs) {
        future.whenComplete((r, e) -> {
            completeSeq = seq.getAsLong();
            completeMs = nowMs.getAsLong();
            if (e == null) {
                status = Status.ACKNOWLEDGED;
                result = r;
            } else {
                status = Status.FAILED;
                failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            }
        });
    }

    /**
     * Whether the failure says the write did not happen ({@link HamokException#mayHaveBeenApplied()}
     * false): never sent (no leader, closed or halted before any leader had it), refused before being
     * appended (back pressure, not leader) or overwritten by a new leader (entry lost). The checker
     * holds every such failure to it: the write must not be in the committed log.
     */
    boolean failedWithoutEffect() {
        return status == Status.FAILED && failure instanceof HamokException e && !e.mayHaveBeenApplied();
    }

    @Override
    public String toString() {
        return "op" + id + "{" + kind + " " + key + (kind.writesValue() ? "=" + value() : "")
                + (expected != null ? " if " + expected : "") + " on " + peerId + "#" + incarnation + "/" + ordinal
                + " at " + submitMs + "ms: " + status
                + (status == Status.ACKNOWLEDGED ? " -> " + result + " at " + completeMs + "ms" : "")
                + (status == Status.FAILED ? " " + failure.getClass().getSimpleName() + " at " + completeMs + "ms" : "")
                + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HamokSimOp other && other.id == id;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
