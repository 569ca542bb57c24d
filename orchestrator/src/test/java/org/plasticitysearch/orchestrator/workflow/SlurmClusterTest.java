package org.plasticitysearch.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.SlurmJob;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StudyStatus;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.search.TrialState;

/**
 * {@code plasticity slurm submit} against a real one-node Slurm: two workers as a job array; one array task is
 * cancelled (scancel: SIGTERM to every process of the task) while it runs a trial; the other finishes the study,
 * which ends with exactly its budget, and the allocation is given back (the workers leave when idle).
 */
class SlurmClusterTest {
    static OneNodeSlurm slurm;

    @BeforeAll
    static void cluster() throws Exception {
        String missing = OneNodeSlurm.missing();
        Assumptions.assumeTrue(missing == null, "Slurm test skipped: " + missing);
        slurm = OneNodeSlurm.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (slurm != null) {
            slurm.close();
        }
    }

    static final String CONFIG = String.join("\n",
            "name: on-slurm",
            "dataset: builtin",
            "per_class_limit: 30",
            "network: [784, 40, 30, 47]",
            "episodes: 150",
            "K: 8",
            "Q: 4",
            "eval_tasks: 3",
            "seed: 5",
            "report_every: 10",
            "search_space:",
            "  f0: {type: fixed, value: true}",
            "  f2: {type: bool}",
            "  f9: {type: bool}",
            "  meta_lr: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}",
            "sampler: {type: random}",
            "budget: 8",
            "parallelism: 2",
            "trial_timeout: 5m",
            "heap: 256m",
            "");

    @Test
    void aCancelledWorkerGivesItsTrialBackAndTheStudyEndsWithItsExactBudget() throws Exception {
        String url = TestDatabases.fresh("slurm");
        Path dir = Files.createTempDirectory("slurm-study");
        Path config = dir.resolve("on-slurm.yaml");
        Files.writeString(config, CONFIG);
        try (Database db = Database.open(TestDatabases.config(url));
             CliProcess submit = CliProcess.startWith(dir.resolve("home"), slurm.env(), "slurm", "submit",
                     config.toString(), "--workers", "2", "--slots", "1", "--exit-when-idle", "5", "--wait",
                     "--db", url)) {
            TrialStore store = new TrialStore(db.dataSource());
            // the job is submitted, and array task 0 runs a trial
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            String job = null;
            Integer cancelled = null;
            while (cancelled == null) {
                assertThat(System.nanoTime()).as("task 0 ran no trial within 2 minutes: %s", submit.output())
                        .isLessThan(deadline);
                Study s = store.study("on-slurm").orElse(null);
                if (s != null && job == null) {
                    List<SlurmJob> jobs = store.slurmJobs(s.id());
                    job = jobs.isEmpty() ? null : jobs.get(0).jobId();
                }
                if (job != null) {
                    cancelled = runningOn(db, job + "_0");
                }
                Thread.sleep(200);
            }
            slurm.scancel(job + "_0");

            int exit = submit.await();
            if (exit != 0) { // say everything that could tell why
                StringBuilder why = new StringBuilder(submit.output()).append("\n").append(slurm.state());
                try (var outs = Files.list(dir.resolve("home").resolve("slurm"))) {
                    for (Path o : outs.filter(f -> f.toString().endsWith(".out")).toList()) {
                        why.append("\n--- ").append(o.getFileName()).append("\n").append(Files.readString(o));
                    }
                }
                assertThat(exit).as(why.toString()).isZero();
            }
            assertThat(submit.output()).contains("submitted job " + job).contains("done in");
            Study study = store.study("on-slurm").orElseThrow();
            assertThat(study.status()).isEqualTo(StudyStatus.DONE);
            List<Trial> trials = store.trials(study.id(), null, -1, 100);
            assertThat(trials).extracting(Trial::number).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(trials).allMatch(t -> t.state() == TrialState.COMPLETE);
            // the trial of the cancelled task was given back (not counted as an attempt) and run by the other
            int n = cancelled;
            Trial again = trials.stream().filter(t -> t.number() == n).findFirst().orElseThrow();
            assertThat(again.attempt()).isEqualTo(1);
            assertThat(workerJob(db, again.workerId())).isEqualTo(job + "_1");

            // the allocation is given back: the remaining worker leaves once the study is idle
            long released = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (slurm.listed(job)) {
                assertThat(System.nanoTime()).as("job %s still in squeue a minute after the study ended", job)
                        .isLessThan(released);
                Thread.sleep(500);
            }
        }
    }

    /** The number of a trial RUNNING on the worker of this Slurm array task, or null. */
    static Integer runningOn(Database db, String arrayTask) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT t.number FROM trial t JOIN worker w ON w.id = t.worker_id WHERE w.slurm_job = ?"
                        + " AND t.state = 'RUNNING'")) {
            ps.setString(1, arrayTask);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    static String workerJob(Database db, String workerId) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT slurm_job FROM worker WHERE id = ?")) {
            ps.setString(1, workerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
