// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the metrics example (README "Metrics") and reads its Prometheus scrape. */
@Timeout(120)
class MetricsDemoTest {
    @Test
    void shouldPrintAScrapeWithEveryNodesRaftTransportAndLatencyMeters() throws Exception {
        final String scrape = MetricsDemo.run();

        for (String node : List.of("node-1", "node-2", "node-3")) {
            final String tag = "node=\"" + node + "\"";
            assertTrue(value(scrape, "hamok_raft_term", tag) >= 1, node + " term");
            assertTrue(value(scrape, "hamok_raft_commit_index", tag) >= 200, node + " commit index");
            assertEquals(3, value(scrape, "hamok_raft_members", tag, "kind=\"voter\""), node + " voters");
            assertTrue(value(scrape, "hamok_transport_frames_sent_total", tag, "peer=\"") > 0, node + " frames");
            assertEquals(0, value(scrape, "hamok_transport_connections_refused_total", tag,
                    "cause=\"tls_handshake\""), node + " refusals by cause");
        }
        assertTrue(sum(scrape, "hamok_raft_role", "role=\"leader\"") >= 1, "a leader");
        assertTrue(sum(scrape, "hamok_raft_elections_won_total") >= 1, "an election won");
        assertEquals(200, sum(scrape, "hamok_request_latency_seconds_count"), "every write timed where it was made");
        assertTrue(sum(scrape, "hamok_raft_commit_latency_seconds_count") >= 200, "every entry timed on the leader");
        assertTrue(value(scrape, "hamok_request_latency_seconds", "quantile=\"0.99\"") > 0, "percentiles");
        assertTrue(samples(scrape, "hamok_raft_replication_lag").stream().filter(v -> v >= 0).count() >= 2,
                "the leader's lag for each of its two peers (NaN on followers)");
    }

    /** The value of the first sample of {@code name} whose labels contain each of {@code labels}. */
    private static double value(String scrape, String name, String... labels) {
        final List<Double> values = samples(scrape, name, labels);
        assertTrue(!values.isEmpty(), name + List.of(labels) + " in the scrape");
        return values.get(0);
    }

    private static double sum(String scrape, String name, String... labels) {
        return samples(scrape, name, labels).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The values of the samples of {@code name} whose labels contain each of {@code labels}, in scrape order. */
    private static List<Double> samples(String scrape, String name, String... labels) {
        final StringBuilder regex = new StringBuilder("(?m)^").append(name).append("\\{");
        for (String label : labels) {
            regex.append("(?=[^}]*").append(Pattern.quote(label)).append(')');
        }
        final Matcher m = Pattern.compile(regex.append("[^}]*} (\\S+)$").toString()).matcher(scrape);
        final List<Double> values = new ArrayList<>();
        while (m.find()) {
            values.add(Double.parseDouble(m.group(1)));
        }
        return values;
    }
}
