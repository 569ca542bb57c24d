package org.plasticitysearch.orchestrator.cli;

import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import picocli.CommandLine.Option;

/** {@code --db URL}: a PostgreSQL server; without it, PLASTICITY_DB_URL, then the embedded database. */
final class DbOption {
    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "PostgreSQL server (default: $PLASTICITY_DB_URL, else the embedded database in $PLASTICITY_HOME)")
    String url;

    Database open() {
        return Database.open(DatabaseConfig.fromEnvironment(url));
    }

    /** The study of that name, or empty after telling the user on stderr. */
    static java.util.Optional<org.plasticitysearch.orchestrator.store.Records.Study> study(
            org.plasticitysearch.orchestrator.store.TrialStore store, String name) {
        var study = store.study(name);
        if (study.isEmpty()) {
            System.err.println("plasticity: no study named '" + name + "'");
        }
        return study;
    }
}
