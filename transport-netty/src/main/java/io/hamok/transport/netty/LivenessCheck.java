// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.PeerCounters;
import io.hamok.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The transport's one periodic task, run every {@link NettyTransportConfig#keepaliveIntervalMs()}
 * on one of its event loops: for each link with a connection it compares the peer's frame counters
 * with those it saw at its previous run.
 * <ul>
 *   <li>Nothing written since then: it writes a keepalive, an empty frame (the length prefix
 *       {@code 00 00 00 00}), so that the peer hears from this side even when Raft has nothing to
 *       say on this link (two followers, say). A whole frame written from this thread stays whole
 *       between the drain's batches.</li>
 *   <li>Nothing received for as many runs as cover {@link NettyTransportConfig#linkSilenceTimeoutMs()}:
 *       it closes the connection, counts it (per peer and in total) and logs it at most once per
 *       peer per 10 s. The dialing side's {@link Dialer} redials; the accepting side waits for it.</li>
 * </ul>
 * A guest link (a joiner that is not a member) is closed after {@link #GUEST_LIFETIME_MS}, so that a
 * joiner that is never added does not keep its slot; it dials again if it still wants to join.
 * A newly attached connection starts with a clean slate. Nothing happens per frame: the I/O threads
 * only count frames, and this task reads the counters.
 *
 * <p>Threads: {@link #run} on one event loop, one run at a time; {@link #heardRecently} from any
 * thread.
 */
final class LivenessCheck implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LivenessCheck.class);
    static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    /** How long a guest link (a joiner, not a member) may stay open: its slot is freed after it. */
    static final long GUEST_LIFETIME_MS = 30_000;

    private final TransportContext context;
    private final TransportCounters counters;
    private final long intervalMs;
    /** Runs without a received frame after which a link counts as silent (they cover the silence timeout). */
    private final int silentRunsToClose;
    private long lastErrorLogNs;
    private boolean errorLogged;

    /** What the check saw of one link at its previous run; kept by the link. Written by {@link #run} only. */
    static final class LinkState {
        volatile long attachments;
        volatile int silentRuns;
        /** Runs since a guest link's connection was attached. */
        int guestRuns;
        long received;
        long sent;
        /** The connection this check closed last: not counted again while its close completes. */
        Channel closed;
        boolean logged;
        long lastLogNs;
        int unlogged;
    }

    LivenessCheck(TransportContext context) {
        this.context = context;
        this.counters = context.counters();
        NettyTransportConfig config = context.config();
        this.intervalMs = config.keepaliveIntervalMs();
        long silenceMs = config.linkSilenceTimeoutMs();
        this.silentRunsToClose = (int) ((silenceMs + intervalMs - 1) / intervalMs);
    }

    long intervalMs() {
        return intervalMs;
    }

    @Override
    public void run() {
        for (PeerLink link : context.links()) { // the current links: members come and go
            try {
                check(link, link.liveness());
            } catch (RuntimeException e) { // a periodic task that throws is never run again
                logError(link, e);
            }
        }
    }

    /**
     * Whether the link's current connection is new since the last run or has received a frame within
     * the silence timeout (at the check's granularity); a link silent for longer is being closed.
     */
    boolean heardRecently(PeerLink link) {
        LinkState s = link.liveness();
        return s.attachments != link.attachments() || s.silentRuns < silentRunsToClose;
    }

    private void check(PeerLink link, LinkState s) {
        Channel ch = link.channel();
        if (ch != null && ch == s.closed) {
            return; // closing: still silent
        }
        if (ch == null || !ch.isActive()) {
            s.silentRuns = 0;
            return;
        }
        PeerCounters peer = link.counters();
        long received = peer.framesReceived() + peer.keepalivesReceived();
        long sent = peer.framesSent() + peer.keepalivesSent();
        long attachments = link.attachments();
        if (attachments != s.attachments) { // a new connection: not silent, nothing owed yet
            s.received = received;
            s.sent = sent;
            s.silentRuns = 0;
            s.guestRuns = 0;
            s.attachments = attachments;
            return;
        }
        if (link.guest() && ++s.guestRuns * intervalMs >= GUEST_LIFETIME_MS) {
            // a joiner gets its answer in seconds; one that stays a guest this long frees its slot
            // (and dials again if it still wants to join)
            LOG.debug("{}: guest link to {} open for {} ms; closing it", context.localPeerId(), link.peerId(),
                    GUEST_LIFETIME_MS);
            s.closed = ch;
            ch.close();
            return;
        }
        if (received != s.received) {
            s.received = received;
            s.silentRuns = 0;
        } else if (++s.silentRuns >= silentRunsToClose) {
            closeSilent(link, ch, s);
            return;
        }
        if (sent == s.sent && ch.isWritable()) {
            ByteBuf keepalive = ch.alloc().ioBuffer(Integer.BYTES, Integer.BYTES).writeInt(0);
            counters.countKeepaliveSent();
            peer.countKeepaliveSent();
            ch.writeAndFlush(keepalive, ch.voidPromise()); // released by Netty, also when the channel is closed
            s.sent = sent + 1;
        } else {
            s.sent = sent;
        }
    }

    private void closeSilent(PeerLink link, Channel ch, LinkState s) {
        counters.countSilentLinkClosed();
        link.counters().countSilentLinkClosed();
        long now = System.nanoTime(); // once per silent close, not per frame
        if (!s.logged || now - s.lastLogNs >= LOG_INTERVAL_NS) {
            boolean dialer = link.peerId().compareTo(context.localPeerId()) > 0;
            LOG.warn("{}: nothing received from peer {} for {} ms on {}; closing it, {}{}", context.localPeerId(),
                    link.peerId(), s.silentRuns * intervalMs, ch, dialer ? "redialing" : "the peer redials",
                    s.unlogged > 0 ? " (" + s.unlogged + " more silent closes of this peer not logged)" : "");
            s.logged = true;
            s.lastLogNs = now;
            s.unlogged = 0;
        } else {
            s.unlogged++;
        }
        s.closed = ch;
        ch.close();
    }

    private void logError(PeerLink link, RuntimeException e) {
        long now = System.nanoTime();
        if (!errorLogged || now - lastErrorLogNs >= LOG_INTERVAL_NS) {
            errorLogged = true;
            lastErrorLogNs = now;
            LOG.warn("{}: liveness check of peer {} failed", context.localPeerId(), link.peerId(), e);
        }
    }
}
