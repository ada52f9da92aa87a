// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate issued by a {@link DevAuthority}, with its private key: what one peer presents in
 * mutual TLS. For tests, demos and development only. Immutable and thread-safe.
 */
public final class DevIdentity {
    /** The alias of the key entry in a key store written by {@link #writePkcs12}. */
    public static final String KEYSTORE_ALIAS = "hamok-peer";

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    DevIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /** The issued certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The EC P-256 private key of {@link #certificate()}. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The certificate, then the certificate of the CA that issued it. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Writes {@link #chain()} as PEM, the peer's certificate first, then the CA's: the
     * {@code keyCertChainFile} of Netty's {@code SslContextBuilder.forServer/keyManager(File, File)}.
     */
    public void writeCertificateChain(Path file) throws IOException {
        Pem.write(file, Pem.certificates(chain), false);
    }

    /**
     * Writes the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), which Netty
     * reads without BouncyCastle; on POSIX file systems the file is readable by its owner only.
     */
    public void writePrivateKey(Path file) throws IOException {
        Pem.write(file, Pem.privateKey(privateKey), true);
    }

    /**
     * Writes a PKCS#12 key store with one key entry ({@value #KEYSTORE_ALIAS}: the private key and
     * {@link #chain()}), the store and the entry both protected by {@code password}; loads with
     * {@code KeyStore.getInstance("PKCS12")} and works in a {@code KeyManagerFactory}. On POSIX file
     * systems the file is readable by its owner only.
     */
    public void writePkcs12(Path file, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEYSTORE_ALIAS, privateKey, password, chain.toArray(new X509Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            Pem.write(file, out.toByteArray(), true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a PKCS#12 key store", e);
        }
    }

    @Override
    public String toString() {
        return "DevIdentity[" + certificate().getSubjectX500Principal() + "]";
    }
}
