package org.plasticitysearch.orchestrator.store;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the results live: a PostgreSQL server by JDBC URL (credentials from the URL, the environment
 * {@code PGUSER}/{@code PGPASSWORD}, or ~/.pgpass through the driver), or, with no URL, an embedded PostgreSQL whose
 * data folder is {@code $PLASTICITY_HOME/pgdata} (default {@code ~/.local/share/plasticity-search/pgdata}).
 */
public record DatabaseConfig(String jdbcUrl, String user, String password, Path home, int poolSize) {

    /** From the command line's {@code --db} (may be null), then {@code PLASTICITY_DB_URL}, then embedded. */
    public static DatabaseConfig fromEnvironment(String dbOption) {
        String url = dbOption != null && !dbOption.isBlank() ? dbOption : System.getenv("PLASTICITY_DB_URL");
        return new DatabaseConfig(url == null || url.isBlank() ? null : url, System.getenv("PGUSER"),
                System.getenv("PGPASSWORD"), defaultHome(), 10);
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
