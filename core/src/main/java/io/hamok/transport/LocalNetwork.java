// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * The switch that {@link LocalTransport}s of one JVM plug into. A link filter cuts links for
 * tests: {@code network.linkFilter((from, to) -> !from.equals("c") && !to.equals("c"))} isolates
 * {@code c} without closing anything.
 */
public final class LocalNetwork {
    private static final BiPredicate<String, String> ALL_LINKS_UP = (from, to) -> true;

    private final ConcurrentHashMap<String, LocalTransport> attached = new ConcurrentHashMap<>();
    private volatile BiPredicate<String, String> linkFilter = ALL_LINKS_UP;

    /** A new transport for {@code peerId}; it joins the network when started. */
    public LocalTransport transport(String peerId) {
        return new LocalTransport(peerId, this);
    }

    /** Frames flow from {@code from} to {@code to} only while the filter says {@code true}. */
    public void linkFilter(BiPredicate<String, String> filter) {
        this.linkFilter = Objects.requireNonNull(filter, "filter");
    }

    /** Every link up again. */
    public void heal() {
        this.linkFilter = ALL_LINKS_UP;
    }

    void attach(LocalTransport transport) {
        if (attached.putIfAbsent(transport.localPeerId(), transport) != null) {
            throw new IllegalStateException("a transport for " + transport.localPeerId() + " is already attached");
        }
    }

    void detach(LocalTransport transport) {
        attached.remove(transport.localPeerId(), transport);
    }

    LocalTransport route(String from, String to) {
        return linkFilter.test(from, to) ? attached.get(to) : null;
    }
}
