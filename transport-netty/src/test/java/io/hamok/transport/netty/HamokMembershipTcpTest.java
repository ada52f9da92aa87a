// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.ClusterMembers;
import io.hamok.Hamok;
import io.hamok.HamokConfig;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.netty.tls.DevCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.hamok.transport.netty.TcpHamoks.WAIT;
import static io.hamok.transport.netty.TcpHamoks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 over TCP, with a client writing all the time through whichever instance runs: a
 * three-node cluster grows to five by joins that know only seed addresses and shrinks back to three
 * by leaves; and a rolling deploy, under mutual TLS, replaces every instance one by one by an
 * instance with a new id (join the new one by seeds, wait until it votes, leave the old one). At the
 * end every acknowledged write is on every member, and the configuration names exactly the
 * members that should be there. (HamokJoinTest grows a cluster without a writer.)
 */
@Timeout(120)
class HamokMembershipTcpTest {
    private static final RaftConfig RAFT = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
            .electionTimeoutMs(600).build();
    /** Acknowledged writes the writer must add between two membership steps: it writes throughout. */
    private static final int PROGRESS = 20;

    @TempDir
    Path certs;
    private final TcpHamoks hamoks = new TcpHamoks(RAFT);
    private Writer writer;

    @AfterEach
    void closeAll() throws Exception {
        if (writer != null) {
            writer.stop();
        }
        hamoks.close();
    }

    @Test
    void shouldGrowFromThreeToFiveBySeedsAndShrinkBackByLeavesWithoutLosingAnAcknowledgedWrite() throws Exception {
        final List<Hamok> members = new CopyOnWriteArrayList<>(hamoks.startCluster("g1", "g2", "g3"));
        writer = new Writer(members);
        writer.awaitProgress();

        final Hamok g4 = hamoks.joiner("g4", "g2"); // knows g2's address only
        g4.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        members.add(g4);
        writer.awaitProgress();
        final Hamok g5 = hamoks.joiner("g5", "g4"); // knows only a peer that joined itself
        g5.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        members.add(g5);
        awaitConfiguration(members, List.of("g1", "g2", "g3", "g4", "g5"));
        writer.awaitProgress();

        for (String leaving : List.of("g4", "g1")) { // a joiner, then a founder (maybe the leader: it hands over)
            final Hamok h = members.stream().filter(m -> m.localPeerId().equals(leaving)).findFirst().orElseThrow();
            members.remove(h);
            h.leave(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(h.isClosed());
            writer.awaitProgress();
        }
        awaitConfiguration(members, List.of("g2", "g3", "g5"));
        writer.awaitProgress();

        writer.stop();
        writer.assertEveryAcknowledgedWriteOn(members);
    }

    @Test
    void shouldReplaceEveryInstanceOneByOneByANewIdWithoutLosingAnAcknowledgedWrite() throws Exception {
        final List<String> ids = List.of("old-1", "old-2", "old-3", "new-1", "new-2", "new-3");
        DevCertificates.createCluster(certs, "rolling", ids); // mutual TLS, every id its own certificate
        final List<Hamok> members = new CopyOnWriteArrayList<>(startTlsCluster("old-1", "old-2", "old-3"));
        writer = new Writer(members);
        writer.awaitProgress();

        for (int i = 1; i <= 3; i++) {
            final String oldId = "old-" + i;
            final String newId = "new-" + i;
            // the new instance knows the addresses of the members that run now, nothing else
            final List<String> seeds = members.stream().map(Hamok::localPeerId).toList();
            final Hamok fresh = hamoks.start(HamokConfig.builder().peerId(newId).peers(List.of()),
                    new NettyTransport(tlsConfig(newId, List.of(), seeds).build()));
            fresh.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            members.add(fresh);
            Await.until(() -> configuration(members).isVoter(newId) && configuration(members).committed(), WAIT,
                    newId + " to vote");
            writer.awaitProgress();

            final Hamok old = members.stream().filter(m -> m.localPeerId().equals(oldId)).findFirst().orElseThrow();
            members.remove(old);
            old.leave(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            writer.awaitProgress();
        }
        awaitConfiguration(members, List.of("new-1", "new-2", "new-3"));
        writer.stop();
        writer.assertEveryAcknowledgedWriteOn(members);
    }

    // ------------------------------------------------------------------ helpers

    /** Founders {@code ids} over mutual TLS, with their addresses in the first configuration, joined. */
    private List<Hamok> startTlsCluster(String... ids) throws Exception {
        final Map<String, String> addresses = new LinkedHashMap<>();
        for (String id : ids) {
            addresses.put(id, hamoks.address(id));
        }
        final List<Hamok> founders = new ArrayList<>();
        for (String id : ids) {
            founders.add(hamoks.start(HamokConfig.builder().peerId(id).peers(List.of(ids)).peerAddresses(addresses),
                    new NettyTransport(tlsConfig(id, List.of(ids), List.of()).build())));
        }
        final List<java.util.concurrent.CompletableFuture<Void>> joins = new ArrayList<>();
        for (Hamok h : founders) {
            joins.add(h.join(WAIT));
        }
        for (java.util.concurrent.CompletableFuture<Void> j : joins) {
            j.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return founders;
    }

    /** A transport of {@code id} under mutual TLS, listing {@code peers}, with the addresses of {@code seeds}. */
    private NettyTransportConfig.Builder tlsConfig(String id, List<String> peers, List<String> seeds) {
        final StringBuilder list = new StringBuilder(id + "@" + hamoks.address(id));
        for (String peer : peers) {
            if (!peer.equals(id)) {
                list.append(", ").append(peer).append('@').append(hamoks.address(peer));
            }
        }
        final NettyTransportConfig.Builder b = NettyTransportConfig.builder().localPeerId(id).peers(list.toString())
                .tls(TlsConfig.pem(certs.resolve(id + ".pem"), certs.resolve(id + "-key.pem"),
                        certs.resolve(DevCertificates.CA_FILE)).withProvider(TlsConfig.Provider.JDK))
                .reconnectInitialBackoffMs(20).reconnectMaxBackoffMs(200);
        if (!seeds.isEmpty()) {
            b.seeds(seeds.stream().map(hamoks::address).collect(Collectors.joining(", ")));
        }
        return b;
    }

    /** The configuration of the leader among {@code members} (or of the first that runs, when none leads). */
    private static ClusterMembers configuration(List<Hamok> members) {
        return members.stream().filter(Hamok::isLeader).findFirst().orElse(members.get(0)).clusterConfiguration();
    }

    /** Waits until the committed configuration of the leader among {@code members} has exactly {@code ids}. */
    private static void awaitConfiguration(List<Hamok> members, List<String> ids) throws Exception {
        Await.until(() -> {
            final ClusterMembers c = configuration(members);
            final List<String> all = new ArrayList<>(c.voters());
            all.addAll(c.learners());
            return c.committed() && all.size() == ids.size() && all.containsAll(ids);
        }, WAIT, "the configuration to be " + ids);
    }

    /**
     * Writes keys w-0, w-1, ... one after another, each through the next instance of {@code targets}
     * that runs (an instance that is leaving or closed fails it, and the next write goes elsewhere),
     * and keeps the acknowledged ones.
     */
    private static final class Writer {
        private final List<Hamok> targets;
        private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        private final AtomicInteger failed = new AtomicInteger();
        private final Thread thread;
        private volatile boolean stop;

        Writer(List<Hamok> targets) {
            this.targets = targets;
            this.thread = new Thread(this::run, "writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            long i = 0;
            while (!stop) {
                final List<Hamok> live = targets.stream().filter(h -> !h.isClosed()).toList();
                if (live.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                final Hamok h = live.get((int) (i % live.size()));
                final String key = "w-" + i;
                try {
                    map(h).set(key, i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    acknowledged.put(key, i);
                } catch (Exception e) {
                    failed.incrementAndGet(); // not acknowledged: it may or may not be in
                }
                i++;
            }
        }

        /** Waits until {@link #PROGRESS} more writes are acknowledged: the cluster takes writes now. */
        void awaitProgress() throws Exception {
            final int before = acknowledged.size();
            Await.until(() -> acknowledged.size() >= before + PROGRESS, WAIT,
                    PROGRESS + " more acknowledged writes (" + failed.get() + " failed so far)");
        }

        /** Every acknowledged write is on every one of {@code members} once it applied the leader's commit index. */
        void assertEveryAcknowledgedWriteOn(List<Hamok> members) throws Exception {
            assertTrue(acknowledged.size() > 5 * PROGRESS, "writes went on: " + acknowledged.size());
            for (Hamok h : members) {
                h.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                final Map<String, Long> missing = new LinkedHashMap<>();
                acknowledged.forEach((key, value) -> {
                    if (!value.equals(map(h).get(key))) {
                        missing.put(key, value);
                    }
                });
                assertEquals(Map.of(), missing, h.localPeerId() + " lacks acknowledged writes (of "
                        + acknowledged.size() + ")");
            }
        }

        /** Stops writing once the write in progress completed. */
        void stop() throws InterruptedException {
            stop = true;
            thread.join(TimeUnit.SECONDS.toMillis(2 * WAIT.toSeconds()));
        }
    }
}
