package org.plasticitysearch.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.workflow.CliProcess;

/** `slurm submit` without a cluster: the script it would submit, and its answers to bad input. */
class SlurmSubmitTest {
    static Path config() throws Exception {
        Path dir = Files.createTempDirectory("slurm-submit");
        Path c = dir.resolve("s.yaml");
        Files.writeString(c, "name: on-cluster\nbudget: 4\nsearch_space:\n  f2: {type: bool}\n");
        return c;
    }

    @Test
    void theDryRunPrintsAJobArrayOfWorkersAndNoSecret() throws Exception {
        Path c = config();
        try (CliProcess p = CliProcess.startIn(c.getParent().resolve("home"), "slurm", "submit", c.toString(),
                "--workers", "3", "--slots", "4", "--time", "12:00:00", "--partition", "cpu",
                "--sbatch-arg=--account=lab", "--dry-run", "--db",
                "postgresql://plasticity:s3cret@db.example.org/plasticity")) {
            assertThat(p.await()).as(p.output()).isZero();
            String script = p.output();
            assertThat(script).startsWith("#!/bin/bash").contains("#SBATCH --array=0-2\n")
                    .contains("#SBATCH --cpus-per-task=4\n").contains("#SBATCH --time=12:00:00\n")
                    .contains("#SBATCH --partition=cpu\n").contains(" --account=lab ")
                    .contains("--job-name=plasticity-on-cluster")
                    .contains("worker --study on-cluster --slots 4 --exit-when-idle 60\n")
                    .doesNotContain("s3cret").doesNotContain("db.example.org");
        }
    }

    @Test
    void badInputIsOneLineWithExitStatus2() throws Exception {
        Path c = config();
        for (List<String> args : List.of(
                List.of("--workers", "0"),
                List.of("--workers", "2", "--time", "soon"),
                List.of("--workers", "2", "--sbatch-arg", "account=lab"))) {
            List<String> cmd = new java.util.ArrayList<>(List.of("slurm", "submit", c.toString(), "--dry-run"));
            cmd.addAll(args);
            try (CliProcess p = CliProcess.startIn(c.getParent().resolve("home"), cmd.toArray(String[]::new))) {
                assertThat(p.await()).as(p.output()).isEqualTo(2);
                assertThat(p.output().strip().lines().filter(l -> !l.startsWith("WARNING")).toList())
                        .as(String.join(" ", args)).hasSize(1)
                        .allMatch(l -> l.startsWith("plasticity: --") && l.contains("is not allowed"));
            }
        }
        // a missing config file
        try (CliProcess p = CliProcess.startIn(c.getParent().resolve("home"), "slurm", "submit",
                c.getParent().resolve("nope.yaml").toString(), "--workers", "1", "--dry-run")) {
            assertThat(p.await()).isEqualTo(2);
            assertThat(p.output()).contains("nope.yaml");
        }
    }
}
