// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
/**
 * Replicated maps: {@link io.hamok.map.HamokMap} (made by {@link io.hamok.Hamok#createMap}), its
 * configuration and its listener. The replicated state is the key-value state maps share with records
 * ({@link io.hamok.state.EntriesState}).
 */
package io.hamok.map;
