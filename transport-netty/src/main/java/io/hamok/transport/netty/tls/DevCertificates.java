// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty.tls;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Development certificates for mutual TLS between Hamok peers: a throw-away certificate authority
 * and one certificate per peer, as PEM files that Netty's {@code SslContextBuilder} reads, or as
 * PKCS#12 key and trust stores. <strong>For tests, demos and development only.</strong> Production
 * clusters should use their own PKI (an internal CA, cert-manager, Vault, ...); the README shows
 * {@code openssl} commands that make equivalent files.
 *
 * <p>What is made: keys are EC P-256, certificates are signed with SHA256withECDSA (accepted by
 * the JDK's TLS 1.3, and by OpenSSL). The CA certificate is self-signed, a CA (basic constraints)
 * with key usage keyCertSign and cRLSign. A peer certificate, signed by the CA, has subject
 * {@code CN=<peer id>, O=<CA name>}, a DNS subject alternative name equal to the peer id, key usage
 * digitalSignature and extended key usages serverAuth and clientAuth, since every peer both
 * accepts and dials connections. Unless told otherwise, certificates are valid from one day ago
 * (clock skew) until {@link #DEFAULT_VALIDITY} from now.
 *
 * <p>Files written by {@link #createCluster} into one directory:
 * <ul>
 *   <li>{@value #CA_FILE}: the CA certificate (the trust anchor of every peer);</li>
 *   <li>{@code <peerId>.pem}: the peer's certificate chain, its own certificate first, then the CA
 *       certificate;</li>
 *   <li>{@code <peerId>-key.pem}: the peer's private key, unencrypted PKCS#8
 *       ({@code BEGIN PRIVATE KEY}), owner-readable only on POSIX file systems.</li>
 * </ul>
 * Existing files of those names are replaced. The CA private key is never written: it lives in
 * the {@link DevAuthority} object, which tests use to issue more certificates (an unrelated CA, an
 * expired certificate, one without a CN, ...). Adding a peer later from the command line means
 * making the whole set again.
 *
 * <p>Needs {@code org.bouncycastle:bcpkix-jdk18on} on the class path, an optional dependency of
 * this module. The BouncyCastle provider is not registered: keys, signatures and certificate
 * parsing use the JDK's own providers. Thread-safe; {@link DevAuthority} and {@link DevIdentity}
 * are immutable.
 */
public final class DevCertificates {
    /** How long certificates stay valid unless told otherwise. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    /** The file name of the CA certificate written by {@link #createCluster}. */
    public static final String CA_FILE = "ca.pem";

    /** What the JDK accepts as a DNS name: dot-separated labels of letters, digits and '-', each starting with a letter or digit; optionally a leading "*.". */
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9][A-Za-z0-9-]*(\\.[A-Za-z0-9][A-Za-z0-9-]*)*");
    static final SecureRandom RANDOM = new SecureRandom();

    private DevCertificates() {
    }

    /** A new CA named {@code CN=<name>}, valid from one day ago until {@link #DEFAULT_VALIDITY} from now. */
    public static DevAuthority newAuthority(String name) {
        return newAuthority(name, DEFAULT_VALIDITY);
    }

    /**
     * A new CA named {@code CN=<name>}, valid from one day ago until {@code validity} from now;
     * certificates it issues without explicit dates get the same window.
     */
    public static DevAuthority newAuthority(String name, Duration validity) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("CA name must not be blank");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        Instant now = Instant.now();
        return DevAuthority.create(name, now.minus(Duration.ofDays(1)), now.plus(validity));
    }

    /** {@link #createCluster(Path, String, List, Duration)} with {@link #DEFAULT_VALIDITY}. */
    public static DevAuthority createCluster(Path dir, String clusterName, List<String> peerIds) throws IOException {
        return createCluster(dir, clusterName, peerIds, DEFAULT_VALIDITY);
    }

    /**
     * Makes a CA named {@code "<clusterName> development CA"} and one certificate per peer, and
     * writes {@value #CA_FILE}, {@code <peerId>.pem} and {@code <peerId>-key.pem} into {@code dir}
     * (created if missing). Peer ids must be DNS names (see {@link #requirePeerId}).
     *
     * @return the CA, which can issue more certificates
     */
    public static DevAuthority createCluster(Path dir, String clusterName, List<String> peerIds, Duration validity)
            throws IOException {
        if (peerIds.isEmpty() || peerIds.stream().distinct().count() != peerIds.size()) {
            throw new IllegalArgumentException("peer ids must be given, each once: " + peerIds);
        }
        peerIds.forEach(DevCertificates::requirePeerId);
        DevAuthority ca = newAuthority(clusterName + " development CA", validity);
        ca.writeCaCertificate(dir.resolve(CA_FILE));
        for (String peerId : peerIds) {
            ca.issuePeer(dir, peerId);
        }
        return ca;
    }

    /**
     * Checks that a peer id can name a certificate and its files: letters, digits and hyphens in
     * dot-separated labels, each label starting with a letter or digit (what the JDK accepts as a
     * DNS subject alternative name; also safe as a file name).
     *
     * @return {@code peerId}
     */
    public static String requirePeerId(String peerId) {
        if (peerId == null || peerId.startsWith("*") || !DNS_NAME.matcher(peerId).matches()) {
            throw new IllegalArgumentException("peer id '" + peerId
                    + "' is not a DNS name (letters, digits, '-' in '.'-separated labels)");
        }
        return peerId;
    }

    static String requireDnsName(String name) {
        if (name == null || !DNS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a DNS name");
        }
        return name;
    }

    /** A fresh EC P-256 key pair. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /**
     * {@code DevCertificates <outDir> <peerId>...}: writes {@value #CA_FILE} and one certificate
     * and key per peer into {@code outDir}, valid for {@link #DEFAULT_VALIDITY}, and lists them.
     * The CA key is not kept. Exits with status 2 on bad arguments.
     */
    public static void main(String[] args) throws IOException {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** {@link #main} without the exit: returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length < 2) {
            err.println("usage: DevCertificates <outDir> <peerId>...");
            err.println("writes ca.pem, <peerId>.pem and <peerId>-key.pem: development certificates for mutual TLS");
            return 2;
        }
        Path dir = Path.of(args[0]);
        List<String> peerIds = List.of(args).subList(1, args.length);
        try {
            peerIds.forEach(DevCertificates::requirePeerId);
            createCluster(dir, "hamok", peerIds);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        out.println("wrote " + dir.resolve(CA_FILE) + "  (CA certificate: every peer's trust anchor)");
        for (String peerId : peerIds) {
            out.println("wrote " + dir.resolve(peerId + ".pem") + "  (certificate chain of " + peerId + ")");
            out.println("wrote " + dir.resolve(peerId + "-key.pem") + "  (private key of " + peerId + ", unencrypted)");
        }
        out.println("WARNING: development/demo certificates only, with unencrypted keys. The CA key was not kept:"
                + " to add a peer, make the whole set again. Production clusters should use their own PKI.");
        return 0;
    }
}
