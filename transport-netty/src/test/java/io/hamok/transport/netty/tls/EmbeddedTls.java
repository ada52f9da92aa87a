// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * One TLS handshake between a client and a server {@link SslHandler}, each in an
 * {@link EmbeddedChannel}, shuttling the bytes until neither side has more to send. No sockets,
 * no threads (the handlers run the engine's delegated tasks inline).
 */
final class EmbeddedTls {
    /** How the handshake ended on each side, and what the server saw of the client. */
    record Result(Throwable clientFailure, Throwable serverFailure, X509Certificate clientCertificateSeenByServer,
                  String protocol) {
        boolean succeeded() {
            return clientFailure == null && serverFailure == null;
        }
    }

    private EmbeddedTls() {
    }

    /** Runs the handshake; the client verifies the server's certificate against {@code serverName}. */
    static Result handshake(SslContext server, SslContext client, String serverName) throws Exception {
        EmbeddedChannel serverChannel = new EmbeddedChannel();
        EmbeddedChannel clientChannel = new EmbeddedChannel();
        try {
            SslHandler serverSsl = server.newHandler(serverChannel.alloc());
            SslHandler clientSsl = client.newHandler(clientChannel.alloc(), serverName, 7000);
            serverChannel.pipeline().addLast(serverSsl, new SwallowFailures());
            clientChannel.pipeline().addLast(clientSsl, new SwallowFailures()); // active: sends ClientHello
            boolean moved = true;
            for (int round = 0; moved && round < 100; round++) {
                moved = shuttle(clientChannel, serverChannel) | shuttle(serverChannel, clientChannel);
            }
            Throwable clientFailure = failure(clientSsl);
            Throwable serverFailure = failure(serverSsl);
            X509Certificate seen = serverFailure == null ? firstPeerCertificate(serverSsl) : null;
            String protocol = serverFailure == null ? serverSsl.engine().getSession().getProtocol() : null;
            return new Result(clientFailure, serverFailure, seen, protocol);
        } finally {
            clientChannel.finishAndReleaseAll();
            serverChannel.finishAndReleaseAll();
        }
    }

    private static Throwable failure(SslHandler ssl) {
        if (!ssl.handshakeFuture().isDone()) {
            return new AssertionError("handshake did not finish");
        }
        return ssl.handshakeFuture().cause();
    }

    private static X509Certificate firstPeerCertificate(SslHandler ssl) throws SSLPeerUnverifiedException {
        Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
        return (X509Certificate) chain[0];
    }

    /** Moves what {@code from} wrote into {@code to}; true if there was anything. */
    private static boolean shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf buf; (buf = from.readOutbound()) != null; ) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound(buf); // the receiving SslHandler releases it
            } else {
                buf.release();
            }
        }
        return moved;
    }

    /** Keeps handshake failures (also on the handshake future) from being rethrown by EmbeddedChannel. */
    private static final class SwallowFailures extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // the test reads the handshake futures
        }
    }
}
