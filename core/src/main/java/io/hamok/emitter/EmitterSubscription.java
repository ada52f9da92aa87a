// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import java.util.Objects;

/**
 * One row of a {@link HamokEmitter}'s subscription table: {@code peerId} receives {@code event}, with
 * the metadata it subscribed with ({@code null} when none).
 *
 * @param <M> the metadata type
 */
public record EmitterSubscription<M>(String event, String peerId, M metadata) {
    public EmitterSubscription {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(peerId, "peerId");
    }
}
