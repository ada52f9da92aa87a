/**
 * Replicated FIFO queues: {@link io.hamok.queue.HamokQueue} (made by {@link io.hamok.Hamok#createQueue}),
 * its configuration, its listener and its replicated state ({@link io.hamok.queue.QueueState}).
 */
package io.hamok.queue;
