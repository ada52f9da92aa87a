// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The remote peers a started transport connects to, and the {@link Dialer} of each peer whose id
 * sorts higher than the local one (the lower id dials). It starts with the configured peers; the
 * cluster's configuration then adds members, moves them to new addresses and removes them
 * ({@link #update}). A peer that was named by an update and is missing from a later one is removed:
 * its dialer stops, what was queued for it is flushed, its connection closes and its link goes. Configured peers that no
 * update ever named stay. An instance that is not a member yet dials its seeds as a joiner (guest
 * links, see {@link TransportContext#addGuestLink}) until an update names it.
 *
 * <p>Guarded by its own monitor: updates come from the loop thread, {@link #stop} from any thread.
 */
final class PeerSet {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSet.class);

    private final TransportContext context;
    private final EventLoopGroup loops;
    private final WriteBufferWaterMark waterMark;
    private final SocketKind kind;
    private final Map<String, Dialer> dialers = new HashMap<>();
    /** Dialers of the seed addresses, while this peer is not a member. */
    private final List<Dialer> seedDialers = new ArrayList<>();
    /** Every remote peer's current address. */
    private final Map<String, PeerAddress> addresses = new HashMap<>();
    /** The remote peers the last update named. */
    private Set<String> named = Set.of();
    private boolean stopped;

    PeerSet(TransportContext context, EventLoopGroup loops, WriteBufferWaterMark waterMark, SocketKind kind) {
        this.context = context;
        this.loops = loops;
        this.waterMark = waterMark;
        this.kind = kind;
    }

    /** Starts with the configured remote peers, and dials the seeds as a joiner. */
    synchronized void startConfigured() {
        for (PeerAddress peer : context.config().remotePeers()) {
            put(peer);
        }
        dialSeeds();
    }

    /**
     * A member that lost the cluster (see {@link io.hamok.transport.Transport#redialSeeds}) dials its
     * seeds again as a joiner, until an update names it.
     */
    synchronized void redialSeeds() {
        if (!stopped && seedDialers.isEmpty() && !context.config().seedAddresses().isEmpty()) {
            LOG.info("{}: no leader for a while; dialing the seeds again to find the cluster", context.localPeerId());
            dialSeeds();
        }
    }

    private void dialSeeds() {
        for (HostPort seed : context.config().seedAddresses()) {
            Dialer dialer = Dialer.seed(seed, loops.next(), context, waterMark, kind);
            seedDialers.add(dialer);
            dialer.start();
        }
    }

    /**
     * Makes the remote peers those of {@code members} (id to {@code host:port}; the local id and
     * entries that are not an address are skipped, the latter logged).
     */
    synchronized void update(Map<String, String> members) {
        if (stopped) {
            return;
        }
        if (members.containsKey(context.localPeerId()) && !seedDialers.isEmpty()) {
            seedDialers.forEach(Dialer::stop); // a member now: its links follow the configuration
            seedDialers.clear();
            LOG.info("{}: named by the cluster's configuration; no more dialing of seeds", context.localPeerId());
        }
        Set<String> now = new HashSet<>();
        for (Map.Entry<String, String> member : members.entrySet()) {
            String id = member.getKey();
            if (id.equals(context.localPeerId())) {
                continue;
            }
            HostPort hostPort;
            try {
                hostPort = HostPort.parse(String.valueOf(member.getValue()), IllegalArgumentException::new);
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: member {} has address '{}', not {}; not connecting to it", context.localPeerId(), id,
                        member.getValue(), HostPort.FORM);
                continue;
            }
            now.add(id);
            put(new PeerAddress(id, hostPort.host(), hostPort.port()));
        }
        for (String id : named) {
            if (!now.contains(id)) {
                remove(id);
            }
        }
        named = Set.copyOf(now);
    }

    /** Stops every dialer; the transport closes the connections. */
    synchronized void stop() {
        stopped = true;
        dialers.values().forEach(Dialer::stop);
        seedDialers.forEach(Dialer::stop);
    }

    /** The address this transport uses for {@code peerId}, or {@code null}. */
    synchronized PeerAddress address(String peerId) {
        return addresses.get(peerId);
    }

    private void put(PeerAddress peer) {
        String id = peer.peerId();
        PeerAddress before = addresses.put(id, peer);
        PeerLink link = context.addLink(id);
        if (before == null) {
            LOG.info("{}: peer {} at {}:{} added", context.localPeerId(), id, peer.host(), peer.port());
        } else if (!before.equals(peer)) {
            LOG.info("{}: peer {} moved from {}:{} to {}:{}", context.localPeerId(), id, before.host(), before.port(),
                    peer.host(), peer.port());
        }
        if (id.compareTo(context.localPeerId()) <= 0) {
            return; // that peer dials us
        }
        Dialer dialer = dialers.get(id);
        if (dialer != null && peer.equals(dialer.address())) {
            return;
        }
        if (dialer != null) {
            dialer.stop();
            closeConnection(link); // to the old address; the new dialer replaces it
        }
        dialer = new Dialer(peer, loops.next(), context, waterMark, kind);
        dialers.put(id, dialer);
        dialer.start();
    }

    private void remove(String id) {
        Dialer dialer = dialers.remove(id);
        if (dialer != null) {
            dialer.stop();
        }
        addresses.remove(id);
        PeerLink link = context.removeLink(id);
        if (link != null) {
            link.flushAndClose(); // what the loop queued for it (say, the answer to its own removal) goes out first
            LOG.info("{}: peer {} removed", context.localPeerId(), id);
        }
    }

    private static void closeConnection(PeerLink link) {
        Channel ch = link.channel();
        if (ch != null) {
            ch.close();
        }
    }
}
