package io.hamok.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hamok.wire.proto.ClusterConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable cluster configuration: the voting members and the learners (members that receive
 * the log but do not vote and do not count for quorum, thesis §4.2.1). Configurations travel in
 * the log as CONFIG entries and inside snapshots; a node uses the latest one in its log, committed
 * or not (thesis §4.1).
 */
public final class Membership {
    private final String[] voters;
    private final String[] learners;

    private Membership(String[] voters, String[] learners) {
        this.voters = voters;
        this.learners = learners;
    }

    /**
     * @throws IllegalArgumentException when an id is blank, repeated, or both voter and learner
     */
    public static Membership of(List<String> voters, List<String> learners) {
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
        return new Membership(voters.toArray(new String[0]), learners.toArray(new String[0]));
    }

    public static Membership ofVoters(String... voters) {
        return of(Arrays.asList(voters), List.of());
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

    /** Smallest number of voters that is a majority. */
    public int quorum() {
        return voters.length / 2 + 1;
    }

    Membership withLearner(String id) {
        final List<String> l = new ArrayList<>(learners());
        l.add(id);
        return of(voters(), l);
    }

    Membership promote(String id) {
        final List<String> v = new ArrayList<>(voters());
        final List<String> l = new ArrayList<>(learners());
        l.remove(id);
        v.add(id);
        return of(v, l);
    }

    Membership without(String id) {
        final List<String> v = new ArrayList<>(voters());
        final List<String> l = new ArrayList<>(learners());
        v.remove(id);
        l.remove(id);
        return of(v, l);
    }

    /** Encodes as a {@link ClusterConfig} protobuf message (the payload of a CONFIG entry). */
    public byte[] toBytes() {
        return ClusterConfig.newBuilder().addAllVoters(voters()).addAllLearners(learners()).build().toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a valid configuration
     */
    public static Membership fromBytes(byte[] bytes) {
        try {
            final ClusterConfig config = ClusterConfig.parseFrom(bytes);
            return of(config.getVotersList(), config.getLearnersList());
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Membership m && Arrays.equals(voters, m.voters) && Arrays.equals(learners, m.learners);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(voters), Arrays.hashCode(learners));
    }

    @Override
    public String toString() {
        return "voters=" + voters() + (learners.length == 0 ? "" : " learners=" + learners());
    }
}
