// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
/**
 * Replicated records: {@link io.hamok.record.HamokRecord} (made by {@link io.hamok.Hamok#createRecord}),
 * one typed object whose properties are replicated one by one; its configuration, listener and codecs.
 * The replicated state is the key-value state records share with maps ({@link io.hamok.state.EntriesState}).
 */
package io.hamok.record;
