// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.TlsConfig;
import io.hamok.transport.netty.tls.DevCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer ids, loopback addresses and the Raft timing shared by the in-process TCP clusters
 * ({@link LoopCluster}, {@link HamokCluster}).
 */
final class Loopback {
    /** Heartbeat of the benchmark clusters (ms): short, so that an idle follower learns commits fast. */
    static final long HEARTBEAT_MS = 50;

    private Loopback() {
    }

    /** The Raft timing of every TCP rig and benchmark: heartbeat 50 ms, follower idle 500 ms, election 1 s. */
    static RaftConfig raftConfig() {
        return RaftConfig.builder().heartbeatMs(HEARTBEAT_MS).followerMaxIdleMs(500).electionTimeoutMs(1000).build();
    }

    /** {@code node-0} ... {@code node-(size-1)}. */
    static List<String> ids(int size) {
        final List<String> ids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ids.add("node-" + i);
        }
        return ids;
    }

    /**
     * A {@code peerId@127.0.0.1:port} list with a free port for each id. A port is free when asked;
     * another process may take it before the transport binds it (then the start fails: run again).
     */
    static String peers(List<String> ids) {
        final StringBuilder peers = new StringBuilder();
        for (String id : ids) {
            peers.append(peers.length() == 0 ? "" : ",").append(id).append("@127.0.0.1:").append(freePort());
        }
        return peers.toString();
    }

    /** A temporary directory with a new CA and a certificate per id ({@link DevCertificates}); the caller deletes it. */
    static Path certificates(List<String> ids) throws IOException {
        final Path dir = TempDirs.create("hamok-certs-");
        DevCertificates.createCluster(dir, "benchmark", ids);
        return dir;
    }

    /**
     * Mutual TLS from the files of {@link #certificates} in {@code certDir} by {@code provider} (jdk,
     * openssl, auto), or TLS off when {@code certDir} is null.
     */
    static TlsConfig tls(Path certDir, String id, String provider) {
        return certDir == null ? TlsConfig.off() : TlsConfig.pem(certDir.resolve(id + ".pem"),
                certDir.resolve(id + "-key.pem"), certDir.resolve(DevCertificates.CA_FILE))
                .withProvider(TlsConfig.Provider.valueOf(provider.toUpperCase(java.util.Locale.ROOT)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
