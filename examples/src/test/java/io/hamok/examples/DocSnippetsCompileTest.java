// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ```java} block of the README and of {@code docs/*.md} compiles against the real API.
 *
 * <p>A block that declares a top-level type ({@code class}, {@code record}, {@code interface},
 * {@code enum} at the start of a line) is compiled as a file of its own; any other block is a list of
 * statements, compiled as the body of a method that may throw and that is given a {@code Hamok hamok}
 * unless the block makes its own. Each block gets a package of its own. Both get {@link #IMPORTS} (the public
 * packages of Hamok and the usual JDK ones), so a snippet need not repeat them. A block that must not
 * be compiled (pseudo-code) is fenced as {@code ```text} instead.
 */
@Timeout(120)
class DocSnippetsCompileTest {
    static final String IMPORTS = String.join("\n",
            "import io.hamok.*;",
            "import io.hamok.emitter.*;",
            "import io.hamok.map.*;",
            "import io.hamok.queue.*;",
            "import io.hamok.metrics.*;",
            "import io.hamok.record.*;",
            "import io.hamok.remotemap.*;",
            "import io.hamok.remotemap.redis.*;",
            "import io.hamok.raft.*;",
            "import io.hamok.transport.netty.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import io.micrometer.prometheusmetrics.*;",
            "");
    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("(?m)^(public |final |abstract |sealed )*(class|record|interface|enum) \\w+");
    /** A block that makes the {@code hamok} its statements use. */
    private static final Pattern MAKES_HAMOK = Pattern.compile("\\bHamok hamok\\s*=");
    /** {@code public} in front of a top-level type: dropped, so that any file name will do. */
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("(?m)^public (?=(final |abstract |sealed )*(class|record|interface|enum) )");

    /** One fenced block: where it is (for the failure message) and its text. */
    record Snippet(String where, String code) {
    }

    @Test
    void shouldCompileEveryJavaBlockOfTheDocs(@TempDir Path dir) throws IOException {
        final Path root = Path.of("..").toAbsolutePath().normalize();
        final List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        final List<Snippet> snippets = new ArrayList<>();
        for (Path doc : docs) {
            snippets.addAll(javaBlocks(doc, root));
        }
        assertFalse(snippets.isEmpty(), "no ```java block found in " + docs);

        final List<Path> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            sources.add(write(dir, i, snippets.get(i)));
        }
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "run the tests on a JDK, not a JRE");
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            final List<String> options = List.of("-d", dir.resolve("classes").toString(),
                    "-classpath", System.getProperty("java.class.path"), "-proc:none", "-nowarn");
            final boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            final StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    final int index = indexOf(d.getSource().getName());
                    errors.append(snippets.get(index).where()).append(": ").append(d.getMessage(null))
                            .append("\n");
                }
            }
            assertTrue(ok, "doc snippets that do not compile:\n" + errors);
        }
    }

    static List<Snippet> javaBlocks(Path doc, Path root) throws IOException {
        final List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        final List<Snippet> out = new ArrayList<>();
        StringBuilder block = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            if (block == null && line.strip().equals("```java")) {
                block = new StringBuilder();
                start = i + 2;
            } else if (block != null && line.strip().equals("```")) {
                out.add(new Snippet(root.relativize(doc) + ":" + start, block.toString()));
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return out;
    }

    /** Each snippet in a package of its own, so two snippets may declare types of the same name. */
    private static Path write(Path dir, int index, Snippet snippet) throws IOException {
        final String name = "Snippet" + index;
        final String header = "package snippet" + index + ";\n" + IMPORTS;
        final String source = TYPE_DECLARATION.matcher(snippet.code()).find()
                ? header + PUBLIC_TYPE.matcher(snippet.code()).replaceAll("")
                : header + "class " + name + " {\n    void snippet(" + (MAKES_HAMOK.matcher(snippet.code()).find() ? ""
                        : "Hamok hamok") + ") throws Exception {\n" + snippet.code() + "    }\n}\n";
        final Path file = dir.resolve(name + ".java");
        Files.writeString(file, source);
        return file;
    }

    private static int indexOf(String sourceName) {
        final String file = Path.of(sourceName).getFileName().toString();
        return Integer.parseInt(file.substring("Snippet".length(), file.length() - ".java".length()));
    }
}
