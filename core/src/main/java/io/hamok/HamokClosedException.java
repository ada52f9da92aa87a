package io.hamok;

/** The Hamok instance (or the part of it the operation needs) is closed; the operation did not run. */
public class HamokClosedException extends HamokException {
    private static final long serialVersionUID = 1L;

    public HamokClosedException(String message) {
        super(message);
    }
}
