package org.plasticitysearch.orchestrator.cli;

import org.plasticitysearch.orchestrator.store.Study;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import org.plasticitysearch.orchestrator.store.EmbeddedServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code plasticity db start|stop|status|url}: the embedded database of $PLASTICITY_HOME, a server owned by no
 * command (the first that needs it starts it; it keeps running until {@code db stop}).
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "The embedded database of $PLASTICITY_HOME: a server that keeps running for every command,"
                + " psql and pandas until `db stop`.",
        subcommands = {DbCommand.Start.class, DbCommand.Status.class, DbCommand.Url.class, DbCommand.Restore.class,
                DbCommand.Stop.class})
final class DbCommand {
    private DbCommand() {
    }

    static EmbeddedServer server() {
        return new EmbeddedServer(DatabaseConfig.defaultHome());
    }

    /** Starts the server if needed and brings its schema up to date (before psql, pandas or pg_restore use it). */
    static int running(EmbeddedServer s) {
        int port = s.ensureRunning();
        Database.open(new DatabaseConfig(null, null, null, DatabaseConfig.defaultHome(), 2)).close();
        return port;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the embedded database (every command starts it when it needs it; this is for psql).")
    static final class Start implements Callable<Integer> {
        @Override
        public Integer call() {
            EmbeddedServer s = server();
            int port = running(s);
            System.out.println("running: the embedded database in " + s.data() + " on localhost:" + port
                    + ", schema up to date (stop it with: plasticity db stop)");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Whether the embedded database runs, where and on which port (exit 1: it does not).")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            EmbeddedServer s = server();
            var port = s.port();
            System.out.println(port.isPresent() ? "running: " + s.data() + " on localhost:" + port.getAsInt()
                    : "not running: " + s.data() + " (any command starts it; or: plasticity db start)");
            return port.isPresent() ? 0 : 1;
        }
    }

    @Command(name = "url", mixinStandardHelpOptions = true,
            description = {"Print the URL of the embedded database for psql and pandas/SQLAlchemy, starting it"
                    + " if needed (it keeps running until `plasticity db stop`). The password is in"
                    + " $PLASTICITY_HOME/pgpass for libpq (export PGPASSFILE=...), or in the URL with --password."})
    static final class Url implements Callable<Integer> {
        @Option(names = "--password", description = "put the password into the URL (it is then on your screen)")
        boolean password;

        @Override
        public Integer call() {
            EmbeddedServer s = server();
            boolean was = s.port().isPresent();
            int port = running(s);
            System.out.println(EmbeddedServer.url(port, password ? s.secret() : null));
            if (!was) {
                System.err.println("plasticity: started the embedded database in " + s.data()
                        + " (it keeps running; stop it with: plasticity db stop)");
            }
            if (!password) {
                System.err.println("plasticity: the password: export PGPASSFILE=" + s.pgpassFile()
                        + " (psql, psycopg2), or use `plasticity db url --password`");
            }
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Load a dump written by ops/backup into the embedded database of $PLASTICITY_HOME (its"
                    + " study tables are replaced; one transaction: all or nothing). Needs pg_restore (Debian:"
                    + " postgresql-client)."})
    static final class Restore implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "a dump of ops/backup")
        java.nio.file.Path file;

        @Option(names = "--yes", description = "replace the studies this home has (needed when it has any)")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new UsageException("FILE", file, "give a dump written by ops/backup (plasticity-*.dump)");
            }
            EmbeddedServer s = server();
            int port = running(s); // the schema (Quartz's tables too) exists before the dump's tables replace theirs
            try (Database db = Database.open(new DatabaseConfig(null, null, null, DatabaseConfig.defaultHome(), 2))) {
                var studies = new org.plasticitysearch.orchestrator.store.TrialStore(db.dataSource()).studies();
                if (!studies.isEmpty() && !yes) {
                    throw new UsageException("--yes: missing; restoring replaces the " + studies.size() + " stud"
                            + (studies.size() == 1 ? "y" : "ies") + " of " + s.data() + " (" + String.join(", ",
                            studies.stream().map(org.plasticitysearch.orchestrator.store.Study::name).limit(5)
                                    .toList()) + (studies.size() > 5 ? ", ..." : "") + ") with the dump's; a copy"
                            + " first: ops/backup DIR");
                }
            }
            ProcessBuilder pb = new ProcessBuilder("pg_restore", "--clean", "--if-exists", "--no-owner",
                    "--single-transaction", "--exit-on-error", "-d", EmbeddedServer.url(port, null),
                    file.toString()).redirectErrorStream(true);
            pb.environment().put("PGPASSFILE", s.pgpassFile().toString()); // the secret never on a command line
            Process p;
            try {
                p = pb.start();
            } catch (java.io.IOException e) {
                throw new UsageException("pg_restore is not installed (Debian: apt-get install postgresql-client)");
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new org.plasticitysearch.orchestrator.store.StoreException("pg_restore " + file + " failed"
                        + " (nothing was changed): " + out.strip().replace('\n', ' '));
            }
            System.out.println("restored " + file + " into the embedded database in " + s.data());
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the embedded database of $PLASTICITY_HOME (PostgreSQL's fast shutdown: nothing"
                    + " committed is lost; running studies there lose their database).")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            EmbeddedServer s = server();
            System.out.println(s.stop() ? "stopped the embedded database in " + s.data()
                    : "the embedded database in " + s.data() + " is not running");
            return 0;
        }
    }
}
