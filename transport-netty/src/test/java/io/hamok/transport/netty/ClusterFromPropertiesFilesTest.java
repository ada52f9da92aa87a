// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.TcpTestCluster.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.hamok.transport.netty.TcpTestCluster.requireSame;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A three-node cluster over TCP, each node configured by its own properties file, as in production. */
@Tag("integration")
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class ClusterFromPropertiesFilesTest {

    @Test
    void shouldRunThreeNodeClusterFromThreePropertiesFiles(@TempDir Path dir) throws Exception {
        final String peers = "alpha@127.0.0.1:" + TcpTestCluster.freePort() + ", bravo@127.0.0.1:"
                + TcpTestCluster.freePort() + ", charlie@127.0.0.1:" + TcpTestCluster.freePort();
        final List<NettyTransportConfig> transports = new ArrayList<>();
        RaftConfig raft = null;
        for (String id : List.of("alpha", "bravo", "charlie")) {
            final Path file = dir.resolve(id + ".properties");
            Files.writeString(file, String.join("\n",
                    "# node " + id,
                    "hamok.peerId=" + id,
                    "hamok.peers=" + peers,
                    "hamok.transport.tls=off",
                    "hamok.clusterId=orders",
                    "hamok.raft.heartbeatMs=50",
                    "hamok.raft.followerMaxIdleMs=300",
                    "hamok.raft.electionTimeoutMs=600",
                    "hamok.transport.reconnectMaxBackoffMs=200",
                    ""));
            final HamokProperties loaded = HamokProperties.load(file);
            transports.add(loaded.transportConfig());
            raft = loaded.raftConfig();
        }
        assertEquals(50, raft.heartbeatMs());

        try (TcpTestCluster cluster = new TcpTestCluster(transports, raft).startAll()) {
            final Node leader = cluster.awaitLeader(cluster.nodes);
            final long last = cluster.commit(leader, 1_000, 64);
            cluster.awaitApplied(cluster.nodes, last);
            for (Node n : cluster.nodes) {
                requireSame(leader.machine.sequence(), n.machine.sequence(), n.id);
            }
        }
    }
}
