// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap;

import io.hamok.internal.StorageBackend;
import io.hamok.RemoteStoreException;
import io.hamok.remotemap.RemoteMap.Execution;
import io.hamok.remotemap.RemoteMap.Status;
import io.hamok.loop.RaftLoop;
import io.hamok.raft.RaftNode;
import io.hamok.raft.RaftRole;
import io.hamok.remotemap.RemoteMapState;
import io.hamok.remotemap.RemoteMapState.Mutation;
import io.hamok.state.StorageKind;
import io.hamok.wire.GridWireEncoder;
import io.hamok.wire.proto.MessageType;
import org.agrona.ExpandableArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Executes one remote map's committed mutations against its {@link RemoteMap} while this peer leads,
 * and appends each outcome to the log (an EXECUTED entry, see {@link RemoteMapState}). Driven once per
 * duty cycle on the loop thread ({@link #doWork}); the store's answers come back on the store's threads
 * through a queue that the next duty cycle drains (answers of an earlier epoch are dropped there).
 *
 * <p><b>A leadership, step by step</b> (an "epoch": one term, one open map object):
 * <ol>
 *   <li><i>Catch up</i>: wait until this peer has applied every entry it held when it saw itself lead
 *       (the new leader's no-op among them). Every outcome an earlier leader got committed is then
 *       applied, so the state's pending mutations are final for earlier terms.</li>
 *   <li><i>Fence</i>: {@link RemoteMap#fence} with this epoch's token ({@code term << 24}, plus this
 *       peer's count of opens of the map {@code << 16}, plus one for every failed call so far): an
 *       earlier leader's late calls now change nothing, and the store tells its applied index.</li>
 *   <li><i>Run</i>: take pending mutations in number order. One numbered at or below the store's
 *       applied index was executed by an earlier leader whose outcome never committed: its outcome is
 *       "result lost". The others are executed one at a time; each outcome is appended before the next
 *       mutation is sent.</li>
 * </ol>
 *
 * <p><b>Failures of the store.</b> When a mutation call fails, the executor raises its token by one
 * and fences again: the failed call, should it still be on its way, can no longer execute, and the
 * applied index the store answers makes the outcome exact (executed: result lost; not executed:
 * failed, not applied). If it fails too, the call's own exception decides (a
 * {@link RemoteStoreException} saying "not applied" is trusted; anything else may have been executed).
 * After a failure the executor sends nothing until the failure's outcome is applied, so a later leader
 * never finds an unexecuted mutation below the store's applied index.
 *
 * <p>Outcomes are appended only by this peer as the leader of this epoch's term (checked at the moment
 * of appending), so the committed log holds them in mutation order.
 */
public final class RemoteMapExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteMapExecutor.class);
    private static final Runnable WAKE = () -> {
    };
    private static final long FENCE_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final byte[][] OK_HEADERS = {{0, 0}, {0, 1}, {0, 2}, {0, 3}};
    private static final int ENTRY_OVERHEAD = 1024;

    private enum Phase { IDLE, CATCHING_UP, FENCING, RUNNING, FENCED_OUT }

    /** What the store answered: {@code sequence} 0 for a fence; {@code verifying} for the check after a failed call. */
    private record Answer(long epoch, long sequence, boolean verifying, Execution execution, Throwable error) {
    }

    private final String mapId;
    private final RemoteMap store;
    private final StorageBackend backend;
    private final RaftLoop loop;
    private final boolean noEvents;
    private final int openNumber;
    private final int maxEntryBytes;
    private final byte[] sourceId;
    private final byte[] storageId;
    private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(256);
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private Phase phase = Phase.IDLE;
    private long epoch;
    private long term;
    private long token;
    private long catchUpIndex;
    private long storedIndex;
    /** The last mutation whose outcome this epoch appended (or found resolved). */
    private long reported;
    /** The mutation being executed, -1 for a fence, 0 for nothing. */
    private long inFlight;
    /** After a failure: nothing is sent until this mutation is resolved. */
    private long waitFor;
    private long retryFenceAtNs;
    private int unproposedLength;
    private long unproposedSequence;
    private boolean unproposedFailure;
    private Throwable failure;
    private long fenceFailures;

    public RemoteMapExecutor(String mapId, RemoteMap store, StorageBackend backend, RaftLoop loop, boolean noEvents,
                      int openNumber, int maxEntryBytes) {
        this.mapId = mapId;
        this.store = store;
        this.backend = backend;
        this.loop = loop;
        this.noEvents = noEvents;
        this.openNumber = openNumber;
        this.maxEntryBytes = Math.max(256, maxEntryBytes - ENTRY_OVERHEAD);
        this.sourceId = RemoteMapState.executorSourceId(mapId).getBytes(StandardCharsets.UTF_8);
        this.storageId = mapId.getBytes(StandardCharsets.UTF_8);
    }

    String mapId() {
        return mapId;
    }

    /** Stops for good: answers still to come are ignored. Any thread. */
    public void close() {
        closed = true;
    }

    /** One duty cycle's worth of work; loop thread. */
    public int doWork(long nowNs) {
        if (closed) {
            return 0;
        }
        final RaftNode node = loop.node();
        if (node.role() != RaftRole.LEADER) {
            if (phase != Phase.IDLE) {
                phase = Phase.IDLE;
                epoch++; // answers of the old epoch are ignored
            }
            return 0;
        }
        if (phase == Phase.IDLE || node.term() != term) {
            startEpoch(node);
        }
        int work = 0;
        for (Answer a = answers.poll(); a != null; a = answers.poll()) {
            if (a.epoch == epoch) {
                work += onAnswer(a);
            }
        }
        if (unproposedLength > 0) {
            return work + proposeHeld(node);
        }
        switch (phase) {
            case CATCHING_UP -> {
                if (node.lastApplied() >= catchUpIndex) {
                    phase = Phase.FENCING;
                    fence(nowNs);
                    work++;
                }
            }
            case FENCING -> {
                if (inFlight == 0 && nowNs >= retryFenceAtNs) {
                    fence(nowNs);
                    work++;
                }
            }
            case RUNNING -> work += runNext(node);
            default -> {
            }
        }
        return work;
    }

    private void startEpoch(RaftNode node) {
        epoch++;
        term = node.term();
        token = (term << 24) | ((openNumber & 0xFFL) << 16); // exact as a Lua number (2^53) up to term 2^29
        catchUpIndex = node.logs().lastIndex(); // the no-op of this term, and whatever the executor appended before
        phase = Phase.CATCHING_UP;
        inFlight = 0;
        waitFor = 0;
        unproposedLength = 0;
        fenceFailures = 0;
    }

    private void fence(long nowNs) {
        retryFenceAtNs = nowNs + FENCE_RETRY_NS;
        call(0, false, () -> store.fence(token));
    }

    private int runNext(RaftNode node) {
        if (inFlight != 0) {
            return 0;
        }
        final RemoteMapState state = backend.state(mapId) instanceof RemoteMapState s ? s : null;
        if (state == null) {
            return 0;
        }
        if (waitFor != 0) {
            if (state.executedSequence() < waitFor) {
                return 0;
            }
            waitFor = 0;
        }
        reported = Math.max(reported, state.executedSequence());
        final long next = reported + 1;
        final Mutation m = state.pending(next);
        if (m == null) {
            return 0;
        }
        if (next <= storedIndex) {
            return report(node, next, RemoteMapState.OUTCOME_RESULT_LOST, 0, List.of(), List.of(),
                    "executed by an earlier leader, whose report of it was lost in the leader change");
        }
        inFlight = next;
        call(next, false, () -> execute(m));
        return 1;
    }

    private CompletableFuture<Execution> execute(Mutation m) {
        final long index = m.sequence();
        final List<byte[]> keys = m.keys();
        return switch (m.type()) {
            case SET -> m.conditional() ? store.replace(token, index, keys.get(0), m.expected(), m.values().get(0))
                    : store.setAll(token, index, keys, m.values());
            case INSERT -> store.insertAll(token, index, keys, m.values());
            case DELETE, REMOVE -> m.conditional() ? store.removeIf(token, index, keys.get(0), m.expected())
                    : store.removeAll(token, index, keys);
            case CLEAR -> store.clear(token, index);
            default -> CompletableFuture.failedFuture(new IllegalStateException("not a mutation: " + m));
        };
    }

    /** Sends one call; its answer lands in the slot (and wakes the loop), tagged with this epoch. */
    private void call(long sequence, boolean verifying, java.util.function.Supplier<CompletableFuture<Execution>> call) {
        inFlight = sequence == 0 ? -1 : sequence;
        final long e = epoch;
        CompletableFuture<Execution> future;
        try {
            future = call.get();
        } catch (RuntimeException thrown) {
            future = CompletableFuture.failedFuture(thrown);
        }
        future.whenComplete((execution, error) -> {
            answers.add(new Answer(e, sequence, verifying, execution, error));
            if (!closed) {
                loop.execute(WAKE); // a refusal (closed, full) only delays the answer to the next tick
            }
        });
    }

    // ------------------------------------------------------------------ answers (loop thread)

    private int onAnswer(Answer a) {
        inFlight = 0;
        final Throwable error = a.error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                ? c.getCause() : a.error;
        if (a.sequence == 0) {
            onFenced(a.execution, error);
        } else if (a.verifying) {
            onVerified(a.sequence, a.execution, error);
        } else if (error != null) {
            failure = error;
            inFlight = a.sequence;
            token++; // the failed call, if it is still on its way, is fenced out by the check below
            call(a.sequence, true, () -> store.fence(token)); // did it execute? ask the store's applied index
        } else {
            onExecuted(a.sequence, a.execution);
        }
        return 1;
    }

    private void onFenced(Execution e, Throwable error) {
        if (error != null || e == null) {
            if (fenceFailures++ == 0) { // once per leadership, not every retry
                LOG.warn("remote map '{}': cannot fence the store (token {}); retrying every {} ms: {}", mapId, token,
                        TimeUnit.NANOSECONDS.toMillis(FENCE_RETRY_NS), error == null ? "no answer" : error.toString());
            }
            return; // FENCING retries after FENCE_RETRY_NS
        }
        if (e.status() == Status.FENCED) {
            phase = Phase.FENCED_OUT;
            LOG.warn("remote map '{}': the store has a higher token than {}; not executing in term {}", mapId, token,
                    term);
            return;
        }
        storedIndex = e.appliedIndex();
        final RemoteMapState state = backend.state(mapId) instanceof RemoteMapState s ? s : null;
        reported = state == null ? 0 : state.executedSequence();
        final long last = state == null ? 0 : state.lastSequence();
        if (storedIndex > last) {
            LOG.warn("remote map '{}': the store's applied index {} is beyond the map's last mutation {}: is it the"
                    + " store of another cluster? Mutations up to {} will be reported as executed without a result",
                    mapId, storedIndex, last, storedIndex);
        }
        phase = Phase.RUNNING;
    }

    private void onExecuted(long sequence, Execution e) {
        final RaftNode node = loop.node();
        switch (e.status()) {
            case EXECUTED -> reportExecuted(node, sequence, e);
            case ALREADY_APPLIED -> report(node, sequence, RemoteMapState.OUTCOME_RESULT_LOST, 0, List.of(), List.of(),
                    "the store had applied it already (its applied index is " + e.appliedIndex() + ")");
            case FENCED -> phase = Phase.FENCED_OUT;
        }
    }

    private void onVerified(long sequence, Execution e, Throwable error) {
        final Throwable cause = failure;
        failure = null;
        if (error == null && e != null && e.status() == Status.FENCED) {
            phase = Phase.FENCED_OUT; // a newer leader owns the store; it will execute or resolve this mutation
            return;
        }
        final int outcome;
        final String message;
        if (error == null && e != null) {
            final boolean executed = e.appliedIndex() >= sequence;
            outcome = executed ? RemoteMapState.OUTCOME_RESULT_LOST : RemoteMapState.OUTCOME_NOT_EXECUTED;
            message = "the store failed (" + cause + "); its applied index " + e.appliedIndex()
                    + (executed ? " shows that it was executed" : " shows that it was not executed");
        } else {
            final boolean certainlyNot = cause instanceof RemoteStoreException r && !r.mayHaveBeenApplied();
            outcome = certainlyNot ? RemoteMapState.OUTCOME_NOT_EXECUTED : RemoteMapState.OUTCOME_MAYBE_EXECUTED;
            message = "the store failed (" + cause + ") and could not be asked again (" + error + ")";
        }
        report(loop.node(), sequence, outcome, 0, List.of(), List.of(), message);
        waitFor = sequence;
    }

    /** The result in the mutation's key order (the store may answer in any order). */
    private void reportExecuted(RaftNode node, long sequence, Execution e) {
        final RemoteMapState state = backend.state(mapId) instanceof RemoteMapState s ? s : null;
        final Mutation m = state == null ? null : state.pending(sequence);
        if (m == null) {
            return; // resolved meanwhile (cannot happen while this epoch lasts)
        }
        final List<byte[]> keys = new ArrayList<>(e.keys().size());
        final List<byte[]> values = new ArrayList<>(e.keys().size());
        for (byte[] key : m.keys()) {
            for (int r = 0; r < e.keys().size(); r++) {
                if (Arrays.equals(key, e.keys().get(r))) {
                    keys.add(key);
                    values.add(e.values().get(r));
                    break;
                }
            }
        }
        final int flags = (e.applied() ? RemoteMapState.FLAG_APPLIED : 0) | (noEvents ? RemoteMapState.FLAG_NO_EVENTS : 0);
        report(node, sequence, RemoteMapState.OUTCOME_OK, flags, keys, values, null);
    }

    /** Appends the outcome of mutation {@code sequence} (or holds it until the log takes it). */
    private int report(RaftNode node, long sequence, int outcome, int flags, List<byte[]> keys, List<byte[]> values,
                       String message) {
        final byte[] header = message == null ? OK_HEADERS[flags & 3] : header(outcome, flags, message);
        int length = GridWireEncoder.encodeStorageRequest(entry, 0, MessageType.REMOTE_MAP_EXECUTED_VALUE, sourceId,
                sequence, storageId, keys, values, header, StorageKind.REMOTE_MAP.wireNumber());
        if (length > maxEntryBytes) {
            length = GridWireEncoder.encodeStorageRequest(entry, 0, MessageType.REMOTE_MAP_EXECUTED_VALUE, sourceId,
                    sequence, storageId, List.of(), List.of(), header(RemoteMapState.OUTCOME_RESULT_LOST, flags,
                            "executed, but its result (" + length + " bytes) is too large for a log entry"),
                    StorageKind.REMOTE_MAP.wireNumber());
        }
        unproposedLength = length;
        unproposedSequence = sequence;
        unproposedFailure = outcome == RemoteMapState.OUTCOME_NOT_EXECUTED
                || outcome == RemoteMapState.OUTCOME_MAYBE_EXECUTED;
        return proposeHeld(node);
    }

    private int proposeHeld(RaftNode node) {
        final long index = node.propose(entry, 0, unproposedLength);
        if (index <= 0) {
            return 0; // not taken now (a transfer, or too many entries wait for commit): again next cycle
        }
        reported = unproposedSequence;
        if (unproposedFailure) {
            waitFor = unproposedSequence;
        }
        unproposedLength = 0;
        return 1;
    }

    private static byte[] header(int outcome, int flags, String message) {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        final byte[] header = new byte[2 + text.length];
        header[0] = (byte) outcome;
        header[1] = (byte) flags;
        System.arraycopy(text, 0, header, 2, text.length);
        return header;
    }

    @Override
    public String toString() {
        return "RemoteMapExecutor{" + mapId + ", " + phase + ", term " + term + ", reported " + reported + "}";
    }
}
