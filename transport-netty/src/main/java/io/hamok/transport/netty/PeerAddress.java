// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one peer of the cluster listens: its id and a TCP host and port. Written as
 * {@code peerId@host:port}; a list is comma-separated: {@code a@10.0.0.1:7000, b@10.0.0.2:7000}.
 * An IPv6 host is written in brackets: {@code c@[::1]:7000}.
 */
public record PeerAddress(String peerId, String host, int port) {
    /** The form {@link #parse} accepts, for error messages. */
    static final String FORM = "peerId@host:port (port 0-65535)";

    public PeerAddress {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(host, "host");
        if (peerId.isBlank() || host.isBlank() || port < 0 || port > 65_535) {
            throw new IllegalArgumentException("expected " + FORM + ", was " + peerId + "@" + host + ":" + port);
        }
    }

    /**
     * Parses {@code peerId@host:port}.
     *
     * @throws IllegalArgumentException naming the bad entry and the expected form
     */
    public static PeerAddress parse(String entry) {
        String text = entry.trim();
        int at = text.indexOf('@');
        if (at <= 0) {
            throw bad(entry);
        }
        HostPort hostPort = HostPort.parse(text.substring(at + 1), () -> bad(entry));
        return new PeerAddress(text.substring(0, at), hostPort.host(), hostPort.port());
    }

    /**
     * Parses a comma-separated list of {@code peerId@host:port}; blank entries are not allowed.
     *
     * @throws IllegalArgumentException naming the bad entry and the expected form
     */
    public static List<PeerAddress> parseList(String list) {
        List<PeerAddress> peers = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            peers.add(parse(entry));
        }
        return List.copyOf(peers);
    }

    private static IllegalArgumentException bad(String entry) {
        return new IllegalArgumentException("malformed peer entry '" + entry + "', expected " + FORM);
    }

    @Override
    public String toString() {
        return peerId + "@" + HostPort.format(host, port);
    }
}
