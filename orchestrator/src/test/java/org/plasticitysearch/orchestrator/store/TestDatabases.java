package org.plasticitysearch.orchestrator.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: the server at {@code PLASTICITY_TEST_DB_URL} when set (a URL of an existing
 * database whose user may CREATE DATABASE), otherwise one embedded server per test JVM. Every call of
 * {@link #fresh} creates a new, empty database on it, so test classes do not see each other's rows.
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres embedded;

    private TestDatabases() {
    }

    /** JDBC URL of a new empty database. */
    public static synchronized String fresh(String prefix) {
        String admin = adminUrl();
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(admin, user(), password()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " at " + admin + ": " + e.getMessage(), e);
        }
        return admin.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    public static DatabaseConfig config(String url) {
        return new DatabaseConfig(url, user(), password(), null, 16);
    }

    static String user() {
        return System.getenv("PLASTICITY_TEST_DB_URL") != null ? System.getenv("PGUSER") : "postgres";
    }

    static String password() {
        return System.getenv("PLASTICITY_TEST_DB_URL") != null ? System.getenv("PGPASSWORD") : null;
    }

    private static String adminUrl() {
        String url = System.getenv("PLASTICITY_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (embedded == null) {
            try {
                Path dir = Files.createTempDirectory("plasticity-test-pg");
                // the binaries where the application keeps them (zonky unpacks them once per JVM, first caller wins)
                embedded = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                        .setOverrideWorkingDirectory(EmbeddedServer.binaries().toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    // shutting down anyway
                }
            }));
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }
}
