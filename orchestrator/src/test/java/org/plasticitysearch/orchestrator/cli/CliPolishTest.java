package org.plasticitysearch.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plasticitysearch.orchestrator.cli.FailuresOutLoudTest.run;
import static org.plasticitysearch.orchestrator.cli.FailuresOutLoudTest.tiny;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.orchestrator.workflow.CliProcess;

/** Issue 11's CLI polish through the real command: completion, study delete, next fire times, Ctrl-C said. */
class CliPolishTest {
    @TempDir
    Path dir;

    @Test
    void bashCompletionKnowsEveryCommandAndOption() throws Exception {
        String script = run(0, "completion", "bash");
        assertThat(script).contains("complete -F").contains("verify").contains("delete").contains("--format")
                .contains("optuna-journal");
        assertThat(run(2, "completion", "fish")).contains("expected one of [bash]");
    }

    @Test
    void deleteNeedsYesAndRemovesTheStudyWithItsTrials() throws Exception {
        String db = TestDatabases.fresh("delete");
        Path c = Files.writeString(dir.resolve("gone.yaml"), tiny("gone", 2, 2, "2m"));
        run(0, "study", "run", c.toString(), "--db", db);
        assertThat(run(2, "study", "delete", "gone", "--db", db)).contains("--yes: missing")
                .contains("removes its 2 trial(s)");
        assertThat(run(0, "study", "list", "--format", "csv", "--db", db)).contains("gone,DONE,2,");
        assertThat(run(0, "study", "delete", "gone", "--yes", "--db", db)).contains("deleted study gone and its 2");
        assertThat(run(0, "study", "list", "--format", "json", "--db", db).strip()).isEqualTo("[ ]");
        assertThat(run(1, "study", "delete", "gone", "--yes", "--db", db)).contains("no study named 'gone'");
    }

    @Test
    void scheduleListShowsTheNextFire() throws Exception {
        String db = TestDatabases.fresh("nextfire");
        Path c = Files.writeString(dir.resolve("nightly.yaml"), tiny("nightly", 2, 2, "2m"));
        assertThat(run(2, "schedule", "add", "--cron", "0 0 0 30 2 ?", c.toString(), "--db", db))
                .contains("never fires");
        run(0, "schedule", "add", "--cron", "0 30 3 * * ?", c.toString(), "--db", db);
        String json = run(0, "schedule", "list", "--format", "json", "--db", db);
        // 03:30 in this machine's zone (the zone a serve here fires in), the next one after now
        ZonedDateTime now = ZonedDateTime.now();
        ZonedDateTime next = now.withHour(3).withMinute(30).withSecond(0).withNano(0);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        assertThat(json).contains("\"next_fire\" : \"" + next.toInstant() + "\"").contains("\"last_fire\" : null")
                .contains("\"study\" : \"nightly-*\"");
    }

    @Test
    void ctrlCSaysWhatWasGivenBack() throws Exception {
        String db = TestDatabases.fresh("ctrlc");
        Path c = Files.writeString(dir.resolve("long.yaml"), tiny("long", 1_000_000, 4, "10m"));
        try (CliProcess p = CliProcess.start("study", "run", c.toString(), "--db", db)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!p.output().contains("running 2") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(p.output()).contains("running 2");
            p.stop(); // SIGTERM, as Ctrl-C
            assertThat(p.output()).contains("interrupted: 2 running trial(s) of study long given back to the queue");
        }
        assertThat(run(0, "study", "list", "--format", "csv", "--db", db))
                .contains("long,RUNNING,4,0,0,0,0,");
    }
}
