package org.plasticitysearch.trainer.process;

/** A trial spec field with a value that is not allowed; the message names the field, the value and what is allowed. */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }
}
