// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
/**
 * Replicated FIFO queues: {@link io.hamok.queue.HamokQueue} (made by {@link io.hamok.Hamok#createQueue}),
 * its configuration, its listener and its replicated state ({@link io.hamok.queue.QueueState}).
 */
package io.hamok.queue;
