// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Core's optional dependencies stay in their corners, so users without them can use the rest: only the
 * two JSON codecs mention Jackson, only the metrics package mentions Micrometer.
 */
@Timeout(30)
class OptionalDependencyIsolationTest {
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void shouldReferenceJacksonOnlyFromTheJsonCodecs() throws IOException {
        final List<String> allowed = List.of("JsonCodec.java", "JsonRecordCodec.java");
        assertEquals(List.of(), offenders("com.fasterxml.jackson", p -> allowed.contains(p.getFileName().toString())));
    }

    @Test
    void shouldReferenceMicrometerOnlyFromTheMetricsPackage() throws IOException {
        final Path metrics = MAIN.resolve("io/hamok/metrics");
        assertTrue(Files.isDirectory(metrics), "the metrics package: " + metrics.toAbsolutePath());
        assertEquals(List.of(), offenders("io.micrometer", p -> p.startsWith(metrics)));
    }

    /** Main sources outside {@code allowed} whose text contains {@code name}. */
    private static List<String> offenders(String name, Predicate<Path> allowed) throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the core module: " + MAIN.toAbsolutePath());
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(allowed.negate())
                    .filter(p -> mentions(p, name))
                    .map(Path::toString)
                    .collect(Collectors.toList());
        }
    }

    private static boolean mentions(Path file, String name) {
        try {
            return Files.readString(file).contains(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
