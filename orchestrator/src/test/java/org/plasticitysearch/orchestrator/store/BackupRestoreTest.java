package org.plasticitysearch.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticitysearch.orchestrator.workflow.CliProcess;

/**
 * Backups that restore: a study with results on one home's embedded database, dumped by {@code ops/backup} (with
 * the home's secret, never printed), restored by {@code plasticity db restore} into a fresh home, gives the same
 * ranking and the same trial rows.
 */
class BackupRestoreTest {
    static final String CONFIG = String.join("\n", "name: saved", "dataset: builtin", "per_class_limit: 30",
            "network: [784, 40, 30, 47]", "episodes: 3", "K: 8", "Q: 4", "eval_tasks: 3", "seed: 3",
            "report_every: 1", "search_space:", "  f0: {type: fixed, value: true}", "  f9: {type: bool}",
            "  meta_lr: {type: float, low: 1.0e-3, high: 1.0e-2, log: true}", "sampler: {type: random}",
            "budget: 3", "parallelism: 2", "heap: 256m", "");

    @TempDir
    Path dir;

    static String cli(Path home, String... args) throws Exception {
        try (CliProcess p = CliProcess.startIn(home, args)) {
            assertThat(p.await()).as(p.output()).isZero();
            return p.output();
        }
    }

    @Test
    void aBackupRestoresIntoAFreshHomeWithTheSameRulesAndTrials() throws Exception {
        Assumptions.assumeTrue(Stream.of("/usr/bin/pg_dump", "/usr/bin/pg_restore").allMatch(p -> Files.isExecutable(
                Path.of(p))), "SKIPPED: pg_dump/pg_restore absent; apt-get install postgresql-client (.ci/run does)");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        EmbeddedServer first = new EmbeddedServer(a);
        EmbeddedServer second = new EmbeddedServer(b);
        try {
            cli(a, "study", "run", Files.writeString(dir.resolve("saved.yaml"), CONFIG).toString());
            String rules = cli(a, "results", "rules", "saved");
            String trials = cli(a, "results", "trials", "saved", "--format", "csv");
            assertThat(rules).contains("ΔW = ");

            Path backups = dir.resolve("backups");
            ProcessBuilder pb = new ProcessBuilder(Path.of("..", "ops", "backup").toAbsolutePath().normalize()
                    .toString(), backups.toString()).redirectErrorStream(true);
            pb.environment().put("PLASTICITY_DB_URL", "postgresql://" + EmbeddedServer.ROLE + "@localhost:"
                    + first.port().orElseThrow() + "/postgres");
            pb.environment().put("PGPASSFILE", first.pgpassFile().toString());
            Process backup = pb.start();
            String said = new String(backup.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(backup.exitValue()).as(said).isZero();
            assertThat(said).contains("wrote").doesNotContain(first.secret());
            Path dump;
            try (Stream<Path> s = Files.list(backups)) {
                dump = s.filter(p -> p.toString().endsWith(".dump")).findFirst().orElseThrow();
            }

            assertThat(Files.getPosixFilePermissions(dump)).isEqualTo(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            String restored = cli(b, "db", "restore", dump.toString());
            assertThat(restored).contains("restored").doesNotContain(first.secret()).doesNotContain(second.secret());
            assertThat(cli(b, "results", "rules", "saved")).isEqualTo(rules);
            assertThat(cli(b, "results", "trials", "saved", "--format", "csv")).isEqualTo(trials);
            // a home with studies is not replaced without --yes
            try (CliProcess p = CliProcess.startIn(b, "db", "restore", dump.toString())) {
                assertThat(p.await()).isEqualTo(2);
                assertThat(p.output()).contains("--yes: missing; restoring replaces the 1 study").contains("saved");
            }
            cli(b, "db", "restore", dump.toString(), "--yes");
            // the restored home goes on: its sequences continue after the restored rows
            assertThat(cli(b, "study", "run", dir.resolve("saved.yaml").toString(), "--trials", "4"))
                    .contains("done 4/4");
        } finally {
            first.stop();
            second.stop();
        }
    }
}
