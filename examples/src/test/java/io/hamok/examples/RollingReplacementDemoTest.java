// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the rolling-replacement demo (README "Membership") the way {@code -Prolling} does, and checks its outcome. */
@Timeout(180)
class RollingReplacementDemoTest {
    @TempDir
    Path certs;

    @Test
    void shouldReplaceEveryNodeByANewIdWhileTheClientWritesAndLoseNoAcknowledgedWrite() throws Exception {
        final ByteArrayOutputStream story = new ByteArrayOutputStream();
        final RollingReplacementDemo.Result r = RollingReplacementDemo.run(certs,
                new PrintStream(story, true, StandardCharsets.UTF_8));
        final String text = story.toString(StandardCharsets.UTF_8);
        assertEquals(Set.of("node-4", "node-5", "node-6"), Set.copyOf(r.finalMembers()), text);
        assertEquals(r.acknowledged(), r.presentOnEveryMember(), text);
        assertTrue(r.acknowledged() >= 7 * 50, "the client wrote throughout: " + r);
        for (String old : new String[]{"node-1", "node-2", "node-3"}) {
            assertTrue(text.contains(old + " leaves"), text);
        }
    }
}
