package org.plasticitysearch.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.orchestrator.workflow.CliProcess;

/**
 * Issue 11, "failures said out loud": the real {@code plasticity} command in its own JVM. A study whose trials would
 * all fail is refused before anything is queued; one whose trials all fail at run time exits non-zero with the
 * reasons; bad URLs, busy ports and bad paths are one line each, never a stack trace.
 */
class FailuresOutLoudTest {
    static final String TINY = String.join("\n",
            "name: NAME",
            "dataset: builtin",
            "per_class_limit: 30",
            "network: [784, 40, 30, 47]",
            "episodes: EPISODES",
            "K: 8",
            "Q: 4",
            "eval_tasks: 3",
            "seed: 3",
            "report_every: 1",
            "search_space:",
            "  f0: {type: fixed, value: true}",
            "  f9: {type: bool}",
            "  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}",
            "sampler: {type: random}",
            "budget: BUDGET",
            "parallelism: 2",
            "trial_timeout: TIMEOUT",
            "retries: 0",
            "heap: 256m",
            "");

    @TempDir
    Path dir;

    static String tiny(String name, int episodes, int budget, String timeout) {
        return TINY.replace("NAME", name).replace("EPISODES", Integer.toString(episodes))
                .replace("BUDGET", Integer.toString(budget)).replace("TIMEOUT", timeout);
    }

    private Path config(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    static String run(int expectedExit, String... args) throws Exception {
        try (CliProcess p = CliProcess.start(args)) {
            int exit = p.await();
            String out = p.output();
            assertThat(exit).as(out).isEqualTo(expectedExit);
            assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
            return out;
        }
    }

    @Test
    void aStudyWhoseTrialsWouldAllFailIsRefusedBeforeAnyTrialIsQueued() throws Exception {
        String db = TestDatabases.fresh("preflight");
        Path emnist = config("em", tiny("em", 4, 2, "2m").replace("dataset: builtin", "dataset: emnist-balanced")
                .replace("per_class_limit: 30\n", "per_class_limit: 30\ndata_dir: " + dir.resolve("nothing") + "\n"));
        String out = run(2, "study", "run", emnist.toString(), "--db", db);
        assertThat(out).contains("every trial would fail at once").contains("emnist-balanced")
                .contains("download gzip.zip");
        Path narrow = config("narrow", tiny("narrow", 4, 2, "2m").replace("[784, 40, 30, 47]", "[784, 40, 10]"));
        assertThat(run(2, "study", "run", narrow.toString(), "--db", db)).contains("network: the last size 10")
                .contains("47 labels");
        Path transfer = config("transfer", tiny("transfer", 4, 2, "2m").replace("heap: 256m", "heap: 256m\n"
                + "test_dataset: idx:" + dir.resolve("none-images-idx3-ubyte")));
        assertThat(run(2, "study", "run", transfer.toString(), "--db", db)).contains("test_dataset: ");
        Path heap = config("heap", tiny("heap", 4, 2, "2m").replace("heap: 256m", "heap: 900000g"));
        assertThat(run(2, "study", "run", heap.toString(), "--db", db)).contains("heap: 900000g is not allowed")
                .contains("reserve");
        // nothing was created
        assertThat(run(0, "study", "list", "--format", "json", "--db", db).strip()).isEqualTo("[ ]");
    }

    @Test
    void aStudyWhoseTrialsAllFailExitsNonZeroWithTheMostCommonReason() throws Exception {
        String db = TestDatabases.fresh("allfail");
        Path c = config("slow", tiny("slow", 1_000_000, 2, "2s"));
        String out = run(1, "study", "run", c.toString(), "--db", db);
        assertThat(out).contains("2 of 2 trials of study slow FAILED, none COMPLETE")
                .containsPattern("\\s+2 x trial_timeout: stopped after 2s \\(trial timeout")
                .contains("raise trial_timeout in the study config").contains("results trials slow --state FAILED");
        String table = run(0, "results", "trials", "slow", "--state", "failed", "--db", db);
        assertThat(table.lines().filter(l -> l.contains("FAILED") && l.contains("trial_timeout: stopped after 2s")))
                .hasSize(2);
        assertThat(run(0, "results", "rules", "slow", "--db", db).strip()).isEqualTo("no COMPLETE trial: 0 pruned, 2"
                + " failed (why: plasticity results trials slow --state FAILED)");
        String csv = run(0, "results", "trials", "slow", "--format", "csv", "--db", db);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("number,state,value,datetime_start,"
                + "datetime_complete,duration,params_f0,params_f9,params_meta_lr,").endsWith(",attempts,error");
    }

    @Test
    void verifyRefusesOtherOptionsForAnExistingVerification() throws Exception {
        String db = TestDatabases.fresh("verifyopts");
        Path c = config("one", tiny("one", 3, 1, "2m"));
        assertThat(run(0, "study", "run", c.toString(), "--db", db)).contains("done in");
        assertThat(run(0, "study", "verify", "one", "--top", "1", "--seeds", "1", "--db", db)).contains("done in");
        assertThat(run(2, "study", "verify", "one", "--top", "1", "--seeds", "2", "--db", db))
                .contains("'one-verify' exists as a verification with 1 rule(s) x 1 seed(s)")
                .contains("--top 1 --seeds 1");
        run(0, "study", "verify", "one", "--top", "1", "--seeds", "1", "--db", db); // the same options resume it

        // --out paths that cannot be written: one line naming the option, nothing half-written
        Path missing = dir.resolve("nosuch").resolve("one.json");
        assertThat(run(2, "results", "export", "one", "--out", missing.toString(), "--db", db).strip()).isEqualTo(
                "plasticity: --out: " + missing + " cannot be written (the folder " + missing.getParent()
                        + " does not exist); give a file path in an existing, writable folder");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(run(2, "report", "one", "--out", file.toString(), "--db", db)).contains("--out: " + file)
                .contains("exists and is not a folder");
        assertThat(run(0, "results", "export", "one", "--out", dir.resolve("one.json").toString(), "--db", db))
                .contains("wrote");
    }

    @Test
    void badUrlsPortsAndPathsAreOneLineEach() throws Exception {
        long t0 = System.nanoTime();
        String closed = run(1, "study", "list", "--db", "postgresql://localhost:1/plasticity");
        assertThat((System.nanoTime() - t0) / 1e9).as("a closed port is reported within seconds").isLessThan(8);
        assertThat(closed).contains("cannot connect to jdbc:postgresql://localhost:1/plasticity")
                .contains("Connection refused");
        assertThat(run(2, "study", "list", "--db", "mysql://localhost/x").strip()).isEqualTo(
                "plasticity: --db: mysql://localhost/x is not allowed; use postgresql://[user[:password]@]host[:port]"
                        + "/database or jdbc:postgresql://host[:port]/database");
        for (String url : new String[]{"postgresql://me:s3cret@localhost:1/x", "mysql://bob:s3cret@x/y",
            "jdbc:postgresql://localhost:1/x?user=me&password=s3cret"}) {
            try (CliProcess p = CliProcess.start("study", "list", "--db", url)) {
                assertThat(p.await()).isPositive();
                assertThat(p.output()).startsWith("plasticity: ").doesNotContain("s3cret");
                assertThat(p.logFiles()).as("the log file").doesNotContain("s3cret");
            }
        }
        assertThat(run(1, "study", "list", "--db", "jdbc:postgresql://localhost:1/x?password=s3cret"))
                .contains("password=***: Connection refused");

        String db = TestDatabases.fresh("paths");
        assertThat(run(1, "results", "export", "nosuch", "--out", "x.json", "--db", db).strip())
                .isEqualTo("plasticity: no study named 'nosuch'");
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String said = run(2, "serve", "--port", Integer.toString(busy.getLocalPort()), "--db", db);
            assertThat(said.lines().filter(l -> !l.isBlank())).as("one line, no log record, no trace").hasSize(1)
                    .first().asString().startsWith("plasticity: --port: " + busy.getLocalPort() + " is in use");
        }
        assertThat(run(2, "results", "trials", "x", "--state", "bogus", "--db", db))
                .contains("expected one of [QUEUED, RUNNING, COMPLETE, PRUNED, FAILED]")
                .contains("see: plasticity results trials --help");
        assertThat(run(2, "studdy", "list")).contains("Did you mean: plasticity study");
    }
}
