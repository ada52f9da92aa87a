// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.MembershipChange;
import io.hamok.raft.RaftConfig;
import io.hamok.transport.LocalNetwork;
import io.hamok.transport.RecordingTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peer addresses through the facade (issue 11): {@code HamokConfig.peerAddresses}, {@code addRemotePeerId(id, address)}. */
@Timeout(60)
class HamokPeerAddressesTest {
    private static final List<String> IDS = List.of("a", "b", "c");
    private static final Map<String, String> ABC_AT = Map.of("a", "10.0.0.1:7000", "b", "10.0.0.2:7000",
            "c", "10.0.0.3:7000");
    private static final Map<String, String> ABCD_AT = Map.of("a", "10.0.0.1:7000", "b", "10.0.0.2:7000",
            "c", "10.0.0.3:7000", "d", "10.0.0.4:7000");

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldHandThePeersAddressesToTheTransportAndCarryANewMembersAddress() throws Exception {
        final LocalNetwork network = new LocalNetwork();
        final Map<String, RecordingTransport> transports = new LinkedHashMap<>();
        final List<Hamok> instances = new ArrayList<>();
        try {
            for (String id : IDS) {
                final RecordingTransport transport = new RecordingTransport(network.transport(id));
                transports.put(id, transport);
                instances.add(Hamok.create(HamokConfig.builder().peerId(id).peers(IDS).peerAddresses(ABC_AT)
                        .transport(transport).raftConfig(RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
                                .electionTimeoutMs(600).build()).build()));
            }
            final List<CompletableFuture<Void>> joins = new ArrayList<>();
            instances.forEach(h -> joins.add(h.join(Duration.ofSeconds(10))));
            await(CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0])));
            for (String id : IDS) {
                assertEquals(List.of(ABC_AT), transports.get(id).updates(), id);
                assertEquals("hamok-loop-" + id, transports.get(id).updateEvents().get(0).thread().getName());
            }
            Hamok leader = null;
            for (Hamok h : instances) {
                await(h.waitUntilLeader(Duration.ofSeconds(10)));
                leader = h.isLeader() ? h : leader;
            }
            assertTrue(leader != null);
            await(leader.waitUntilCommitHead(Duration.ofSeconds(10)));

            assertEquals(MembershipChange.ACCEPTED, await(leader.addRemotePeerId("d", "10.0.0.4:7000")));
            for (Hamok h : instances) {
                final RecordingTransport t = transports.get(h.localPeerId());
                await(h.loop().await(l -> t.lastUpdate().equals(ABCD_AT)));
            }
            assertEquals(MembershipChange.ADDRESS_CONFLICT, await(leader.addRemotePeerId("d", "10.9.9.9:7000")));
            assertEquals(MembershipChange.UNCHANGED, await(leader.addRemotePeerId("d")));
            assertEquals(MembershipChange.ACCEPTED, await(leader.removeRemotePeerId("d")));
            for (Hamok h : instances) {
                final RecordingTransport t = transports.get(h.localPeerId());
                await(h.loop().await(l -> t.lastUpdate().equals(ABC_AT)));
                assertEquals(List.of(ABC_AT, ABCD_AT, ABC_AT), t.updates(), h.localPeerId());
            }
        } finally {
            instances.forEach(Hamok::close);
        }
    }

    @Test
    void shouldRefusePeerAddressesThatCannotBe() {
        final LocalNetwork network = new LocalNetwork();
        final HamokConfig.Builder ok = HamokConfig.builder().peerId("a").peers(IDS).transport(network.transport("a"));
        assertEquals(ABC_AT, ok.peerAddresses(ABC_AT).build().peerAddresses());
        assertEquals(Map.of(), HamokConfig.builder().peerId("a").peers(IDS).transport(network.transport("a")).build()
                .peerAddresses(), "none by default");
        assertThrows(IllegalArgumentException.class, () -> HamokConfig.builder().peerId("a").peers(IDS)
                .transport(network.transport("a")).peerAddresses(Map.of("z", "10.0.0.9:7000")).build(), "not a peer");
        assertThrows(IllegalArgumentException.class, () -> HamokConfig.builder().peerId("a").peers(IDS)
                .transport(network.transport("a")).peerAddresses(Map.of("b", " ")).build(), "blank");
        assertThrows(IllegalArgumentException.class, () -> HamokConfig.builder().peerId("a").peers(IDS)
                .transport(network.transport("a")).peerAddresses(null).build());
    }
}
