// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.sim.SimulationSeedExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.hamok.state.StateFixtures.EMPTY;
import static io.hamok.state.StateFixtures.b;
import static io.hamok.state.StateFixtures.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas fed the same random log (every request type, conditions that hold and fail, retried
 * requests, out-of-order request ids, kind mismatches, malformed entries) end in identical states,
 * and so does a replica restored from a snapshot taken midway and fed the rest.
 */
@Timeout(30)
class ReplicatedStoragesRandomTest {
    @RegisterExtension
    static final SimulationSeedExtension SEEDS = new SimulationSeedExtension();

    private static final int SEEDS_TO_RUN = 25;
    private static final int LOG_LENGTH = 1_500;
    private static final int DEDUP_WINDOW = 64;
    private static final String[] SOURCES = {"p1", "p2", "p3"};
    private static final String[] STORAGES = {"m1", "m2", "r1", "r2"};
    private static final String[] VALUES = {"", "v0", "v1", "v2"};

    @Test
    void shouldEndIdenticalOnReplicasFedTheSameRandomLogAndOnOneRestoredMidway() {
        final Long replay = SimulationSeedExtension.replaySeed();
        final int totalRuns = replay == null ? SEEDS_TO_RUN : 1;
        final int[] outcomes = new int[Outcome.values().length];
        for (int run = 0; run < totalRuns; run++) {
            final long seed = replay == null ? 0x5eed_0000L + run : replay;
            SEEDS.register(seed);
            runOne(seed, outcomes);
        }
        SEEDS.clear();
        for (Outcome o : Outcome.values()) {
            assertTrue(outcomes[o.ordinal()] > 0, "the random logs never produced " + o);
        }
    }

    private enum Outcome { APPLIED, CONDITION_FAILED, REFUSED, DUPLICATE, RAW, EVENT }

    private static void runOne(long seed, int[] outcomes) {
        final List<byte[]> log = new LogGenerator(new SplittableRandom(seed)).generate(LOG_LENGTH);
        final int midway = log.size() / 2;
        final RecordingObserver seenA = new RecordingObserver();
        final RecordingObserver seenB = new RecordingObserver();
        final RecordingObserver seenC = new RecordingObserver();
        final ReplicatedStorages a = new ReplicatedStorages(seenA, DEDUP_WINDOW);
        final ReplicatedStorages b = new ReplicatedStorages(seenB, DEDUP_WINDOW);
        final ReplicatedStorages c = new ReplicatedStorages(seenC);

        for (int i = 0; i < midway; i++) {
            feed(a, i + 1, log.get(i));
            feed(b, i + 1, log.get(i));
        }
        c.restore(a.snapshot(), midway);
        final int linesBeforeRest = seenA.lines.size();
        seenC.clear();
        for (int i = midway; i < log.size(); i++) {
            feed(a, i + 1, log.get(i));
            feed(b, i + 1, log.get(i));
            feed(c, i + 1, log.get(i));
        }

        assertEquals(seenA.lines, seenB.lines, "what the replicas reported");
        assertEquals(seenA.lines.subList(linesBeforeRest, seenA.lines.size()), seenC.lines,
                "what the restored replica reported after the restore");
        final byte[] snapshot = a.snapshot();
        assertArrayEquals(snapshot, b.snapshot());
        assertArrayEquals(snapshot, c.snapshot());
        for (String storage : STORAGES) {
            assertEquals(a.kindOf(storage), c.kindOf(storage));
            assertSameEntries(a.view(storage).copy(), c.view(storage).copy());
        }
        count(seenA, a, outcomes);
    }

    private static void assertSameEntries(Map<ByteKey, byte[]> expected, Map<ByteKey, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k.toString()));
    }

    private static void count(RecordingObserver seen, ReplicatedStorages state, int[] outcomes) {
        for (StorageResult r : seen.results) {
            final Outcome o = r.isRefused() ? Outcome.REFUSED : r.applied() ? Outcome.APPLIED : Outcome.CONDITION_FAILED;
            outcomes[o.ordinal()]++;
        }
        outcomes[Outcome.DUPLICATE.ordinal()] += (int) state.duplicates();
        outcomes[Outcome.RAW.ordinal()] += (int) state.nonStorageEntries();
        outcomes[Outcome.EVENT.ordinal()] += seen.events.size();
    }

    /** Builds a random log of encoded entries; all randomness comes from the seeded source. */
    private static final class LogGenerator {
        private final SplittableRandom random;
        private final Map<String, Long> nextIds = new HashMap<>();
        private final Map<String, List<Long>> skippedIds = new HashMap<>();
        private final List<byte[]> emitted = new ArrayList<>();

        LogGenerator(SplittableRandom random) {
            this.random = random;
        }

        List<byte[]> generate(int length) {
            final List<byte[]> log = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                final int dice = random.nextInt(100);
                if (dice < 4) {
                    final byte[] garbage = new byte[random.nextInt(6)];
                    random.nextBytes(garbage);
                    log.add(garbage);
                } else if (dice < 14 && !emitted.isEmpty()) {
                    log.add(emitted.get(random.nextInt(emitted.size()))); // a retried request
                } else {
                    final byte[] request = nextRequest().toBytes();
                    emitted.add(request);
                    log.add(request);
                }
            }
            return log;
        }

        private StorageRequest nextRequest() {
            final String source = SOURCES[random.nextInt(SOURCES.length)];
            final String storage = STORAGES[random.nextInt(STORAGES.length)];
            final StorageKind intended = storage.startsWith("m") ? StorageKind.MAP : StorageKind.RECORD;
            final StorageKind kind = random.nextInt(100) < 5
                    ? (intended == StorageKind.MAP ? StorageKind.RECORD : StorageKind.MAP) : intended;
            final RequestType type = RequestType.values()[random.nextInt(RequestType.values().length)];
            final List<byte[]> keys = type == RequestType.CLEAR ? List.of() : keys(1 + random.nextInt(3));
            final boolean needsValues = type == RequestType.SET || type == RequestType.INSERT;
            final boolean conditional = (type == RequestType.SET || type == RequestType.REMOVE)
                    && random.nextInt(100) < 40;
            final List<byte[]> conditionalKeys = conditional && kind == StorageKind.MAP && random.nextInt(100) < 80
                    ? keys.subList(0, 1) : keys;
            final List<byte[]> values = needsValues ? values(conditionalKeys.size()) : List.of();
            final byte[] prev = conditional ? condition(kind) : null;
            return new StorageRequest(source, nextId(source), kind, storage, type, conditionalKeys, values, prev);
        }

        private byte[] condition(StorageKind kind) {
            if (kind == StorageKind.MAP) {
                return value();
            }
            final RecordCondition c = new RecordCondition();
            for (int i = random.nextInt(3); i > 0; i--) {
                if (random.nextInt(4) == 0) {
                    c.expectAbsent(key());
                } else {
                    c.expect(key(), value());
                }
            }
            return c.toBytes();
        }

        /** Mostly increasing ids, some skipped and used later (out of order, sometimes beyond the window). */
        private long nextId(String source) {
            final List<Long> skipped = skippedIds.computeIfAbsent(source, s -> new ArrayList<>());
            if (!skipped.isEmpty() && random.nextInt(100) < 15) {
                return skipped.remove(random.nextInt(skipped.size()));
            }
            long id = nextIds.getOrDefault(source, 1L);
            while (random.nextInt(100) < 10) {
                skipped.add(id++);
            }
            nextIds.put(source, id + 1);
            return id;
        }

        private List<byte[]> keys(int n) {
            final List<byte[]> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keys.add(key());
            }
            return keys;
        }

        private List<byte[]> values(int n) {
            final List<byte[]> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(value());
            }
            return values;
        }

        private byte[] key() {
            return b("k" + random.nextInt(5));
        }

        private byte[] value() {
            final String v = VALUES[random.nextInt(VALUES.length)];
            return v.isEmpty() ? EMPTY : b(v);
        }
    }
}
