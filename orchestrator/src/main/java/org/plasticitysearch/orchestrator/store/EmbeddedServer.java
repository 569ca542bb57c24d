package org.plasticitysearch.orchestrator.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;

/**
 * The embedded PostgreSQL of a {@code PLASTICITY_HOME}, a server owned by no client: the first command that needs
 * it starts it (under a file lock, so two commands starting at the same instant get one server), every later one
 * connects, none stops it on exit; {@code plasticity db stop} does.
 *
 * <p>Private and durable: the home is 0700; the application connects as role {@value #ROLE} (not a superuser)
 * with a generated password kept 0600 in {@code db-secret}; pg_hba admits that role, by scram-sha-256, over
 * loopback (no trust, no socket, no replication), and the superuser by its own secret ({@code db-admin-secret},
 * 0600), which only the start-up check of the server uses; fsync and synchronous_commit are on. A home made by an older
 * version (trust, everything owned by postgres) is secured the same way on its first start: its tables are handed to
 * the application role, nothing is copied.
 */
public final class EmbeddedServer {
    public static final String ROLE = "plasticity";
    static final String DATABASE = "postgres";
    /** The first line of our pg_hba.conf: a home whose pg_hba has it is secured. */
    static final String MARKER = "# plasticity-search: only the application role, by password, over loopback";

    private final Path home;

    public EmbeddedServer(Path home) {
        this.home = home;
    }

    public Path data() {
        return home.resolve("pgdata");
    }

    Path secretFile() {
        return home.resolve("db-secret");
    }

    /** The superuser's password: only for the server's start-up check (zonky connects as postgres). */
    Path adminSecretFile() {
        return home.resolve("db-admin-secret");
    }

    /** The port of the running server, or empty (no server, or a stale postmaster.pid). */
    public OptionalInt port() {
        Path pidFile = data().resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile); // line 1: the postmaster's pid, line 4: its port
            if (lines.size() < 4) {
                return OptionalInt.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? OptionalInt.of(Integer.parseInt(lines.get(3).trim())) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The URL other programs (psql, pandas, SQLAlchemy) use for the server on {@code port}, with the password only
     * when asked for.
     */
    public static String url(int port, String password) {
        return "postgresql://" + ROLE + (password == null ? "" : ":" + password) + "@localhost:" + port + "/"
                + DATABASE;
    }

    /** libpq's password file for the application role (0600): {@code PGPASSFILE=...} for psql and psycopg2. */
    public Path pgpassFile() {
        return home.resolve("pgpass");
    }

    /** Starts the server unless it runs, secures it, and returns its port. */
    public int ensureRunning() {
        privateHome();
        try (FileChannel channel = FileChannel.open(home.resolve("embedded.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            OptionalInt running = port();
            if (running.isEmpty()) {
                removeStalePid();
                try {
                    // the superuser's password exists before initdb: the cluster is never open to trust
                    if (!Files.isRegularFile(adminSecretFile())) {
                        newSecret(adminSecretFile());
                    }
                    // never closed here: pg_ctl started the postmaster as a daemon, so it outlives this JVM
                    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data())
                            .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                            // binaries in a folder of this user's only (zonky's default, /tmp/embedded-pg, is
                            // world-writable: anybody could put a program there that the server's owner runs)
                            .setOverrideWorkingDirectory(binaries().toFile())
                            // initdb's "-A trust" overridden: a new cluster asks for passwords from its first second
                            .setLocaleConfig("auth", "scram-sha-256")
                            .setLocaleConfig("pwfile", adminSecretFile().toString())
                            .setConnectConfig("password", read(adminSecretFile()))
                            // no Unix socket: nothing to connect through but loopback TCP, no stale socket in /tmp
                            .setServerConfig("unix_socket_directories", "");
                    releaseEarlierStart();
                    STARTED.put(data().toAbsolutePath(), builder
                            .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                            .setServerConfig("full_page_writes", "on").setServerConfig("listen_addresses", "localhost")
                            .setServerConfig("password_encryption", "scram-sha-256")
                            .start());
                } catch (IOException | IllegalStateException e) {
                    throw new StoreException("embedded PostgreSQL could not start with data folder " + data() + ": "
                            + e.getMessage(), e);
                }
                running = port();
                if (running.isEmpty()) {
                    throw new StoreException("embedded PostgreSQL started but wrote no " + data().resolve(
                            "postmaster.pid"));
                }
            }
            secure(running.getAsInt());
            writePgpass();
            return running.getAsInt();
        } catch (IOException e) {
            throw new StoreException("the embedded database in " + home + ": " + e.getMessage(), e);
        }
    }

    /** How the application connects to the running server on {@code port}. */
    public DatabaseConfig config(int port, int poolSize) {
        return new DatabaseConfig("jdbc:postgresql://localhost:" + port + "/" + DATABASE, ROLE, secret(), home,
                poolSize);
    }

    /** The application role's password (never printed by anything that does not say so). */
    public String secret() {
        return read(secretFile());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new StoreException("cannot read the embedded database's secret " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the server (PostgreSQL's fast shutdown: open transactions are rolled back, nothing committed is lost).
     * Returns false when none was running.
     */
    public boolean stop() {
        if (port().isEmpty()) {
            return false;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElse(null);
            if (postmaster == null) {
                return false;
            }
            // SIGINT: fast shutdown (SIGTERM, ProcessHandle.destroy, would wait for every client to leave)
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            postmaster.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StoreException("the embedded PostgreSQL in " + data() + " did not stop: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while stopping the embedded PostgreSQL", e);
        }
    }

    /** 0700: the data, the secret and the token of a home are its owner's alone. */
    private void privateHome() {
        try {
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new StoreException("cannot create or protect " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * Servers this JVM started, by data folder: zonky holds a file lock in the folder for as long as its object
     * lives, so a second start here (after a {@code db stop}) first lets go of the first one.
     */
    private static final java.util.Map<Path, EmbeddedPostgres> STARTED = new java.util.concurrent.ConcurrentHashMap<>();

    private void releaseEarlierStart() {
        EmbeddedPostgres earlier = STARTED.remove(data().toAbsolutePath());
        if (earlier != null) {
            try {
                earlier.close(); // its server is already stopped: this releases the lock
            } catch (IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(EmbeddedServer.class).warn("releasing an earlier start of {}",
                        data(), e);
            }
        }
    }

    /** PostgreSQL's binaries, unpacked once per user into a folder only that user can write (0700). */
    static Path binaries() {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "plasticity-search", "embedded-pg");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new StoreException("cannot create the private folder for PostgreSQL's binaries " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** A postmaster.pid whose process is gone (a crash, a kill -9) would make the next start refuse. */
    private void removeStalePid() {
        Path pid = data().resolve("postmaster.pid");
        if (Files.exists(pid) && port().isEmpty()) {
            try {
                Files.delete(pid);
            } catch (IOException e) {
                throw new StoreException("cannot remove the stale " + pid + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * On a server still open to trust (just made by initdb, or a home of an older version): the application role
     * with a new password, the schema and every object in it handed to that role, then pg_hba rewritten and
     * reloaded. Idempotent; the marker in pg_hba.conf says it is done.
     */
    private void secure(int port) {
        Path hba = data().resolve("pg_hba.conf");
        try {
            if (Files.readString(hba).startsWith(MARKER)) {
                if (!Files.isRegularFile(secretFile())) {
                    throw new StoreException("the embedded database in " + data() + " is secured but its secret "
                            + secretFile() + " is missing; restore it from a backup of the home, or move pgdata away"
                            + " to start afresh");
                }
                return;
            }
            String secret = Files.isRegularFile(secretFile()) ? secret() : newSecret(secretFile());
            String admin = Files.isRegularFile(adminSecretFile()) ? read(adminSecretFile())
                    : newSecret(adminSecretFile());
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + DATABASE,
                    "postgres", admin); Statement st = c.createStatement()) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
                        + " CREATE ROLE " + ROLE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION; END IF;"
                        + " END $$");
                st.execute("ALTER ROLE " + ROLE + " PASSWORD '" + secret + "'"); // base64url: no quote to escape
                st.execute("ALTER ROLE postgres PASSWORD '" + admin + "'");
                st.execute("ALTER SCHEMA public OWNER TO " + ROLE);
                st.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + DATABASE + " TO " + ROLE);
                // an older home: its tables, views and sequences were made by postgres
                st.execute("DO $$ DECLARE r record; BEGIN"
                        + " FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'p')"
                        + " LOOP EXECUTE format('ALTER %s public.%I OWNER TO " + ROLE + "',"
                        + " CASE WHEN r.relkind = 'v' THEN 'VIEW' ELSE 'TABLE' END, r.relname); END LOOP;"
                        + " FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = 'public' AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d"
                        + " WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))"
                        + " LOOP EXECUTE format('ALTER SEQUENCE public.%I OWNER TO " + ROLE + "', r.relname);"
                        + " END LOOP; END $$");
                Files.writeString(hba, String.join("\n", List.of(MARKER,
                        "host " + DATABASE + " " + ROLE + " 127.0.0.1/32 scram-sha-256",
                        "host " + DATABASE + " " + ROLE + " ::1/128 scram-sha-256",
                        "# the superuser, by its own secret: only the start-up check of the server uses it",
                        "host " + DATABASE + " postgres 127.0.0.1/32 scram-sha-256", "")));
                st.execute("SELECT pg_reload_conf()");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot secure the embedded database in " + data(), e);
        } catch (SQLException e) {
            throw new StoreException("cannot secure the embedded database in " + data() + ": " + e.getMessage(), e);
        }
    }

    /** Any port (the server takes a free one at each start), the three names of loopback. */
    private void writePgpass() throws IOException {
        Path file = pgpassFile();
        String secret = secret();
        StringBuilder lines = new StringBuilder();
        for (String host : List.of("localhost", "127.0.0.1", "::1")) {
            lines.append(host.replace(":", "\\:")).append(":*:").append(DATABASE).append(':').append(ROLE).append(':')
                    .append(secret).append('\n');
        }
        if (Files.isRegularFile(file) && Files.readString(file).equals(lines.toString())) {
            return;
        }
        Path tmp = file.resolveSibling("pgpass.part");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, lines, StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** 32 random bytes, base64url, written 0600 before the role gets it (a crash in between is retried). */
    private static String newSecret(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, secret + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return secret;
    }
}
