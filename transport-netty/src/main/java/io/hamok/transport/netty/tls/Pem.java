// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM text (RFC 7468) for certificates and PKCS#8 private keys, and the files that hold it. */
final class Pem {
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    /** The certificates, one "CERTIFICATE" block each, in order. */
    static String certificates(List<X509Certificate> certificates) {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                text.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
            }
        }
        return text.toString();
    }

    /** An unencrypted PKCS#8 "PRIVATE KEY" block. */
    static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Writes (replaces) {@code file}, creating its directory. */
    static void write(Path file, String text, boolean secret) throws IOException {
        write(file, text.getBytes(StandardCharsets.US_ASCII), secret);
    }

    /**
     * Writes (replaces) {@code file}, creating its directory. A secret file is created readable and
     * writable by its owner only where the file system is POSIX (elsewhere it gets the defaults).
     */
    static void write(Path file, byte[] content, boolean secret) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (secret) {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                // e.g. Windows: Files.write creates it with the defaults
            }
        }
        Files.write(file, content);
    }
}
