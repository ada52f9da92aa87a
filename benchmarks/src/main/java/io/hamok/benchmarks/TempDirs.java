// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Temporary directories of the rigs' file logs. */
final class TempDirs {
    private TempDirs() {
    }

    /** A new directory under {@code -Dhamok.rig.dir} (default: the system's temporary directory). */
    static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(Path.of(System.getProperty("hamok.rig.dir",
                System.getProperty("java.io.tmpdir"))), prefix);
    }

    /** Deletes {@code dir} and everything below it; nothing when {@code dir} is null. */
    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
