package io.hamok.state;

/**
 * The kind of a replicated storage. A storage id belongs to one kind for the life of the cluster:
 * a request of another kind on that id is refused when applied ({@link StorageResult#error()}).
 */
public enum StorageKind {
    MAP,
    RECORD
}
