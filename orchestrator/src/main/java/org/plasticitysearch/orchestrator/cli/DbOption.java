package org.plasticitysearch.orchestrator.cli;

import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import picocli.CommandLine.Option;

/** {@code --db URL}: a PostgreSQL server; without it, PLASTICITY_DB_URL, then the embedded database. */
final class DbOption {
    @Option(names = "--db", paramLabel = "URL",
            description = "PostgreSQL server: postgresql://[user[:password]@]host[:port]/db or jdbc:postgresql://..."
                    + " (default: $PLASTICITY_DB_URL, else the embedded database in $PLASTICITY_HOME)")
    String url;

    Database open() {
        DatabaseConfig config;
        try {
            config = DatabaseConfig.fromEnvironment(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return Database.open(config);
    }

    /** What a command does with an existing study. */
    interface StudyAction {
        int run(Database database, org.plasticitysearch.orchestrator.store.TrialStore store,
                org.plasticitysearch.orchestrator.store.Study study) throws Exception;
    }

    /** Opens the database, finds the study (exit status 1 and a message when there is none) and runs the action. */
    int withStudy(String name, StudyAction action) throws Exception {
        try (Database database = open()) {
            var store = new org.plasticitysearch.orchestrator.store.TrialStore(database.dataSource());
            var study = study(store, name);
            return study.isEmpty() ? 1 : action.run(database, store, study.get());
        }
    }

    /** The study of that name, or empty after telling the user on stderr. */
    static java.util.Optional<org.plasticitysearch.orchestrator.store.Study> study(
            org.plasticitysearch.orchestrator.store.TrialStore store, String name) {
        var study = store.study(name);
        if (study.isEmpty()) {
            System.err.println("plasticity: no study named '" + name + "'");
        }
        return study;
    }
}
