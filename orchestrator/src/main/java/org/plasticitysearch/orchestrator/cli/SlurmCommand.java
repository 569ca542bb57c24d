package org.plasticitysearch.orchestrator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StudyStatus;
import org.plasticitysearch.orchestrator.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plasticity slurm submit}: a study's workers as one Slurm job array. */
@Command(name = "slurm", mixinStandardHelpOptions = true, subcommands = SlurmCommand.Submit.class,
        description = "Run a study's workers on a Slurm cluster.")
final class SlurmCommand {
    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Create (from CONFIG) or resume (NAME) a study and submit its workers as one job array:"
                    + " each array task is a worker with --slots trainer processes that serves only this study,"
                    + " proposes its trials in turn, and leaves once the study has been idle for --exit-when-idle"
                    + " seconds. Slurm's SIGTERM (scancel, time limit, preemption) gives a worker's running trials"
                    + " back to the queue. The database must be reachable from every node (README: On a Slurm"
                    + " cluster)."})
    static final class Submit implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG|NAME", description = "a study config (YAML) or a study's name")
        String target;

        @Option(names = "--workers", required = true, paramLabel = "N", description = "array tasks (workers)")
        int workers;

        @Option(names = "--slots", defaultValue = "1", paramLabel = "S",
                description = "trainer processes per worker, its CPUs (default: ${DEFAULT-VALUE})")
        int slots;

        @Option(names = "--time", paramLabel = "HH:MM:SS", description = "time limit of each array task (Slurm's"
                + " format: MM, MM:SS, HH:MM:SS, D-HH:MM:SS; Slurm rounds it up to whole minutes)")
        String time;

        @Option(names = "--partition", paramLabel = "P", description = "the partition to run in")
        String partition;

        @Option(names = "--sbatch-arg", paramLabel = "ARG", description = "one more sbatch option (repeatable),"
                + " e.g. --sbatch-arg=--account=lab")
        List<String> sbatchArgs = new ArrayList<>();

        @Option(names = "--exit-when-idle", defaultValue = "60", paramLabel = "SECONDS",
                description = "a worker leaves once the study has had nothing to run this long (default:"
                        + " ${DEFAULT-VALUE})")
        int exitWhenIdle;

        @Option(names = "--trials", paramLabel = "N", description = "global budget: finished trials wanted, stored"
                + " with the study (default: the study's budget); raising it continues a finished study")
        Integer trials;

        @Option(names = "--wait", description = "follow the study to its end, as `study run` does, and exit like it")
        boolean await;

        @Option(names = "--dry-run", description = "print the batch script and the sbatch command; submit nothing")
        boolean dryRun;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            Path home = DatabaseConfig.defaultHome();
            Path out = home.resolve("slurm");
            SlurmScript script = new SlurmScript(studyName(), workers, slots, time, partition, sbatchArgs,
                    exitWhenIdle, launcher(), out);
            String problem = trials != null && trials < 1 ? "--trials: " + trials + " is not allowed; use 1 or more"
                    : script.problem();
            if (problem != null) {
                throw new UsageException(problem);
            }
            StudyConfig config = config();
            if (config == null && !target.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                throw new UsageException("CONFIG|NAME: '" + target + "' is neither a config file nor a study name");
            }
            if (dryRun) {
                System.out.print(script.render());
                System.out.println("# --dry-run: nothing written or submitted; it would be saved in " + out
                        + " and submitted as: sbatch --parsable " + String.join(" ", script.commandLineArgs().stream()
                        .map(SlurmScript::quote).toList()) + " SCRIPT");
                return 0;
            }
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                Study study = config != null ? store.createOrLoadStudy(config.definition())
                        : store.study(target).orElseThrow(() -> new UsageException("CONFIG|NAME: '" + target
                        + "' is neither a config file nor a study (see: plasticity study list)"));
                if (config != null && !study.configYaml().equals(config.yaml())) {
                    System.err.println("plasticity: study '" + config.name() + "' exists with a different config;"
                            + " continuing it with its stored config (its budget: --trials N)");
                }
                study = StudyCommand.Run.resume(store, study, trials);
                var counts = store.counts(study.id());
                if (study.status() == StudyStatus.DONE && counts.finished() >= study.budget()) {
                    System.out.printf(Locale.ROOT, "study %s is DONE (%d of %d trials finished); nothing submitted"
                            + " (--trials N raises its budget)%n", study.name(), counts.finished(), study.budget());
                    return 0;
                }
                if (database.isEmbedded()) {
                    System.err.println("plasticity: the embedded database listens on this machine's loopback only:"
                            + " workers on other nodes cannot reach it (README: On a Slurm cluster)");
                }
                Path file = write(script, out);
                String job;
                try {
                    job = sbatch(script, file, database);
                } catch (UsageException e) {
                    Files.deleteIfExists(file);
                    throw e;
                }
                store.recordSlurmJob(study.id(), job, workers, slots);
                System.out.printf(Locale.ROOT, "submitted job %s for study %s: %d worker(s) x %d slot(s); output in"
                        + " %s; follow it with: plasticity study show %s%n", job, study.name(), workers, slots, out,
                        study.name());
                if (!await) {
                    return 0;
                }
                long t0 = System.nanoTime();
                String name = study.name();
                Runnable forget = database.atShutdown(() -> System.err.printf(Locale.ROOT, "%nplasticity: stopped"
                        + " following; job %s keeps running (plasticity study show %s; scancel %s stops it)%n", job,
                        name, job));
                Study now;
                try {
                    now = StudyFollow.untilEnd(store, study, t0, "the job's workers give their trials back",
                            () -> !Squeue.running(job));
                } finally {
                    forget.run();
                }
                if (now.status() == StudyStatus.RUNNING) {
                    System.err.printf(Locale.ROOT, "%nplasticity: job %s ended before study %s did (%d of %d trials"
                            + " finished); submit again to continue it%n", job, now.name(),
                            store.counts(now.id()).finished(), now.budget());
                    return 1;
                }
                return StudyFollow.report(database, store, now, t0);
            }
        }

        /** The study's name: the config's, or the argument. */
        private String studyName() {
            StudyConfig c = config();
            return c != null ? c.name() : target;
        }

        private StudyConfig parsed;

        /** The config, parsed and preflighted once, when the argument is a file; else null. */
        private StudyConfig config() {
            if (parsed != null || !(target.endsWith(".yaml") || target.endsWith(".yml")
                    || Files.isRegularFile(Path.of(target)))) {
                return parsed;
            }
            Path file = Path.of(target);
            try {
                parsed = StudyConfig.parse(ConfigFile.read(file));
                org.plasticitysearch.orchestrator.workflow.Preflight.check(parsed);
            } catch (ConfigException e) {
                throw new UsageException(e.in(file));
            }
            return parsed;
        }

        private static String study(SlurmScript s) {
            return s.study() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        }

        /** The script in PLASTICITY_HOME/slurm (owner only), where the jobs' output goes too. */
        private static Path write(SlurmScript s, Path dir) throws IOException {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path file = dir.resolve(study(s) + ".sbatch");
            Files.writeString(file, s.render(), StandardCharsets.UTF_8);
            return file;
        }

        /** Submits; the job id. The database URL goes in sbatch's environment, which the job inherits. */
        private String sbatch(SlurmScript script, Path file, Database database) throws IOException,
                InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
            cmd.addAll(script.commandLineArgs()); // on the command line: no quoting rules of #SBATCH lines
            cmd.add(file.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Map<String, String> env = pb.environment();
            if (db.url != null) {
                env.put("PLASTICITY_DB_URL", db.url);
            }
            env.put("PLASTICITY_HOME", DatabaseConfig.defaultHome().toString());
            Process p;
            try {
                p = pb.redirectErrorStream(false).start();
            } catch (IOException e) {
                throw new UsageException("sbatch: not found on this machine's PATH; run slurm submit on a Slurm"
                        + " login node (--dry-run prints the script)");
            }
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || stdout.isEmpty()) {
                throw new UsageException("sbatch refused the job: " + (stderr.isEmpty() ? "exit " + p.exitValue()
                        : stderr.lines().findFirst().orElse("")) + " (script: " + file + ")");
            }
            return stdout.split(";")[0];
        }

        /** How a node starts this program: ops/plasticity when it launched us, else this JVM's command. */
        static List<String> launcher() {
            String script = System.getProperty("plasticity.launcher");
            if (script != null && !script.isBlank()) {
                return List.of(script);
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            return List.of(java, "-cp", System.getProperty("java.class.path"),
                    "org.plasticitysearch.orchestrator.cli.PlasticityCli");
        }
    }
}
