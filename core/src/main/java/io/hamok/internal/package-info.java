// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
/**
 * Internal: the request plumbing of a {@link io.hamok.Hamok} instance (the grid that hands writes to
 * the leader, linearizable reads, the storage registry and listeners, joining and membership requests,
 * event dispatch). Public only so that the storage packages can reach it; not an API, and it changes
 * without notice.
 */
package io.hamok.internal;
