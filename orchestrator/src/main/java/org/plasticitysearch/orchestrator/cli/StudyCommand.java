package org.plasticitysearch.orchestrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.camel.CamelContext;
import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Records;
import org.plasticitysearch.orchestrator.store.StoreException;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;
import org.plasticitysearch.orchestrator.workflow.Workflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plasticity study run|list|show}. */
@Command(name = "study", mixinStandardHelpOptions = true, description = "Run and inspect studies.",
        subcommands = {StudyCommand.Run.class, StudyCommand.ListStudies.class, StudyCommand.Show.class})
final class StudyCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the study of a config to its budget on this machine (resumes a study of the same name).")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "study config (YAML)")
        Path config;

        @Option(names = "--parallel", description = "trials at once on this machine (default: the config's parallelism)")
        Integer parallel;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            StudyConfig c;
            try {
                c = StudyConfig.parse(Files.readString(config));
            } catch (java.io.IOException e) {
                System.err.println("plasticity: cannot read " + config + ": " + e.getMessage());
                return 2;
            } catch (ConfigException e) {
                System.err.println("plasticity: " + config + ": " + e.getMessage());
                return 2;
            }
            int slots = parallel != null ? parallel : c.parallelism();
            if (slots < 1) {
                System.err.println("plasticity: --parallel " + slots + " is not allowed; use 1 or more");
                return 2;
            }
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                Records.Study study = store.createOrLoadStudy(c.definition());
                if (!study.configYaml().equals(c.yaml())) {
                    System.err.println("plasticity: study '" + c.name() + "' exists with a different config; resuming"
                            + " it with its stored config (rename the study to start a new one)");
                }
                System.out.printf(Locale.ROOT, "study %s: budget %d, %d at a time, database %s%n", c.name(),
                        study.budget(), slots, database.isEmbedded() ? "embedded" : "server");
                String classPath = System.getProperty("java.class.path");
                CamelContext camel = Workflow.create(store, TrainerLauncher.fromClassPath(classPath, c.heap()),
                        new Workflow.Settings(slots, workerId(), Duration.ofMillis(500), Duration.ofSeconds(5),
                                Duration.ofSeconds(60), c.retries() + 1));
                long t0 = System.nanoTime();
                camel.start();
                try {
                    Progress progress = new Progress(store, study.id(), study.budget());
                    while (true) {
                        Records.Study now = store.study(c.name()).orElseThrow();
                        progress.print((System.nanoTime() - t0) / 1e9);
                        if (!now.status().equals("RUNNING")) {
                            break;
                        }
                        Thread.sleep(1000);
                    }
                } finally {
                    camel.stop();
                }
                System.out.println();
                System.out.printf(Locale.ROOT, "done in %.0f s%n%n", (System.nanoTime() - t0) / 1e9);
                RulesTable.print(store, store.study(c.name()).orElseThrow(), 10, System.out);
                return 0;
            } catch (StoreException e) {
                System.err.println("plasticity: " + e.getMessage());
                return 1;
            }
        }

        private static String workerId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
            return host + ":" + ProcessHandle.current().pid();
        }
    }

    /** One status line, rewritten in place on a terminal. */
    static final class Progress {
        private final TrialStore store;
        private final long studyId;
        private final int budget;
        private String last = "";

        Progress(TrialStore store, long studyId, int budget) {
            this.store = store;
            this.studyId = studyId;
            this.budget = budget;
        }

        void print(double elapsed) {
            Records.StateCounts c = store.counts(studyId);
            var best = store.leaderboard(studyId, true, 1);
            String bestText = best.isEmpty() || best.get(0).testAccuracy() == null ? "-"
                    : String.format(Locale.ROOT, "%.3f", best.get(0).testAccuracy());
            int done = c.finished();
            String eta = done == 0 ? "?" : String.format(Locale.ROOT, "%.0f s", elapsed / done * (budget - done));
            String line = String.format(Locale.ROOT, "done %d/%d (complete %d, pruned %d, failed %d)  running %d"
                    + "  queued %d  best %s  ETA %s", done, budget, c.complete(), c.pruned(), c.failed(), c.running(),
                    c.queued(), bestText, eta);
            if (System.console() != null) {
                System.out.print("\r" + line + "   ");
                System.out.flush();
            } else if (!line.equals(last)) {
                System.out.println(line);
            }
            last = line;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the studies.")
    static final class ListStudies implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Override
        public Integer call() {
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                System.out.printf("%-30s %-8s %7s %9s %7s %7s%n", "study", "status", "budget", "complete", "pruned",
                        "failed");
                for (Records.Study s : store.studies()) {
                    Records.StateCounts c = store.counts(s.id());
                    System.out.printf("%-30s %-8s %7d %9d %7d %7d%n", s.name(), s.status(), s.budget(), c.complete(),
                            c.pruned(), c.failed());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A study's state and its best rules.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Mixin
        DbOption db;

        @Override
        public Integer call() {
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                var study = DbOption.study(store, name);
                if (study.isEmpty()) {
                    return 1;
                }
                Records.StateCounts c = store.counts(study.get().id());
                System.out.printf("study %s (%s): budget %d, parallelism %d; queued %d, running %d, complete %d,"
                        + " pruned %d, failed %d%n%n", name, study.get().status(), study.get().budget(),
                        study.get().parallelism(), c.queued(), c.running(), c.complete(), c.pruned(), c.failed());
                RulesTable.print(store, study.get(), 10, System.out);
                return 0;
            }
        }
    }

}
