// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport;

/**
 * Why a transport refused or closed a connection before it carried any Raft frame, as counted by
 * {@link TransportCounters#refusals(ConnectionRefusal)}. Every refusal is counted; log lines about
 * them are rate-limited by the transport.
 */
public enum ConnectionRefusal {
    /** The TLS handshake failed: no certificate, one not signed by a trusted CA, expired, or not TLS at all. */
    TLS_HANDSHAKE,
    /** The certificate is valid but names another peer than the one the connection claims or was dialed for. */
    PEER_IDENTITY,
    /** The first frame was not a readable message: malformed, or longer than a HANDSHAKE may be. */
    HANDSHAKE_MALFORMED,
    /**
     * The first message was not a HANDSHAKE, or carried another protocol version or cluster id, an
     * unknown peer id, or the wrong dial direction.
     */
    HANDSHAKE_MISMATCH,
    /** No completed handshake within the handshake timeout. */
    HANDSHAKE_TIMEOUT,
    /** The peer id already has a live, authenticated connection; the new one is not swapped in. */
    LINK_TAKEOVER,
    /** A joining peer (not a member yet) found the limit of guest links reached. */
    GUEST_LIMIT,
    /** Too many connections were waiting for their handshake at once. */
    TOO_MANY_PENDING,
    /** Connections arrived faster than the accept rate allows. */
    ACCEPT_RATE
}
