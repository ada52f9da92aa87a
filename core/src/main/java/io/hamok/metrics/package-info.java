// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
/**
 * Micrometer meters for a Hamok instance ({@link io.hamok.metrics.HamokMetrics}). The only package
 * that refers to Micrometer, an optional dependency: add {@code io.micrometer:micrometer-core} to use it.
 */
package io.hamok.metrics;
