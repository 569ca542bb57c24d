package org.plasticitysearch.orchestrator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The open results database: a HikariCP pool on a migrated schema. Opening it starts the embedded PostgreSQL when
 * no URL is configured (reusing its data folder, so results survive restarts), runs the Flyway migrations, and
 * refuses a database whose schema is newer than this code.
 */
public final class Database implements AutoCloseable {
    /** Seconds to reach a server before saying it cannot be reached. */
    static final int CONNECT_SECONDS = 3;
    private final HikariDataSource pool;
    private final boolean embedded;
    private final String url;
    private final java.util.List<Runnable> atShutdown = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread hook;

    private Database(HikariDataSource pool, boolean embedded, String url) {
        this.pool = pool;
        this.embedded = embedded;
        this.url = url;
        // one JVM shutdown hook, ordered: first what must still write (trials given back), then the pool and the
        // embedded server (whose own hook is off: it would race the writes)
        this.hook = new Thread(() -> {
            for (Runnable task : atShutdown) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    System.err.println("plasticity: at shutdown: " + e.getMessage());
                }
            }
            close();
        }, "close-database");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Runs {@code task} when the JVM is stopped (SIGTERM, Ctrl-C) before the database closes. Returns what removes
     * it again (call it once the task is no longer needed).
     */
    public Runnable atShutdown(Runnable task) {
        atShutdown.add(task);
        return () -> atShutdown.remove(task);
    }

    public static Database open(DatabaseConfig config) {
        String url = config.jdbcUrl();
        String user = config.user();
        String password = config.password();
        if (config.embedded()) {
            // the home's own server, started if needed and left running (EmbeddedServer); its role and secret
            EmbeddedServer server = new EmbeddedServer(config.home());
            DatabaseConfig c = server.config(server.ensureRunning(), config.poolSize());
            url = c.jdbcUrl();
            user = c.user();
            password = c.password();
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(config.poolSize());
        // connections on demand, two kept idle (Hikari keeps the maximum by default): a thousand workers need a
        // few thousand server connections at most, not ten thousand
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setPoolName("plasticity-store");
        // a server that is down or unreachable is reported within a few seconds, not after the driver's defaults
        hc.setInitializationFailTimeout(CONNECT_SECONDS * 1000L);
        // a connection from the pool within 2 s: a worker whose database is gone gives up fast (SIGTERM: < 5 s)
        hc.setConnectionTimeout(2000L);
        hc.addDataSourceProperty("connectTimeout", Integer.toString(CONNECT_SECONDS));
        hc.addDataSourceProperty("loginTimeout", Integer.toString(CONNECT_SECONDS));
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + Secrets.redact(url) + ": " + rootMessage(e)
                    + (config.embedded() ? "" : " (is the server running, and --db or PLASTICITY_DB_URL right?)"), e);
        }
        try {
            migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, config.embedded(), url);
    }

    /** Applies pending migrations; refuses a schema that has versions this code does not know. */
    static void migrate(DataSource ds) {
        Flyway flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .ignoreMigrationPatterns("*:missing").validateOnMigrate(false).load();
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                throw new StoreException("the database schema is at version " + flyway.info().current().getVersion()
                        + ", newer than this program knows (" + latestKnown(flyway) + "); upgrade plasticity-search"
                        + " or use another database");
            }
        }
        try {
            flyway.migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new StoreException("the database schema could not be brought up to date: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static String latestKnown(Flyway flyway) {
        String v = "none";
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getState() != MigrationState.FUTURE_SUCCESS && m.getState() != MigrationState.FUTURE_FAILED
                    && m.getVersion() != null) {
                v = m.getVersion().getVersion();
            }
        }
        return v;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Shutting down: the last writes (trials given back) wait half a second for a connection, not two, so that a
     * process whose database is gone stops in a moment.
     */
    public void impatient() {
        pool.getHikariConfigMXBean().setConnectionTimeout(500);
    }

    /** The JDBC URL in use (for the embedded server: its local URL). */
    public String url() {
        return url;
    }

    public boolean isEmbedded() {
        return embedded;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pool.close(); // an embedded server keeps running: it belongs to no client (EmbeddedServer)
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook closes nothing twice
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    static SQLException unwrap(Throwable e) {
        return e instanceof SQLException ? (SQLException) e : null;
    }
}
