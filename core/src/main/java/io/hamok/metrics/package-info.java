/**
 * Micrometer meters for a Hamok instance ({@link io.hamok.metrics.HamokMetrics}). The only package
 * that refers to Micrometer, an optional dependency: add {@code io.micrometer:micrometer-core} to use it.
 */
package io.hamok.metrics;
