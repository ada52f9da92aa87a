package io.hamok;

/**
 * A bounded queue or buffer is full, so the operation was refused at once instead of waiting:
 * slow down (fewer operations in flight) and retry.
 */
public class BackPressureException extends HamokException {
    private static final long serialVersionUID = 1L;

    public BackPressureException(String message) {
        super(message);
    }
}
