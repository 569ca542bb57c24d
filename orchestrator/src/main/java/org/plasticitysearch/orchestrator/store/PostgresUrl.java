package org.plasticitysearch.orchestrator.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database URL as users type it: JDBC's {@code jdbc:postgresql://host:port/db}, or libpq's (psql, Optuna,
 * SQLAlchemy) {@code postgresql://[user[:password]@]host[:port][/db][?params]}, which becomes a JDBC URL with the
 * credentials taken out. Anything else is refused with the forms that are allowed.
 */
public record PostgresUrl(String jdbcUrl, String user, String password) {
    public static final String ALLOWED = "use postgresql://[user[:password]@]host[:port]/database or"
            + " jdbc:postgresql://host[:port]/database";

    /** @throws IllegalArgumentException with "VALUE is not allowed; use ..." (the caller prefixes the field) */
    public static PostgresUrl parse(String url) {
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(u, null, null);
        }
        String rest = u.startsWith("postgresql://") ? u.substring("postgresql://".length())
                : u.startsWith("postgres://") ? u.substring("postgres://".length()) : null;
        if (rest == null || rest.isEmpty() || rest.startsWith("/")) {
            throw new IllegalArgumentException(Secrets.redact(url) + " is not allowed; " + ALLOWED);
        }
        int slash = rest.indexOf('/');
        int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
        String user = null;
        String password = null;
        if (at >= 0) {
            String info = rest.substring(0, at);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            rest = rest.substring(at + 1);
        }
        return new PostgresUrl("jdbc:postgresql://" + rest, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
