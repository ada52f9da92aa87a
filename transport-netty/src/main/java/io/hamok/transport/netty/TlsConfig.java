// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link NettyTransport} secures its peer connections: mutual TLS 1.3 (both sides present a
 * certificate signed by a CA the other trusts), or {@link #off()}.
 *
 * <p>With TLS on, a peer's certificate must also <em>name</em> the peer id it claims: its subject
 * CN or one of its DNS or URI subject alternative names equals the peer id, or equals the name
 * {@link #withPeerNames} maps that peer id to. A peer that presents a valid certificate for another
 * id is refused. Host names are not checked: the peer id is the identity.
 *
 * <p>Key material comes from PEM files ({@link #pem}: a certificate chain, an unencrypted PKCS#8
 * private key, and the trusted CA certificates) or from key stores ({@link #keyStores}: PKCS#12 or
 * JKS). The files are read when the transport config is built (a bad file fails the build, naming
 * the setting) and again by {@link NettyTransport#reloadTls()}.
 *
 * <p>Immutable.
 */
public final class TlsConfig {
    /** Which TLS implementation runs the connections. */
    public enum Provider {
        /** OpenSSL (BoringSSL) when {@code netty-tcnative-boringssl-static} is on the class path, else the JDK's. */
        AUTO,
        /** The JDK's {@code SSLEngine}. */
        JDK,
        /** OpenSSL through netty-tcnative; the config does not build without it. */
        OPENSSL
    }

    private static final TlsConfig OFF = new TlsConfig(false, null, null, null, null, null, null, null, Map.of(),
            Provider.AUTO);

    private final boolean enabled;
    private final Path certificateChain;
    private final Path privateKey;
    private final Path trustedCertificates;
    private final Path keyStore;
    private final char[] keyStorePassword;
    private final Path trustStore;
    private final char[] trustStorePassword;
    private final Map<String, String> peerNames;
    private final Provider provider;

    private TlsConfig(boolean enabled, Path certificateChain, Path privateKey, Path trustedCertificates,
                      Path keyStore, char[] keyStorePassword, Path trustStore, char[] trustStorePassword,
                      Map<String, String> peerNames, Provider provider) {
        this.enabled = enabled;
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
        this.trustedCertificates = trustedCertificates;
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.peerNames = Map.copyOf(peerNames);
        this.provider = provider;
    }

    /**
     * No TLS: peers are told apart by the cluster id and peer id they send, which anyone who can
     * reach the port can send. The transport logs a warning at start. Only for trusted networks.
     */
    public static TlsConfig off() {
        return OFF;
    }

    /**
     * Mutual TLS from PEM files.
     *
     * @param certificateChain this peer's certificate, optionally followed by intermediate CA certificates
     * @param privateKey       this peer's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
     * @param trustedCertificates the CA certificates that sign the peers' certificates
     */
    public static TlsConfig pem(Path certificateChain, Path privateKey, Path trustedCertificates) {
        return new TlsConfig(true, Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"),
                Objects.requireNonNull(trustedCertificates, "trustedCertificates"), null, null, null, null, Map.of(),
                Provider.AUTO);
    }

    /**
     * Mutual TLS from key stores (PKCS#12 or JKS, detected from the file).
     *
     * @param keyStore           holds this peer's private key and certificate chain (one key entry)
     * @param keyStorePassword   its password, also the key's
     * @param trustStore         holds the trusted CA certificates
     * @param trustStorePassword its password
     */
    public static TlsConfig keyStores(Path keyStore, char[] keyStorePassword, Path trustStore,
                                      char[] trustStorePassword) {
        return new TlsConfig(true, null, null, null, Objects.requireNonNull(keyStore, "keyStore"),
                keyStorePassword.clone(), Objects.requireNonNull(trustStore, "trustStore"),
                trustStorePassword.clone(), Map.of(), Provider.AUTO);
    }

    /**
     * The same settings, where the certificate of peer {@code id} names {@code peerNames.get(id)}
     * instead of the id itself (for example when certificates carry DNS names).
     */
    public TlsConfig withPeerNames(Map<String, String> peerNames) {
        if (!enabled) {
            throw new IllegalStateException("tls.peerNames needs TLS on");
        }
        return new TlsConfig(true, certificateChain, privateKey, trustedCertificates, keyStore, keyStorePassword,
                trustStore, trustStorePassword, peerNames, provider);
    }

    /** The same settings with another TLS implementation (default {@link Provider#AUTO}). */
    public TlsConfig withProvider(Provider provider) {
        if (!enabled) {
            throw new IllegalStateException("tls.provider needs TLS on");
        }
        return new TlsConfig(true, certificateChain, privateKey, trustedCertificates, keyStore, keyStorePassword,
                trustStore, trustStorePassword, peerNames, Objects.requireNonNull(provider, "provider"));
    }

    /** Which TLS implementation runs the connections. */
    public Provider provider() {
        return provider;
    }

    /** Whether connections use mutual TLS. */
    public boolean enabled() {
        return enabled;
    }

    /** The PEM certificate chain, or {@code null} with key stores or TLS off. */
    public Path certificateChain() {
        return certificateChain;
    }

    /** The PEM private key, or {@code null} with key stores or TLS off. */
    public Path privateKey() {
        return privateKey;
    }

    /** The PEM CA certificates, or {@code null} with key stores or TLS off. */
    public Path trustedCertificates() {
        return trustedCertificates;
    }

    /** The key store, or {@code null} with PEM files or TLS off. */
    public Path keyStore() {
        return keyStore;
    }

    /** The trust store, or {@code null} with PEM files or TLS off. */
    public Path trustStore() {
        return trustStore;
    }

    char[] keyStorePassword() {
        return keyStorePassword;
    }

    char[] trustStorePassword() {
        return trustStorePassword;
    }

    /** The name a peer's certificate must carry: the mapped name, or the peer id itself. */
    String certificateNameOf(String peerId) {
        return peerNames.getOrDefault(peerId, peerId);
    }

    /** Peer ids whose certificates carry another name than the id. */
    public Map<String, String> peerNames() {
        return peerNames;
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "off";
        }
        return keyStore != null ? "mutual TLS 1.3 (keyStore=" + keyStore + ", trustStore=" + trustStore
                + ", provider=" + provider + ")"
                : "mutual TLS 1.3 (certificate=" + certificateChain + ", key=" + privateKey + ", trust="
                        + trustedCertificates + ", provider=" + provider + ")";
    }
}
