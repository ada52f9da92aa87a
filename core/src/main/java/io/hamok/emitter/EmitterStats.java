// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

/**
 * Counters of one {@link HamokEmitter} object on this peer since it was opened (the original's
 * {@code HamokEmitterStats}, plus what went wrong). Read from any thread; each field is exact, the
 * set of them is not one atomic moment.
 *
 * @param subscriptions   events with at least one subscriber in this peer's replica of the table
 * @param sentInvocations publish and notify messages sent to subscribers (one per target peer,
 *                        this peer included when it subscribes)
 * @param receivedInvocations payloads handed to this peer's listeners (one per message, whatever
 *                        the number of listeners)
 * @param undelivered     messages that reached this peer for an event it has no listener of
 * @param decodeFailures  payloads this peer's codec could not decode (listeners not called)
 */
public record EmitterStats(int subscriptions, long sentInvocations, long receivedInvocations, long undelivered,
                           long decodeFailures) {
}
