// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between a dialing transport and an accepting one, which can stop
 * forwarding one direction while both sockets stay open, as a network that loses every packet one
 * way. Held-back bytes are not read, so they wait in the kernel's buffers as TCP would keep
 * retransmitting them; a close in a stopped direction is held back too. {@link #resume} forwards
 * again, what was held back first. Two threads per connection (blocking sockets): a test tool.
 */
final class OneWayDropProxy implements AutoCloseable {
    /** A direction of the proxied connections. */
    enum Direction { DIALER_TO_ACCEPTOR, ACCEPTOR_TO_DIALER }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object gate = new Object();
    private Direction stopped;
    private volatile boolean closed;

    /** Listens on a free port of 127.0.0.1 and forwards each connection to {@code targetPort} there. */
    OneWayDropProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Stops forwarding {@code direction} (only one direction at a time); the other still flows. */
    void stop(Direction direction) {
        synchronized (gate) {
            stopped = direction;
        }
    }

    /** Forwards both directions again. */
    void resume() {
        synchronized (gate) {
            stopped = null;
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        resume();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (sockets) {
            sockets.forEach(OneWayDropProxy::closeQuietly);
            sockets.clear();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket dialer;
            try {
                dialer = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            Socket acceptor = new Socket();
            try {
                acceptor.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
            } catch (IOException e) {
                closeQuietly(dialer); // nobody listening: refuse like the target would
                closeQuietly(acceptor);
                continue;
            }
            synchronized (sockets) {
                if (closed) {
                    closeQuietly(dialer);
                    closeQuietly(acceptor);
                    return;
                }
                sockets.add(dialer);
                sockets.add(acceptor);
            }
            Pair pair = new Pair(dialer, acceptor);
            pump(pair, dialer, acceptor, Direction.DIALER_TO_ACCEPTOR);
            pump(pair, acceptor, dialer, Direction.ACCEPTOR_TO_DIALER);
        }
    }

    private void pump(Pair pair, Socket from, Socket to, Direction direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream(); // not closed here: that would close the socket
                OutputStream out = to.getOutputStream();
                while (true) {
                    awaitForwarding(direction);
                    int n = in.read(buffer);
                    if (n < 0) {
                        to.shutdownOutput(); // pass the close on
                        break;
                    }
                    awaitForwarding(direction); // stopped while this thread waited in read: hold the bytes back
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(to); // a reset or a closed proxy: end the other direction too
            } finally {
                pair.pumpEnded();
            }
        }, "proxy-" + direction + "-" + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private void awaitForwarding(Direction direction) throws InterruptedException {
        synchronized (gate) {
            while (stopped == direction && !closed) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The two sockets of one proxied connection, closed once both directions ended. */
    private final class Pair {
        private final Socket dialer;
        private final Socket acceptor;
        private int ended;

        Pair(Socket dialer, Socket acceptor) {
            this.dialer = dialer;
            this.acceptor = acceptor;
        }

        synchronized void pumpEnded() {
            if (++ended == 2) {
                closeQuietly(dialer);
                closeQuietly(acceptor);
                synchronized (sockets) {
                    sockets.remove(dialer);
                    sockets.remove(acceptor);
                }
            }
        }
    }
}
