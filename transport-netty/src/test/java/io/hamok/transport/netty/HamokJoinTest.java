// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.Hamok;
import io.hamok.map.HamokMap;
import io.hamok.JoinException;
import io.hamok.raft.RaftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.hamok.transport.netty.TcpHamoks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, join by seeds over TCP: instances that know only a seed address (no peer list) join a
 * running three-node cluster, catch up, and serve reads and writes; a joiner whose id is a member
 * with another address is refused with a typed exception.
 */
@Timeout(90)
class HamokJoinTest {
    private static final Duration WAIT = TcpHamoks.WAIT;
    private static final RaftConfig RAFT = RaftConfig.builder().heartbeatMs(50).followerMaxIdleMs(300)
            .electionTimeoutMs(600).build();

    private final TcpHamoks hamoks = new TcpHamoks(RAFT);

    @AfterEach
    void closeAll() {
        hamoks.close();
    }

    @Test
    void shouldGrowAThreeNodeClusterToFiveWithSeedAddressesOnly() throws Exception {
        List<Hamok> founders = hamoks.startCluster("n1", "n2", "n3");
        HamokMap<String, Long> stock = map(founders.get(0));
        for (long i = 0; i < 50; i++) {
            stock.set("item-" + i, i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        // n4 knows n2's address only; n5 knows n4's (a member by then), not a founder's
        Hamok n4 = hamoks.joiner("n4", "n2");
        n4.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Hamok n5 = hamoks.joiner("n5", "n4");
        n5.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        for (Hamok joiner : List.of(n4, n5)) {
            HamokMap<String, Long> replica = map(joiner);
            assertEquals(49L, replica.get("item-49"), joiner.localPeerId() + " caught up");
            replica.set("from-" + joiner.localPeerId(), 1L).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        Hamok leader = founders.stream().filter(Hamok::isLeader).findFirst().orElse(null);
        if (leader != null) {
            Await.until(() -> leader.remotePeerIds().containsAll(List.of("n4", "n5")), WAIT,
                    "the leader to count n4 and n5 as members");
        }
        for (Hamok h : hamoks.running()) {
            h.waitUntilCommitHead(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(1L, map(h).get("from-n5"), h.localPeerId() + " has n5's write");
        }
    }

    /** Issue 11, items 4 and 5: membership changes from any member; leave through the log, then join again. */
    @Test
    void shouldChangeMembershipFromAFollowerAndLeaveThroughTheLog() throws Exception {
        List<Hamok> founders = hamoks.startCluster("m1", "m2", "m3");
        Hamok n4 = hamoks.joiner("m4", "m1");
        n4.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Hamok> followers = hamoks.running().stream().filter(h -> !h.isLeader()).toList();

        assertEquals(io.hamok.raft.MembershipChange.ACCEPTED, followers.get(0).addRemotePeerId("ghost", "127.0.0.1:1")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS), "a follower's add, forwarded and committed");
        assertEquals(io.hamok.raft.MembershipChange.ACCEPTED, followers.get(1).removeRemotePeerId("ghost")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS), "another follower's remove");

        n4.leave(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS); // a follower leaves
        Hamok leader = founders.stream().filter(Hamok::isLeader).findFirst().orElseThrow();
        Await.until(() -> !leader.remotePeerIds().contains("m4"), WAIT, "m4 out of the configuration");
        leader.leave(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS); // the leader hands over, then leaves
        List<Hamok> rest = founders.stream().filter(h -> h != leader).toList();
        Await.until(() -> rest.stream().anyMatch(Hamok::isLeader), WAIT, "a new leader among the two left");
        Hamok next = rest.stream().filter(Hamok::isLeader).findFirst().orElseThrow();
        Await.until(() -> next.remotePeerIds().size() == 1, WAIT, "the old leader out of the configuration");
        map(next).set("after", 1L).get(WAIT.toSeconds(), TimeUnit.SECONDS); // two voters: still a majority

        Hamok again = hamoks.joiner("m4", next.localPeerId());
        again.join(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS); // the same id joins again, a new member
        assertEquals(1L, map(again).get("after"));
    }

    @Test
    void shouldRefuseAJoinerWhoseIdIsAMemberWithAnotherAddress() throws Exception {
        // (while the member is up, a second connection for its id is refused by the transport, LINK_TAKEOVER)
        List<Hamok> founders = hamoks.startCluster("a", "b", "c");
        founders.get(2).close(); // c is down; a new instance claims its id at another address
        hamoks.movePort("c");
        Hamok impostor = hamoks.joiner("c", "a");

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> impostor.join(WAIT).get(2 * WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(JoinException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("ADDRESS_CONFLICT"), e.getCause().getMessage());
    }
}
