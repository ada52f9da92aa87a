package io.hamok;

/** Base of every exception Hamok completes a future with or throws; the subclass says what happened. */
public class HamokException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HamokException(String message) {
        super(message);
    }

    public HamokException(String message, Throwable cause) {
        super(message, cause);
    }
}
