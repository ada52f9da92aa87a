// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.raft.RaftRole;

/**
 * Events of a {@link Hamok} instance (the original's event names in comments). Every method has an
 * empty default: override what you need. Called on the loop thread, or on the configured event
 * executor; a listener on the loop thread must not block.
 */
public interface HamokListener {
    /**
     * 'state-changed' (and 'follower' / 'candidate' / 'leader'): the Raft role changed, in
     * {@code term} (the term of the new role: a candidate's new term, a follower's adopted one).
     */
    default void onStateChanged(RaftRole state, RaftRole previous, long term) {
    }

    /**
     * 'leader-changed': the known leader changed; {@code leaderId} is null while none is known.
     * {@code term} is the term this peer is in when it learns it (the new leader's term).
     */
    default void onLeaderChanged(String leaderId, String previousLeaderId, long term) {
    }

    /**
     * 'remote-peer-joined': a peer entered the cluster configuration, as a learner (a peer added
     * through the log) or as a voter (a configuration learnt from a snapshot). Fired on every member
     * when its log holds the change, committed or not; see {@link Hamok#clusterConfiguration()}.
     */
    default void onRemotePeerJoined(String peerId) {
    }

    /**
     * 'remote-peer-left': a peer left the cluster configuration: removed by a call, by its own
     * {@link Hamok#leave}, or by the leader's autopilot after {@code deadPeerTimeoutMs} of silence.
     */
    default void onRemotePeerLeft(String peerId) {
    }

    /**
     * 'remote-peer-promoted': a learner became a voter (the leader's autopilot promotes a learner
     * that stayed caught up for {@code stabilizationMs} while voters are fewer than {@code maxVoters}).
     * The local peer's own promotion shows in {@link Hamok#clusterConfiguration()}.
     */
    default void onRemotePeerPromoted(String peerId) {
    }

    /** 'commit': entries up to {@code commitIndex} are committed and applied here. */
    default void onCommit(long commitIndex) {
    }

    /** 'heartbeat': emitted every heartbeatMs while the instance runs (any role). */
    default void onHeartbeat() {
    }

    /**
     * 'no-heartbeat-from': this peer leads and has not heard from {@code peerId} for an election
     * timeout. Reported once per silence; Raft keeps trying to reach it. The autopilot removes it
     * after {@code deadPeerTimeoutMs} of silence when the rules allow ('remote-peer-left' follows);
     * {@link Hamok#removeRemotePeerId} removes it at once.
     */
    default void onNoHeartbeatFrom(String peerId) {
    }

    /** 'message': a raw entry submitted with {@link Hamok#submit} was committed and applied here. */
    default void onMessage(long index, byte[] payload) {
    }

    /** 'rejoining': {@link Hamok#join} was called on an instance that already runs. */
    default void onRejoining() {
    }

    /** 'joined': {@link Hamok#join} completed. */
    default void onJoined() {
    }

    /** 'left': {@link Hamok#leave} completed. */
    default void onLeft() {
    }

    /** 'error': something failed in the background (a listener threw, the loop hit an error). */
    default void onError(Throwable error) {
    }

    /** 'close': the instance closed. */
    default void onClose() {
    }
}
