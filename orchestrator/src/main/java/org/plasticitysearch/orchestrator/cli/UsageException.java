package org.plasticitysearch.orchestrator.cli;

/** A command-line value that is not allowed: one line naming the option, the value and what is allowed (exit 2). */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String field, Object value, String allowed) {
        super(field + ": " + value + " is not allowed; " + allowed);
    }

    UsageException(String message) {
        super(message);
    }
}
