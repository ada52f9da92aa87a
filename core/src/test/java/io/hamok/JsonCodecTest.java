// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class JsonCodecTest {
    record Job(String id, int attempts, List<String> tags, Boolean done) {
    }

    private static <T> T roundTrip(Codec<T> codec, T value) {
        return codec.decode(codec.encode(value));
    }

    @Test
    void shouldRoundTripARecordClass() {
        final Job job = new Job("j-1", 0, List.of("a", "b"), false);

        assertEquals(job, roundTrip(JsonCodec.of(Job.class), job));
        assertEquals("{\"id\":\"j-1\",\"attempts\":0,\"tags\":[\"a\",\"b\"],\"done\":false}",
                new String(JsonCodec.of(Job.class).encode(job), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRoundTripAGenericListType() {
        final JsonCodec<List<Job>> codec = JsonCodec.of(new TypeReference<List<Job>>() { });
        final List<Job> jobs = List.of(new Job("a", 1, List.of(), null), new Job("b", 2, List.of("x"), true));

        assertEquals(jobs, roundTrip(codec, jobs));
        assertEquals(List.of(), roundTrip(codec, List.of()));
    }

    @Test
    void shouldEncodeZeroFalseAndTheEmptyStringAsValues() {
        assertArrayEquals("0".getBytes(StandardCharsets.UTF_8), JsonCodec.of(Integer.class).encode(0));
        assertArrayEquals("false".getBytes(StandardCharsets.UTF_8), JsonCodec.of(Boolean.class).encode(false));
        assertArrayEquals("\"\"".getBytes(StandardCharsets.UTF_8), JsonCodec.of(String.class).encode(""));
        assertEquals(0, roundTrip(JsonCodec.of(Integer.class), 0));
        assertEquals(false, roundTrip(JsonCodec.of(Boolean.class), false));
        assertEquals("", roundTrip(JsonCodec.of(String.class), ""));
    }

    @Test
    void shouldThrowIllegalArgumentNamingTheTypeWhenDecodingFails() {
        final IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> JsonCodec.of(Job.class).decode("{not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(garbage.getMessage().contains("Job"), garbage.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> JsonCodec.of(Integer.class).decode("\"abc\"".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> JsonCodec.of(Job.class).decode("null".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.of(Job.class).decode(new byte[0]));
    }

    @Test
    void shouldWriteMapEntriesSortedByKeySoThatEqualMapsGiveEqualBytes() {
        final JsonCodec<Map<String, Integer>> codec = JsonCodec.of(new TypeReference<Map<String, Integer>>() { });
        final Map<String, Integer> ba = new LinkedHashMap<>();
        ba.put("b", 2);
        ba.put("a", 1);

        assertEquals("{\"a\":1,\"b\":2}", new String(codec.encode(ba), StandardCharsets.UTF_8));
        assertEquals(Map.of("a", 1, "b", 2), roundTrip(codec, ba));
    }

    record SnakeJob(String jobId) {
    }

    @Test
    void shouldUseTheGivenObjectMapper() {
        final ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        final JsonCodec<SnakeJob> codec = JsonCodec.of(SnakeJob.class, mapper);

        assertEquals("{\"job_id\":\"j\"}", new String(codec.encode(new SnakeJob("j")), StandardCharsets.UTF_8));
        assertEquals(new SnakeJob("j"), roundTrip(codec, new SnakeJob("j")));
    }
}
