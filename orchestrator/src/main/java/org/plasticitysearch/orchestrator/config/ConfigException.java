package org.plasticitysearch.orchestrator.config;

/**
 * A study config with a field that is missing or has a value that is not allowed; the message names both, and
 * {@link #line()} is the field's line in the YAML when it is known (0 otherwise).
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    public ConfigException(String message) {
        this(message, 0);
    }

    public ConfigException(String message, int line) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }

    /** "FILE:LINE: message", or "FILE: message" when the line is not known. */
    public String in(Object file) {
        return file + (line > 0 ? ":" + line : "") + ": " + getMessage();
    }
}
