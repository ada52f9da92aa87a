// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What became of one {@link HamokEmitter#publish}: the peers it was sent to (the subscribers of the
 * event in this peer's replica when {@code publish} was called, this peer included if it subscribes),
 * and for each whether it answered by the deadline. One slow, partitioned or crashed subscriber does
 * not fail a publish: it is listed in {@link #unanswered()}.
 *
 * <ul>
 *   <li>{@link #delivered()}: answered that at least one of its listeners got the payload;</li>
 *   <li>{@link #noListener()}: answered that it has no listener for the event (its emitter is not
 *       open, it unsubscribed meanwhile, or it could not decode the payload);</li>
 *   <li>{@link #unanswered()}: no answer within the timeout, or the message could not be sent. The
 *       payload may or may not have reached its listeners (the answer may be what was lost).</li>
 * </ul>
 *
 * <p>Immutable once the future completed; every accessor builds a new set, in target order.
 */
public final class PublishResult {
    static final byte PENDING = 0;
    static final byte DELIVERED = 1;
    static final byte NO_LISTENER = 2;
    static final byte UNANSWERED = 3;

    /** The result of a publish that found no subscriber. */
    static final PublishResult NO_SUBSCRIBERS = new PublishResult(new String[0], new byte[0]);

    private final String[] targets;
    private final byte[] outcomes;

    /** @param outcomes filled by the loop thread before the publish's future completes */
    PublishResult(String[] targets, byte[] outcomes) {
        this.targets = targets;
        this.outcomes = outcomes;
    }

    /** Every peer the payload was sent to. */
    public Set<String> targets() {
        final Set<String> out = new LinkedHashSet<>();
        for (String t : targets) {
            out.add(t);
        }
        return out;
    }

    /** The peers whose listeners got the payload (the original's return value of {@code publish}). */
    public Set<String> delivered() {
        return with(DELIVERED);
    }

    /** The peers that answered without a listener for the event. */
    public Set<String> noListener() {
        return with(NO_LISTENER);
    }

    /** The peers that did not answer in time (the payload may have reached them). */
    public Set<String> unanswered() {
        return with(UNANSWERED);
    }

    /** Whether every target answered that it delivered the payload. */
    public boolean allDelivered() {
        for (byte outcome : outcomes) {
            if (outcome != DELIVERED) {
                return false;
            }
        }
        return true;
    }

    private Set<String> with(byte outcome) {
        final Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < targets.length; i++) {
            if (outcomes[i] == outcome || outcome == UNANSWERED && outcomes[i] == PENDING) {
                out.add(targets[i]);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "PublishResult{delivered=" + delivered() + ", noListener=" + noListener() + ", unanswered="
                + unanswered() + "}";
    }
}
