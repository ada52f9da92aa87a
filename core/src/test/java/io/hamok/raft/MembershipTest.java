// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import io.hamok.wire.proto.ClusterConfig;
import io.hamok.wire.proto.MemberAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The configuration value: members, addresses, its byte form (issue 11). */
@Timeout(10)
class MembershipTest {
    private static final Map<String, String> ADDRESSES = Map.of("a", "10.0.0.1:7000", "d", "10.0.0.4:7000");

    @Test
    void shouldRoundTripWithoutAddresses() {
        final Membership m = Membership.of(List.of("a", "b", "c"), List.of("d"));
        final Membership back = Membership.fromBytes(m.toBytes());
        assertEquals(m, back);
        assertEquals(Map.of(), back.addresses());
        assertNull(back.address("a"));
    }

    @Test
    void shouldRoundTripWithAddresses() {
        final Membership m = Membership.of(List.of("a", "b", "c"), List.of("d"), ADDRESSES);
        final Membership back = Membership.fromBytes(m.toBytes());
        assertEquals(m, back);
        assertEquals(ADDRESSES, back.addresses());
        assertEquals("10.0.0.1:7000", back.address("a"));
        assertNull(back.address("b"), "a member without an address");
        assertEquals("10.0.0.4:7000", back.address("d"), "learners have addresses too");
        assertEquals(List.of("a", "d"), List.copyOf(back.addresses().keySet()), "sorted by peer id");
    }

    @Test
    void shouldEncodeWithoutAddressesExactlyAsBeforeAddressesExisted() {
        final Membership m = Membership.of(List.of("a", "b"), List.of("c"));
        assertArrayEquals(ClusterConfig.newBuilder().addVoters("a").addVoters("b").addLearners("c").build()
                .toByteArray(), m.toBytes(), "configurations and snapshots of existing logs keep their bytes");
    }

    @Test
    void shouldEncodeTheSameConfigurationToTheSameBytesWhateverTheOrderAddressesWereGivenIn() {
        final Map<String, String> forward = new LinkedHashMap<>();
        final Map<String, String> backward = new LinkedHashMap<>();
        for (String id : List.of("a", "b", "c", "d", "e")) {
            forward.put(id, id + ":7000");
        }
        for (String id : List.of("e", "d", "c", "b", "a")) {
            backward.put(id, id + ":7000");
        }
        final List<String> voters = List.of("c", "a", "e");
        final List<String> learners = List.of("b", "d");
        final byte[] one = Membership.of(voters, learners, forward).toBytes();
        assertArrayEquals(one, Membership.of(voters, learners, backward).toBytes());
        assertArrayEquals(one, Membership.fromBytes(one).toBytes(), "decoding and encoding again changes nothing");
        final Membership grown = Membership.of(List.of("c", "a", "e"), List.of("b"), Map.of("a", "a:7000",
                "b", "b:7000", "c", "c:7000", "e", "e:7000")).withLearner("d", "d:7000");
        assertArrayEquals(one, grown.toBytes(), "built by a change or given at once: the same bytes");
    }

    @Test
    void shouldCompareAddresses() {
        final Membership plain = Membership.of(List.of("a", "b"), List.of());
        final Membership addressed = Membership.of(List.of("a", "b"), List.of(), Map.of("a", "h:1"));
        assertNotEquals(plain, addressed);
        assertNotEquals(addressed, Membership.of(List.of("a", "b"), List.of(), Map.of("a", "h:2")));
        assertEquals(addressed, Membership.of(List.of("a", "b"), List.of(), new LinkedHashMap<>(Map.of("a", "h:1"))));
        assertEquals(addressed.hashCode(), Membership.of(List.of("a", "b"), List.of(), Map.of("a", "h:1")).hashCode());
        assertEquals(plain, Membership.ofVoters("a", "b"));
    }

    @Test
    void shouldKeepTheAddressOnPromotionAndDropItOnRemoval() {
        final Membership m = Membership.of(List.of("a", "b"), List.of(), Map.of("a", "h:1"));
        final Membership withC = m.withLearner("c", "h:3");
        assertEquals("h:3", withC.address("c"));
        assertEquals(List.of("c"), withC.learners());
        final Membership promoted = withC.promote("c");
        assertEquals(List.of("a", "b", "c"), promoted.voters());
        assertEquals(Map.of("a", "h:1", "c", "h:3"), promoted.addresses());
        final Membership removed = promoted.without("c");
        assertEquals(Map.of("a", "h:1"), removed.addresses());
        assertEquals(m, removed);
        assertNull(m.withLearner("d").address("d"), "a learner added without an address has none");
    }

    @Test
    void shouldRefuseAddressesThatCannotBe() {
        assertThrows(IllegalArgumentException.class,
                () -> Membership.of(List.of("a"), List.of(), Map.of("b", "h:1")), "not a member");
        assertThrows(IllegalArgumentException.class,
                () -> Membership.of(List.of("a"), List.of(), Map.of("a", " ")), "blank");
        final Map<String, String> nullAddress = new LinkedHashMap<>();
        nullAddress.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> Membership.of(List.of("a"), List.of(), nullAddress));
        final byte[] twice = ClusterConfig.newBuilder().addVoters("a")
                .addAddresses(MemberAddress.newBuilder().setPeerId("a").setAddress("h:1"))
                .addAddresses(MemberAddress.newBuilder().setPeerId("a").setAddress("h:2")).build().toByteArray();
        assertThrows(IllegalArgumentException.class, () -> Membership.fromBytes(twice), "two addresses for one id");
        final byte[] stranger = ClusterConfig.newBuilder().addVoters("a")
                .addAddresses(MemberAddress.newBuilder().setPeerId("z").setAddress("h:1")).build().toByteArray();
        assertThrows(IllegalArgumentException.class, () -> Membership.fromBytes(stranger), "not a member");
    }

    @Test
    void shouldHandOutOneUnmodifiableMapOfAddresses() {
        final Membership m = Membership.of(List.of("a"), List.of(), Map.of("a", "h:1"));
        assertSame(m.addresses(), m.addresses(), "nothing allocated per call");
        assertThrows(UnsupportedOperationException.class, () -> m.addresses().put("a", "h:2"));
    }
}
