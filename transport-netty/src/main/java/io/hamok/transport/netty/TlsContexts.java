// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The TLS side of a {@link TlsConfig} once its files are read: one server and one client
 * {@link SslContext} (TLS 1.3 only, client certificates required, no host name check), and the
 * check that a peer's certificate names the peer id it claims. Immutable; a reload makes a new one.
 * The implementation is {@link TlsConfig#provider()}: by default OpenSSL when netty-tcnative is on the
 * class path (it allocates much less per record than the JDK's engine), else the JDK's.
 */
final class TlsContexts {
    static final String PROTOCOL = "TLSv1.3";

    private final TlsConfig config;
    private final SslContext server;
    private final SslContext client;
    private final SslProvider provider;

    private TlsContexts(TlsConfig config, SslContext server, SslContext client, SslProvider provider) {
        this.config = config;
        this.provider = provider;
        this.server = server;
        this.client = client;
    }

    /**
     * Reads the files of {@code config} and builds the contexts.
     *
     * @return {@code null} when TLS is off
     * @throws IllegalArgumentException naming the setting ({@code tls.certificate}, {@code tls.key},
     *                                  {@code tls.trust}, {@code tls.keyStore}, {@code tls.trustStore})
     *                                  whose file is missing, unreadable or not what it should be
     */
    static TlsContexts load(TlsConfig config) {
        if (!config.enabled()) {
            return null;
        }
        final SslContextBuilder server;
        final SslContextBuilder client;
        if (config.keyStore() != null) {
            KeyManagerFactory keys = keyManagers(config);
            TrustManagerFactory trust = trustManagers(config);
            server = SslContextBuilder.forServer(keys).trustManager(trust);
            client = SslContextBuilder.forClient().keyManager(keys).trustManager(trust);
        } else {
            File chain = readable("tls.certificate", config.certificateChain());
            File key = readable("tls.key", config.privateKey());
            File trust = readable("tls.trust", config.trustedCertificates());
            server = named("tls.certificate", () -> SslContextBuilder.forServer(chain, key));
            client = named("tls.certificate", () -> SslContextBuilder.forClient().keyManager(chain, key));
            named("tls.trust", () -> server.trustManager(trust));
            named("tls.trust", () -> client.trustManager(trust));
        }
        SslProvider provider = providerOf(config.provider());
        server.sslProvider(provider).clientAuth(ClientAuth.REQUIRE).protocols(PROTOCOL);
        client.sslProvider(provider).protocols(PROTOCOL).endpointIdentificationAlgorithm(null); // the peer id is checked instead
        try {
            return new TlsContexts(config, server.build(), client.build(), provider);
        } catch (Exception e) { // SSLException, or IllegalArgumentException for a bad PEM file
            String field = config.keyStore() != null ? "tls.keyStore" : "tls.certificate";
            throw new IllegalArgumentException(field + " and its key and trust settings do not make a TLS context: "
                    + e.getMessage() + " (" + config + ")", e);
        }
    }

    /** The provider a setting names; OpenSSL only where netty-tcnative loads. */
    private static SslProvider providerOf(TlsConfig.Provider provider) {
        return switch (provider) {
            case JDK -> SslProvider.JDK;
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("tls.provider=openssl needs netty-tcnative-boringssl-static "
                            + "on the class path: " + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** The implementation these contexts use. */
    SslProvider provider() {
        return provider;
    }

    /** Runs a step of reading TLS files; a bad file's exception gets the setting's name in front. */
    private static <T> T named(String field, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not usable: " + e.getMessage(), e);
        }
    }

    SslContext server() {
        return server;
    }

    SslContext client() {
        return client;
    }

    /**
     * Checks that the certificate the peer presented on this connection names {@code peerId}.
     *
     * @return why not, or {@code null} when it does
     */
    String identityMismatch(SslHandler tls, String peerId) {
        X509Certificate cert;
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            cert = (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return "no verified peer certificate: " + e.getMessage();
        }
        String expected = config.certificateNameOf(peerId);
        List<String> names = namesOf(cert);
        if (names.contains(expected)) {
            return null;
        }
        return "certificate of " + cert.getSubjectX500Principal().getName() + " names " + names + ", not '"
                + expected + "' (claimed peer id '" + peerId + "')";
    }

    /** The subject CNs and the DNS and URI subject alternative names of a certificate. */
    static List<String> namesOf(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // an unparsable subject names nothing; the SANs may still
        }
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 6) { // dNSName, uniformResourceIdentifier
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unparsable extension: no SAN names
        }
        return names;
    }

    private static File readable(String field, Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(field + " must be a readable file, was " + path);
        }
        return path.toFile();
    }

    private static KeyManagerFactory keyManagers(TlsConfig config) {
        KeyStore store = loadStore("tls.keyStore", config.keyStore(), config.keyStorePassword());
        try {
            KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            f.init(store, config.keyStorePassword());
            return f;
        } catch (Exception e) {
            throw new IllegalArgumentException("tls.keyStore " + config.keyStore() + " has no usable key: "
                    + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(TlsConfig config) {
        KeyStore store = loadStore("tls.trustStore", config.trustStore(), config.trustStorePassword());
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return f;
        } catch (Exception e) {
            throw new IllegalArgumentException("tls.trustStore " + config.trustStore() + " is not usable: "
                    + e.getMessage(), e);
        }
    }

    private static KeyStore loadStore(String field, Path path, char[] password) {
        File file = readable(field, path);
        try {
            return KeyStore.getInstance(file, password);
        } catch (Exception e) {
            throw new IllegalArgumentException(field + " " + path + " cannot be opened (wrong password, or not "
                    + "PKCS#12 or JKS): " + e.getMessage(), e);
        }
    }
}
