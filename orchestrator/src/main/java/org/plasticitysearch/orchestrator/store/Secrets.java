package org.plasticitysearch.orchestrator.store;

/** Keeps passwords out of what is printed or logged. */
public final class Secrets {
    private Secrets() {
    }

    /** The text with any password in a database URL ({@code password=...}, {@code user:secret@host}) replaced. */
    public static String redact(String text) {
        if (text == null) {
            return "null";
        }
        // idempotent: a message redacted twice keeps what follows the password
        return text.replaceAll("(?i)(password=)(?!\\*\\*\\*)[^&\\s]*", "$1***")
                .replaceAll("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s\\[\\]]+:)(?!\\*\\*\\*@)[^@\\s/]*@", "$1***@");
    }
}
