package org.plasticitysearch.orchestrator.store;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the results live: a PostgreSQL server by JDBC URL (credentials from the URL, the environment
 * {@code PGUSER}/{@code PGPASSWORD}, or ~/.pgpass through the driver), or, with no URL, an embedded PostgreSQL whose
 * data folder is {@code $PLASTICITY_HOME/pgdata} (default {@code ~/.local/share/plasticity-search/pgdata}).
 */
public record DatabaseConfig(String jdbcUrl, String user, String password, Path home, int poolSize) {

    /**
     * From the command line's {@code --db} (may be null), then {@code PLASTICITY_DB_URL}, then embedded. A URL in
     * libpq's form is translated ({@link PostgresUrl}); its user and password win over PGUSER and PGPASSWORD.
     *
     * @throws IllegalArgumentException "FIELD: VALUE is not allowed; use ..." naming {@code --db} or the variable
     */
    public static DatabaseConfig fromEnvironment(String dbOption) {
        boolean option = dbOption != null && !dbOption.isBlank();
        String url = option ? dbOption : System.getenv("PLASTICITY_DB_URL");
        if (url == null || url.isBlank()) {
            return new DatabaseConfig(null, null, null, defaultHome(), 10);
        }
        PostgresUrl pg;
        try {
            pg = PostgresUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((option ? "--db: " : "PLASTICITY_DB_URL: ") + e.getMessage(), e);
        }
        return new DatabaseConfig(pg.jdbcUrl(), pg.user() != null ? pg.user() : System.getenv("PGUSER"),
                pg.password() != null ? pg.password() : System.getenv("PGPASSWORD"), defaultHome(), 10);
    }

    public static Path defaultHome() {
        String h = System.getenv("PLASTICITY_HOME");
        return h != null && !h.isBlank() ? Paths.get(h)
                : Paths.get(System.getProperty("user.home"), ".local", "share", "plasticity-search");
    }

    public boolean embedded() {
        return jdbcUrl == null;
    }

    public DatabaseConfig withPoolSize(int size) {
        return new DatabaseConfig(jdbcUrl, user, password, home, size);
    }
}
