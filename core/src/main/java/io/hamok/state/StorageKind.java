package io.hamok.state;

/**
 * The kind of a replicated storage. A storage id belongs to one kind for the life of the cluster:
 * a request of another kind on that id is refused when applied ({@link StorageResult#error()}).
 */
public enum StorageKind {
    MAP,
    RECORD;

    /** The {@code hamok.v1.StorageKind} number on the wire (0 is invalid there). */
    public int wireNumber() {
        return ordinal() + 1;
    }

    /** The kind of a wire number, or {@code null} when it names none. Allocation-free. */
    public static StorageKind ofWire(int number) {
        return switch (number) {
            case 1 -> MAP;
            case 2 -> RECORD;
            default -> null;
        };
    }
}
