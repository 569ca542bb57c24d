package org.plasticitysearch.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.orchestrator.store.StudyStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import org.plasticitysearch.orchestrator.store.PostgresUrl;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.TrialOutcome;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.CliProcess;

/**
 * Results where scientists work, checked with the real tools: a real study on the embedded database, plus a FAILED
 * and a QUEUED trial, exported as an Optuna journal and loaded by the real Optuna (Debian's python3-optuna), whose
 * {@code trials_dataframe()} must equal our {@code results trials --format csv} trial by trial; and the README's
 * pandas snippet, run as written (only the path of ops/plasticity differs), printing the ranking.
 */
class PythonInteropTest {
    static final String MODULES = "optuna, pandas, sqlalchemy, psycopg2";

    @TempDir
    Path dir;

    @Test
    void optunaReadsOurExportTrialByTrialAndTheReadmeSnippetPrintsTheRanking() throws Exception {
        String python = python();
        Path home = dir.resolve("home");
        Path config = Files.writeString(dir.resolve("quickstart.yaml"), FailuresOutLoudTest.tiny("quickstart", 6, 6,
                "2m").replace("report_every: 1", "report_every: 1\npruner: {type: median, n_startup_trials: 2,"
                + " n_warmup_steps: 2}"));
        try {
            cli(home, 0, "study", "run", config.toString());
            String url = cli(home, 0, "db", "url", "--password").lines().filter(l -> l.startsWith("postgresql://"))
                    .findFirst().orElseThrow();
            addFailedAndQueuedTrials(url);

            Path journal = dir.resolve("quickstart.journal");
            cli(home, 0, "results", "export", "quickstart", "--format", "optuna-journal", "--out", journal.toString());
            Path csv = Files.writeString(dir.resolve("trials.csv"),
                    cli(home, 0, "results", "trials", "quickstart", "--format", "csv"));
            Path script = dir.resolve("optuna_roundtrip.py");
            try (var in = PythonInteropTest.class.getResourceAsStream("/python/optuna_roundtrip.py")) {
                Files.copy(in, script);
            }
            String matched = exec(dir, home, python, script.toString(), journal.toString(), csv.toString(),
                    "quickstart");
            assertThat(matched).contains("matched 8 trials").contains("'FAIL'").contains("'WAITING'")
                    .contains("'COMPLETE'");

            Path snippet = Files.writeString(dir.resolve("snippet.py"), readmeSnippet()
                    .replace("\"ops/plasticity\"", "\"" + launcher(home) + "\""));
            String printed = exec(dir, home, python, snippet.toString());
            assertThat(printed).contains("study").contains("test_accuracy").contains("quickstart")
                    .contains("COMPLETE").contains("FAILED");
            // the ranking: the first data row is the best COMPLETE trial
            assertThat(printed.lines().skip(1).findFirst().orElseThrow()).startsWith("quickstart");
        } finally {
            cli(home, 0, "db", "stop");
        }
    }

    /** The study ended DONE; reopen it for a moment to add a trial that fails and one that stays queued. */
    private static void addFailedAndQueuedTrials(String url) {
        PostgresUrl pg = PostgresUrl.parse(url);
        try (Database db = Database.open(new DatabaseConfig(pg.jdbcUrl(), pg.user(), pg.password(), null, 2))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study s = store.study("quickstart").orElseThrow();
            store.setStudyStatus(s.id(), StudyStatus.RUNNING);
            double[] theta = new double[10];
            theta[0] = 1e-3;
            store.enqueue(s.id(), "{\"f0\": true, \"f9\": true, \"meta_lr\": 0.002}", 11, new int[]{0, 9}, theta);
            store.enqueue(s.id(), "{\"f0\": true, \"f9\": false, \"meta_lr\": 0.003}", 12, new int[]{0}, theta);
            store.registerWorker("interop", "localhost", 1);
            var claimed = store.claim(s.id(), "interop").orElseThrow();
            store.finish(claimed.id(), "interop", TrialOutcome.failed("data: a reason, with \"quotes\""));
            store.setStudyStatus(s.id(), StudyStatus.DONE);
        }
    }

    private static String readmeSnippet() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("<!-- pandas-snippet -->\\s*```python\\n(.*?)```\\s*<!-- /pandas-snippet -->",
                Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README has the pandas snippet between its markers").isTrue();
        return m.group(1);
    }

    /** A stand-in for ops/plasticity: the same main class on the test class path, in its own JVM. */
    private Path launcher(Path home) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path sh = dir.resolve("plasticity");
        Files.writeString(sh, "#!/bin/sh\nexec '" + java + "' -Xmx256m -cp '" + System.getProperty("java.class.path")
                + "' org.plasticitysearch.orchestrator.cli.PlasticityCli \"$@\"\n");
        sh.toFile().setExecutable(true);
        return sh;
    }

    private static String cli(Path home, int expectedExit, String... args) throws Exception {
        try (CliProcess p = CliProcess.startIn(home, args)) {
            int exit = p.await();
            assertThat(exit).as(p.output()).isEqualTo(expectedExit);
            return p.output();
        }
    }

    private static String exec(Path cwd, Path home, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("PLASTICITY_HOME", home.toString());
        pb.environment().remove("PLASTICITY_DB_URL");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    /** A python3 with Optuna, pandas, SQLAlchemy and psycopg2, or the test is skipped saying what to install. */
    static String python() throws Exception {
        List<String> tried = new ArrayList<>();
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import " + MODULES).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
                tried.add(candidate);
            } catch (IOException e) {
                tried.add(candidate + " (absent)");
            }
        }
        Assumptions.assumeTrue(false, "SKIPPED: no python3 with " + MODULES + " among " + tried + "; install"
                + " python3-optuna python3-pandas python3-sqlalchemy python3-psycopg2 (.ci/run does)");
        return null;
    }
}
