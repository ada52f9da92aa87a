// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.proto.ClusterConfig;
import io.hamok.wire.proto.MemberAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable cluster configuration: the voting members and the learners (members that receive
 * the log but do not vote and do not count for quorum, thesis §4.2.1), and where members are
 * reached (an address in the transport's form, {@code host:port} for TCP; members of an in-JVM
 * cluster have none). Configurations travel in the log as CONFIG entries and inside snapshots; a
 * node uses the latest one in its log, committed or not (thesis §4.1), and its loop tells the
 * transport the addresses of that one.
 */
public final class Membership {
    private final String[] voters;
    private final String[] learners;
    /** Unmodifiable, sorted by peer id, only members that have an address. */
    private final SortedMap<String, String> addresses;

    private Membership(String[] voters, String[] learners, SortedMap<String, String> addresses) {
        this.voters = voters;
        this.learners = learners;
        this.addresses = addresses;
    }

    /**
     * A configuration without addresses.
     *
     * @throws IllegalArgumentException when an id is blank, repeated, or both voter and learner
     */
    public static Membership of(List<String> voters, List<String> learners) {
        return of(voters, learners, Map.of());
    }

    /**
     * A configuration with the addresses of some or all of its members ({@code peer id -> address}).
     *
     * @throws IllegalArgumentException when an id is blank, repeated, or both voter and learner, or an
     *                                  address is blank or given for a peer that is not a member
     */
    public static Membership of(List<String> voters, List<String> learners, Map<String, String> addresses) {
        final List<String> all = new ArrayList<>(voters);
        all.addAll(learners);
        for (String id : all) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("peer ids must not be blank: " + all);
            }
        }
        if (all.stream().distinct().count() != all.size()) {
            throw new IllegalArgumentException("peer ids must be unique across voters and learners: " + all);
        }
        final TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            if (!all.contains(e.getKey())) {
                throw new IllegalArgumentException("address given for '" + e.getKey() + "', which is not a member of "
                        + all);
            }
            checkAddress(e.getKey(), e.getValue());
            sorted.put(e.getKey(), e.getValue());
        }
        return new Membership(voters.toArray(new String[0]), learners.toArray(new String[0]),
                Collections.unmodifiableSortedMap(sorted));
    }

    public static Membership ofVoters(String... voters) {
        return of(Arrays.asList(voters), List.of());
    }

    /**
     * Refuses an address that cannot be one: {@code null} (use no address instead) or blank.
     *
     * @throws IllegalArgumentException naming the peer
     */
    static void checkAddress(String peerId, String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("the address of '" + peerId + "' must not be blank, was '" + address
                    + "'");
        }
    }

    public List<String> voters() {
        return List.of(voters);
    }

    public List<String> learners() {
        return List.of(learners);
    }

    int voterCount() {
        return voters.length;
    }

    String voter(int i) {
        return voters[i];
    }

    int learnerCount() {
        return learners.length;
    }

    String learner(int i) {
        return learners[i];
    }

    public boolean isVoter(String id) {
        return indexOf(voters, id) >= 0;
    }

    public boolean isLearner(String id) {
        return indexOf(learners, id) >= 0;
    }

    public boolean isMember(String id) {
        return isVoter(id) || isLearner(id);
    }

    /** Where member {@code id} is reached, or {@code null} when it has no address (or is not a member). */
    public String address(String id) {
        return addresses.get(id);
    }

    /** Every member that has an address, by peer id (sorted); unmodifiable, the same object on every call. */
    public Map<String, String> addresses() {
        return addresses;
    }

    /** Smallest number of voters that is a majority. */
    public int quorum() {
        return voters.length / 2 + 1;
    }

    Membership withLearner(String id) {
        return withLearner(id, null);
    }

    /** This configuration plus learner {@code id}, reached at {@code address} ({@code null}: no address). */
    Membership withLearner(String id, String address) {
        final List<String> l = new ArrayList<>(learners());
        l.add(id);
        final TreeMap<String, String> a = new TreeMap<>(addresses);
        if (address != null) {
            a.put(id, address);
        }
        return of(voters(), l, a);
    }

    /** The learner becomes a voter; its address stays. */
    Membership promote(String id) {
        final List<String> v = new ArrayList<>(voters());
        final List<String> l = new ArrayList<>(learners());
        l.remove(id);
        v.add(id);
        return of(v, l, addresses);
    }

    /** Without member {@code id}, and without its address. */
    Membership without(String id) {
        final List<String> v = new ArrayList<>(voters());
        final List<String> l = new ArrayList<>(learners());
        v.remove(id);
        l.remove(id);
        final TreeMap<String, String> a = new TreeMap<>(addresses);
        a.remove(id);
        return of(v, l, a);
    }

    /**
     * Encodes as a {@link ClusterConfig} protobuf message (the payload of a CONFIG entry). Deterministic:
     * addresses go sorted by peer id, so equal configurations encode to equal bytes.
     */
    public byte[] toBytes() {
        final ClusterConfig.Builder b = ClusterConfig.newBuilder().addAllVoters(voters()).addAllLearners(learners());
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            b.addAddresses(MemberAddress.newBuilder().setPeerId(e.getKey()).setAddress(e.getValue()));
        }
        return b.build().toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a valid configuration
     */
    public static Membership fromBytes(byte[] bytes) {
        try {
            final ClusterConfig config = ClusterConfig.parseFrom(bytes);
            final TreeMap<String, String> addresses = new TreeMap<>();
            for (MemberAddress a : config.getAddressesList()) {
                if (addresses.put(a.getPeerId(), a.getAddress()) != null) {
                    throw new IllegalArgumentException("two addresses for '" + a.getPeerId() + "'");
                }
            }
            return of(config.getVotersList(), config.getLearnersList(), addresses);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a cluster configuration: " + e.getMessage(), e);
        }
    }

    /** Decodes the configuration a CONFIG entry carries. */
    static Membership fromEntry(LogEntryView e) {
        final byte[] bytes = new byte[e.payloadLength()];
        e.payload().getBytes(0, bytes);
        return fromBytes(bytes);
    }

    private static int indexOf(String[] ids, String id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Equal voters (in order), learners (in order) and addresses. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Membership m && Arrays.equals(voters, m.voters) && Arrays.equals(learners, m.learners)
                && addresses.equals(m.addresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(voters), Arrays.hashCode(learners), addresses);
    }

    @Override
    public String toString() {
        return "voters=" + voters() + (learners.length == 0 ? "" : " learners=" + learners())
                + (addresses.isEmpty() ? "" : " addresses=" + addresses);
    }
}
