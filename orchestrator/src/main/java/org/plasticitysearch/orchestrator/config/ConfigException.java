package org.plasticitysearch.orchestrator.config;

/** A study config with a field that is missing or has a value that is not allowed; the message names both. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
