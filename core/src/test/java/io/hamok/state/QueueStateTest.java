// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.queue.QueueState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static io.hamok.state.StateFixtures.b;
import static io.hamok.state.StateFixtures.bs;
import static io.hamok.state.StateFixtures.feed;
import static io.hamok.state.StateFixtures.request;
import static io.hamok.state.StateFixtures.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link QueueState} through {@link ReplicatedStorages}: requests, results, events, snapshots, readers. */
@Timeout(60)
class QueueStateTest {
    private final RecordingObserver observer = new RecordingObserver();
    private final ReplicatedStorages storages = new ReplicatedStorages(observer);
    private long index;
    private long requestId;

    private void push(String... items) {
        apply(RequestType.INSERT, List.of(), bs(items), null);
    }

    private StorageResult pop() {
        apply(RequestType.REMOVE, List.of(), List.of(), null);
        return observer.results.get(observer.results.size() - 1);
    }

    private StorageResult apply(RequestType type, List<byte[]> keys, List<byte[]> values, byte[] prev) {
        feed(storages, ++index, request("peer-a", ++requestId, StorageKind.QUEUE, "q", type, keys, values, prev));
        return observer.results.get(observer.results.size() - 1);
    }

    private QueueState queue() {
        return (QueueState) storages.state("q");
    }

    private List<String> events() {
        final List<String> out = new ArrayList<>();
        observer.lines.stream().filter(l -> l.startsWith("event ")).forEach(l -> out.add(l.substring(6)));
        return out;
    }

    @Test
    void shouldPopInPushOrderAndReportEachChange() {
        push("a", "b");
        push("c");
        assertEquals(List.of("a", "b", "c"), strings(queue().items()));
        assertEquals("a", StateFixtures.s(queue().peek()));

        assertEquals(List.of("a"), strings(pop().values()));
        assertEquals(List.of("b"), strings(pop().values()));
        assertEquals(List.of("c"), strings(pop().values()));
        final StorageResult empty = pop();

        assertTrue(empty.applied() && empty.values().isEmpty() && empty.keys().isEmpty(), "a pop of an empty queue");
        assertEquals(List.of("INSERTED q null null->a", "INSERTED q null null->b", "NOT_EMPTY q null null->null",
                "INSERTED q null null->c", "REMOVED q null a->null", "REMOVED q null b->null", "REMOVED q null c->null",
                "EMPTY q null null->null"), events());
        assertEquals(0, queue().size());
        assertNull(queue().peek());
    }

    @Test
    void shouldClearThroughTheLogAndImportAtomically() {
        apply(RequestType.CLEAR, List.of(), List.of(), null);
        assertEquals(List.of("CLEARED q null null->null"), events(), "a clear of an empty queue is still applied");
        push("a");
        observer.clear();

        apply(RequestType.CLEAR, List.of(), bs("x", "y"), null);

        assertEquals(List.of("CLEARED q null null->null", "EMPTY q null null->null", "INSERTED q null null->x",
                "INSERTED q null null->y", "NOT_EMPTY q null null->null"), events());
        assertEquals(List.of("x", "y"), strings(queue().items()));
        assertEquals(1, queue().headSequence(), "sequence numbers go on after a clear");
        assertEquals(3, queue().tailSequence());
    }

    @Test
    void shouldRefuseWhatIsNotAQueueRequestAndChangeNothing() {
        push("a");
        observer.clear();

        assertTrue(apply(RequestType.SET, List.of(), bs("x"), null).isRefused());
        assertTrue(apply(RequestType.DELETE, List.of(), List.of(), null).isRefused());
        assertTrue(apply(RequestType.EXECUTED, List.of(), List.of(), null).isRefused(), "a remote map's outcome on a queue");
        assertTrue(apply(RequestType.INSERT, bs("k"), bs("x"), null).isRefused(), "keys");
        assertTrue(apply(RequestType.REMOVE, List.of(), bs("x"), null).isRefused(), "a pop with values");
        assertTrue(apply(RequestType.REMOVE, List.of(), List.of(), b("a")).isRefused(), "a condition");
        final StorageResult otherKind = observer.results.get(0);
        feed(storages, ++index, request("peer-a", ++requestId, StorageKind.MAP, "q", RequestType.SET, bs("k"),
                bs("v"), null));

        assertTrue(otherKind.isRefused());
        assertTrue(observer.results.get(observer.results.size() - 1).error().contains("is a QUEUE, not a MAP"));
        assertEquals(List.of(), events());
        assertEquals(List.of("a"), strings(queue().items()));
    }

    @Test
    void shouldRestoreASnapshotExactlyOneItemAndHeadAndTailIncluded() {
        push("a", "b");
        pop();
        final byte[] one = storages.snapshot();
        pop();
        final byte[] none = storages.snapshot();

        final RecordingObserver other = new RecordingObserver();
        final ReplicatedStorages restored = new ReplicatedStorages(other);
        restored.restore(one, index);
        final QueueState q = (QueueState) restored.state("q");
        assertEquals(List.of("b"), strings(q.items()), "a one-element snapshot imports as one element (§12.3 item 24)");
        assertEquals(1, q.headSequence());
        assertEquals(2, q.tailSequence());
        assertEquals(List.of("INSERTED q null null->b", "NOT_EMPTY q null null->null"),
                other.lines.stream().map(l -> l.substring(6)).toList());
        assertArrayEquals(one, restored.snapshot(), "equal state, equal bytes");

        other.clear();
        restored.restore(none, index);
        assertEquals(List.of(), q.items());
        assertEquals(2, q.headSequence(), "an empty queue keeps its sequence numbers");
        assertEquals(List.of("event REMOVED q null b->null", "event EMPTY q null null->null"), other.lines);
        assertArrayEquals(none, restored.snapshot());

        push("c");
        restored.restore(storages.snapshot(), index);
        assertArrayEquals(storages.snapshot(), restored.snapshot(), "the next push gets the same sequence number");
    }

    @Test
    void shouldRefuseASnapshotWhoseItemsDoNotMatchItsHeadAndTail() {
        final QueueState q = new QueueState("q");
        final java.util.Map<ByteKey, byte[]> content = new java.util.HashMap<>();
        assertTrue(q.contentRefusal(content).contains("head/tail"));
        final byte[] bounds = new byte[16];
        bounds[7] = 1; // head 1
        bounds[15] = 3; // tail 3
        content.put(new ByteKey(new byte[0]), bounds);
        content.put(new ByteKey(QueueState.sequenceKey(1)), b("a"));
        assertTrue(q.contentRefusal(content).contains("1 items, but head 1 and tail 3 make 2"));
        content.put(new ByteKey(QueueState.sequenceKey(3)), b("c"));
        assertTrue(q.contentRefusal(content).contains("item 3 is outside [1, 3)"));
        content.remove(new ByteKey(QueueState.sequenceKey(3)));
        content.put(new ByteKey(QueueState.sequenceKey(2)), b("b"));
        assertNull(q.contentRefusal(content));
    }

    @Test
    void shouldGrowPastItsCapacityAndShrinkWhenEmptied() {
        final List<String> items = new ArrayList<>();
        for (int i = 0; i < 3 * QueueState.KEPT_CAPACITY; i++) {
            items.add("i" + i);
        }
        pop(); // creates the storage
        for (int i = 0; i < items.size(); i += 100) {
            push(items.subList(i, Math.min(items.size(), i + 100)).toArray(String[]::new));
        }
        assertEquals(items, strings(queue().items()));
        for (String item : items) {
            assertEquals(List.of(item), strings(pop().values()));
        }
        push("again");
        assertEquals(List.of("again"), strings(queue().items()));
    }

    @Test
    void shouldGiveReadersOnOtherThreadsOneStateOfTheQueueWhileTheLoopChangesIt() throws Exception {
        push("seed");
        final AtomicReference<String> broken = new AtomicReference<>();
        final CountDownLatch started = new CountDownLatch(1);
        final Thread reader = new Thread(() -> {
            started.countDown();
            while (!Thread.currentThread().isInterrupted() && broken.get() == null) {
                final List<byte[]> items = queue().items();
                // pushes come in pairs "p<n>", "q<n>" and pops take one, so a consistent state is
                // consecutive items of the sequence p0 q0 p1 q1 ...; a torn read breaks that
                for (int i = 1; i < items.size(); i++) {
                    if (!follows(StateFixtures.s(items.get(i - 1)), StateFixtures.s(items.get(i)))) {
                        broken.set(strings(items).toString());
                    }
                }
                final int size = queue().size();
                if (size < 0) {
                    broken.set("size " + size);
                }
            }
        });
        pop();
        reader.start();
        started.await();
        for (int n = 0; n < 20_000; n++) {
            push("p" + n, "q" + n);
            pop();
            if (n % 3 == 0) {
                pop();
            }
        }
        reader.interrupt();
        reader.join();
        assertNull(broken.get());
    }

    private static boolean follows(String a, String b) {
        final int n = Integer.parseInt(a.substring(1));
        return a.charAt(0) == 'p' ? b.equals("q" + n) : b.equals("p" + (n + 1));
    }
}
