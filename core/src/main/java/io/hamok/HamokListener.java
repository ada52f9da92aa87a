package io.hamok;

import io.hamok.raft.RaftRole;

/**
 * Events of a {@link Hamok} instance (the original's event names in comments). Every method has an
 * empty default: override what you need. Called on the loop thread, or on the configured event
 * executor; a listener on the loop thread must not block.
 */
public interface HamokListener {
    /** 'state-changed' (and 'follower' / 'candidate' / 'leader'): the Raft role changed. */
    default void onStateChanged(RaftRole state, RaftRole previous) {
    }

    /** 'leader-changed': the known leader changed; {@code leaderId} is null while none is known. */
    default void onLeaderChanged(String leaderId, String previousLeaderId) {
    }

    /** 'remote-peer-joined': a peer entered the cluster configuration. */
    default void onRemotePeerJoined(String peerId) {
    }

    /** 'remote-peer-left': a peer left the cluster configuration. */
    default void onRemotePeerLeft(String peerId) {
    }

    /** 'commit': entries up to {@code commitIndex} are committed and applied here. */
    default void onCommit(long commitIndex) {
    }

    /** 'heartbeat': emitted every heartbeatMs while the instance runs (any role). */
    default void onHeartbeat() {
    }

    /**
     * 'no-heartbeat-from': this peer leads and has not heard from {@code peerId} for an election
     * timeout. Reported once per silence; Raft keeps trying to reach it (remove it with
     * {@link Hamok#removeRemotePeerId} if it is gone for good).
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
