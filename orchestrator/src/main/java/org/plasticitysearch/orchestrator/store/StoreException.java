package org.plasticitysearch.orchestrator.store;

/** The database is unreachable, misconfigured, or answered with an error. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
