// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.netty.tls.DevIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyStore;

/**
 * A plain TCP client on the loopback, as an attacker without any key would use: it writes whatever
 * it is given and reads what the node answers until the node closes the connection.
 */
final class Stranger implements AutoCloseable {
    private final Socket socket;

    Stranger(InetSocketAddress node) throws IOException {
        socket = new Socket();
        socket.connect(node, 2000);
    }

    /** Over a socket the caller connected (a TLS socket, say). */
    Stranger(Socket connected) {
        socket = connected;
    }

    /**
     * A TLS 1.3 client presenting {@code identity}'s certificate, trusting any server: an attacker
     * with a certificate of its own (from another CA, or one stolen from a peer).
     */
    static Stranger withCertificate(InetSocketAddress node, DevIdentity identity) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("me", identity.privateKey(), new char[0],
                identity.chain().toArray(new java.security.cert.Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLSv1.3");
        ssl.init(kmf.getKeyManagers(), InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket();
        socket.connect(node, 2000);
        socket.setSoTimeout(5000);
        return new Stranger(socket);
    }

    /** Runs the TLS handshake now; {@code false} when the node refused it. */
    boolean tlsHandshake() {
        try {
            ((SSLSocket) socket).startHandshake();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the frame's readable bytes and releases it; {@code false} when the node already closed. */
    boolean send(ByteBuf bytes) {
        try {
            byte[] b = new byte[bytes.readableBytes()];
            bytes.readBytes(b);
            socket.getOutputStream().write(b);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            bytes.release();
        }
    }

    boolean send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads until the node closes the connection (or resets it) and returns what it sent.
     *
     * @throws AssertionError when the connection is still open after {@code timeoutMs}
     */
    byte[] readUntilClosed(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        InputStream in = socket.getInputStream();
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node kept the stranger's connection open for " + timeoutMs + " ms");
        } catch (IOException e) {
            // reset by the node: closed too
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
