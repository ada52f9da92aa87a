// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md §4: the Raft core, the log and the wire codecs take time and randomness as inputs so
 * that a seeded simulation replays exactly. This test fails the build when their sources call the
 * wall clock, sleep, or make an unseeded random source.
 */
@Timeout(30)
class DeterminismGuardTest {
    private static final List<Path> GUARDED = List.of(
            Path.of("src/main/java/io/hamok/raft"),
            Path.of("src/main/java/io/hamok/wire"));

    private static final Pattern FORBIDDEN = Pattern.compile(
            "System\\s*\\.\\s*(nanoTime|currentTimeMillis)\\s*\\("
                    + "|Instant\\s*\\.\\s*now\\s*\\(|LocalDateTime\\s*\\.\\s*now\\s*\\(|Clock\\s*\\.\\s*system"
                    + "|Thread\\s*\\.\\s*sleep\\s*\\(|TimeUnit\\s*\\.\\s*\\w+\\s*\\.\\s*sleep\\s*\\("
                    + "|new\\s+Random\\s*\\(\\s*\\)|new\\s+SplittableRandom\\s*\\(\\s*\\)"
                    + "|ThreadLocalRandom|Math\\s*\\.\\s*random\\s*\\(|SecureRandom"
                    + "|RandomGenerator\\s*\\.\\s*(getDefault|of)\\s*\\(");

    @Test
    @DisplayName("DESIGN.md §4: no wall clock, sleep or unseeded randomness in raft, log and wire code")
    void shouldNotUseWallClockSleepOrUnseededRandomInCore() {
        final List<String> hits = new ArrayList<>();
        for (Path dir : GUARDED) {
            assertTrue(Files.isDirectory(dir), "guarded source folder missing: " + dir.toAbsolutePath());
            sourcesIn(dir).forEach(file -> scan(file, hits));
        }
        assertEquals(List.of(), hits, "time and randomness must be injected (DESIGN.md §4)");
    }

    @Test
    void shouldRecogniseEveryForbiddenCall() {
        for (String bad : List.of("System.nanoTime()", "System.currentTimeMillis()", "Instant.now()",
                "Thread." + "sleep(5)", "new Random()", "ThreadLocalRandom.current()", "Math.random()",
                "new SplittableRandom()", "TimeUnit.MILLISECONDS.sleep(1)")) {
            assertTrue(FORBIDDEN.matcher(bad).find(), bad);
        }
        assertTrue(!FORBIDDEN.matcher("new SplittableRandom(seed)").find());
    }

    private static Stream<Path> sourcesIn(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void scan(Path file, List<String> hits) {
        try {
            final List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (FORBIDDEN.matcher(lines.get(i)).find()) {
                    hits.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
