package io.hamok;

/**
 * The operation did not complete within its timeout. For a write this means "outcome unknown":
 * it may still be committed later.
 */
public class HamokTimeoutException extends HamokException {
    private static final long serialVersionUID = 1L;

    public HamokTimeoutException(String message) {
        super(message);
    }
}
