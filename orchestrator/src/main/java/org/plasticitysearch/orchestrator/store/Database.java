package org.plasticitysearch.orchestrator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Stops the embedded server of {@code home} (PostgreSQL's fast shutdown: open transactions are rolled back,
     * nothing committed is lost). Returns false when none was running.
     */
    public static boolean stopEmbedded(Path home) {
        Path data = home.resolve("pgdata");
        if (runningEmbeddedPort(data).isEmpty()) {
            return false;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
            if (postmaster == null) {
                return false;
            }
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            postmaster.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StoreException("the embedded PostgreSQL in " + data + " did not stop: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while stopping the embedded PostgreSQL", e);
        }
    }

    /** Whether the embedded server of {@code home} is running (in this or another process). */
    public static boolean runningEmbedded(Path home) {
        return runningEmbeddedPort(home.resolve("pgdata")).isPresent();
    }

    /**
     * The URL other programs (psql, pandas, SQLAlchemy, Optuna) use for the embedded server on {@code port}, with
     * the password only when asked for.
     */
    public static String embeddedUrl(int port, String password) {
        return "postgresql://" + EmbeddedServer.ROLE + (password == null ? "" : ":" + password) + "@localhost:" + port
                + "/" + EmbeddedServer.DATABASE;
    }

    /**
     * The port of a live embedded server on this data folder, from its {@code postmaster.pid} (line 1: pid, line 4:
     * port), or empty when there is none or its process is gone.
     */
    static java.util.OptionalInt runningEmbeddedPort(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            java.util.List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return java.util.OptionalInt.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? java.util.OptionalInt.of(Integer.parseInt(lines.get(3).trim())) : java.util.OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
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
