package io.hamok;

/**
 * This instance stopped for good because going on would break Raft's safety: a leader asked it to
 * replace an entry it had committed, so the replicas have diverged (lost or corrupted state on some
 * node). Nothing sent to it is applied. What to do: keep its data for inspection, find the node whose
 * state was lost or corrupted, and replace the halted instance (new data directory, or a new peer id).
 */
public final class HamokHaltedException extends HamokException {
    private static final long serialVersionUID = 1L;

    public HamokHaltedException(String peerId, String reason) {
        super(peerId + " halted and serves nothing more: " + reason);
    }
}
