package org.plasticitysearch.orchestrator.cli;

import org.plasticitysearch.orchestrator.store.StudyStatus;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StoreException;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.Workflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plasticity study run|list|show|stop}. */
@Command(name = "study", mixinStandardHelpOptions = true, description = "Run and inspect studies.",
        subcommands = {StudyCommand.Run.class, StudyCommand.ListStudies.class, StudyCommand.Show.class,
                StudyCommand.Stop.class, StudyCommand.Verify.class, StudyCommand.Delete.class})
final class StudyCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the study of a config to its budget on this machine (resumes a study of the same name)."
                    + " Ctrl-C gives the running trials back to the queue.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "study config (YAML)")
        Path config;

        @Option(names = "--trials", paramLabel = "N", description = "global budget: finished trials wanted, stored"
                + " with the study (default: the study's budget: the config's, or the last --trials); raising it"
                + " continues a finished study")
        Integer trials;

        @Option(names = "--parallel", paramLabel = "N",
                description = "trials at once on this machine (default: the config's parallelism)")
        Integer parallel;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            StudyConfig c;
            try {
                c = StudyConfig.parse(ConfigFile.read(config));
                org.plasticitysearch.orchestrator.workflow.Preflight.check(c);
            } catch (ConfigException e) {
                System.err.println("plasticity: " + e.in(config));
                return 2;
            }
            int slots = parallel != null ? parallel : c.parallelism();
            if (slots < 1) {
                System.err.println("plasticity: --parallel: " + slots + " is not allowed; use 1 or more");
                return 2;
            }
            if (trials != null && trials < 1) {
                System.err.println("plasticity: --trials: " + trials + " is not allowed; use 1 or more");
                return 2;
            }
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                Study study = store.createOrLoadStudy(c.definition());
                if (!study.configYaml().equals(c.yaml())) {
                    System.err.println("plasticity: study '" + c.name() + "' exists with a different config; resuming"
                            + " it with its stored config (rename the study to start a new one)");
                }
                study = resume(store, study, trials);
                return runToEnd(database, store, study, slots);
            }
        }

        /** Applies --trials, and runs a STOPPED study, or a DONE one below its budget, again. */
        static Study resume(TrialStore store, Study study, Integer trials) {
            if (trials != null && trials != study.budget()) {
                store.setStudyBudget(study.id(), trials);
            }
            Study s = store.study(study.name()).orElseThrow();
            boolean more = store.counts(s.id()).finished() < s.budget();
            if (s.status() != StudyStatus.RUNNING && (s.status() == StudyStatus.STOPPED || more)) {
                System.out.println("resuming study " + s.name() + " (" + s.status() + ")");
                store.setStudyStatus(s.id(), StudyStatus.RUNNING);
            }
            return store.study(study.name()).orElseThrow();
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a study: no new trials start anywhere, running ones finish and are stored."
                    + " `study run` on its config resumes it.")
    static final class Stop implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            return db.withStudy(name, (database, store, study) -> {
                if (study.status() != StudyStatus.RUNNING) {
                    System.out.println("study " + name + " is already " + study.status());
                    return 0;
                }
                store.setStudyStatus(study.id(), StudyStatus.STOPPED);
                StateCounts c = store.counts(study.id());
                System.out.printf(Locale.ROOT, "study %s stopped: %d running trial(s) will finish, %d queued stay"
                        + " queued%n", name, c.running(), c.queued());
                return 0;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a study with its trials, metrics and learned rules, for good (needs --yes; a"
                    + " study with running trials must be stopped first).")
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Option(names = "--yes", description = "really delete") boolean yes;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            return db.withStudy(name, (database, store, study) -> {
                StateCounts c = store.counts(study.id());
                if (c.running() > 0) {
                    throw new UsageException("study " + name + " has " + c.running() + " running trial(s); stop it"
                            + " first (plasticity study stop " + name + ") and delete it when they have finished");
                }
                int total = c.queued() + c.finished();
                var verifications = store.studies().stream().filter(v -> Long.valueOf(study.id())
                        .equals(v.parentId())).map(Study::name).toList();
                String kept = verifications.isEmpty() ? "" : "; its verification " + String.join(", ", verifications)
                        + " stays, no longer linked";
                if (!yes) {
                    throw new UsageException("--yes: missing; deleting study " + name + " removes its " + total
                            + " trial(s), their metrics and learned rules for good" + kept + " (a copy first:"
                            + " plasticity results export " + name + " --out " + name + ".json)");
                }
                int deleted = store.deleteStudy(study.id());
                System.out.printf(Locale.ROOT, "deleted study %s and its %d trial(s)%s%n", name, deleted, kept);
                return 0;
            });
        }
    }

    /**
     * Runs a study to its end on this machine (its study runner, workers for it, a reaper) with a progress line,
     * then prints its ranked rules. Ctrl-C gives the running trials back to the queue.
     */
    static int runToEnd(Database database, TrialStore store, Study study, int slots) throws Exception {
        System.out.printf(Locale.ROOT, "study %s: budget %d, %d at a time, database %s%n", study.name(),
                study.budget(), slots, database.isEmbedded() ? "embedded (it keeps running after this command for"
                        + " the others; plasticity db stop stops it)" : "server");
        String workerId = Roles.workerId();
        store.registerWorker(workerId, Workflow.localHost(), ProcessHandle.current().pid(), study.id(), null);
        Workflow workflow = Workflow.builder(store, Roles.settings(slots, workerId))
                .studyRunner(study.id())
                .workers(Roles.launcher(System.getProperty("java.class.path")), study.id())
                .proposeWhenQueueEmpty() // the next trial is proposed the moment the queue runs dry
                .reaper().build();
        // Ctrl-C or SIGTERM: the running trials back to the queue, said out loud, then the database closes
        Runnable forget = database.atShutdown(() -> {
            database.impatient();
            int given = workflow.stop();
            System.err.printf(Locale.ROOT, "%nplasticity: interrupted: %d running trial(s) of study %s given back to"
                    + " the queue, nothing finished is lost; run the same command to resume%n", given, study.name());
        });
        long t0 = System.nanoTime();
        workflow.start();
        Study now;
        try {
            now = StudyFollow.untilEnd(store, study, t0, "here, the trials that were running go back to the queue"
                    + " 15 s after");
        } finally {
            workflow.stop();
            forget.run();
        }
        return StudyFollow.report(database, store, now, t0);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Re-meta-train the best distinct rules of a study with fresh seeds, as the trials of a"
                    + " linked verification study (NAME-verify), and run it here to the end; its ranking (mean over"
                    + " seeds, 98%% bootstrap CI, overlapping intervals flagged) is the verified one. Running it again"
                    + " resumes it."})
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Option(names = "--top", defaultValue = "5", paramLabel = "K",
                description = "rules to verify (default: ${DEFAULT-VALUE})") int top;

        @Option(names = "--seeds", defaultValue = "20", paramLabel = "S",
                description = "fresh meta-training runs per rule (default: ${DEFAULT-VALUE}, as in the paper)")
        int seeds;

        @Option(names = "--on", paramLabel = "DATASET",
                description = "meta-test the learned rules on this data set (transfer), e.g. fashion-mnist")
        String on;

        @Option(names = "--name", paramLabel = "VERIFY_NAME",
                description = "the verification study's name (default: NAME-verify)") String as;

        @Option(names = "--parallel", paramLabel = "N", description = "trials at once here (default: the study's)")
        Integer parallel;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            if (parallel != null && parallel < 1) {
                System.err.println("plasticity: --parallel: " + parallel + " is not allowed; use 1 or more");
                return 2;
            }
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                var parent = DbOption.study(store, name);
                if (parent.isEmpty()) {
                    return 1;
                }
                Study v = org.plasticitysearch.orchestrator.ranking.Verification.create(store, parent.get(),
                        new org.plasticitysearch.orchestrator.ranking.Verification.Plan(
                                as != null ? as : name + "-verify", top, seeds, on, parallel));
                if (v.status() == StudyStatus.STOPPED) {
                    store.setStudyStatus(v.id(), StudyStatus.RUNNING);
                    v = store.study(v.name()).orElseThrow();
                }
                return runToEnd(database, store, v, parallel != null ? parallel : v.parallelism());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the studies.")
    static final class ListStudies implements Callable<Integer> {
        @Mixin
        FormatOption output;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                TableOutput t = new TableOutput(java.util.List.of("study", "status", "budget", "complete", "pruned",
                        "failed", "running", "queued", "verifies"));
                var studies = store.studies();
                for (Study s : studies) {
                    StateCounts c = store.counts(s.id());
                    String parent = s.parentId() == null ? null : studies.stream().filter(p -> p.id() == s.parentId())
                            .map(Study::name).findFirst().orElse(null);
                    t.row(java.util.Arrays.asList(s.name(), s.status(), s.budget(), c.complete(), c.pruned(),
                            c.failed(), c.running(), c.queued(), parent));
                }
                t.write(output.format, System.out);
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A study's state and its best rules.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            return db.withStudy(name, (database, store, study) -> {
                StateCounts c = store.counts(study.id());
                boolean reproducible = StudyConfig.parse(study.configYaml()).reproducible();
                System.out.printf("study %s (%s): budget %d, parallelism %d%s; queued %d, running %d, complete %d,"
                        + " pruned %d, failed %d%n", name, study.status(), study.budget(), study.parallelism(),
                        reproducible ? " (reproducible: trial n sees trials <= n - " + study.parallelism() + ")" : "",
                        c.queued(), c.running(), c.complete(), c.pruned(), c.failed());
                var jobs = store.slurmJobs(study.id());
                int alive = store.aliveWorkers(study.id(), java.time.Duration.ofSeconds(30));
                if (!jobs.isEmpty() || alive > 0) {
                    System.out.printf("workers alive: %d%s%n", alive, jobs.isEmpty() ? "" : "; slurm jobs: "
                            + String.join(", ", jobs.stream().map(j -> "job " + j.jobId() + " (" + j.workers()
                            + " workers x " + j.slots() + " slots)").toList()));
                }
                if (study.parentId() != null) {
                    store.studies().stream().filter(p -> p.id() == study.parentId()).findFirst().ifPresent(p ->
                            System.out.println("verifies the best rules of study " + p.name()));
                }
                store.studies().stream().filter(v -> Long.valueOf(study.id()).equals(v.parentId())).forEach(v ->
                        System.out.println("verified by study " + v.name() + " (" + v.status() + ")"));
                System.out.println();
                RulesTable.print(store, study, 10, System.out);
                return 0;
            });
        }
    }
}
