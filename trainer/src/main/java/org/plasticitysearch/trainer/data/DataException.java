package org.plasticitysearch.trainer.data;

/** A data set that is missing, unreadable or of the wrong shape; the message names the file and what was expected. */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
