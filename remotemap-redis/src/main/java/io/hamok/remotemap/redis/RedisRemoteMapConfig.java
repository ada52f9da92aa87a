// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.remotemap.redis;

import java.net.URI;

/**
 * The immutable configuration of a {@link RedisRemoteMap}. Build with {@link #builder()}:
 *
 * <pre>{@code
 * RedisRemoteMapConfig config = RedisRemoteMapConfig.builder()
 *         .url("redis://127.0.0.1:6379")
 *         .keyPrefix("hamok:sessions")
 *         .build();
 * }</pre>
 *
 * The map uses three Redis keys: {@code <keyPrefix>:data} (a hash: the entries),
 * {@code <keyPrefix>:meta} (a hash: the applied index and the fencing token) and, with
 * {@link Builder#journal(boolean)}, {@code <keyPrefix>:journal} (a list of executed indexes).
 */
public final class RedisRemoteMapConfig {
    /** Default of {@link Builder#timeoutMs(int)}. */
    public static final int DEFAULT_TIMEOUT_MS = 2_000;
    /** Default of {@link Builder#threads(int)}. */
    public static final int DEFAULT_THREADS = 2;

    private final String host;
    private final int port;
    private final int database;
    private final String keyPrefix;
    private final int timeoutMs;
    private final int threads;
    private final boolean journal;
    private final boolean validateConnections;

    private RedisRemoteMapConfig(Builder b, URI uri) {
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
        final String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        this.database = path.isEmpty() ? 0 : Integer.parseInt(path);
        this.keyPrefix = b.keyPrefix;
        this.timeoutMs = b.timeoutMs;
        this.threads = b.threads;
        this.journal = b.journal;
        this.validateConnections = b.validateConnections;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The Redis database number (the URL's path; 0 when absent). */
    public int database() {
        return database;
    }

    /** The prefix of the map's Redis keys. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** Connection and socket timeout, in milliseconds. */
    public int timeoutMs() {
        return timeoutMs;
    }

    /** Threads (and pooled connections) that run the blocking Redis calls. */
    public int threads() {
        return threads;
    }

    /** Whether every executed mutation's index is appended to {@code <keyPrefix>:journal} (audits and tests). */
    public boolean journal() {
        return journal;
    }

    /** Whether a pooled connection is checked (PING) before each use. */
    public boolean validateConnections() {
        return validateConnections;
    }

    @Override
    public String toString() {
        return "RedisRemoteMapConfig{redis://" + host + ":" + port + "/" + database + ", keyPrefix='" + keyPrefix
                + "', timeoutMs=" + timeoutMs + ", threads=" + threads + ", journal=" + journal
                + ", validateConnections=" + validateConnections + '}';
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private String url;
        private String keyPrefix;
        private int timeoutMs = DEFAULT_TIMEOUT_MS;
        private int threads = DEFAULT_THREADS;
        private boolean journal;
        private boolean validateConnections = true;

        private Builder() {
        }

        /** Required: {@code redis://host[:port][/database]} (port 6379 and database 0 when absent). */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** Required, non-blank: the prefix of the map's Redis keys; one prefix per map and cluster. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** Milliseconds, greater than 0; default {@value RedisRemoteMapConfig#DEFAULT_TIMEOUT_MS}. */
        public Builder timeoutMs(int timeoutMs) {
            this.timeoutMs = timeoutMs;
            return this;
        }

        /** 1 or more; default {@value RedisRemoteMapConfig#DEFAULT_THREADS}. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Default false: keep a journal of executed indexes in {@code <keyPrefix>:journal} (it grows without bound). */
        public Builder journal(boolean journal) {
            this.journal = journal;
            return this;
        }

        /**
         * Default true: PING a pooled connection before each use (one more round trip per call). A
         * connection broken by a restart of Redis is then replaced before a mutation is sent on it, so a
         * failure means "not executed"; without it, the first mutation on a broken connection fails as
         * "may have been executed".
         */
        public Builder validateConnections(boolean validateConnections) {
            this.validateConnections = validateConnections;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field
         */
        public RedisRemoteMapConfig build() {
            final URI uri;
            try {
                uri = url == null ? null : URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url must look like redis://host:port[/database], was '" + url + "'",
                        e);
            }
            if (uri == null || !"redis".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("url must look like redis://host:port[/database], was "
                        + (url == null ? "null" : "'" + url + "'"));
            }
            final String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
            if (!path.isEmpty() && !path.matches("\\d{1,4}")) {
                throw new IllegalArgumentException("url: the database must be a number, was '" + path + "'");
            }
            if (keyPrefix == null || keyPrefix.isBlank()) {
                throw new IllegalArgumentException("keyPrefix must be a non-blank string, was "
                        + (keyPrefix == null ? "null" : "'" + keyPrefix + "'"));
            }
            if (timeoutMs <= 0) {
                throw new IllegalArgumentException("timeoutMs must be > 0, was " + timeoutMs);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be 1 or more, was " + threads);
            }
            return new RedisRemoteMapConfig(this, uri);
        }
    }
}
