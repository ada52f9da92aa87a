// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.util.function.Supplier;

/** A parsed {@code host:port} (IPv6 hosts in brackets: {@code [::1]:7000}). */
record HostPort(String host, int port) {
    static final String FORM = "host:port (port 0-65535)";

    /** Parses {@code host:port}; throws what {@code bad} supplies when the text is not of that form. */
    static HostPort parse(String text, Supplier<IllegalArgumentException> bad) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw bad.get();
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || host.indexOf('@') >= 0 || host.indexOf(',') >= 0) {
            throw bad.get();
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw bad.get();
        }
        if (port < 0 || port > 65_535) {
            throw bad.get();
        }
        return new HostPort(host, port);
    }

    static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
