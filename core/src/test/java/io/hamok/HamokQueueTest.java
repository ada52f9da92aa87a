// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.internal.StorageBackend;
import io.hamok.map.HamokMap;
import io.hamok.queue.HamokQueue;
import io.hamok.queue.HamokQueueConfig;
import io.hamok.queue.QueueListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.hamok.DirectBackend.done;
import static io.hamok.DirectBackend.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HamokQueue} over a {@link DirectBackend}: operations, results, events, failures. */
@Timeout(30)
class HamokQueueTest {
    private DirectBackend.Log log;
    private DirectBackend backend;
    private HamokQueue<String> queue;
    private final List<String> events = new ArrayList<>();

    static <T> HamokQueue<T> queue(StorageBackend backend, String id, Codec<T> codec) {
        return new HamokQueue<>(backend, HamokQueueConfig.<T>builder().queueId(id).codec(codec).build());
    }

    static <T> QueueListener<T> recorder(List<String> events) {
        return new QueueListener<>() {
            @Override
            public void onAdded(T item) {
                events.add("added " + item);
            }

            @Override
            public void onRemoved(T item) {
                events.add("removed " + item);
            }

            @Override
            public void onCleared() {
                events.add("cleared");
            }

            @Override
            public void onEmpty() {
                events.add("empty");
            }

            @Override
            public void onNotEmpty() {
                events.add("not-empty");
            }

            @Override
            public void onClosed() {
                events.add("closed");
            }
        };
    }

    @BeforeEach
    void setUp() {
        log = new DirectBackend.Log();
        backend = log.peer("a");
        queue = queue(backend, "q", Codecs.string());
        queue.addListener(recorder(events));
    }

    @Test
    void shouldPopInPushOrderAndNullWhenEmpty() {
        done(queue.push("a"));
        done(queue.pushAll(List.of("b", "c")));

        assertEquals("a", done(queue.pop()));
        assertEquals("b", done(queue.pop()));
        assertEquals("c", done(queue.pop()));
        assertNull(done(queue.pop()));
        assertEquals(List.of("added a", "not-empty", "added b", "added c", "removed a", "removed b", "removed c",
                "empty"), events);
    }

    @Test
    void shouldReadTheLocalReplicaWithSnapshots() {
        assertEquals(0, queue.size());
        assertTrue(queue.isEmpty());
        assertNull(queue.peek());
        assertEquals(List.of(), queue.export());
        done(queue.pushAll(List.of("a", "b")));

        final List<String> exported = queue.export();
        final List<String> iterated = new ArrayList<>();
        queue.forEach(iterated::add);
        done(queue.push("c"));

        assertEquals(List.of("a", "b"), exported, "a snapshot, not a view");
        assertEquals(List.of("a", "b"), iterated);
        assertThrows(UnsupportedOperationException.class, () -> exported.add("x"));
        assertEquals("a", queue.peek(), "peek does not remove");
        assertEquals(3, queue.size());
        assertFalse(queue.isEmpty());
    }

    @Test
    void shouldReadAfterTheReadBarrierForLinearizableReads() {
        assertNull(done(queue.peekLinearizable()));
        assertEquals(0, done(queue.sizeLinearizable()));
        done(queue.pushAll(List.of("a", "b")));

        assertEquals("a", done(queue.peekLinearizable()));
        assertEquals(2, done(queue.sizeLinearizable()));
    }

    @Test
    void shouldGiveTheSameItemToOnlyOneOfTwoRacingPops() {
        final HamokQueue<String> other = queue(log.peer("b"), "q", Codecs.string());
        done(queue.push("only"));
        log.hold();
        final CompletableFuture<String> first = queue.pop();
        final CompletableFuture<String> second = other.pop();
        log.release();

        assertEquals("only", done(first));
        assertNull(done(second), "the second pop, applied after the first, finds the queue empty");
    }

    @Test
    void shouldPopWhatTheLogHoldsEvenWhenTheLocalViewIsEmpty() {
        final HamokQueue<String> other = queue(log.peer("b"), "q", Codecs.string());
        log.hold();
        final CompletableFuture<Void> push = other.push("x");
        final CompletableFuture<String> pop = queue.pop();
        assertTrue(queue.isEmpty(), "this peer sees nothing yet");
        log.release();

        done(push);
        assertEquals("x", done(pop), "the original returned undefined from its stale view (§12.3 item 24)");
    }

    @Test
    void shouldClearThroughTheLogEvenWhenTheLocalViewIsEmpty() {
        final long applied = log.storages().appliedIndex();
        done(queue.clear());
        assertEquals(applied + 1, log.storages().appliedIndex(), "the original skipped it (§12.3 item 24)");
        done(queue.pushAll(List.of("a", "b")));
        events.clear();

        done(queue.clear());

        assertEquals(List.of("cleared", "empty"), events);
        assertTrue(queue.isEmpty());
        assertNull(done(queue.pop()));
    }

    @Test
    void shouldImportAsOneRequestOneElementIncluded() {
        done(queue.pushAll(List.of("old-1", "old-2")));
        events.clear();
        final long applied = log.storages().appliedIndex();

        done(queue.importItems(List.of("one")));

        assertEquals(applied + 1, log.storages().appliedIndex(), "one atomic request");
        assertEquals(List.of("one"), queue.export(), "one element imports as one element (§12.3 item 24)");
        assertEquals(List.of("cleared", "empty", "added one", "not-empty"), events);
        done(queue.importItems(List.of()));
        assertEquals(List.of(), queue.export());
    }

    @Test
    void shouldCompletePushOfAnEmptyCollectionAtOnceWithoutARequest() {
        final long applied = log.storages().appliedIndex();
        done(queue.pushAll(List.of()));
        assertEquals(applied, log.storages().appliedIndex());
    }

    @Test
    void shouldTreatAnEmptyItemAsAnItem() {
        final HamokQueue<byte[]> bytes = queue(backend, "b", Codecs.bytes());
        done(bytes.push(new byte[0]));

        assertEquals(1, bytes.size());
        assertEquals(0, bytes.peek().length);
        assertEquals(0, done(bytes.pop()).length);
        assertNull(done(bytes.pop()));
    }

    @Test
    void shouldRejectNullItemsNamingTheArgument() {
        assertTrue(assertThrows(NullPointerException.class, () -> queue.push(null)).getMessage().contains("item"));
        assertThrows(NullPointerException.class, () -> queue.pushAll(null));
        final List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertTrue(assertThrows(NullPointerException.class, () -> queue.pushAll(withNull)).getMessage()
                .contains("items element"));
        assertThrows(NullPointerException.class, () -> queue.importItems(withNull));
        assertEquals(0, log.storages().appliedIndex(), "nothing was sent");
    }

    @Test
    void shouldThrowStorageClosedExceptionFromEveryMethodAfterClose() {
        queue.close();

        final List<Runnable> calls = List.of(queue::size, queue::isEmpty, queue::peek, queue::export, queue::iterator,
                queue::peekLinearizable, queue::sizeLinearizable, () -> queue.push("x"),
                () -> queue.pushAll(List.of()), queue::pop, queue::clear, () -> queue.importItems(List.of()),
                () -> queue.addListener(new QueueListener<>() { }),
                () -> queue.removeListener(new QueueListener<>() { }));
        for (Runnable call : calls) {
            final StorageClosedException e = assertThrows(StorageClosedException.class, call::run);
            assertTrue(e.getMessage().contains("'q'"), e.getMessage());
            assertFalse(e.mayHaveBeenApplied());
        }
        assertTrue(queue.isClosed());
        assertEquals("q", queue.id());
    }

    @Test
    void shouldCallOnClosedOnceAndKeepTheReplicatedItemsWhenClosed() {
        done(queue.push("a"));
        events.clear();

        queue.close();
        queue.close();

        assertEquals(List.of("closed"), events);
        assertEquals(Set.of("q"), backend.closedIds());
        assertEquals(0, backend.subscriberCount("q"));
        final HamokQueue<String> reopened = queue(log.peer("b"), "q", Codecs.string());
        assertEquals(List.of("a"), reopened.export(), "the original cleared its replica on close");
        assertEquals("a", done(reopened.pop()));
        assertEquals(List.of("closed"), events);
    }

    @Test
    void shouldFailWithStorageKindMismatchWhenTheIdBelongsToAMap() {
        final HamokMap<String, Integer> map = HamokMapTest.map(backend, "shared", Codecs.string(), Codecs.integer());
        done(map.set("k", 1));
        final HamokQueue<String> other = queue(backend, "shared", Codecs.string());

        assertInstanceOf(StorageKindMismatchException.class, failure(other.push("x")));
        assertInstanceOf(StorageKindMismatchException.class, failure(other.pop()));
        assertThrows(StorageKindMismatchException.class, other::size);
        assertInstanceOf(StorageKindMismatchException.class, failure(map.set("k", 2).thenCompose(
                ignored -> HamokMapTest.map(backend, "q2", Codecs.string(), Codecs.integer()).set("k", 1))
                .thenCompose(ignored -> queue(backend, "q2", Codecs.string()).clear())));
    }

    @Test
    void shouldNameTheQueueWhenAnItemCannotBeDecodedAndSayAPopWasApplied() {
        final HamokQueue<Integer> ints = queue(backend, "q", Codecs.integer());
        done(queue.push("xyz"));

        final HamokException read = assertThrows(HamokException.class, ints::peek);
        assertTrue(read.getMessage().contains("'q'"), read.getMessage());
        assertFalse(read.mayHaveBeenApplied(), "a read changes nothing");
        final Throwable pop = failure(ints.pop());
        assertInstanceOf(HamokException.class, pop);
        assertTrue(((HamokException) pop).mayHaveBeenApplied(), "the pop took the item; only decoding failed");
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldCompleteWithTheBackendFailure() {
        log.failWith(new HamokTimeoutException("no answer in 5000 ms"));

        assertInstanceOf(HamokTimeoutException.class, failure(queue.push("x")));
        assertInstanceOf(HamokTimeoutException.class, failure(queue.pop()));
        assertInstanceOf(HamokTimeoutException.class, failure(queue.peekLinearizable()));
        assertInstanceOf(HamokTimeoutException.class, failure(queue.sizeLinearizable()));
    }

    @Test
    void shouldDeliverEventsOfOtherPeersRequestsAndLetListenersReadTheQueue() {
        final HamokQueue<String> other = queue(log.peer("b"), "q", Codecs.string());
        final List<String> seen = new ArrayList<>();
        other.addListener(new QueueListener<>() {
            @Override
            public void onAdded(String item) {
                seen.add(item + " size " + other.size() + " head " + other.peek());
            }
        });

        done(queue.pushAll(List.of("a", "b")));
        done(other.pop());

        assertEquals(List.of("added a", "added b", "not-empty", "removed a"), events);
        assertEquals(List.of("a size 2 head a", "b size 2 head a"), seen, "listeners see the state after the request");
    }

    @Test
    void shouldKeepCallingListenersWhenOneThrows() {
        final List<String> second = new ArrayList<>();
        queue.addListener(new QueueListener<>() {
            @Override
            public void onAdded(String item) {
                throw new IllegalStateException("listener bug");
            }
        });
        final QueueListener<String> recorder = recorder(second);
        queue.addListener(recorder);

        done(queue.push("a"));
        assertTrue(queue.removeListener(recorder));
        assertFalse(queue.removeListener(recorder));
        done(queue.push("b"));

        assertEquals(List.of("added a", "not-empty"), second);
    }
}
