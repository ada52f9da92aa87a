/**
 * Replicated maps: {@link io.hamok.map.HamokMap} (made by {@link io.hamok.Hamok#createMap}), its
 * configuration and its listener. The replicated state is the key-value state maps share with records
 * ({@link io.hamok.state.EntriesState}).
 */
package io.hamok.map;
