// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.TransportCounters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Last handler of every connection: counts connections opened and closed, and closes the
 * connection on any error that reaches it, logging the first error once (not per frame; at most one
 * line per interval for the whole transport, {@link RefusalLog#broken}). A frame
 * the decoder rejects (too long, negative length) counts as malformed. Nothing propagates past it.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final TransportCounters counters;
    private final RefusalLog log;
    private boolean failed;

    ConnectionGuard(TransportCounters counters, RefusalLog log) {
        this.counters = counters;
        this.log = log;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counters.countConnectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.countConnectionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed) {
            failed = true;
            if (cause instanceof DecoderException) {
                counters.countMalformedFrame();
                log.broken(ctx.channel(), "malformed frame: " + cause.getMessage());
            } else if (cause instanceof IOException) {
                LOG.debug("closing connection {}: {}", ctx.channel(), cause.toString());
            } else {
                if (log.broken(ctx.channel(), "unexpected error: " + cause)) {
                    LOG.debug("the unexpected error on {}", ctx.channel(), cause);
                }
            }
        }
        ctx.close();
    }
}
