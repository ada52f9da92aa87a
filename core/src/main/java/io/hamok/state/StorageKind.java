// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

/**
 * The kind of a replicated storage. A storage id belongs to one kind for the life of the cluster:
 * a request of another kind on that id is refused when applied ({@link StorageResult#error()}).
 *
 * <p>Wire numbers ({@code hamok.v1.StorageKind}) are fixed per kind: 1 map, 2 record, 3 queue,
 * 4 emitter, 5 remote map. A kind is added with its number here and in {@code hamok.proto}.
 */
public enum StorageKind {
    MAP(1),
    RECORD(2),
    /** A FIFO queue ({@link io.hamok.queue.QueueState}); issue 12. */
    QUEUE(3),
    /** An emitter's subscription table ({@link io.hamok.emitter.EmitterState}). */
    EMITTER(4),
    /** A remote map (issue 12): the state is the map's sequence of mutations, not its entries ({@link io.hamok.remotemap.RemoteMapState}). */
    REMOTE_MAP(5);

    private final int wireNumber;

    StorageKind(int wireNumber) {
        this.wireNumber = wireNumber;
    }

    /** The {@code hamok.v1.StorageKind} number on the wire (0 is invalid there). */
    public int wireNumber() {
        return wireNumber;
    }

    /** The kind of a wire number, or {@code null} when it names none. Allocation-free. */
    public static StorageKind ofWire(int number) {
        return switch (number) {
            case 1 -> MAP;
            case 2 -> RECORD;
            case 3 -> QUEUE;
            case 4 -> EMITTER;
            case 5 -> REMOTE_MAP;
            default -> null;
        };
    }
}
