// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples.recipes;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The callbacks of leader latches in one process, recorded on one clock: who said "I lead" and "I lost
 * it", and when. Used by the election demo and its tests to check that tenures never overlapped.
 */
final class Tenures {
    /** One callback of the latch of {@code peer}. */
    record Event(String peer, boolean lead, long token) {
        @Override
        public String toString() {
            return peer + (lead ? ": I lead (token " + token + ")" : ": I lost it");
        }
    }

    private final Recorder<Event> recorder = new Recorder<>();

    /** A listener for the latch of {@code peer} that records its callbacks and tells {@code also} of each. */
    LeaderLatch.Listener listenerFor(String peer, Consumer<Event> also) {
        return new LeaderLatch.Listener() {
            @Override
            public void onLeadership(long token) {
                record(new Event(peer, true, token));
            }

            @Override
            public void onLeadershipLost() {
                record(new Event(peer, false, 0));
            }

            private void record(Event event) {
                recorder.add(event);
                also.accept(event);
            }
        };
    }

    /** Completes with the next "I lead" (after this call) of a peer that {@code peers} accepts. */
    CompletableFuture<Recorder.Entry<Event>> nextLead(Predicate<String> peers) {
        final Predicate<Event> wanted = e -> e.lead() && peers.test(e.peer());
        final long before = recorder.values().stream().filter(wanted).count();
        return recorder.when(values -> values.stream().filter(wanted).count() > before)
                .thenApply(entries -> entries.stream().filter(e -> wanted.test(e.value())).toList()
                        .get((int) before));
    }

    /** The last "I lost it" of {@code peer}, or {@code null}. */
    Recorder.Entry<Event> lastLoss(String peer) {
        Recorder.Entry<Event> last = null;
        for (Recorder.Entry<Event> e : recorder.entries()) {
            if (!e.value().lead() && e.value().peer().equals(peer)) {
                last = e;
            }
        }
        return last;
    }

    /** Which peer is between "I lead" and "I lost it" now, or {@code null}. */
    String leader() {
        return replay(recorder.entries()).leader;
    }

    /** What went wrong if two tenures ever overlapped (or a latch lost what it never had), else {@code null}. */
    String overlap() {
        return replay(recorder.entries()).problem;
    }

    List<Event> events() {
        return recorder.values();
    }

    private record Replay(String leader, String problem) {
    }

    private static Replay replay(List<Recorder.Entry<Event>> entries) {
        String leader = null;
        for (Recorder.Entry<Event> entry : entries) {
            final Event e = entry.value();
            if (e.lead() && leader != null) {
                return new Replay(leader, e.peer() + " said 'I lead' while " + leader + " led");
            }
            if (!e.lead() && !e.peer().equals(leader)) {
                return new Replay(leader, e.peer() + " said 'I lost it' while " + leader + " led");
            }
            leader = e.lead() ? e.peer() : null;
        }
        return new Replay(leader, null);
    }
}
