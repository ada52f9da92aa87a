package io.hamok;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jackson is optional: only the two JSON codecs may mention it, so users without it can use the rest. */
@Timeout(30)
class CodecJacksonIsolationTest {
    private static final Set<String> ALLOWED = Set.of("JsonCodec.java", "JsonRecordCodec.java");

    @Test
    void shouldReferenceJacksonOnlyFromTheJsonCodecs() throws IOException {
        final Path main = Path.of("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the core module: " + main.toAbsolutePath());
        final List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !ALLOWED.contains(p.getFileName().toString()))
                    .filter(CodecJacksonIsolationTest::mentionsJackson)
                    .map(Path::toString)
                    .collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders);
    }

    private static boolean mentionsJackson(Path file) {
        try {
            return Files.readString(file).contains("com.fasterxml.jackson");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
