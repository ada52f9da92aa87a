// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import java.util.List;
import java.util.Objects;

/**
 * A point-in-time copy of an emitter's subscription table ({@link HamokEmitter#export()}), and what
 * {@link HamokEmitter#importSnapshot} makes the table. Rows sorted by event, then peer.
 *
 * @param <M> the metadata type
 */
public record EmitterSnapshot<M>(String emitterId, List<EmitterSubscription<M>> subscriptions) {
    public EmitterSnapshot {
        Objects.requireNonNull(emitterId, "emitterId");
        subscriptions = List.copyOf(subscriptions);
    }
}
