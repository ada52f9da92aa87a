// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.HamokListener;
import io.hamok.raft.RaftRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Delivers instance events to the {@link HamokListener}s, on the loop thread or on the configured
 * executor. A listener that throws is logged and does not stop the others.
 */
public final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final List<HamokListener> listeners;
    private final Executor executor;
    private RaftRole state = RaftRole.FOLLOWER;
    private String leader;

    public Events(List<HamokListener> listeners, Executor executor) {
        this.listeners = listeners;
        this.executor = executor;
    }

    public void stateChanged(RaftRole newState, long term) {
        final RaftRole previous = state;
        state = newState;
        emit(l -> l.onStateChanged(newState, previous, term));
    }

    public void leaderChanged(String newLeader, long term) {
        final String previous = leader;
        if (!Objects.equals(previous, newLeader)) {
            leader = newLeader;
            emit(l -> l.onLeaderChanged(newLeader, previous, term));
        }
    }

    public void remotePeerJoined(String peerId) {
        emit(l -> l.onRemotePeerJoined(peerId));
    }

    public void remotePeerLeft(String peerId) {
        emit(l -> l.onRemotePeerLeft(peerId));
    }

    public void remotePeerPromoted(String peerId) {
        emit(l -> l.onRemotePeerPromoted(peerId));
    }

    public void commit(long index) {
        if (!listeners.isEmpty()) {
            emit(l -> l.onCommit(index));
        }
    }

    public void heartbeat() {
        if (!listeners.isEmpty()) {
            emit(HamokListener::onHeartbeat);
        }
    }

    public void noHeartbeatFrom(String peerId) {
        emit(l -> l.onNoHeartbeatFrom(peerId));
    }

    public void message(long index, byte[] payload) {
        emit(l -> l.onMessage(index, payload));
    }

    public void rejoining() {
        emit(HamokListener::onRejoining);
    }

    public void joined() {
        emit(HamokListener::onJoined);
    }

    public void left() {
        emit(HamokListener::onLeft);
    }

    /** An error the application should know of (the instance halted, for example). */
    public void error(Throwable e) {
        emit(l -> l.onError(e));
    }

    public void closed() {
        emit(HamokListener::onClose);
    }

    /** Whether deliveries run here, at once (no executor): what is delivered is read only during the call. */
    public boolean synchronous() {
        return executor == null;
    }

    /** Runs a delivery on the executor, or here. */
    public void dispatch(Runnable delivery) {
        if (executor == null) {
            delivery.run();
        } else {
            executor.execute(delivery);
        }
    }

    private void emit(Consumer<HamokListener> event) {
        for (HamokListener l : listeners) {
            dispatch(() -> {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("a Hamok listener threw", e);
                    if (l != null) {
                        safeError(l, e);
                    }
                }
            });
        }
    }

    private static void safeError(HamokListener l, RuntimeException e) {
        try {
            l.onError(e);
        } catch (RuntimeException ignored) {
            // a listener that throws from onError too has nothing more to be told
        }
    }
}
