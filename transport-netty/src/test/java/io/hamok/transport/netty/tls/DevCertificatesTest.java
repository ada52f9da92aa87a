// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty.tls;

import io.hamok.transport.netty.LeakCheckExtension;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Development certificates: their content, and real TLS 1.3 mutual handshakes with them in Netty. */
@Timeout(60)
@ExtendWith(LeakCheckExtension.class)
class DevCertificatesTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DNS_NAME = 2;
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void shouldWritePeerCertificatesThatChainToTheCaWithPeerIdAsCnAndDnsName() throws Exception {
        DevCertificates.createCluster(dir, "test", List.of("n1", "n2", "node-3"));

        X509Certificate ca = certificates(dir.resolve("ca.pem")).get(0);
        ca.verify(ca.getPublicKey());
        assertTrue(ca.getBasicConstraints() >= 0, "CA certificate is not a CA");
        for (String peerId : List.of("n1", "n2", "node-3")) {
            List<X509Certificate> chain = certificates(dir.resolve(peerId + ".pem"));
            X509Certificate cert = chain.get(0);
            assertEquals(List.of(cert, ca), chain, "the chain is the peer certificate, then the CA");
            cert.verify(ca.getPublicKey());
            validatePkix(cert, ca);
            assertEquals("CN=" + peerId + ",O=test development CA", cert.getSubjectX500Principal().getName());
            assertEquals(List.of(peerId), dnsNames(cert));
            assertTrue(cert.getExtendedKeyUsage().containsAll(List.of(SERVER_AUTH, CLIENT_AUTH)), "EKU");
            assertTrue(cert.getKeyUsage()[0], "digitalSignature");
            assertEquals(-1, cert.getBasicConstraints(), "a peer certificate must not be a CA");
            assertEquals("SHA256withECDSA", cert.getSigAlgName());
            cert.checkValidity(inThirtyDays());
            String key = Files.readString(dir.resolve(peerId + "-key.pem"));
            assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----\n"), key);
        }
    }

    @Test
    void shouldKeepKeyFilesPrivateOnPosix() throws Exception {
        DevCertificates.createCluster(dir, "test", List.of("n1"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("n1-key.pem"))));
        }
    }

    @Test
    void shouldHandshakeWithTls13BothWaysAuthenticatedFromPemFiles() throws Exception {
        DevCertificates.createCluster(dir, "test", List.of("n1", "n2"));

        EmbeddedTls.Result result = EmbeddedTls.handshake(server("n1", "ca.pem"), client("n2", "ca.pem"), "n1");

        assertTrue(result.succeeded(), () -> "client: " + result.clientFailure() + ", server: " + result.serverFailure());
        assertEquals("TLSv1.3", result.protocol());
        assertEquals("CN=n2,O=test development CA", result.clientCertificateSeenByServer().getSubjectX500Principal().getName());
    }

    @Test
    void shouldRefuseClientWhoseCertificateComesFromAnotherCa() throws Exception {
        DevCertificates.createCluster(dir, "test", List.of("n1"));
        DevCertificates.newAuthority("attacker").issue("n2", List.of("n2"), dir.resolve("n2.pem"), dir.resolve("n2-key.pem"));

        EmbeddedTls.Result result = EmbeddedTls.handshake(server("n1", "ca.pem"), client("n2", "ca.pem"), "n1");

        // the JDK's client key manager sent no certificate: the server asked for ones of its own CA
        assertNotNull(result.serverFailure(), "the server accepted a client of another CA");
        // TLS 1.3: the client's handshake is complete once it sent its Finished; the server's alert comes after
    }

    @Test
    void shouldRefuseClientThatPresentsCertificateOfAnotherCaAnyway() throws Exception {
        DevCertificates.createCluster(dir, "test", List.of("n1"));
        DevIdentity attacker = DevCertificates.newAuthority("attacker").issue("n2", List.of("n2"));
        SslContext client = SslContextBuilder.forClient().keyManager(new AnyIssuerKeyManager(attacker))
                .trustManager(dir.resolve("ca.pem").toFile()).protocols("TLSv1.3").build();

        EmbeddedTls.Result result = EmbeddedTls.handshake(server("n1", "ca.pem"), client, "n1");

        assertNotNull(result.serverFailure(), "the server accepted a chain of another CA");
    }

    @Test
    void shouldRefuseServerWhoseCertificateComesFromAnotherCa() throws Exception {
        DevCertificates.createCluster(dir, "test", List.of("n2"));
        DevCertificates.newAuthority("attacker").issue("n1", List.of("n1"), dir.resolve("n1.pem"), dir.resolve("n1-key.pem"));

        EmbeddedTls.Result result = EmbeddedTls.handshake(server("n1", "ca.pem"), client("n2", "ca.pem"), "n1");

        assertNotNull(result.clientFailure(), "the client accepted a server of another CA");
    }

    @Test
    void shouldRefuseServerWhoseDnsNameIsNotTheNameDialed() throws Exception {
        DevAuthority ca = DevCertificates.createCluster(dir, "test", List.of("n2"));
        ca.issue("n1", List.of("n3"), dir.resolve("n1.pem"), dir.resolve("n1-key.pem")); // CN n1, SAN n3

        EmbeddedTls.Result result = EmbeddedTls.handshake(server("n1", "ca.pem"), client("n2", "ca.pem"), "n1");

        assertNotNull(result.clientFailure(), "Netty 4.2 clients verify the server's DNS name (HTTPS rules)");
    }

    @Test
    void shouldRefuseExpiredClientCertificate() throws Exception {
        DevAuthority ca = DevCertificates.createCluster(dir, "test", List.of("n1"));
        Instant now = Instant.now();
        DevIdentity expired = ca.issue("n2", List.of("n2"), now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)));
        expired.writeCertificateChain(dir.resolve("n2.pem"));
        expired.writePrivateKey(dir.resolve("n2-key.pem"));

        assertThrows(CertificateExpiredException.class, () -> expired.certificate().checkValidity());
        EmbeddedTls.Result result = EmbeddedTls.handshake(server("n1", "ca.pem"), client("n2", "ca.pem"), "n1");
        assertNotNull(result.serverFailure(), "the server accepted an expired client certificate");
    }

    @Test
    void shouldIssueTheOddCertificatesThatTransportTestsNeed() throws Exception {
        DevAuthority ca = DevCertificates.newAuthority("test CA");

        DevIdentity noCn = ca.issue(null, List.of("n2"));
        DevIdentity otherSan = ca.issue("n2", List.of("n3"));
        DevIdentity twoSans = ca.issue("n1", List.of("n1", "n1.example.org"));

        assertEquals("O=test CA", noCn.certificate().getSubjectX500Principal().getName());
        assertEquals(List.of("n2"), dnsNames(noCn.certificate()));
        assertEquals("CN=n2,O=test CA", otherSan.certificate().getSubjectX500Principal().getName());
        assertEquals(List.of("n3"), dnsNames(otherSan.certificate()));
        assertEquals(List.of("n1", "n1.example.org"), dnsNames(twoSans.certificate()));
        assertNull(ca.issue("n4", List.of()).certificate().getSubjectAlternativeNames());
        for (DevIdentity identity : List.of(noCn, otherSan, twoSans)) {
            validatePkix(identity.certificate(), ca.certificate());
        }
        assertThrows(IllegalArgumentException.class, () -> ca.issue(null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> ca.issue("x", List.of("bad_name")));
    }

    @Test
    void shouldWritePkcs12KeyAndTrustStoresThatWorkInJdkFactoriesAndNetty() throws Exception {
        DevAuthority ca = DevCertificates.newAuthority("test");
        ca.issue("n1", List.of("n1")).writePkcs12(dir.resolve("n1.p12"), PASSWORD);
        ca.issue("n2", List.of("n2")).writePkcs12(dir.resolve("n2.p12"), PASSWORD);
        ca.writeTruststore(dir.resolve("trust.p12"), PASSWORD);

        KeyManagerFactory n1 = keyManagers("n1.p12");
        X509KeyManager keyManager = (X509KeyManager) n1.getKeyManagers()[0];
        assertEquals(2, keyManager.getCertificateChain(DevIdentity.KEYSTORE_ALIAS).length);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("trust.p12"));

        SslContext server = SslContextBuilder.forServer(n1).trustManager(trust)
                .clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").build();
        SslContext client = SslContextBuilder.forClient().keyManager(keyManagers("n2.p12")).trustManager(trust)
                .protocols("TLSv1.3").build();
        EmbeddedTls.Result result = EmbeddedTls.handshake(server, client, "n1");

        assertTrue(result.succeeded(), () -> "client: " + result.clientFailure() + ", server: " + result.serverFailure());
        assertEquals("CN=n2,O=test", result.clientCertificateSeenByServer().getSubjectX500Principal().getName());
    }

    @Test
    void shouldWriteCaAndPeerFilesFromTheCommandLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path target = dir.resolve("certs");

        int status = DevCertificates.run(new String[] {target.toString(), "node-1", "node-2"}, print(out), print(err));

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        for (String file : List.of("ca.pem", "node-1.pem", "node-1-key.pem", "node-2.pem", "node-2-key.pem")) {
            assertTrue(Files.isRegularFile(target.resolve(file)), file);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(target.resolve(file).toString()), file);
        }
        assertFalse(Files.exists(target.resolve("ca-key.pem")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("WARNING"));
        assertEquals(2, DevCertificates.run(new String[] {target.toString()}, print(out), print(err)));
        assertEquals(2, DevCertificates.run(new String[] {target.toString(), "../n1"}, print(out), print(err)));
    }

    @Test
    void shouldRefusePeerIdsThatAreNotDnsNames() {
        for (String bad : List.of("", "a/b", "../x", "a_b", "*.x", "-a", "a..b", ".a", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> DevCertificates.requirePeerId(bad), bad);
        }
        for (String good : List.of("n1", "node-1", "N1.cluster.local", "1")) {
            assertEquals(good, DevCertificates.requirePeerId(good));
        }
        assertThrows(IllegalArgumentException.class, () -> DevCertificates.createCluster(dir, "x", List.of("a", "a")));
    }

    private SslContext server(String peerId, String caFile) throws Exception {
        return SslContextBuilder.forServer(dir.resolve(peerId + ".pem").toFile(), dir.resolve(peerId + "-key.pem").toFile())
                .trustManager(dir.resolve(caFile).toFile()).clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").build();
    }

    private SslContext client(String peerId, String caFile) throws Exception {
        return SslContextBuilder.forClient()
                .keyManager(dir.resolve(peerId + ".pem").toFile(), dir.resolve(peerId + "-key.pem").toFile())
                .trustManager(dir.resolve(caFile).toFile()).protocols("TLSv1.3").build();
    }

    private KeyManagerFactory keyManagers(String file) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(load(file), PASSWORD);
        return factory;
    }

    private KeyStore load(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static List<X509Certificate> certificates(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(c -> certificates.add((X509Certificate) c));
            return certificates;
        }
    }

    private static void validatePkix(X509Certificate cert, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), parameters);
    }

    private static List<String> dnsNames(X509Certificate cert) throws Exception {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        for (List<?> san : sans) {
            assertEquals(DNS_NAME, san.get(0), "only DNS names are issued");
            names.add((String) san.get(1));
        }
        return names;
    }

    /** Thirty days from now: within the default validity. */
    private static Date inThirtyDays() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
