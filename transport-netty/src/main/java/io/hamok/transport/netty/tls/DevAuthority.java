// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A development certificate authority made by {@link DevCertificates}: its certificate and, in
 * memory only, its private key, with which it issues peer certificates. For tests, demos and
 * development only. Immutable and thread-safe.
 */
public final class DevAuthority {
    /** The alias of the CA certificate in a trust store written by {@link #writeTruststore}. */
    public static final String TRUSTSTORE_ALIAS = "hamok-dev-ca";

    private final String name;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private DevAuthority(String name, PrivateKey key, X509Certificate certificate) {
        this.name = name;
        this.key = key;
        this.certificate = certificate;
    }

    static DevAuthority create(String name, Instant notBefore, Instant notAfter) {
        KeyPair keys = DevCertificates.newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new DevAuthority(name, keys.getPrivate(), sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make the CA certificate of " + name, e);
        }
    }

    /** The name given to {@link DevCertificates#newAuthority}; the CA's subject is {@code CN=<name>}. */
    public String name() {
        return name;
    }

    /** The self-signed CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the CA certificate as PEM (the trust anchor for Netty's {@code trustManager(File)}). */
    public void writeCaCertificate(Path file) throws IOException {
        Pem.write(file, Pem.certificates(List.of(certificate)), false);
    }

    /**
     * Writes a PKCS#12 trust store holding the CA certificate as a trusted certificate entry
     * ({@value #TRUSTSTORE_ALIAS}), protected by {@code password}; loads with
     * {@code KeyStore.getInstance("PKCS12")} and works in a {@code TrustManagerFactory}.
     */
    public void writeTruststore(Path file, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(TRUSTSTORE_ALIAS, certificate);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            Pem.write(file, out.toByteArray(), false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a PKCS#12 trust store", e);
        }
    }

    /**
     * Issues the certificate of a peer ({@code CN} and DNS name both {@code peerId}) and writes
     * {@code <peerId>.pem} (chain) and {@code <peerId>-key.pem} (PKCS#8 key) into {@code dir}.
     *
     * @throws IllegalArgumentException if {@code peerId} is not a DNS name ({@link DevCertificates#requirePeerId})
     */
    public DevIdentity issuePeer(Path dir, String peerId) throws IOException {
        DevCertificates.requirePeerId(peerId);
        return issue(peerId, List.of(peerId), dir.resolve(peerId + ".pem"), dir.resolve(peerId + "-key.pem"));
    }

    /** {@link #issue(String, List)}, then writes its chain to {@code certFile} and its key to {@code keyFile}. */
    public DevIdentity issue(String commonName, List<String> dnsNames, Path certFile, Path keyFile) throws IOException {
        DevIdentity identity = issue(commonName, dnsNames);
        identity.writeCertificateChain(certFile);
        identity.writePrivateKey(keyFile);
        return identity;
    }

    /** {@link #issue(String, List, Instant, Instant)} valid for the same window as this CA. */
    public DevIdentity issue(String commonName, List<String> dnsNames) {
        return issue(commonName, dnsNames, certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    /**
     * Issues a certificate for a fresh EC P-256 key, valid from {@code notBefore} to
     * {@code notAfter} (any window, also one in the past, to make expired certificates).
     *
     * @param commonName the subject CN, or {@code null} for none: the subject is then
     *     {@code O=<CA name>} only and {@code dnsNames} must not be empty
     * @param dnsNames the DNS subject alternative names, in order; empty for no such extension
     * @throws IllegalArgumentException if a name is not a DNS name, the window is empty or the
     *     certificate would name nobody
     */
    public DevIdentity issue(String commonName, List<String> dnsNames, Instant notBefore, Instant notAfter) {
        if (commonName == null && dnsNames.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs a common name or a DNS name");
        }
        if (!notBefore.isBefore(notAfter)) {
            throw new IllegalArgumentException("notBefore " + notBefore + " is not before notAfter " + notAfter);
        }
        dnsNames.forEach(DevCertificates::requireDnsName);
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, name);
        if (commonName != null) {
            subject.addRDN(BCStyle.CN, commonName); // last: the RFC 2253 string shows it first
        }
        KeyPair keys = DevCertificates.newKeyPair();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject.build(), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            if (!dnsNames.isEmpty()) {
                GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new DevIdentity(keys.getPrivate(), List.of(sign(builder, key), certificate));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + " " + dnsNames, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with SHA256withECDSA", e);
        }
    }

    /** A random positive 127-bit serial number (RFC 5280: at most 20 octets, unique per CA). */
    private static BigInteger serial() {
        return new BigInteger(127, DevCertificates.RANDOM).setBit(126);
    }

    @Override
    public String toString() {
        return "DevAuthority[" + certificate.getSubjectX500Principal() + "]";
    }
}
