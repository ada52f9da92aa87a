// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import io.hamok.emitter.EmitterState;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a {@link HamokEmitter} needs besides the replicated log (its {@link io.hamok.internal.StorageBackend}): the
 * direct peer-to-peer path of publish and notify, and the loop-side view of the cluster that cleanup
 * needs. Implemented by the instance's {@link EmitterHub}; tests may implement it in memory.
 *
 * <p>Threads: every method may be called from any thread and never blocks. Received payloads reach
 * the emitter through {@link HamokEmitter#deliver} on the loop thread.
 */
public interface EmitterChannel {
    /** Routes the direct messages of the emitter's id to it from now on. */
    void register(HamokEmitter<?> emitter);

    /** Stops routing to it (it closed); later messages for its id are answered "no listener". */
    void unregister(HamokEmitter<?> emitter);

    /** The largest payload a direct message may carry, in bytes. */
    int maxPayloadBytes();

    /** Where listeners run: {@code null} for the loop thread, at once. */
    Executor listenerExecutor();

    /** Whether this peer is a member (voter or learner) of the configuration it uses. */
    boolean isMember();

    /**
     * Sends {@code payload} of {@code event} to every peer in {@code targets} (this peer's own listeners
     * included when it is one) and completes with their answers once all answered or after
     * {@code timeoutMs}; fails only when nothing could be sent ({@link io.hamok.BackPressureException},
     * {@link io.hamok.HamokClosedException}).
     */
    CompletableFuture<PublishResult> publish(HamokEmitter<?> emitter, byte[] event, byte[] payload,
                                             EmitterState.Subscribers targets, long timeoutMs);

    /**
     * Sends {@code payload} of {@code event} to every peer in {@code targets}, unanswered.
     *
     * @throws io.hamok.BackPressureException when the loop's command queue is full
     * @throws io.hamok.HamokClosedException  when the instance is closed
     */
    void notify(HamokEmitter<?> emitter, byte[] event, byte[] payload, EmitterState.Subscribers targets);

    /**
     * Removes through the log the subscriptions of the peers that are not in this peer's configuration;
     * completes with those peers (empty when there were none: then nothing is written).
     */
    CompletableFuture<Set<String>> cleanup(HamokEmitter<?> emitter);
}
