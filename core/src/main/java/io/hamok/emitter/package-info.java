// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
/**
 * Cluster-wide publish/subscribe: {@link io.hamok.emitter.HamokEmitter} (made by
 * {@link io.hamok.Hamok#createEmitter}), its events, configuration, listeners and results; the
 * replicated subscription table ({@link io.hamok.emitter.EmitterState}) and the direct-message side
 * ({@code EmitterHub}).
 */
package io.hamok.emitter;
