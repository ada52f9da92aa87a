// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.raft.Membership;
import io.hamok.raft.RaftNode;
import io.hamok.transport.Transport;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells the transport the members' addresses ({@link Transport#updatePeers}) whenever the
 * configuration in force (the latest in the node's log, committed or not) changed them since it was
 * last told. The loop marks every configuration change ({@link #changed()}) and calls {@link #tell}
 * at start, after every frame and command and after the tick, so the transport knows a new member
 * before this node sends it anything. Without a change that is a check of one flag; the map handed
 * over is the configuration's own, never copied. Loop thread only.
 *
 * <p>Two kinds of peers stay in the map although the configuration in force no longer names them
 * (issue 11, leaving): a peer that the latest configuration entry removed, as long as that entry is
 * not committed here and for {@link #LINGER_NS} after (the leaving peer asks every member whether its
 * removal went through until one says so, and this node, should it lead, must answer it), and a peer
 * {@link #keep kept} by the membership requests until the answer to its removal is on its way. Only
 * then is it handed over a copy.
 */
final class PeerAddresses {
    /** How long a removed peer stays reachable once its removal is committed here: a few of its requests. */
    static final long LINGER_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private final Transport transport;
    private final String localPeerId;
    /** Peers kept reachable by the caller of {@link #keep}, with their addresses. */
    private final Map<String, String> kept = new HashMap<>();
    private boolean changed = true;
    /** The map told last holds peers removed by an uncommitted entry: look again once it commits. */
    private boolean departingTold;
    /** The configuration entry whose removed peers linger, and until when (loop clock). */
    private long lingerIndex = -1;
    private long lingerUntilNs;
    private Map<String, String> told = Map.of();

    PeerAddresses(Transport transport) {
        this.transport = transport;
        this.localPeerId = transport.localPeerId();
    }

    /** The configuration in force changed (its addresses may not have). */
    void changed() {
        changed = true;
    }

    /**
     * Keeps {@code peerId} in the map at {@code address} whatever the configuration says, or, with a
     * {@code null} address, stops keeping it.
     */
    void keep(String peerId, String address) {
        if (address == null ? kept.remove(peerId) != null : !address.equals(kept.put(peerId, address))) {
            changed = true;
        }
    }

    /** Hands the node's addresses (see above) to the transport if they may have changed and differ from the last told. */
    void tell(RaftNode node, long nowNs) {
        if (!changed && !(departingTold && node.commitIndex() >= node.membershipIndex()
                && (lingerIndex != node.membershipIndex() || nowNs - lingerUntilNs >= 0))) {
            return;
        }
        changed = false;
        departingTold = false;
        final Membership inForce = node.membership();
        Map<String, String> addresses = inForce.addresses();
        final long at = node.membershipIndex();
        if (at > 0 && departing(node, at, nowNs)) {
            for (Map.Entry<String, String> e : node.membershipAt(at - 1).addresses().entrySet()) {
                if (!inForce.isMember(e.getKey()) && !e.getKey().equals(localPeerId)) {
                    addresses = withExtra(addresses, inForce, e.getKey(), e.getValue());
                    departingTold = true;
                }
            }
        }
        for (Map.Entry<String, String> e : kept.entrySet()) {
            if (!inForce.isMember(e.getKey())) {
                addresses = withExtra(addresses, inForce, e.getKey(), e.getValue());
            }
        }
        if (!addresses.equals(told)) {
            told = addresses;
            transport.updatePeers(addresses);
        }
    }

    /** Whether the peers the entry at {@code at} removed stay: not committed here, or committed less than {@link #LINGER_NS} ago. */
    private boolean departing(RaftNode node, long at, long nowNs) {
        if (node.commitIndex() < at) {
            lingerIndex = -1;
            return true;
        }
        if (lingerIndex != at) {
            lingerIndex = at;
            lingerUntilNs = nowNs + LINGER_NS;
        }
        return nowNs - lingerUntilNs < 0;
    }

    /** {@code addresses} plus one peer; copies the configuration's own map first (rare: a peer is leaving). */
    private static Map<String, String> withExtra(Map<String, String> addresses, Membership inForce, String id,
                                                 String address) {
        final Map<String, String> out = addresses == inForce.addresses() ? new HashMap<>(addresses) : addresses;
        out.put(id, address);
        return out;
    }
}
