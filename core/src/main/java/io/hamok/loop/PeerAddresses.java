package io.hamok.loop;

import io.hamok.raft.Membership;
import io.hamok.transport.Transport;

import java.util.Map;

/**
 * Tells the transport the members' addresses ({@link Transport#updatePeers}) whenever the
 * configuration in force (the latest in the node's log, committed or not) changed them since it was
 * last told. The loop marks every configuration change ({@link #changed()}) and calls {@link #tell}
 * at start, after every frame and command and after the tick, so the transport knows a new member
 * before this node sends it anything. Without a change that is a check of one flag; the map handed
 * over is the configuration's own, never copied. Loop thread only.
 */
final class PeerAddresses {
    private final Transport transport;
    private boolean changed = true;
    private Map<String, String> told = Map.of();

    PeerAddresses(Transport transport) {
        this.transport = transport;
    }

    /** The configuration in force changed (its addresses may not have). */
    void changed() {
        changed = true;
    }

    /** Hands {@code membership}'s addresses to the transport if it changed and they differ from the last told. */
    void tell(Membership membership) {
        if (!changed) {
            return;
        }
        changed = false;
        final Map<String, String> addresses = membership.addresses();
        if (!addresses.equals(told)) {
            told = addresses;
            transport.updatePeers(addresses);
        }
    }
}
