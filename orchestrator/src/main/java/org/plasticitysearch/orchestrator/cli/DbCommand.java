package org.plasticitysearch.orchestrator.cli;

import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import picocli.CommandLine.Command;

/** {@code plasticity db url|stop}: the embedded database for other programs. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "The embedded database, for psql and pandas.",
        subcommands = {DbCommand.Url.class, DbCommand.Stop.class})
final class DbCommand {

    @Command(name = "url", mixinStandardHelpOptions = true,
            description = {"Print the URL of the embedded database in $PLASTICITY_HOME for psql, pandas/SQLAlchemy"
                    + " and Optuna (e.g. pandas.read_sql(\"SELECT * FROM learned_rule\", URL)). Starts the server"
                    + " when it is not running and leaves it running: `plasticity db stop` stops it."})
    static final class Url implements Callable<Integer> {
        @Override
        public Integer call() {
            var home = DatabaseConfig.defaultHome();
            boolean wasRunning = Database.runningEmbedded(home);
            int port = Database.startEmbedded(home);
            System.out.println(Database.embeddedUrl(port));
            if (!wasRunning) {
                System.err.println("plasticity: started the embedded database in " + home
                        + " (it keeps running; stop it with: plasticity db stop)");
            }
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the embedded database of $PLASTICITY_HOME (running studies there lose it).")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            var home = DatabaseConfig.defaultHome();
            System.out.println(Database.stopEmbedded(home) ? "stopped the embedded database in " + home
                    : "the embedded database in " + home + " is not running");
            return 0;
        }
    }
}
